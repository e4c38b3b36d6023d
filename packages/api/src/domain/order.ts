import { authorizeInput, type AccessContext, type Action } from '../access/policy.js';
import type { SortSpec } from './paginate.js';

/**
 * One value of an `orderBy` enum: the sort it means (undefined: by the connection's unique key)
 * and, for a sort over internal data, the action that data needs — an order reveals values as
 * surely as a filter does, so it is refused like the field itself.
 */
export type OrderOption = (SortSpec & { access?: Action }) | undefined;

/** The sort of an orderBy value, after checking that the viewer may order by it. */
export function sortFor<K extends string>(
  ctx: AccessContext,
  options: Record<K, OrderOption>,
  orderBy: K | null | undefined,
): SortSpec | undefined {
  if (orderBy === null || orderBy === undefined) return undefined;
  const option = options[orderBy];
  if (option?.access) authorizeInput(ctx, option.access, `orderBy ${orderBy}`);
  return option && { expr: option.expr, direction: option.direction };
}

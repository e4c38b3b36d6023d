import type { Pool } from 'pg';
import { ValidationError } from '../errors/index.js';

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: () => Promise<number>;
}

export function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify([value]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arg: string): string | number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && (typeof parsed[0] === 'string' || typeof parsed[0] === 'number')) return parsed[0];
  } catch {
    // fall through to the validation error
  }
  throw ValidationError.of(arg, 'not a cursor of this connection');
}

function checkCount(value: number | null | undefined, arg: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) throw ValidationError.of(arg, `must be between 0 and ${MAX_PAGE}`);
  return value;
}

/**
 * Keyset pagination over a relation ordered by one unique column. Cursors hold that column's
 * value, so they stay valid when rows are inserted or deleted elsewhere. Returns plain rows.
 */
export async function paginate<T extends Record<string, unknown>>(
  pool: Pool,
  spec: { relation: string; orderBy: string; where?: string[]; params?: unknown[]; select?: string },
  args: PageArgs,
): Promise<Page<T>> {
  const first = checkCount(args.first, 'first');
  const last = checkCount(args.last, 'last');
  if (first !== undefined && last !== undefined) throw ValidationError.of('last', 'use either first or last, not both');
  const params = [...(spec.params ?? [])];
  const where = [...(spec.where ?? [])];
  const col = spec.orderBy;
  if (args.after) {
    params.push(decodeCursor(args.after, 'after'));
    where.push(`${col} > $${params.length}`);
  }
  if (args.before) {
    params.push(decodeCursor(args.before, 'before'));
    where.push(`${col} < $${params.length}`);
  }
  const backwards = last !== undefined;
  const limit = last ?? first ?? DEFAULT_PAGE;
  const whereSql = where.length > 0 ? `where ${where.join(' and ')}` : '';
  const { rows } = await pool.query<T>(
    `select ${spec.select ?? '*'} from ${spec.relation} ${whereSql} order by ${col} ${backwards ? 'desc' : 'asc'} limit ${limit + 1}`,
    params,
  );
  const more = rows.length > limit;
  const nodes = rows.slice(0, limit);
  if (backwards) nodes.reverse();
  const countParams = spec.params ?? [];
  const countWhere = spec.where && spec.where.length > 0 ? `where ${spec.where.join(' and ')}` : '';
  return {
    nodes,
    cursors: nodes.map((n) => encodeCursor(n[col.replace(/^.*\./, '')] as string | number)),
    hasNextPage: backwards ? Boolean(args.before) : more,
    hasPreviousPage: backwards ? more : Boolean(args.after),
    totalCount: async () => {
      const { rows: c } = await pool.query<{ n: number }>(`select count(*)::int as n from ${spec.relation} ${countWhere}`, countParams);
      return c[0]?.n ?? 0;
    },
  };
}

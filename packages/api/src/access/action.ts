import type { AccessContext } from './policy.js';

/**
 * Runs a domain action and, outside production, fails when it returned without an access
 * decision (authorize/readScope) and is not declared public: an action that forgot to ask is a
 * bug, caught in tests rather than in a leak.
 */
export async function runAction<C extends AccessContext, R>(
  ctx: C,
  name: string,
  body: (ctx: C) => Promise<R>,
  options: { public?: boolean } = {},
): Promise<R> {
  const scoped: C = { ...ctx, authorized: false };
  const result = await body(scoped);
  if (!options.public && !scoped.authorized && process.env.NODE_ENV !== 'production') {
    throw new Error(`auth audit: action ${name} returned without an access decision`);
  }
  return result;
}

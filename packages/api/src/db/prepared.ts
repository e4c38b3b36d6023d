import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Prepared statements kept per connection; statements beyond run unprepared (no eviction, no pg internals). */
export const PREPARED_PER_CONNECTION = 200;

const prepared = new WeakMap<pg.PoolClient, Set<string>>();
const names = new Map<string, string>();

/** A statement name derived from the SQL text: the same text gets the same name on every connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `hro_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
    if (names.size >= 10_000) names.clear();
    names.set(text, name);
  }
  return name;
}

// "cached plan must not change result type": a view changed under a prepared statement
const PLAN_CHANGED = '0A000';

/**
 * Makes `pool.query(text, values)` use named prepared statements, as PostGraphile does: PostgreSQL
 * then parses and plans a statement once per connection instead of on every request. Planning the
 * open views' joins costs ~1 ms, ten times their execution (measured in bench/graphql), so hot reads
 * spend most of their database time there otherwise. Only parameterised calls are prepared (they use
 * the extended protocol anyway, one statement each); plain-text calls, callbacks and query objects
 * pass through. A failed statement releases its connection with the error (as pg-pool does), and a
 * statement whose view changed shape is retried once unprepared.
 */
export function preparePoolQueries(pool: pg.Pool): pg.Pool {
  const plain = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const run = async (text: string, values: unknown[], prepare: boolean): Promise<pg.QueryResult> => {
    const client = await pool.connect();
    try {
      let set = prepared.get(client);
      if (set === undefined) {
        set = new Set();
        prepared.set(client, set);
      }
      const name = statementName(text);
      const named = prepare && (set.has(name) || set.size < PREPARED_PER_CONNECTION);
      const result = named ? await client.query({ name, text, values }) : await client.query(text, values);
      if (named) set.add(name);
      client.release();
      return result;
    } catch (e) {
      client.release(e as Error);
      if (prepare && (e as { code?: string }).code === PLAN_CHANGED) return run(text, values, false);
      throw e;
    }
  };
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values, callback] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || callback !== undefined) return plain(...args);
    return run(text, values, true);
  };
  return pool;
}

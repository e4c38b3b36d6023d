import type { Pool, PoolClient } from 'pg';

/**
 * Runs reads in one read-only transaction that PostgreSQL cancels after `timeoutMs` (SQLSTATE
 * 57014): for reads whose size the caller chooses (a DataStore search, a live aggregate), so that
 * one question cannot keep the database busy long after its client gave up. `repeatable read`
 * gives several statements one snapshot (a page and its total). The caller maps the errors.
 */
export async function inReadTransaction<T>(
  pool: Pool,
  options: { timeoutMs: number; repeatableRead?: boolean },
  body: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(options.repeatableRead ? 'begin isolation level repeatable read read only' : 'begin read only');
    await client.query(`set local statement_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`);
    const result = await body(client);
    await client.query('commit');
    client.release();
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    client.release();
    throw e;
  }
}

/** PostgreSQL cancelled the statement: its statement_timeout ran out. */
export const STATEMENT_TIMEOUT = '57014';

import type { PoolClient } from 'pg';

/**
 * Data changes only when an ETL run commits. Called inside that transaction, this bumps the
 * version caches key on and notifies listeners (the NOTIFY is delivered on commit).
 */
export async function bumpDataVersion(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ version: number }>(
    `update core.data_version set version = version + 1, changed_at = now() returning version`,
  );
  const version = rows[0]?.version ?? 0;
  await client.query(`select pg_notify('hro_data_version', $1)`, [String(version)]);
  return version;
}

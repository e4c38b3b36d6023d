// The large fact tables are to be distributable by Citus with the keys the README chose
// ("Growing past one machine"): core.service_metric by service_id, core.geo_feature by layer_id.
// Citus needs every primary key and unique index of a distributed table to include the
// distribution column, and refuses foreign keys from it to tables that stay on the coordinator.
// This test lists what stands in the way, so a new constraint that adds to it fails here and the
// README's list stays the whole list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';

const distribution = { 'core.service_metric': 'service_id', 'core.geo_feature': 'layer_id' } as const;
/** Tables the README makes Citus reference tables (copied to every node): foreign keys to them are fine. */
const reference = ['core.service', 'core.org_unit', 'core.geo_layer', 'core.ozg_topic', 'core.procedure'];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('Citus readiness of the fact tables', () => {
  it('has unique constraints that include the distribution key, except the ones the README names', async () => {
    const blockers: string[] = [];
    for (const [table, key] of Object.entries(distribution)) {
      const { rows } = await db.pool.query<{ name: string; columns: string[] }>(
        `select i.indexrelid::regclass::text as name, array_agg(a.attname::text order by a.attnum) as columns
         from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
         where i.indrelid = $1::regclass and i.indisunique group by 1 order by 1`,
        [table],
      );
      expect(rows.length, table).toBeGreaterThan(0);
      for (const r of rows) if (!r.columns.includes(key)) blockers.push(`${r.name} (${r.columns.join(', ')})`);
    }
    expect(blockers).toEqual(['core.geo_feature_pkey (id)']);
  });

  it('has foreign keys only to reference tables, except the ones the README names', async () => {
    const { rows } = await db.pool.query<{ name: string; target: string }>(
      `select conname::text as name, confrelid::regclass::text as target from pg_constraint
       where contype = 'f' and conrelid = any($1::regclass[]) order by 1`,
      [Object.keys(distribution)],
    );
    expect(rows.filter((r) => !reference.includes(r.target)).map((r) => `${r.name} → ${r.target}`)).toEqual([
      'geo_feature_last_run_id_fkey → etl.run',
    ]);
  });
});

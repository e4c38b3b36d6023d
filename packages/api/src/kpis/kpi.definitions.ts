import type { Pool, PoolClient } from 'pg';
import { kpiCatalog } from './kpi.catalog.js';

const input = `select * from jsonb_to_recordset($1::jsonb)
  as r(id text, title text, definition text, unit text, internal boolean, dimensions text[])`;

/**
 * Writes the KPI catalog into core.kpi_definition, so SQL (open.kpi_values) can tell public KPIs
 * from internal ones. A KPI no longer in the catalog is removed: the open view joins on this
 * table, so an unknown KPI is never published (fail closed). Called at every catalog sync and
 * inside every ETL run's transaction before its snapshots; when nothing changed it only reads,
 * so concurrent runs do not queue on the definitions' row locks.
 */
export async function syncKpiDefinitions(client: Pool | PoolClient): Promise<void> {
  const rows = JSON.stringify(
    kpiCatalog.map((k) => ({
      id: k.id,
      title: k.title,
      definition: k.definition,
      unit: k.unit,
      internal: k.internal,
      dimensions: k.dimensions,
    })),
  );
  const { rows: diff } = await client.query<{ differs: boolean }>(
    `select exists (
       (${input} except select id, title, definition, unit, internal, dimensions from core.kpi_definition)
       union all
       (select id, title, definition, unit, internal, dimensions from core.kpi_definition except ${input})
     ) as differs`,
    [rows],
  );
  if (!diff[0]?.differs) return;
  await client.query(
    `with input as (${input}), upserted as (
       insert into core.kpi_definition (id, title, definition, unit, internal, dimensions)
       select id, title, definition, unit, internal, dimensions from input
       on conflict (id) do update set title = excluded.title, definition = excluded.definition, unit = excluded.unit,
         internal = excluded.internal, dimensions = excluded.dimensions, synced_at = now()
     )
     delete from core.kpi_definition d where not exists (select 1 from input i where i.id = d.id)`,
    [rows],
  );
}

import type { PoolClient } from 'pg';
import { kpiCatalog } from './kpi.catalog.js';
import { syncKpiDefinitions } from './kpi.definitions.js';

/**
 * Writes every KPI's rows for one ETL run into core.kpi_snapshot. Called inside the run's merge
 * transaction, so a KPI value always belongs to a committed state of the data.
 */
export async function snapshotKpis(tx: PoolClient, runId: number): Promise<number> {
  // the open view publishes a snapshot only under a public definition of the same commit
  await syncKpiDefinitions(tx);
  let rows = 0;
  for (const kpi of kpiCatalog) {
    const result = await tx.query(
      `insert into core.kpi_snapshot (kpi_id, run_id, dimensions, value, numerator, denominator)
       select $1, $2, k.dimensions, k.value, k.numerator, k.denominator from (${kpi.sql}) as k
       on conflict (kpi_id, run_id, dimensions) do update
         set value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator, computed_at = now()`,
      [kpi.id, runId],
    );
    rows += result.rowCount ?? 0;
  }
  return rows;
}

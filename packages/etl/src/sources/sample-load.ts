import type { Pool } from 'pg';
import type { Logger } from '@hro/api';
import { runSource, type RunSummary } from '../pipeline/run-source.js';
import { loadSources } from './sources.js';

/**
 * The first start's ETL run over the bundled sample sources. `auto` loads only sources that never
 * succeeded, so a second start reuses the data; `always` reloads (idempotent); `never` skips.
 */
export async function loadSampleSources(pool: Pool, mode: 'auto' | 'always' | 'never', log: Logger): Promise<RunSummary[]> {
  if (mode === 'never') return [];
  const summaries: RunSummary[] = [];
  for (const source of loadSources().filter((s) => s.sample && s.enabled !== false)) {
    if (mode === 'auto') {
      const { rows } = await pool.query(`select 1 from etl.run where source = $1 and status = 'succeeded' and not dry_run limit 1`, [
        source.name,
      ]);
      if (rows.length > 0) continue;
    }
    summaries.push(await runSource(pool, source, { log }));
  }
  return summaries;
}

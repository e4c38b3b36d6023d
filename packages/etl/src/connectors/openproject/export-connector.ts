import { resolve } from 'node:path';
import type { PoolClient } from 'pg';
import { addCounts, defineConnector, type MergeContext, type MergeCounts, type RawRecord } from '../connector.js';
import { upsert } from '../../pipeline/upsert.js';
import { openProjectExportConfig, type OpenProjectExportConfig } from './config.js';
import { exportEntities } from './export-entities.js';
import { readExportFile } from './export-read.js';
import { deriveFromWorkPackages, mergeWorkPackages } from './merge.js';

/** core.project.source / core.work_package.source of rows read from exports. */
export const exportSource = 'openproject-export';

async function mergeExport(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const { runId } = ctx;
  const staged = ctx.staged('work_package');
  // The export names projects only by name: one core.project per name (key OPX-<slug>), written
  // before the work packages that point to it. Derived rows: they add nothing to the counts.
  const projects = await upsert(tx, {
    table: 'core.project',
    key: ['source', 'external_id'],
    runId,
    from: `(select distinct on (r.project_external_id) 'openproject-export'::text as source, r.project_external_id as external_id,
              r.project_key as key, r.project_external_id as title, ''::text as status_raw, r.project_steering_key as steering_key
            from ${staged} order by r.project_external_id, r._seq desc) as r`,
    columns: ['source', 'external_id', 'key', 'title', 'status_raw', 'steering_key'],
    fullRefresh: { where: `t.source = 'openproject-export'` },
  });
  // An export is the complete list: what it no longer holds is deleted.
  let counts = await mergeWorkPackages({ tx, runId, source: exportSource, from: staged, position: 'r._position', complete: 'true' });
  counts = addCounts(counts, { loaded: 0, unchanged: 0, deleted: projects.deleted });
  await deriveFromWorkPackages(tx, runId, exportSource);
  return counts;
}

/**
 * The project tool for cities without API access: OpenProject's work-package export as CSV or
 * XLSX (German headers). Each run reads all configured files as one complete list (full refresh
 * of the rows with source `openproject-export`). Projects come from the "Projekt" column.
 */
export const openProjectExportConnector = defineConnector<OpenProjectExportConfig>({
  kind: 'openproject-export',
  description: 'Project tool OpenProject, work-package export (CSV/XLSX, German headers): projects, work packages, milestones',
  configSchema: openProjectExportConfig,
  entities: exportEntities,
  async *extract(config, ctx): AsyncIterable<RawRecord> {
    for (const file of config.files) yield* readExportFile(resolve(ctx.baseDir, file), config, ctx);
  },
  merge: mergeExport,
});

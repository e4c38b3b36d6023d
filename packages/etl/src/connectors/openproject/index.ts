import type { PoolClient } from 'pg';
import { addCounts, defineConnector, type MergeContext, type MergeCounts } from '../connector.js';
import { upsert } from '../../pipeline/upsert.js';
import { openProjectConfig, type OpenProjectConfig } from './config.js';
import { apiEntities } from './entities.js';
import { extractApi } from './extract.js';
import { deriveFromWorkPackages, mergeWorkPackages } from './merge.js';

export { openProjectExportConnector } from './export-connector.js';

/** core.project.source / core.work_package.source of rows read from the API. */
export const apiSource = 'openproject';

const projectColumns = [
  'source',
  'external_id',
  'key',
  'title',
  'status_raw',
  'is_active',
  'project_type',
  'steering_key',
  'custom_fields',
  'source_updated_at',
];

async function mergeApi(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const { runId } = ctx;
  const projects = `(select 'openproject'::text as source, r.* from ${ctx.staged('project')}) as r`;
  // Only a complete listing deletes; an empty one deletes nothing (a token that lost its rights
  // sees no projects — that is no reason to drop them all).
  const complete = `exists (select 1 from ${ctx.staged('project')} where r.sync = 'full')
                    or exists (select 1 from ${ctx.staged('work_package')} where r.sync = 'full')`;
  const common = {
    table: 'core.project',
    key: ['source', 'external_id'],
    runId,
    from: projects,
    // parents may come after their children (the listing is by id); resolved once all rows exist
    derived: {
      parent_id: `(select p.id from core.project p where p.source = 'openproject' and p.external_id = r.parent_external_id)`,
      source_position: 'r.self_href',
    },
    deferDerived: true,
  };
  // A project status set in the tool is taken as it is; without one (status_raw '') the status
  // is derived from the work packages after they are merged, so the upsert must not reset it.
  let counts = await upsert(tx, { ...common, where: `r.status_raw <> ''`, columns: [...projectColumns, 'status'] });
  counts = addCounts(counts, await upsert(tx, { ...common, where: `r.status_raw = ''`, columns: projectColumns }));
  const deleted = await tx.query(
    `delete from core.project t where t.source = 'openproject' and (${complete})
       and not exists (select 1 from ${projects} where r.external_id = t.external_id)`,
  );
  counts = addCounts(counts, { loaded: 0, unchanged: 0, deleted: deleted.rowCount ?? 0 });
  counts = addCounts(
    counts,
    await mergeWorkPackages({
      tx,
      runId,
      source: apiSource,
      from: ctx.staged('work_package'),
      position: 'r.self_href',
      complete,
    }),
  );
  await deriveFromWorkPackages(tx, runId, apiSource);
  return counts;
}

/**
 * The project tool, OpenProject API v3: projects and work packages (HAL+JSON collections, paged
 * by `offset`/`nextByOffset`), token auth, incremental by updatedAt. Projects become core.project
 * rows (key `OP-<identifier>`, their steering key P001/19 in `steering_key`), work packages
 * core.work_package rows, milestones core.milestone rows. See README.md in this folder.
 */
export const openProjectConnector = defineConnector<OpenProjectConfig>({
  kind: 'openproject',
  description: 'Project tool OpenProject, API v3: projects, work packages and milestones (incremental by updatedAt)',
  configSchema: openProjectConfig,
  entities: apiEntities,
  extract: extractApi,
  merge: mergeApi,
});

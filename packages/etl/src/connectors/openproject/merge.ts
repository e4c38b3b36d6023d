// Merging the project tool's staged rows into core (shared by the API and the export import).
// Each source owns its rows through core.project.source / core.work_package.source; what is
// derived from the work packages (milestones, project dates, a project status the tool does not
// set, the status history) is recomputed from core.work_package, which holds the complete state
// also after incremental runs.
import type { PoolClient } from 'pg';
import type { MergeCounts } from '../connector.js';
import { upsert } from '../../pipeline/upsert.js';

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The core.project row of a tool project id (or name) of this source. */
const projectIdOf = (source: string, externalIdExpr: string) =>
  `(select p.id from core.project p where p.source = ${quote(source)} and p.external_id = ${externalIdExpr})`;

export interface WorkPackageMerge {
  tx: PoolClient;
  runId: number;
  /** core.work_package.source / core.project.source of the rows */
  source: string;
  /** staged work packages (MergeContext.staged) */
  from: string;
  /** SQL expression over `r`: where the row came from (an href, `file.csv:7`) */
  position: string;
  /** SQL condition: true when the listing was complete, so rows it lacks are deleted */
  complete: string;
}

/** Upserts the staged work packages by (source, external_id); deletes absent ones after a complete listing. */
export async function mergeWorkPackages(m: WorkPackageMerge): Promise<MergeCounts> {
  return upsert(m.tx, {
    table: 'core.work_package',
    key: ['source', 'external_id'],
    runId: m.runId,
    from: `(select ${quote(m.source)}::text as source, r.* from ${m.from}) as r`,
    columns: [
      'source',
      'external_id',
      'subject',
      'type',
      'is_milestone',
      'status',
      'status_raw',
      'is_closed',
      'start_date',
      'due_date',
      'percentage_done',
      'custom_fields',
      'source_created_at',
      'source_updated_at',
      'project_external_id',
      'parent_external_id',
    ],
    derived: {
      project_id: projectIdOf(m.source, 'r.project_external_id'),
      estimated_time: 'r.estimated_time::interval',
      source_position: m.position,
    },
    fullRefresh: { where: `t.source = ${quote(m.source)} and (${m.complete})` },
  });
}

/**
 * What follows from the work packages, for all projects of a source:
 * - milestone work packages → core.milestone (key `OP#<id>`; done_date = the day the tool last
 *   changed the closed milestone, kept once set — the API has no "closed at");
 * - project start/due date = earliest start / latest due date of its work packages;
 * - a project without a status of its own (status_raw '') gets one from its work packages: all
 *   closed → done (cancelled if all were rejected), some started or closed → in progress, all
 *   open ones on hold → on hold, else planned;
 * - core.project_status_history: the current row closes and a new one opens when a project's
 *   status changed.
 * These writes are derived, so they add nothing to the run's counts.
 */
export async function deriveFromWorkPackages(tx: PoolClient, runId: number, source: string): Promise<void> {
  await tx.query(
    `delete from core.milestone m using core.project p
     where m.project_id = p.id and p.source = $1
       and not exists (select 1 from core.work_package w -- by the (source, external_id) key: OP#<id>
                       where w.source = $1 and w.external_id = substr(m.key, 4) and w.is_milestone and w.project_id = m.project_id)`,
    [source],
  );
  await tx.query(
    `insert into core.milestone as m (project_id, key, title, due_date, done_date, is_closed, last_run_id)
     select w.project_id, 'OP#' || w.external_id, w.subject, w.due_date,
            case when w.is_closed then (w.source_updated_at at time zone 'Europe/Berlin')::date end, w.is_closed, $2
     from core.work_package w where w.source = $1 and w.is_milestone and w.project_id is not null
     on conflict (project_id, key) do update
       set title = excluded.title, due_date = excluded.due_date, is_closed = excluded.is_closed,
           done_date = case when excluded.is_closed then coalesce(m.done_date, excluded.done_date) end,
           last_run_id = excluded.last_run_id
       where (m.title, m.due_date, m.is_closed) is distinct from (excluded.title, excluded.due_date, excluded.is_closed)`,
    [source, runId],
  );
  await tx.query(
    `with d as (
       select p.id, min(w.start_date) as start_date, max(w.due_date) as due_date,
         case
           when count(w.id) = 0 then null
           when bool_and(w.is_closed) then case when bool_and(w.status = 'cancelled') then 'cancelled' else 'done' end
           when bool_or(w.is_closed or w.status = 'in_progress') then 'in_progress'
           when bool_and(w.status = 'on_hold') then 'on_hold'
           else 'planned'
         end as derived_status
       from core.project p left join core.work_package w on w.project_id = p.id
       where p.source = $1 group by p.id)
     update core.project p
     set start_date = d.start_date, due_date = d.due_date,
         status = case when p.status_raw = '' then d.derived_status else p.status end, last_run_id = $2
     from d
     where p.id = d.id
       and (p.start_date, p.due_date, case when p.status_raw = '' then d.derived_status else p.status end)
           is distinct from (d.start_date, d.due_date, p.status)`,
    [source, runId],
  );
  await tx.query(
    `update core.project_status_history h set valid_to = now()
     from core.project p
     where h.project_id = p.id and p.source = $1 and h.valid_to is null
       and (h.status, h.status_raw) is distinct from (p.status, p.status_raw)`,
    [source],
  );
  await tx.query(
    `insert into core.project_status_history (project_id, status, status_raw, valid_from, run_id)
     select p.id, p.status, p.status_raw, now(), $2 from core.project p
     where p.source = $1 and not exists (
       select 1 from core.project_status_history h where h.project_id = p.id and h.valid_to is null)`,
    [source, runId],
  );
}

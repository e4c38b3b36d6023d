import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { NotFoundError, UnavailableError, sqlStateOf } from '../errors/index.js';
import { audit } from '../access/audit.js';

export interface EtlRunRow {
  id: number;
  source: string;
  status: string;
  dryRun: boolean;
  startedAt: Date;
  finishedAt: Date | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsUnchanged: number;
  rowsQuarantined: number;
  rowsDeleted: number;
  cursorFrom: string | null;
  cursorTo: string | null;
  schemaDrift: Record<string, unknown> | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface QuarantinedRow {
  id: number;
  runId: number;
  source: string;
  position: string;
  raw: Record<string, unknown>;
  reasonCode: string;
  reason: string;
}

const runSelect = `id, source, status, dry_run as "dryRun", started_at as "startedAt", finished_at as "finishedAt", rows_read as "rowsRead",
  rows_loaded as "rowsLoaded", rows_unchanged as "rowsUnchanged", rows_quarantined as "rowsQuarantined", rows_deleted as "rowsDeleted",
  cursor_from as "cursorFrom", cursor_to as "cursorTo", schema_drift as "schemaDrift", error_code as "errorCode", error_message as "errorMessage"`;

/** ETL runs, newest first (admin). */
export function listEtlRuns(
  ctx: DomainContext,
  filter: { source?: string | null; status?: string | null },
  page: PageArgs,
): Promise<Page<EtlRunRow & Record<string, unknown>>> {
  return runAction(ctx, 'etl_run.list', async (c) => {
    authorize(c, 'etl.read');
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.source) {
      params.push(filter.source);
      where.push(`source = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    // newest first: the id is unique and grows with time
    return paginate<EtlRunRow & Record<string, unknown>>(
      c.pool,
      { relation: 'etl.run', orderBy: 'id', select: runSelect, where, params, sort: { expr: 'id', direction: 'desc' } },
      page,
    );
  });
}

export function showEtlRun(ctx: DomainContext, id: number): Promise<EtlRunRow> {
  return runAction(ctx, 'etl_run.show', async (c) => {
    authorize(c, 'etl.read');
    const { rows } = await c.pool.query<EtlRunRow>(`select ${runSelect} from etl.run where id = $1`, [id]);
    const row = rows[0];
    if (!row) throw new NotFoundError('EtlRun', String(id));
    return row;
  });
}

/** Quarantined records of a run, in the order they were found (admin). */
export function listQuarantine(ctx: DomainContext, runId: number, page: PageArgs): Promise<Page<QuarantinedRow & Record<string, unknown>>> {
  return runAction(ctx, 'quarantine.list', async (c) => {
    authorize(c, 'etl.read');
    return paginate<QuarantinedRow & Record<string, unknown>>(
      c.pool,
      {
        relation: 'etl.quarantine',
        orderBy: 'id',
        select: `id, run_id as "runId", source, position, raw, reason_code as "reasonCode", reason`,
        where: ['run_id = $1'],
        params: [runId],
      },
      page,
    );
  });
}

/**
 * Queues a run of a source for the ETL workers (graphile-worker's queue, shared with the cron
 * schedule; a run already waiting for the source is not queued twice). The api does not import
 * the etl package: it only writes the job.
 */
export function triggerEtlRun(ctx: DomainContext, source: string): Promise<{ queued: boolean }> {
  return runAction(ctx, 'etl_run.trigger', async (c) => {
    authorize(c, 'etl.run');
    try {
      await c.pool.query(
        `select graphile_worker.add_job('etl_run_source', json_build_object('source', $1::text),
           job_key := 'etl:' || $1, job_key_mode := 'unsafe_dedupe', max_attempts := 1, queue_name := 'etl:' || $1)`,
        [source],
      );
    } catch (e) {
      // 3F000: schema missing — no worker has ever started against this database
      if (sqlStateOf(e) === '3F000' || sqlStateOf(e) === '42883')
        throw new UnavailableError('No ETL worker has started yet: run `etl worker` or start the server with HRO_ETL_SCHEDULER=in-process');
      throw e;
    }
    await audit(c, 'etl.run', source);
    return { queued: true };
  });
}

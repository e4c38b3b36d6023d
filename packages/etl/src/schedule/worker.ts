import { Logger as GraphileLogger, parseCronItems, run, type Runner, type Task } from 'graphile-worker';
import type { Pool } from 'pg';
import { ConflictError, toError, type Logger } from '@hro/api';
import { runSource } from '../pipeline/run-source.js';
import { loadSources, type SourceDefinition } from '../sources/sources.js';

/** The one task kind on the queue: run one source. */
export const RUN_SOURCE_TASK = 'etl_run_source';

export interface EtlWorker {
  /** Queues a run of a source now; a run already waiting for the same source is not queued twice. */
  enqueue(source: string): Promise<void>;
  stop(): Promise<void>;
}

function graphileLogger(log: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const fields = { component: 'graphile-worker', ...scope, ...meta };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else log.debug(fields, message);
  });
}

/**
 * An ETL worker on the Postgres-backed job queue (graphile-worker, `SKIP LOCKED`): any number of
 * these, in any number of processes and machines, share the queued runs; the cron schedule of
 * each source (sources.yaml) enqueues its runs, de-duplicated across workers by graphile-worker's
 * cron identifiers. Two workers never load the same source at once: runSource holds an advisory
 * lock per source, and a run that finds it taken is skipped, not retried.
 */
export async function startEtlWorker(
  pool: Pool,
  options: { log: Logger; sources?: SourceDefinition[]; concurrency?: number; schedule?: boolean; pollInterval?: number },
): Promise<EtlWorker> {
  const log = options.log.child({ pkg: 'etl', component: 'worker' });
  const sources = options.sources ?? loadSources();
  const byName = new Map(sources.map((s) => [s.name, s]));

  const runTask: Task = async (payload) => {
    const name = (payload as { source?: unknown } | null)?.source;
    const source = typeof name === 'string' ? byName.get(name) : undefined;
    if (!source) {
      log.error({ payload }, 'queued run names no known source; dropped');
      return;
    }
    try {
      const summary = await runSource(pool, source, { log });
      log.info({ source: source.name, runId: summary.runId, status: summary.status }, 'queued run finished');
    } catch (e) {
      if (e instanceof ConflictError) {
        log.info({ source: source.name }, 'source is being loaded by another worker; skipped');
        return;
      }
      throw toError(e);
    }
  };

  const cron = options.schedule === false ? [] : sources.filter((s) => s.enabled !== false && s.schedule);
  const runner: Runner = await run({
    pgPool: pool,
    concurrency: options.concurrency ?? 1,
    noHandleSignals: true,
    pollInterval: options.pollInterval ?? 2000,
    logger: graphileLogger(log),
    taskList: { [RUN_SOURCE_TASK]: runTask },
    parsedCronItems: parseCronItems(
      cron.map((s) => ({
        task: RUN_SOURCE_TASK,
        match: s.schedule ?? '',
        identifier: `etl:${s.name}`,
        payload: { source: s.name },
        // a failed run is recorded in etl.run; the next scheduled run tries again
        options: { backfillPeriod: 0, maxAttempts: 1, jobKey: `etl:${s.name}`, queueName: `etl:${s.name}` },
      })),
    ),
  });
  log.info({ scheduled: cron.map((s) => `${s.name} (${s.schedule ?? ''})`) }, 'ETL worker started');
  return {
    enqueue: async (source: string) => {
      if (!byName.has(source)) throw new Error(`unknown source "${source}"`);
      // a request while the source is queued or running is the same request (unsafe_dedupe: even
      // a locked job absorbs it) — the running run already loads the source
      await runner.addJob(
        RUN_SOURCE_TASK,
        { source },
        { jobKey: `etl:${source}`, jobKeyMode: 'unsafe_dedupe', maxAttempts: 1, queueName: `etl:${source}` },
      );
    },
    stop: async () => {
      await runner.stop();
    },
  };
}

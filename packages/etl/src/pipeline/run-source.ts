import type { Pool, PoolClient } from 'pg';
import type { ZodType } from 'zod';
import { bumpDataVersion } from '@hro/api/db';
import { ConflictError, toError, type Logger } from '@hro/api';
import { connectors } from '../connectors/index.js';
import type { RawRecord, ValidRecord } from '../connectors/connector.js';
import type { SourceDefinition } from '../sources/sources.js';
import { StagingWriter } from './staging.js';
import { QuarantineWriter, reasonFromZod } from './quarantine.js';

export interface RunSummary {
  runId: number;
  source: string;
  status: 'succeeded' | 'failed';
  dryRun: boolean;
  read: number;
  loaded: number;
  unchanged: number;
  quarantined: number;
  deleted: number;
  durationMs: number;
  error?: string;
}

export interface RunOptions {
  log: Logger;
  dryRun?: boolean;
  /** called after each record, for progress display */
  onProgress?: (read: number) => void;
}

/** Advisory-lock key of a source ($1: the source name): no two workers, anywhere, load the same source at once. */
const lockKey = `hashtext('hro.etl:' || $1)`;

/**
 * One run of one source: extract → stage (raw rows kept for lineage) → validate (bad rows to the
 * quarantine with position and reason) → merge into core in ONE transaction that also records the
 * run's outcome and bumps the data version. Anything failing before the commit leaves the previous
 * data untouched; the run row is then marked failed.
 */
export async function runSource(pool: Pool, source: SourceDefinition, options: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const connector = connectors[source.connector];
  const log = options.log.child({ pkg: 'etl', source: source.name });
  const dryRun = options.dryRun ?? false;
  const lockClient = await pool.connect();
  let runId = 0;
  try {
    const { rows: lock } = await lockClient.query<{ ok: boolean }>(`select pg_try_advisory_lock(${lockKey}) as ok`, [source.name]);
    if (!lock[0]?.ok) throw new ConflictError(`source ${source.name} is being loaded by another worker`, { source: source.name });
    const { rows } = await lockClient.query<{ id: number }>(`insert into etl.run (source, dry_run) values ($1, $2) returning id`, [
      source.name,
      dryRun,
    ]);
    runId = rows[0]?.id ?? 0;
    const runLog = log.child({ runId });
    runLog.info('run started');

    const staging = new StagingWriter(pool, runId);
    const quarantine = new QuarantineWriter(pool, runId, source.name);
    const valid: ValidRecord[] = [];
    let read = 0;
    for await (const record of connector.extract(source.config, { log: runLog, baseDir: source.baseDir })) {
      read++;
      await staging.add(record);
      const checked = validate(connector.schemas, record);
      if (checked.ok) valid.push(checked.record);
      else await quarantine.add(record, checked.code, checked.reason);
      options.onProgress?.(read);
    }
    await staging.flush();
    await quarantine.flush();

    const tx = await pool.connect();
    try {
      await tx.query('begin');
      const counts = await connector.merge(tx, valid, { runId, log: runLog });
      const summary = { read, loaded: counts.loaded, unchanged: counts.unchanged, quarantined: quarantine.count, deleted: counts.deleted };
      await finishRun(tx, runId, 'succeeded', summary);
      if (dryRun) {
        await tx.query('rollback');
        await finishRun(lockClient, runId, 'succeeded', summary);
      } else {
        await bumpDataVersion(tx);
        await tx.query('commit');
      }
      runLog.info(summary, dryRun ? 'dry run finished (rolled back)' : 'run succeeded');
      return { runId, source: source.name, status: 'succeeded', dryRun, ...summary, durationMs: Date.now() - started };
    } catch (e) {
      await tx.query('rollback').catch(() => {});
      throw e;
    } finally {
      tx.release();
    }
  } catch (thrown) {
    const error = toError(thrown);
    if (runId === 0) throw error;
    log.error({ runId, err: error }, 'run failed');
    await lockClient
      .query(`update etl.run set status = 'failed', finished_at = now(), error_code = $2, error_message = $3 where id = $1`, [
        runId,
        (thrown as { code?: string }).code ?? 'RUN_FAILED',
        error.message,
      ])
      .catch(() => {});
    return {
      runId,
      source: source.name,
      status: 'failed',
      dryRun,
      read: 0,
      loaded: 0,
      unchanged: 0,
      quarantined: 0,
      deleted: 0,
      durationMs: Date.now() - started,
      error: error.message,
    };
  } finally {
    await lockClient.query(`select pg_advisory_unlock(${lockKey})`, [source.name]).catch(() => {});
    lockClient.release();
  }
}

function validate(
  schemas: Record<string, ZodType>,
  record: RawRecord,
): { ok: true; record: ValidRecord } | { ok: false; code: string; reason: string } {
  const schema = schemas[record.entity];
  if (!schema) return { ok: false, code: 'ROW_UNKNOWN_ENTITY', reason: `no schema for entity "${record.entity}"` };
  const parsed = schema.safeParse(record.data);
  if (!parsed.success) return { ok: false, ...reasonFromZod(parsed.error) };
  return { ok: true, record: { entity: record.entity, position: record.position, value: parsed.data } };
}

async function finishRun(
  client: PoolClient,
  runId: number,
  status: 'succeeded',
  c: { read: number; loaded: number; unchanged: number; quarantined: number; deleted: number },
): Promise<void> {
  await client.query(
    `update etl.run set status = $2, finished_at = now(), rows_read = $3, rows_loaded = $4, rows_unchanged = $5,
       rows_quarantined = $6, rows_deleted = $7 where id = $1`,
    [runId, status, c.read, c.loaded, c.unchanged, c.quarantined, c.deleted],
  );
}

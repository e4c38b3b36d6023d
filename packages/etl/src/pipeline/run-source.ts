import type { Pool, PoolClient } from 'pg';
import { bumpDataVersion } from '@hro/api/db';
import { snapshotKpis, touchChangedDatasets } from '@hro/api/domain';
import { ConflictError, toError, type Logger } from '@hro/api';
import { connectors } from '../connectors/index.js';
import { recordsOf, type EntitySpec, type ExtractContext, type RawRecord } from '../connectors/connector.js';
import type { SourceDefinition } from '../sources/sources.js';
import { DirectLanes } from './direct-lanes.js';
import { DriftCheck } from './drift.js';
import { crashPoint } from './faults.js';
import { QuarantineWriter, reasonFromZod } from './quarantine.js';
import { StagingWriter, createStagingTable, dropStaleStagingTables, dropStagingTable, stagedRelation, stagingTable } from './staging.js';

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
  cursor?: { from: string | null; to: string | null };
  schemaDrift?: Record<string, unknown> | null;
  error?: string;
}

export interface Progress {
  read: number;
  bytes: number;
}

export interface RunOptions {
  log: Logger;
  dryRun?: boolean;
  /** called as records arrive (at most every 100 records), for progress display */
  onProgress?: (progress: Progress) => void;
  /** extra work inside the merge transaction, after the merge and this run's KPI snapshots */
  afterMerge?: (tx: PoolClient, runId: number) => Promise<void>;
  /** environment for credentials (default process.env) */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** Advisory-lock key of a source ($1: the source name): no two workers, anywhere, load the same source at once. */
const lockKey = `hashtext('hro.etl:' || $1)`;

class MergeCountError extends Error {
  readonly code = 'ETL_COUNTS';
}

/**
 * One run of one source: extract → validate each record (bad ones to etl.quarantine with position
 * and reason) → COPY the valid, normalised records into staging → merge into core in ONE
 * transaction that also records the run's outcome and counts, commits the cursor and bumps the
 * data version. A failure (or kill -9) at any point before the commit leaves the previous data
 * untouched; the run is then marked failed — at once, or by the next run of the source.
 *
 * An entity with a direct lane (EntitySpec.direct: the case numbers) begins that transaction
 * when its first record arrives, and records of keys new to its table go by COPY straight into
 * the table while the file is still being read; the rest is staged and merged as above, in the
 * same transaction, so the guarantees hold alike.
 */
export async function runSource(pool: Pool, source: SourceDefinition, options: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const connector = connectors[source.connector];
  const log = options.log.child({ pkg: 'etl', source: source.name });
  const dryRun = options.dryRun ?? false;
  const lockClient = await pool.connect();
  let runId = 0;
  let staging: StagingWriter | undefined;
  let lanes: DirectLanes | undefined;
  try {
    const { rows: lock } = await lockClient.query<{ ok: boolean }>(`select pg_try_advisory_lock(${lockKey}) as ok`, [source.name]);
    if (!lock[0]?.ok) throw new ConflictError(`source ${source.name} is being loaded by another worker`, { source: source.name });
    // Holding the lock, any run of this source still "running" belongs to a process that died.
    await lockClient.query(
      `update etl.run set status = 'failed', finished_at = now(), error_code = 'ETL_ABANDONED',
         error_message = 'the process ended before the run finished' where source = $1 and status = 'running'`,
      [source.name],
    );
    const { rows: cursorRows } = await lockClient.query<{ value: string }>(`select value from etl.cursor where source = $1`, [source.name]);
    const cursorFrom = cursorRows[0]?.value ?? null;
    const { rows } = await lockClient.query<{ id: number }>(
      `insert into etl.run (source, dry_run, cursor_from) values ($1, $2, $3) returning id`,
      [source.name, dryRun, cursorFrom],
    );
    runId = rows[0]?.id ?? 0;
    await dropStaleStagingTables(lockClient);
    await createStagingTable(lockClient, runId);
    const runLog = log.child({ runId });
    runLog.info('run started');

    staging = new StagingWriter(pool, runId);
    lanes = new DirectLanes(pool, connector.entities, { runId, source: source.name, log: runLog });
    const quarantine = new QuarantineWriter(pool, runId, source.name);
    const drift = new DriftCheck(source.drift, connector.entities);
    const abort = new AbortController();
    options.signal?.addEventListener('abort', () => abort.abort(options.signal?.reason));
    let cursorTo: string | null = cursorFrom;
    let bytes = 0;
    let read = 0;
    const ctx: ExtractContext = {
      log: runLog,
      baseDir: source.baseDir,
      signal: abort.signal,
      cursor: cursorFrom,
      advanceCursor: (value) => {
        cursorTo = value;
      },
      env: options.env ?? process.env,
      addBytes: (n) => {
        bytes += n;
      },
    };
    for await (const item of connector.extract(source.config, ctx)) {
      for (const record of recordsOf(item)) {
        if (read === 0) crashPoint('extract');
        read++;
        const outcome = record.reject ?? drift.check(record) ?? validate(connector.entities, record);
        if ('value' in outcome) {
          let direct = lanes.take(record.entity, outcome.value, record.position, record.line);
          if (typeof direct !== 'boolean') direct = await direct;
          if (!direct) await staging.add(record.entity, record.position, outcome.value);
        } else await quarantine.add(record, outcome.code, outcome.reason);
        if (read % 100 === 0) {
          // a cancelled run stops here too, not only where the extract passes the signal on
          abort.signal.throwIfAborted();
          options.onProgress?.({ read, bytes });
        }
      }
    }
    options.onProgress?.({ read, bytes });
    await staging.finish();
    const direct = await lanes.finish();
    crashPoint('copy');
    await quarantine.flush();
    for (const [entity, spec] of Object.entries(connector.entities)) {
      if (!spec.key || !staging.counts.get(entity)) continue;
      const moved = await quarantineDuplicates(pool, runId, source.name, entity, spec.key);
      if (moved > 0) {
        staging.counts.set(entity, (staging.counts.get(entity) ?? 0) - moved);
        quarantine.count += moved;
      }
    }
    crashPoint('validate');

    // a direct lane began the run's transaction already (and loaded its rows in it)
    const begun = lanes.handOver();
    const tx = begun ?? (await pool.connect());
    try {
      if (!begun) await tx.query('begin');
      const counts = await connector.merge(tx, {
        runId,
        log: runLog,
        staged: (entity) => {
          const spec = connector.entities[entity];
          if (!spec) throw new Error(`connector ${connector.kind} has no entity "${entity}"`);
          return stagedRelation(runId, entity, spec);
        },
        stagedCount: async (entity) => staging?.counts.get(entity) ?? 0,
      });
      crashPoint('merge');
      const valid = [...staging.counts.values()].reduce((a, b) => a + b, 0);
      const unplaced = counts.quarantined ?? 0;
      if (counts.loaded + counts.unchanged + unplaced !== valid) {
        throw new MergeCountError(
          `merge of ${connector.kind} counted ${counts.loaded} loaded + ${counts.unchanged} unchanged` +
            `${unplaced ? ` + ${unplaced} quarantined` : ''} for ${valid} valid records`,
        );
      }
      await snapshotKpis(tx, runId);
      await options.afterMerge?.(tx, runId);
      crashPoint('kpi');
      const summary = {
        read,
        loaded: counts.loaded + direct.loaded,
        unchanged: counts.unchanged,
        quarantined: quarantine.count + unplaced + direct.quarantined,
        deleted: counts.deleted,
      };
      const schemaDrift = drift.summary();
      await finishRun(tx, runId, summary, cursorTo, schemaDrift);
      if (dryRun) {
        await tx.query('rollback');
        await finishRun(lockClient, runId, summary, cursorTo, schemaDrift);
      } else {
        if (cursorTo !== null && cursorTo !== cursorFrom) {
          await tx.query(
            `insert into etl.cursor (source, value, run_id) values ($1, $2, $3)
             on conflict (source) do update set value = excluded.value, run_id = excluded.run_id, updated_at = now()`,
            [source.name, cursorTo, runId],
          );
        }
        // datasets whose data this run changed get a new metadata_modified, committed with the data
        await touchChangedDatasets(tx);
        await bumpDataVersion(tx);
        crashPoint('commit');
        await tx.query('commit');
      }
      runLog.info({ ...summary, schemaDrift }, dryRun ? 'dry run finished (rolled back)' : 'run succeeded');
      return {
        runId,
        source: source.name,
        status: 'succeeded',
        dryRun,
        ...summary,
        durationMs: Date.now() - started,
        cursor: { from: cursorFrom, to: cursorTo },
        schemaDrift,
      };
    } catch (e) {
      await tx.query('rollback').catch(() => {});
      throw e;
    } finally {
      tx.release();
    }
  } catch (thrown) {
    const error = toError(thrown);
    staging?.abort(error);
    lanes?.abort(error);
    if (runId === 0) throw error;
    log.error({ runId, err: error }, 'run failed');
    await lockClient
      .query(`update etl.run set status = 'failed', finished_at = now(), error_code = $2, error_message = $3 where id = $1`, [
        runId,
        failureCode(thrown),
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
    if (runId !== 0) await dropStagingTable(lockClient, runId).catch(() => {});
    await lockClient.query(`select pg_advisory_unlock(${lockKey})`, [source.name]).catch(() => {});
    lockClient.release();
  }
}

/**
 * The code a failed run is recorded with: ours (ETL_…) as thrown; PostgreSQL's storage failures
 * named for the operator (class 53 "insufficient resources": disk full, out of memory; class 58
 * "system error", and a refused file of the storage manager: a read-only or failing file system);
 * any other database error as its SQLSTATE.
 */
const storageSources = new Set(['md.c', 'fd.c', 'smgr.c', 'bufmgr.c', 'tablespace.c', 'copydir.c', 'xlog.c']);

function failureCode(thrown: unknown): string {
  const { code, file } = (thrown as { code?: unknown; file?: unknown } | null) ?? {};
  if (typeof code !== 'string') return 'ETL_FAILED';
  if (code === '53100') return 'ETL_DISK_FULL';
  // a file the server could not create or write (a read-only file system reports 42501 too, but
  // raised by the storage manager's source files, not by a privilege check)
  if (code.startsWith('58') || (code === '42501' && typeof file === 'string' && storageSources.has(file))) return 'ETL_STORAGE_ERROR';
  return code;
}

/** Moves all but the last record of each duplicated key from staging to the quarantine. */
async function quarantineDuplicates(pool: Pool, runId: number, source: string, entity: string, key: readonly string[]): Promise<number> {
  const keyExpr = key.map((k) => `record->'${k.replace(/'/g, "''")}'`).join(', ');
  const { rowCount } = await pool.query(
    `with ranked as (
       select seq, position, record, row_number() over (partition by ${keyExpr} order by seq desc) as rank,
              first_value(position) over (partition by ${keyExpr} order by seq desc) as kept
       from ${stagingTable(runId)} where entity = $2),
     moved as (
       delete from ${stagingTable(runId)} s using ranked d
       where s.seq = d.seq and d.rank > 1
       returning d.position, d.record, d.kept)
     insert into etl.quarantine (run_id, source, position, raw, reason_code, reason)
     select $1, $3, position, jsonb_build_object('entity', $2::text) || record, 'ROW_DUPLICATE_KEY',
            'key ' || $4 || ' appears again at ' || kept || '; the last occurrence is loaded'
     from moved`,
    [runId, entity, source, key.join('+')],
  );
  return rowCount ?? 0;
}

function validate(
  entities: Record<string, EntitySpec>,
  record: RawRecord,
): { value: Record<string, unknown> } | { code: string; reason: string } {
  const spec = entities[record.entity];
  if (!spec) return { code: 'ROW_UNKNOWN_ENTITY', reason: `no schema for entity "${record.entity}"` };
  const parsed = spec.schema.safeParse(record.data);
  if (!parsed.success) return reasonFromZod(parsed.error);
  return { value: parsed.data };
}

async function finishRun(
  client: PoolClient,
  runId: number,
  c: { read: number; loaded: number; unchanged: number; quarantined: number; deleted: number },
  cursorTo: string | null,
  schemaDrift: Record<string, unknown> | null,
): Promise<void> {
  await client.query(
    `update etl.run set status = 'succeeded', finished_at = now(), rows_read = $2, rows_loaded = $3, rows_unchanged = $4,
       rows_quarantined = $5, rows_deleted = $6, cursor_to = $7, schema_drift = $8 where id = $1`,
    [runId, c.read, c.loaded, c.unchanged, c.quarantined, c.deleted, cursorTo, schemaDrift === null ? null : JSON.stringify(schemaDrift)],
  );
}

import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import type { EntitySpec } from '../connectors/connector.js';

/** COPY text format: backslash, tab, newline and carriage return must be escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Lines are sent to PostgreSQL in chunks of about this many characters. */
const CHUNK = 64 * 1024;

/** Runs that stage at least this many rows analyse their staging table before the merge plans its joins. */
const ANALYZE_FROM_ROWS = 10_000;

/** The run's own staging table (see migration 0009): unlogged, no index, dropped when the run ends. */
export const stagingTable = (runId: number) => `staging.run_${Math.trunc(runId)}`;

export async function createStagingTable(client: Pool | PoolClient, runId: number): Promise<void> {
  await client.query(
    `create unlogged table ${stagingTable(runId)} (seq bigint not null, entity text not null, position text not null, record jsonb not null)`,
  );
}

export async function dropStagingTable(client: Pool | PoolClient, runId: number): Promise<void> {
  await client.query(`drop table if exists ${stagingTable(runId)}`);
}

/**
 * Drops the staging tables of runs that are no longer running (a process that died mid-run
 * leaves its table behind). Called by every run, after the sweep of abandoned runs.
 */
export async function dropStaleStagingTables(client: Pool | PoolClient): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'staging' and c.relkind = 'r' and c.relname ~ '^run_[0-9]+$'
       and not exists (select 1 from etl.run r where r.id = substr(c.relname, 5)::bigint and r.status = 'running')`,
  );
  for (const { name } of rows) await client.query(`drop table if exists staging."${name}"`);
}

/**
 * Streams a run's valid, normalised records into the run's staging table with one COPY (position,
 * record). Writes respect back-pressure, so memory stays flat whatever the input size.
 */
export class StagingWriter {
  private client: PoolClient | undefined;
  private stream: Writable | undefined;
  private done: Promise<void> | undefined;
  /** the COPY's error, once PostgreSQL refused it (disk full, a bad value): later writes report it */
  private failed: Error | undefined;
  private seq = 0;
  private pending: string[] = [];
  private pendingLength = 0;
  readonly counts = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly runId: number,
  ) {}

  private async open(): Promise<Writable> {
    this.client = await this.pool.connect();
    const stream = this.client.query(copyFrom(`copy ${stagingTable(this.runId)} (seq, entity, position, record) from stdin`));
    this.done = new Promise((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', (error: Error) => {
        this.failed ??= error;
        reject(error);
      });
    });
    // an error is surfaced by `done`; keep it from being an unhandled 'error' event meanwhile
    this.done.catch(() => {});
    this.stream = stream;
    return stream;
  }

  async add(entity: string, position: string, record: Record<string, unknown>): Promise<void> {
    this.seq++;
    this.counts.set(entity, (this.counts.get(entity) ?? 0) + 1);
    const line = `${this.seq}\t${copyText(entity)}\t${copyText(position)}\t${copyText(JSON.stringify(record))}\n`;
    this.pending.push(line);
    this.pendingLength += line.length;
    if (this.pendingLength >= CHUNK) await this.flush();
  }

  /**
   * Writes the collected lines as one chunk: pg-copy-streams sends every write as its own
   * CopyData message (two socket writes), so a write per record would cost more than the record.
   */
  private async flush(): Promise<void> {
    const stream = this.stream ?? (await this.open());
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (this.failed) throw this.failed;
    let flowing: boolean;
    try {
      flowing = stream.write(chunk);
    } catch (e) {
      // pg-copy-streams drops its connection when the server ends the COPY with an error, and a
      // write after that throws a TypeError of its own: the server's error is the one to report
      throw this.failed ?? e;
    }
    if (!flowing) await Promise.race([once(stream, 'drain'), this.done]);
  }

  /**
   * Ends the COPY; the rows are committed (staging is not part of the merge transaction). A large
   * run refreshes the table's statistics: without them the planner takes the run's rows for a
   * handful and joins them by nested loops (seconds per 100,000 rows instead of milliseconds).
   */
  async finish(): Promise<void> {
    if (this.pending.length > 0) await this.flush();
    if (!this.stream) return;
    this.stream.end();
    try {
      await this.done;
      if (this.seq >= ANALYZE_FROM_ROWS) await this.client?.query(`analyze ${stagingTable(this.runId)}`);
    } finally {
      this.client?.release();
      this.client = undefined;
      this.stream = undefined;
    }
  }

  /** Aborts an unfinished COPY (the rows written so far are discarded by PostgreSQL). */
  abort(error: Error): void {
    this.pending = [];
    this.pendingLength = 0;
    if (!this.stream || !this.client) return;
    this.stream.destroy(error);
    this.client.release(error);
    this.client = undefined;
    this.stream = undefined;
  }
}

const cast = (type: string) => (type === 'text' ? '' : `::${type}`);

function columnExpr(name: string, type: string): string {
  const key = name.replace(/'/g, "''");
  const ident = `"${name.replace(/"/g, '""')}"`;
  if (type === 'jsonb') return `(record->'${key}') as ${ident}`;
  if (type === 'text[]') return `array(select jsonb_array_elements_text(coalesce(record->'${key}', '[]'::jsonb))) as ${ident}`;
  return `(record->>'${key}')${cast(type)} as ${ident}`;
}

/** The typed relation of a run's staged rows of one entity (see MergeContext.staged). */
export function stagedRelation(runId: number, entity: string, spec: EntitySpec): string {
  const columns = Object.entries(spec.columns).map(([name, type]) => columnExpr(name, type));
  const safeEntity = entity.replace(/'/g, "''");
  return `(select seq as _seq, position as _position, row_number() over (order by seq) as _ordinal, ${columns.join(', ')} from ${stagingTable(runId)} where entity = '${safeEntity}') as r`;
}

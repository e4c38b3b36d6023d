import type { Pool, PoolClient } from 'pg';
import type { EntitySpec } from '../connectors/connector.js';
import { CopyWriter, copyText } from './copy-writer.js';

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
 * record) on a connection of its own. Writes respect back-pressure, so memory stays flat whatever
 * the input size.
 */
export class StagingWriter {
  private client: PoolClient | undefined;
  private writer: CopyWriter | undefined;
  private seq = 0;
  readonly counts = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly runId: number,
  ) {}

  async add(entity: string, position: string, record: Record<string, unknown>): Promise<void> {
    this.seq++;
    this.counts.set(entity, (this.counts.get(entity) ?? 0) + 1);
    if (!this.writer) {
      this.client = await this.pool.connect();
      this.writer = new CopyWriter(this.client, `copy ${stagingTable(this.runId)} (seq, entity, position, record) from stdin`);
    }
    await this.writer.write(`${this.seq}\t${copyText(entity)}\t${copyText(position)}\t${copyText(JSON.stringify(record))}\n`);
  }

  /**
   * Ends the COPY; the rows are committed (staging is not part of the merge transaction). A large
   * run refreshes the table's statistics: without them the planner takes the run's rows for a
   * handful and joins them by nested loops (seconds per 100,000 rows instead of milliseconds).
   */
  async finish(): Promise<void> {
    if (!this.writer) return;
    let failure: Error | undefined;
    try {
      await this.writer.finish();
      if (this.seq >= ANALYZE_FROM_ROWS) await this.client?.query(`analyze ${stagingTable(this.runId)}`);
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      // a session whose COPY failed is closed, not pooled: it would keep the files of the
      // staging table open after the run drops it (on a full disk: space still taken)
      this.client?.release(failure);
      this.client = undefined;
      this.writer = undefined;
    }
  }

  /** Aborts an unfinished COPY (the rows written so far are discarded by PostgreSQL). */
  abort(error: Error): void {
    if (!this.writer || !this.client) return;
    this.writer.abort(error);
    this.client.release(error);
    this.client = undefined;
    this.writer = undefined;
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

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

/** Runs that stage at least this many rows analyse staging.row before the merge plans its joins. */
const ANALYZE_FROM_ROWS = 10_000;

/**
 * Streams a run's valid, normalised records into staging.row with one COPY (lineage: run,
 * position, record). Writes respect back-pressure, so memory stays flat whatever the input size.
 */
export class StagingWriter {
  private client: PoolClient | undefined;
  private stream: Writable | undefined;
  private done: Promise<void> | undefined;
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
    const stream = this.client.query(copyFrom(`copy staging.row (run_id, seq, entity, position, record) from stdin`));
    this.done = new Promise((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    // an error is surfaced by `done`; keep it from being an unhandled 'error' event meanwhile
    this.done.catch(() => {});
    this.stream = stream;
    return stream;
  }

  async add(entity: string, position: string, record: Record<string, unknown>): Promise<void> {
    this.seq++;
    this.counts.set(entity, (this.counts.get(entity) ?? 0) + 1);
    const line = `${this.runId}\t${this.seq}\t${copyText(entity)}\t${copyText(position)}\t${copyText(JSON.stringify(record))}\n`;
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
    if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), this.done]);
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
      if (this.seq >= ANALYZE_FROM_ROWS) await this.client?.query('analyze staging.row');
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
  return `(select seq as _seq, position as _position, row_number() over (order by seq) as _ordinal, ${columns.join(', ')} from staging.row where run_id = ${runId} and entity = '${safeEntity}') as r`;
}

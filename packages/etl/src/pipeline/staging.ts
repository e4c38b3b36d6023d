import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import type { EntitySpec } from '../connectors/connector.js';

/** COPY text format: backslash, tab, newline and carriage return must be escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Streams a run's valid, normalised records into staging.row with one COPY (lineage: run,
 * position, record). Writes respect back-pressure, so memory stays flat whatever the input size.
 */
export class StagingWriter {
  private client: PoolClient | undefined;
  private stream: Writable | undefined;
  private done: Promise<void> | undefined;
  private seq = 0;
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
    const stream = this.stream ?? (await this.open());
    this.seq++;
    this.counts.set(entity, (this.counts.get(entity) ?? 0) + 1);
    const line = `${this.runId}\t${this.seq}\t${copyText(entity)}\t${copyText(position)}\t${copyText(JSON.stringify(record))}\n`;
    if (!stream.write(line)) await Promise.race([once(stream, 'drain'), this.done]);
  }

  /** Ends the COPY; the rows are committed (staging is not part of the merge transaction). */
  async finish(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    try {
      await this.done;
    } finally {
      this.client?.release();
      this.client = undefined;
      this.stream = undefined;
    }
  }

  /** Aborts an unfinished COPY (the rows written so far are discarded by PostgreSQL). */
  abort(error: Error): void {
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

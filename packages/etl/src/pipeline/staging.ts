import type { Pool } from 'pg';
import type { RawRecord } from '../connectors/connector.js';

const BATCH = 1000;

/** Keeps every raw record of a run in staging.row, in batches (lineage: run + position + record). */
export class StagingWriter {
  private buffer: RawRecord[] = [];
  private seq = 0;

  constructor(
    private readonly pool: Pool,
    private readonly runId: number,
  ) {}

  async add(record: RawRecord): Promise<void> {
    this.buffer.push(record);
    if (this.buffer.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    const first = this.seq + 1;
    this.seq += batch.length;
    await this.pool.query(
      `insert into staging.row (run_id, seq, entity, position, record)
       select $1, $2 + ord - 1, r.entity, r.position, r.data
       from rows from (jsonb_to_recordset($3::jsonb) as (entity text, position text, data jsonb)) with ordinality as r(entity, position, data, ord)`,
      [this.runId, first, JSON.stringify(batch)],
    );
  }
}

import type { Pool, PoolClient } from 'pg';
import type { ZodError } from 'zod';
import type { RawRecord } from '../connectors/connector.js';
import { stagingTable } from './staging.js';

/** A quarantine reason: a stable code plus a message naming the column and the value. */
export function reasonFromZod(error: ZodError): { code: string; reason: string } {
  const issue = error.issues[0];
  if (!issue) return { code: 'ROW_INVALID', reason: 'invalid record' };
  const column = issue.path.join('.') || 'record';
  // a schema may name its own stable code: refine(…, { params: { reasonCode: 'ROW_BAD_LEIKA_KEY' } })
  const own = issue.code === 'custom' && typeof issue.params?.reasonCode === 'string' ? issue.params.reasonCode : undefined;
  const code =
    own ?? (issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'ROW_MISSING_VALUE' : 'ROW_INVALID_VALUE');
  return { code, reason: `${column}: ${issue.message}` };
}

/** Writes a run's rejected records to etl.quarantine with position, raw record and reason. */
export class QuarantineWriter {
  private buffer: { position: string; raw: unknown; code: string; reason: string }[] = [];
  count = 0;

  constructor(
    private readonly pool: Pool,
    private readonly runId: number,
    private readonly source: string,
  ) {}

  async add(record: RawRecord, code: string, reason: string): Promise<void> {
    this.count++;
    this.buffer.push({ position: record.position, raw: { entity: record.entity, ...record.data }, code, reason });
    if (this.buffer.length >= 500) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    await this.pool.query(
      `insert into etl.quarantine (run_id, source, position, raw, reason_code, reason)
       select $1, $2, r.position, r.raw, r.code, r.reason from jsonb_to_recordset($3::jsonb) as r(position text, raw jsonb, code text, reason text)`,
      [this.runId, this.source, JSON.stringify(batch)],
    );
  }
}

export interface StagedQuarantine {
  runId: number;
  entity: string;
  /** the typed staged relation of the entity (MergeContext.staged), aliased `r` */
  from: string;
  /** SQL condition over `r`: the records to move */
  where: string;
  code: string;
  /** SQL text expression over `r`: the reason, naming the column and the value */
  reason: string;
}

/**
 * For a merge: moves the staged records it cannot place (a reference to a row the database lacks)
 * from the run's staging table to etl.quarantine, inside the merge's transaction, and returns how many — to be
 * reported as MergeCounts.quarantined. What stays staged is what the merge loads.
 */
export async function quarantineStaged(tx: PoolClient, spec: StagedQuarantine): Promise<number> {
  const { rowCount } = await tx.query(
    `with bad as (select r._seq, (${spec.reason})::text as reason from ${spec.from} where ${spec.where}),
     moved as (
       delete from ${stagingTable(spec.runId)} s using bad
       where s.seq = bad._seq
       returning s.position, s.record, bad.reason)
     insert into etl.quarantine (run_id, source, position, raw, reason_code, reason)
     select $1, (select source from etl.run where id = $1), position, jsonb_build_object('entity', $2::text) || record, $3, reason
     from moved`,
    [spec.runId, spec.entity, spec.code],
  );
  return rowCount ?? 0;
}

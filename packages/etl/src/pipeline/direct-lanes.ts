import type { Pool, PoolClient } from 'pg';
import type { DirectContext, DirectLane, EntitySpec } from '../connectors/connector.js';
import { CopyWriter } from './copy-writer.js';
import { crashPoint } from './faults.js';

/**
 * The direct lanes of one run (see DirectLoad): the run's transaction, begun when the first record
 * of an entity with a lane arrives, and the COPY of that lane on it. A connection carries one COPY
 * at a time, so one entity per run has its lane open; records of other entities take the staged
 * way. The transaction is handed over to the merge, which commits it with everything else.
 */
export class DirectLanes {
  private tx: PoolClient | undefined;
  private entity: string | undefined;
  private lane: DirectLane | undefined;
  private writer: CopyWriter | undefined;
  private opening: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly entities: Record<string, EntitySpec>,
    private readonly ctx: DirectContext,
  ) {}

  /**
   * Takes a valid record into its entity's lane: true when it was written (or a promise of it, when
   * the lane must open or PostgreSQL must catch up first), false when it takes the staged way.
   */
  take(entity: string, record: Record<string, unknown>, position: string, line: number | undefined): boolean | Promise<boolean> {
    if (this.entity === undefined) {
      if (!this.entities[entity]?.direct) return false;
      this.entity = entity;
      this.opening = this.open(entity);
    }
    if (entity !== this.entity) return false;
    if (this.opening) return this.opening.then(() => this.take(entity, record, position, line));
    const copyLine = (this.lane as DirectLane).line(record, position, line);
    if (copyLine === undefined) return false;
    const wait = (this.writer as CopyWriter).write(copyLine);
    return wait ? wait.then(() => (crashPoint('direct'), true)) : true;
  }

  private async open(entity: string): Promise<void> {
    const direct = this.entities[entity]?.direct;
    if (!direct) return;
    this.tx = await this.pool.connect();
    await this.tx.query('begin');
    this.lane = await direct.open(this.tx, this.ctx);
    this.writer = new CopyWriter(this.tx, this.lane.copy);
    this.opening = undefined;
  }

  /** Ends the COPY and closes the lane (in the transaction); the counts of its records. */
  async finish(): Promise<{ loaded: number; quarantined: number }> {
    if (!this.tx || !this.lane || !this.writer) return { loaded: 0, quarantined: 0 };
    await this.writer.finish();
    const counts = await this.lane.close(this.tx);
    this.ctx.log.info({ entity: this.entity, ...counts }, 'direct lane closed');
    return counts;
  }

  /** The run's transaction, if a lane began it: from now on the caller commits or rolls it back and releases it. */
  handOver(): PoolClient | undefined {
    const tx = this.tx;
    this.tx = undefined;
    return tx;
  }

  /** A failed run: the COPY is cut and the connection closed, so PostgreSQL rolls the transaction back. */
  abort(error: Error): void {
    this.writer?.abort(error);
    this.tx?.release(error);
    this.tx = undefined;
  }
}

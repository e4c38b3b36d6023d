import type { PoolClient } from 'pg';
import type { z } from 'zod';
import type { Logger } from '@hro/api';

/** One record as the source delivered it, with where it came from (file:line, page+index, feature id). */
export interface RawRecord {
  entity: string;
  position: string;
  data: Record<string, unknown>;
}

/** A record that passed its entity's schema: the parsed value beside the raw one. */
export interface ValidRecord<T = unknown> {
  entity: string;
  position: string;
  value: T;
}

export interface MergeCounts {
  loaded: number;
  unchanged: number;
  deleted: number;
}

export interface ExtractContext {
  log: Logger;
  /** Directory against which relative paths of a source's configuration resolve. */
  baseDir: string;
  signal?: AbortSignal;
}

export interface MergeContext {
  runId: number;
  log: Logger;
}

/**
 * A connector kind: a streaming extract, a zod schema per entity, and a merge into `core` that
 * runs inside the run's single transaction. Connectors are listed once in connectors/index.ts.
 */
export interface Connector<Config = unknown> {
  kind: string;
  description: string;
  configSchema: z.ZodType<Config>;
  schemas: Record<string, z.ZodType>;
  extract(config: Config, ctx: ExtractContext): AsyncIterable<RawRecord>;
  merge(tx: PoolClient, records: ValidRecord[], ctx: MergeContext): Promise<MergeCounts>;
}

export function defineConnector<Config>(connector: Connector<Config>): Connector<Config> {
  return connector;
}

import type { PoolClient } from 'pg';
import type { z } from 'zod';
import type { Logger } from '@hro/api';

/** One record as the source delivered it, with where it came from (file:line, page+index, feature id). */
export interface RawRecord {
  entity: string;
  /** where the record came from: `file.csv:17`, `page 3 #12`, `feature stadtbereiche.A` */
  position: string;
  /** the line a record of a file starts on, when `position` is `<file>:<line>` of the one file the extract reads */
  line?: number;
  data: Record<string, unknown>;
  /**
   * set when the extract already knows the record cannot be loaded (a CSV row with the wrong
   * number of fields, a reference to a record the source does not contain): it goes to the
   * quarantine with this code and reason, without schema validation
   */
  reject?: { code: string; reason: string };
}

/** PostgreSQL types a staged column may have; the staged relation casts to them. */
export type PgType = 'text' | 'integer' | 'bigint' | 'smallint' | 'numeric' | 'boolean' | 'date' | 'timestamptz' | 'jsonb' | 'text[]';

/**
 * One kind of record a connector delivers. `schema` validates and normalises a raw record (its
 * output is what gets staged); `columns` names the output's fields and their SQL types, from
 * which the pipeline builds the typed relation that `merge` reads.
 */
export interface EntitySpec {
  schema: z.ZodType<Record<string, unknown>>;
  columns: Record<string, PgType>;
  /** fields the source is expected to deliver (raw keys); drives the schema-drift policy */
  expectedFields?: readonly string[];
  /**
   * natural key (output fields): of records sharing a key the last one wins, the earlier ones go
   * to the quarantine as ROW_DUPLICATE_KEY — so the merge never sees a key twice
   */
  key?: readonly string[];
  /** a fast lane for append-style fact tables (see DirectLoad) */
  direct?: DirectLoad;
}

/**
 * The direct lane of a large fact table (millions of monthly rows): a valid record whose key the
 * table does not hold yet — and that this run has not loaded yet — is written by `COPY` straight
 * into the table, inside the run's one transaction, while the file is still being read
 * (PostgreSQL inserts on one core while Node parses on the other). Every other record takes the
 * staged way (staging → merge) as usual, so the lane changes speed, never the result.
 */
export interface DirectLoad {
  /**
   * Called inside the run's transaction before the first record of the entity: takes the locks
   * that keep the lane's view of the table true until the commit and reads what routing needs.
   */
  open(tx: PoolClient, ctx: DirectContext): Promise<DirectLane>;
}

export interface DirectContext {
  runId: number;
  source: string;
  log: Logger;
}

export interface DirectLane {
  /** the `COPY … FROM STDIN` (text format) the lines go to */
  readonly copy: string;
  /**
   * The COPY line (ending in `\n`) of a valid, normalised record whose key is new to the table and
   * to this run; undefined sends the record the staged way.
   */
  line(record: Record<string, unknown>, position: string, sourceLine: number | undefined): string | undefined;
  /**
   * After the COPY ended, in the same transaction, before the merge: moves lines whose key a
   * later record repeated to the quarantine (of records sharing a key the last one wins, as in
   * staging). Returns how many lines stay loaded and how many went to the quarantine.
   */
  close(tx: PoolClient): Promise<{ loaded: number; quarantined: number }>;
}

export interface MergeCounts {
  loaded: number;
  unchanged: number;
  deleted: number;
  /**
   * staged records the merge could not place (e.g. a reference to a row the database lacks) and
   * moved to etl.quarantine itself (quarantineStaged in pipeline/quarantine.ts); they count as
   * quarantined: loaded + unchanged + quarantined = the valid records
   */
  quarantined?: number;
}

export interface ExtractContext {
  log: Logger;
  /** directory against which relative paths of a source's configuration resolve */
  baseDir: string;
  /** aborted when the run is cancelled; long extracts should pass it to fetch */
  signal: AbortSignal;
  /** the cursor committed by the last successful run (incremental sources), else null */
  cursor: string | null;
  /** incremental sources report how far they got; committed with the data in one transaction */
  advanceCursor(value: string): void;
  /** environment (credentials are configured by variable name, read from here) */
  env: Record<string, string | undefined>;
  /** bytes read so far, for progress display */
  addBytes(n: number): void;
}

export interface MergeContext {
  runId: number;
  log: Logger;
  /**
   * SQL relation of this run's valid staged rows of an entity, typed per EntitySpec.columns,
   * aliased `r`, with `_position`, `_seq` and `_ordinal` (1, 2, … in source order): use as
   * `from ${ctx.staged('project')}`.
   */
  staged(entity: string): string;
  /** number of valid staged rows of an entity */
  stagedCount(entity: string): Promise<number>;
}

/**
 * A connector kind: a streaming extract, a spec per entity, and a merge into `core` that runs
 * inside the run's single transaction, reading the staged rows in SQL (so a run never holds its
 * records in memory). Connectors are listed once in connectors/index.ts.
 */
export interface Connector<Config = unknown> {
  kind: string;
  description: string;
  configSchema: z.ZodType<Config>;
  entities: Record<string, EntitySpec>;
  /** the records in source order, one by one or in batches (fewer asynchronous steps for million-row files) */
  extract(config: Config, ctx: ExtractContext): AsyncIterable<RawRecord | readonly RawRecord[]>;
  merge(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts>;
}

/** The records of one step of an extract: a batch as it is, a single record as a batch of one. */
export function recordsOf(item: RawRecord | readonly RawRecord[]): readonly RawRecord[] {
  return Array.isArray(item) ? (item as readonly RawRecord[]) : [item as RawRecord];
}

export function defineConnector<Config>(connector: Connector<Config>): Connector<Config> {
  return connector;
}

export function addCounts(a: MergeCounts, b: MergeCounts): MergeCounts {
  const sum = { loaded: a.loaded + b.loaded, unchanged: a.unchanged + b.unchanged, deleted: a.deleted + b.deleted };
  const quarantined = (a.quarantined ?? 0) + (b.quarantined ?? 0);
  return quarantined > 0 ? { ...sum, quarantined } : sum;
}

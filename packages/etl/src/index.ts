export { runSource, type RunSummary, type RunOptions } from './pipeline/run-source.js';
export { loadSources, defaultSourcesFile, type SourceDefinition } from './sources/sources.js';
export { connectors, type ConnectorKind } from './connectors/index.js';
export { loadSampleSources } from './sources/sample-load.js';
export type { Connector, RawRecord, EntitySpec, MergeCounts, ExtractContext, MergeContext, PgType } from './connectors/connector.js';
export { recordsOf } from './connectors/connector.js';
export { upsert, type UpsertSpec } from './pipeline/upsert.js';
export { startEtlWorker, RUN_SOURCE_TASK, type EtlWorker } from './schedule/worker.js';

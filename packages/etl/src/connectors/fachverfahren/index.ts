import type { PoolClient } from 'pg';
import { addCounts, defineConnector, type MergeContext, type MergeCounts } from '../connector.js';
import { fachverfahrenConfig, type FachverfahrenConfig } from './config.js';
import { extractFeed } from './extract.js';
import { interfaceEntity, mergeInterfaces } from './interfaces.js';
import { mergeMetrics, metricEntity } from './metrics.js';
import { mergeProcedures, procedureEntity } from './procedures.js';

const entities = {
  procedure: procedureEntity,
  interface: interfaceEntity,
  metric: metricEntity,
};

/**
 * The specialist procedures' exports (Fachverfahren): the procedure inventory, the interfaces
 * between procedures, and the monthly case numbers per service — three CSV exports, one source
 * each (`feed`), read by the shared CSV reader (encoding, delimiter, German numbers and dates).
 */
export const fachverfahrenConnector = defineConnector<FachverfahrenConfig>({
  kind: 'fachverfahren',
  description: 'Fachverfahren exports (CSV): procedure inventory, interfaces between procedures, monthly case numbers per service',
  configSchema: fachverfahrenConfig,
  entities,
  extract: extractFeed,
  // A run stages one feed's entity; the merge does what that entity needs. An export whose rows
  // were all quarantined stages nothing and so changes (and deletes) nothing.
  async merge(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
    let counts: MergeCounts = { loaded: 0, unchanged: 0, deleted: 0 };
    if ((await ctx.stagedCount('procedure')) > 0) counts = addCounts(counts, await mergeProcedures(tx, ctx));
    if ((await ctx.stagedCount('interface')) > 0) counts = addCounts(counts, await mergeInterfaces(tx, ctx));
    if ((await ctx.stagedCount('metric')) > 0) counts = addCounts(counts, await mergeMetrics(tx, ctx));
    return counts;
  },
});

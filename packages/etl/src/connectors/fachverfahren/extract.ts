import { resolve } from 'node:path';
import type { ExtractContext, RawRecord } from '../connector.js';
import { valueFormatPrototype } from '../csv/format.js';
import { readCsvBatches } from '../csv/read-csv.js';
import type { FachverfahrenConfig, Feed } from './config.js';

/** The entity each export's rows become. */
export const feedEntity: Record<Feed, 'procedure' | 'interface' | 'metric'> = {
  inventar: 'procedure',
  schnittstellen: 'interface',
  fallzahlen: 'metric',
};

/**
 * Streams one export's rows as raw records positioned `file:line`, each marked with the export's
 * number and date format for the entity schema. A row whose field count does not fit the header
 * is rejected here (ROW_FIELD_COUNT) — its cells cannot be trusted to sit in their columns.
 */
export async function* extractFeed(config: FachverfahrenConfig, ctx: ExtractContext): AsyncIterable<RawRecord[]> {
  const entity = feedEntity[config.feed];
  const format = { decimal: config.decimal, dateFormat: config.dateFormat };
  const batches = readCsvBatches(resolve(ctx.baseDir, config.path), {
    encoding: config.encoding,
    delimiter: config.delimiter,
    skipLines: config.skipLines,
    rowPrototype: valueFormatPrototype(format),
    ...(config.commentPrefix ? { commentPrefix: config.commentPrefix } : {}),
    signal: ctx.signal,
    onBytes: (n) => ctx.addBytes(n),
    onHeader: (h) => ctx.log.info({ file: h.file, encoding: h.encoding, delimiter: h.delimiter, headerLine: h.line }, 'reading export'),
  });
  for await (const rows of batches) {
    yield rows.map((row) => {
      const record: RawRecord = { entity, position: row.position, line: row.line, data: row.data };
      if (row.problem) record.reject = { code: 'ROW_FIELD_COUNT', reason: `row: ${row.problem}` };
      return record;
    });
  }
}

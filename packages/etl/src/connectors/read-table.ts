import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { LineCounter, parseDocument, isSeq, isMap } from 'yaml';
import type { RawRecord } from './connector.js';

/** Streams a UTF-8 CSV file with a header row as records positioned `file:line`. */
export async function* readCsvRecords(path: string, entity: string): AsyncIterable<RawRecord> {
  const file = basename(path);
  const parser = parseCsv({ columns: true, bom: true, skip_empty_lines: true, info: true, trim: false });
  const text = await readFile(path, 'utf8');
  parser.end(text);
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { entity, position: `${file}:${item.info.lines}`, data: item.record };
  }
}

/** Reads a YAML file holding a list of mappings; each item becomes a record positioned `file:line`. */
export async function* readYamlListRecords(path: string, entity: string): AsyncIterable<RawRecord> {
  const file = basename(path);
  const lineCounter = new LineCounter();
  const doc = parseDocument(await readFile(path, 'utf8'), { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
  if (!isSeq(doc.contents)) throw new Error(`${file}: expected a list of entries at the top level`);
  for (const item of doc.contents.items) {
    const line = isMap(item) && item.range ? lineCounter.linePos(item.range[0]).line : 0;
    const data = isMap(item) ? (item.toJSON() as Record<string, unknown>) : { value: (item as { toJSON?: () => unknown }).toJSON?.() };
    yield { entity, position: `${file}:${line}`, data };
  }
}

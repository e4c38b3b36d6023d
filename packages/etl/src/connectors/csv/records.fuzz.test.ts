// The quote-free split of csvRecordBatches against csv-parse: for any text — with or without
// quotes, with blank and comment lines and every mixture of line breaks — cut into chunks anywhere
// (a CRLF split between two chunks, a chunk ending mid-line), csvRecordBatches yields exactly the
// records and lines csv-parse yields for the whole text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../testing/fuzz.js';
import { csvParseRecords, csvRecordBatches, type CsvRecord, type RecordOptions } from './records.js';

const runs = fuzzRuns(300);

async function collect(records: AsyncIterable<CsvRecord>): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

/** The records of the batches, each batch read to its end before the next is asked for. */
async function* csvRecords(text: AsyncIterable<string>, options: RecordOptions): AsyncGenerator<CsvRecord> {
  for await (const batch of csvRecordBatches(text, options)) yield* batch;
}

async function* chunked(text: string, cuts: number[]): AsyncGenerator<string> {
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    yield text.slice(at, cut);
    at = cut;
  }
  yield text.slice(at);
}

const lineBreak = fc.constantFrom('\n', '\r\n', '\r');
const plainCell = fc.array(fc.constantFrom(...'ab ä1,.;\t#x'.split('')), { maxLength: 6 }).map((cs) => cs.join(''));
const line = fc.oneof(
  { weight: 6, arbitrary: fc.array(plainCell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(';')) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: plainCell.map((c) => `#${c}`) },
  // now and then a quoted cell, with a line break inside: from there csv-parse reads
  { weight: 1, arbitrary: fc.tuple(plainCell, lineBreak).map(([c, eol]) => `"${c}${eol}${c}";x`) },
);
const text = fc
  .array(fc.tuple(line, lineBreak), { maxLength: 25 })
  .chain((lines) => fc.tuple(fc.constant(lines.map(([l, eol]) => l + eol).join('')), fc.boolean()))
  .map(([t, cutLast]) => (cutLast ? t.replace(/(\r\n|\n|\r)$/, '') : t));

describe('csvRecordBatches (property-based)', () => {
  it('yields what csv-parse yields for the whole text, however the text is cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), async (t, cuts, comments) => {
        const options = { delimiter: ';' as const, ...(comments ? { commentPrefix: '#' } : {}) };
        const expected = await collect(csvParseRecords(t, options));
        expect(await collect(csvRecords(chunked(t, cuts), options))).toEqual(expected);
      }),
      { numRuns: runs },
    );
  });

  it('reads quote-free text itself: the records and lines of a known text', async () => {
    const t = 'A;B\r\n\r\n# Kommentar\r1;2\n3;4;5\r\n';
    const records = await collect(csvRecords(chunked(t, [4, 5, 12]), { delimiter: ';', commentPrefix: '#' }));
    expect(records).toEqual([
      { cells: ['A', 'B'], line: 1 },
      { cells: ['1', '2'], line: 4 },
      { cells: ['3', '4', '5'], line: 5 },
    ]);
  });
});

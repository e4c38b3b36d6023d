// Property-based tests of the CSV reader: whatever a table holds, written as an Amt's export would
// write it, reads back cell for cell and line for line; whatever bytes a file holds, the reader
// yields positioned rows or fails with an Error naming the file — never anything else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../testing/fuzz.js';
import { readCsv, type CsvRow } from './read-csv.js';
import type { Delimiter } from './dialect.js';

const tmp = mkdtempSync(join(tmpdir(), 'hro-csv-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let files = 0;
const runs = fuzzRuns(150);
process.stdout.write(`CSV fuzz: ${runs} cases per property (HRO_FUZZ_RUNS)\n`);

async function readAll(path: string, options: Parameters<typeof readCsv>[1]): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsv(path, options)) rows.push(row);
  return rows;
}

// Cells as exports hold them: German words, numbers with decimal commas, dates, and the
// characters that need quoting (delimiters, quotes, line breaks of all three kinds).
const cellChars = fc.constantFrom(...'abcäöüßÄÖÜ xyz019,.;\t-/"€'.split(''), '\n', '\r\n', '\r');
const cellText = fc.array(cellChars, { maxLength: 12 }).map((cs) => cs.join(''));
const columnName = fc.stringMatching(/^[A-Za-zÄÖÜäöü][A-Za-zÄÖÜäöü0-9 ]{0,10}[A-Za-z0-9]$/);

const table = fc.uniqueArray(columnName, { minLength: 1, maxLength: 6, selector: (s) => s.trim() }).chain((header) =>
  fc.record({
    header: fc.constant(header),
    // readCsv skips rows whose cells are all blank, so every generated row holds some text
    rows: fc.array(
      fc.array(cellText, { minLength: header.length, maxLength: header.length }).filter((r) => r.some((c) => c.trim() !== '')),
      { minLength: 1, maxLength: 15 },
    ),
    delimiter: fc.constantFrom<Delimiter>(';', ',', '\t'),
    eol: fc.constantFrom('\r\n', '\n'),
    encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'windows-1252'),
  }),
);

/** Quotes a cell when it must be quoted (or sometimes when it needn't, as some tools do). */
function field(value: string, delimiter: string, always: boolean): string {
  const needs = value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim();
  return needs || always ? `"${value.replace(/"/g, '""')}"` : value;
}

const lineBreaks = (text: string) => (text.match(/\r\n|\r|\n/g) ?? []).length;

describe('readCsv (property-based)', () => {
  it('reads back every cell and the line each record starts on, in every dialect and encoding', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.boolean(), async ({ header, rows, delimiter, eol, encoding }, quoteAll) => {
        const records = [header, ...rows].map((r) => r.map((c) => field(c, delimiter, quoteAll)).join(delimiter));
        const text = records.join(eol) + eol;
        const path = join(tmp, `t${files++}.csv`);
        const bytes = encoding === 'windows-1252' ? iconv.encode(text, 'windows-1252') : Buffer.from(text, 'utf8');
        writeFileSync(path, encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes);

        const read = await readAll(path, { delimiter, encoding: encoding === 'windows-1252' ? 'windows-1252' : 'utf-8' });
        let line = 1 + lineBreaks(records[0] ?? '') + 1;
        const expected = rows.map((r, i) => {
          const at = line;
          line += lineBreaks(records[i + 1] ?? '') + 1;
          return { line: at, data: Object.fromEntries(header.map((h, j) => [h, r[j]])) };
        });
        expect(read.map((r) => ({ line: r.line, data: r.data }))).toEqual(expected);
        expect(read.every((r) => r.problem === undefined && r.position === `t${files - 1}.csv:${r.line}`)).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it('on arbitrary bytes yields positioned rows or fails with an Error naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const name = `g${files++}.csv`;
        const path = join(tmp, name);
        writeFileSync(path, bytes);
        try {
          let last = 0;
          for await (const row of readCsv(path, {})) {
            expect(row.position).toBe(`${name}:${row.line}`);
            expect(row.line).toBeGreaterThan(last);
            last = row.line;
          }
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message.startsWith(name)).toBe(true);
        }
      }),
      { numRuns: runs },
    );
  });

  it('a row with too few or too many fields is flagged with its line, never dropped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 20 }), async (widths) => {
        const header = ['A', 'B', 'C'];
        const lines = [header.join(';'), ...widths.map((w, i) => Array.from({ length: w }, (_, j) => `r${i}c${j}`).join(';'))];
        const path = join(tmp, `w${files++}.csv`);
        writeFileSync(path, `${lines.join('\n')}\n`);
        const read = await readAll(path, { delimiter: ';', encoding: 'utf-8' });
        expect(read.map((r) => r.line)).toEqual(widths.map((_, i) => i + 2));
        expect(read.map((r) => r.problem !== undefined)).toEqual(widths.map((w) => w !== 3));
      }),
      { numRuns: runs },
    );
  });
});

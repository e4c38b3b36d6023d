import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream';
import { CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { CheckedDecoder, chooseEncoding, guessEncoding, sniffBytes, type CsvEncoding, type EncodingChoice } from './encoding.js';
import { rejectNonCsv, sniffDelimiter, type Delimiter } from './dialect.js';
import { csvRecordBatches } from './records.js';

export interface CsvReadOptions {
  /** `auto` (default): BOM → UTF-8, else chardet on the first 64 KB */
  encoding?: CsvEncoding | 'auto';
  /** `auto` (default): sniffed from the first records */
  delimiter?: Delimiter | 'auto';
  /** rows to skip before the header row, after comment lines (e.g. a "Spalten-Nr." row) */
  skipLines?: number;
  /** lines starting with this character are comments, wherever they occur */
  commentPrefix?: string;
  /** a header without data rows is fine (default: it fails — a full refresh would delete everything) */
  allowEmpty?: boolean;
  /** the prototype of each row's `data` (e.g. one that tells the entity schema the export's number format) */
  rowPrototype?: object;
  /** called with the number of bytes read, as they are read */
  onBytes?: (n: number) => void;
  /** told what the file turned out to be, once the header is read */
  onHeader?: (header: CsvHeader) => void;
  signal?: AbortSignal;
}

export interface CsvHeader {
  file: string;
  /** column names as keys of CsvRow.data (trimmed; a repeated name gets " (2)") */
  columns: (string | null)[];
  line: number;
  encoding: EncodingChoice;
  delimiter: Delimiter;
}

export interface CsvRow {
  /** the line the record starts on (1-based, comment and blank lines counted) */
  line: number;
  /** `file.csv:17` */
  position: string;
  /** cell text by column name; a cell under an unnamed column only when it holds text (key `Spalte <n>`) */
  data: Record<string, string>;
  /** set when the row has fewer fields than the header names, or text beyond the last column */
  problem?: string;
}

/** Column names from a header row: trimmed, empty ones unnamed (null), repeated ones numbered. */
function columnNames(cells: string[]): (string | null)[] {
  const seen = new Map<string, number>();
  return cells.map((cell) => {
    const name = cell.trim();
    if (name === '') return null;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

async function readHead(path: string, file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${file}: cannot open the export (${code === 'ENOENT' ? `no such file: ${path}` : String(code)})`, { cause: e });
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new Error(`${file}: the export is empty (0 bytes)`);
    const head = Buffer.alloc(Math.min(size, sniffBytes));
    await handle.read(head, 0, head.length, 0);
    return head;
  } finally {
    await handle.close();
  }
}

function describeParseError(e: unknown, file: string): Error {
  if (!(e instanceof CsvError)) return e instanceof Error ? e : new Error(String(e));
  const hint = e.code === 'CSV_QUOTE_NOT_CLOSED' ? ' — the file is probably cut off (truncated export)' : '';
  return new Error(`${file}: ${e.message}${hint}`, { cause: e });
}

/**
 * Streams a CSV export as rows keyed by the header's column names, each positioned `file:line`.
 * Handles what real exports do: UTF-8 with or without BOM, Windows-1252, ISO-8859-1 (detected or
 * configured; decoded by iconv-lite, never silently into U+FFFD), `;` `,` or tab (sniffed or
 * configured), CRLF, LF, CR and mixtures, quoted line breaks, a `#` preamble, extra rows before
 * the header, blank rows and trailing delimiters. Throws, naming the file, when the export as a
 * whole is unusable: empty, an HTML page, cut off inside a quote, wrongly encoded, no data rows.
 * Rows whose field count does not fit the header are yielded with `problem` set, for the caller
 * to quarantine.
 */
export async function* readCsv(path: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRow, void, undefined> {
  for await (const rows of readCsvBatches(path, options)) yield* rows;
}

/**
 * readCsv's rows in batches (one per chunk of the file read): a million-row export then takes a
 * few hundred asynchronous steps instead of a million.
 */
export async function* readCsvBatches(path: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRow[], void, undefined> {
  const file = basename(path);
  const head = await readHead(path, file);
  const encoding = chooseEncoding(head, options.encoding ?? 'auto', file);
  // The sample may end inside a line (or a character); that is fine for sniffing.
  const headText = iconv.decode(head, encoding.encoding);
  rejectNonCsv(headText, file);
  const delimiter = options.delimiter && options.delimiter !== 'auto' ? options.delimiter : sniffDelimiter(headText, options.commentPrefix);

  const decoded = new CheckedDecoder(encoding.encoding, file, guessEncoding(head), options.onBytes);
  // errors reach the consumer through the decoder's iterator; an early stop is no error
  pipeline(createReadStream(path, { highWaterMark: 256 * 1024, ...(options.signal ? { signal: options.signal } : {}) }), decoded, () => {});

  const skip = options.skipLines ?? 0;
  const rowPrototype = options.rowPrototype;
  let columns: (string | null)[] | undefined;
  let needed = 0;
  let records = 0;
  let dataRows = 0;
  const batches = csvRecordBatches(decoded, { delimiter, ...(options.commentPrefix ? { commentPrefix: options.commentPrefix } : {}) });
  try {
    for await (const batch of batches) {
      const rows: CsvRow[] = [];
      for (const { cells: record, line } of batch) {
        if (records++ < skip) continue;
        if (!columns) {
          columns = columnNames(record);
          needed = columns.reduce((n, name, i) => (name === null ? n : i + 1), 0);
          if (needed === 0) throw new Error(`${file}:${line}: the header row has no column names`);
          options.onHeader?.({ file, columns, line, encoding, delimiter });
          continue;
        }
        if (!record.some((cell) => cell.length > 0 && cell.trim() !== '')) continue;
        const data = (rowPrototype ? Object.create(rowPrototype) : {}) as Record<string, string>;
        let extra = false;
        for (let i = 0; i < record.length; i++) {
          const value = record[i] as string;
          const name = columns[i];
          if (name) data[name] = value;
          else if (value.trim() !== '') {
            data[`Spalte ${i + 1}`] = value;
            if (i >= columns.length) extra = true;
          }
        }
        dataRows++;
        const row: CsvRow = { line, position: `${file}:${line}`, data };
        if (record.length < needed || extra) row.problem = `${record.length} fields where the header has ${needed}`;
        rows.push(row);
      }
      if (rows.length > 0) yield rows;
    }
  } catch (e) {
    throw describeParseError(e, file);
  } finally {
    // stops reading when the consumer ends early or failed
    decoded.destroy();
  }
  if (!columns) throw new Error(`${file}: no header row${skip > 0 ? ` after skipping ${skip} rows` : ''}`);
  if (dataRows === 0 && !options.allowEmpty) throw new Error(`${file}: a header but no data rows`);
}

// The records of a decoded CSV text stream, each with the line it starts on.
//
// csv-parse reads every export that quotes anything. Text without a single quote character is
// split here, line by line and at the delimiter: without quotes there is nothing else in CSV (no
// escapes, no quoted delimiters or line breaks), so both ways yield the same records — records.fuzz.test.ts
// compares them — and the split is ≈ 4× faster than csv-parse on the exports that
// matter for speed: the million-row statistics exports of numbers and keys, which quote nothing.
// At the first quote the rest of the file, from the start of the line that holds it, goes to
// csv-parse.
import { Readable, pipeline } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import type { Delimiter } from './dialect.js';

export interface CsvRecord {
  cells: string[];
  /** the line the record starts on (1-based, comment and blank lines counted) */
  line: number;
}

export interface RecordOptions {
  delimiter: Delimiter;
  /** lines starting with this character are comments */
  commentPrefix?: string;
}

/**
 * Where the complete lines of `text` end: after its last line break — a CR at the very end is held
 * back, it may be the first half of a CRLF split between two chunks.
 */
function completeLinesEnd(text: string): number {
  const end = text.endsWith('\r') ? text.length - 1 : text.length;
  if (end === 0) return 0;
  return Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1)) + 1;
}

/**
 * The records of quote-free text, made one by one as they are taken: a chunk's records made at
 * once would outlive the young generation while they wait and be copied into the old one.
 */
function* plainRecords(text: string, lineBefore: number, options: RecordOptions): Generator<CsvRecord, number, undefined> {
  const { delimiter, commentPrefix } = options;
  let line = lineBefore;
  let start = 0;
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (start < text.length) {
    if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
    if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
    const end = lf < 0 ? (cr < 0 ? text.length : cr) : cr < 0 ? lf : Math.min(lf, cr);
    const content = text.slice(start, end);
    start = end + (end === cr && lf === cr + 1 ? 2 : 1);
    line++;
    if (content.length === 0 || (commentPrefix !== undefined && content.startsWith(commentPrefix))) continue;
    yield { cells: content.split(delimiter), line };
  }
  return line;
}

/**
 * Streams the records of a decoded text (chunks of a file, in order), a batch per chunk:
 * quote-free text split here, everything from the first quote on by csv-parse. Blank lines and
 * comment lines yield nothing but are counted. Errors of the text stream (a decoding error) and
 * of csv-parse propagate. Each batch is to be read to its end before the next is asked for (the
 * next one counts its lines on from there).
 */
export async function* csvRecordBatches(
  text: AsyncIterable<string>,
  options: RecordOptions,
): AsyncGenerator<Iterable<CsvRecord>, void, undefined> {
  const chunks = text[Symbol.asyncIterator]();
  let carry = '';
  let line = 0;
  let first = true;
  for (;;) {
    const next = await chunks.next();
    let chunk = next.done ? '' : next.value;
    if (first && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    const pending = carry + chunk;
    if (pending.includes('"')) {
      for await (const record of quoted(pending, chunks, line, options)) yield [record];
      return;
    }
    const end = next.done ? pending.length : completeLinesEnd(pending);
    carry = pending.slice(end);
    const batch = plainRecords(pending.slice(0, end), line, options);
    yield {
      *[Symbol.iterator]() {
        line = yield* batch;
      },
    };
    if (next.done) return;
  }
}

/** csv-parse alone over a whole text (the reference the quote-free split is tested against). */
export function csvParseRecords(text: string, options: RecordOptions): AsyncGenerator<CsvRecord, void, undefined> {
  return quoted(text, [][Symbol.iterator](), 0, options);
}

/**
 * csv-parse over `start` (which begins at the start of a line) and the rest of the chunks, its
 * lines counted on from `linesBefore`.
 */
async function* quoted(
  start: string,
  rest: AsyncIterator<string> | Iterator<string>,
  linesBefore: number,
  options: RecordOptions,
): AsyncGenerator<CsvRecord, void, undefined> {
  const parser = parse({
    delimiter: options.delimiter,
    quote: '"',
    escape: '"',
    record_delimiter: ['\r\n', '\n', '\r'],
    ...(options.commentPrefix ? { comment: options.commentPrefix, comment_no_infix: true } : {}),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  async function* text(): AsyncGenerator<string> {
    yield start;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  }
  // errors reach the consumer through the parser's iterator; an early stop is no error
  pipeline(Readable.from(text()), parser, () => {});
  let lastLine = linesBefore;
  let overcounted = 0;
  let comments = 0;
  let blanks = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      // csv-parse reports the line a record ends on; it starts after the previous record and
      // the comment and blank lines skipped since. Inside quotes csv-parse counts a CRLF as two
      // lines; that is corrected here.
      const line = lastLine + 1 + (info.comment_lines - comments) + (info.empty_lines - blanks);
      for (const value of record) if (value.includes('\r\n')) overcounted += value.split('\r\n').length - 1;
      lastLine = linesBefore + info.lines - overcounted;
      comments = info.comment_lines;
      blanks = info.empty_lines;
      yield { cells: record, line };
    }
  } finally {
    // stops reading when the consumer ends early or failed
    parser.destroy();
  }
}

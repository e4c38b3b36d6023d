import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import type { RawRecord } from '../connector.js';

/** A source file that cannot be read as a whole (missing, empty, not UTF-8, truncated, not the expected export). */
export class SourceFileError extends Error {
  readonly code = 'ETL_SOURCE_FILE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceFileError';
  }
}

export interface CsvFileOptions {
  /** the entity every row of the file becomes */
  entity: string;
  /** columns without which no row can be loaded (the natural key): a header lacking one is not this export */
  requiredColumns: readonly string[];
  /** a header without rows is valid (else it fails the run: an empty catalog would delete everything) */
  allowEmpty?: boolean;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
}

const LF = 0x0a;

/**
 * Passes the bytes through unchanged while checking them: valid UTF-8 (a Windows-1252 export
 * must fail loudly, not turn umlauts into U+FFFD), a line break after the last record (else the
 * file was cut off), and the offset of every line feed, from which the reader numbers records by
 * their first line — csv-parse's own line count drifts after a CRLF inside a quoted field.
 */
class ByteCheck extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private offset = 0;
  private lastByte = -1;
  /** offsets of line feeds the reader has not yet passed (bounded by the stream buffers) */
  readonly lineFeeds: number[] = [];

  constructor(
    private readonly file: string,
    private readonly onBytes: (n: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      callback(new SourceFileError(`${this.file}: not valid UTF-8 (near byte ${this.offset}); the catalog files are UTF-8`));
      return;
    }
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) this.lineFeeds.push(this.offset + i);
    this.offset += chunk.length;
    this.lastByte = chunk[chunk.length - 1] ?? this.lastByte;
    this.onBytes(chunk.length);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      callback(new SourceFileError(`${this.file}: ends inside a UTF-8 character; the file looks truncated`));
      return;
    }
    if (this.lastByte !== LF) {
      callback(new SourceFileError(`${this.file}: no line break after the last record; the file looks truncated`));
      return;
    }
    callback();
  }
}

/** Numbers records by line from the byte offsets csv-parse reports, forgetting passed line feeds. */
class LineCounter {
  private passed = 0;
  private head = 0;

  constructor(private readonly lineFeeds: number[]) {}

  /** 1-based line of the byte at `offset` */
  lineAt(offset: number): number {
    const feeds = this.lineFeeds;
    while (this.head < feeds.length && (feeds[this.head] ?? Infinity) < offset) {
      this.head++;
      this.passed++;
    }
    if (this.head > 4096) {
      feeds.splice(0, this.head);
      this.head = 0;
    }
    return this.passed + 1;
  }
}

/**
 * Streams a UTF-8 CSV file (RFC 4180, header row) as raw records positioned `file:line`, where
 * line is the record's first line. A row whose field count differs from the header's is passed
 * on as rejected (ROW_FIELD_COUNT) with what it holds. A file that cannot be this export — none,
 * empty, not UTF-8, cut off, a header without the key columns (an HTML error page), an unclosed
 * quote — throws a SourceFileError.
 */
export async function* readCsvFile(path: string, options: CsvFileOptions): AsyncIterable<RawRecord> {
  const file = basename(path);
  const size = await stat(path).then(
    (s) => s.size,
    (e: NodeJS.ErrnoException) => {
      throw new SourceFileError(`${file}: cannot read ${path} (${e.code ?? e.message})`, { cause: e });
    },
  );
  if (size === 0) throw new SourceFileError(`${file}: the file is empty (0 bytes)`);

  const input = createReadStream(path, { signal: options.signal });
  const check = new ByteCheck(file, options.onBytes ?? (() => {}));
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true });
  // Errors of any stage destroy the others; the loop below then throws the first one.
  pipeline(input, check, parser, () => {});
  const lines = new LineCounter(check.lineFeeds);

  let header: string[] | undefined;
  let start = 0;
  let rows = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      const line = lines.lineAt(start);
      start = item.info.bytes;
      const fields = item.record;
      if (!header) {
        header = checkHeader(file, fields, options.requiredColumns);
        continue;
      }
      if (fields.length === 1 && fields[0] === '') continue; // an empty line
      rows++;
      const data: Record<string, unknown> = {};
      header.forEach((column, i) => {
        if (i < fields.length) data[column] = fields[i];
      });
      const record: RawRecord = { entity: options.entity, position: `${file}:${line}`, data };
      if (fields.length !== header.length) {
        if (fields.length > header.length) data._extra_fields = fields.slice(header.length);
        record.reject = { code: 'ROW_FIELD_COUNT', reason: `row has ${fields.length} fields, the header ${header.length}` };
      }
      yield record;
    }
  } catch (e) {
    if (e instanceof SourceFileError) throw e;
    const err = e as Error & { code?: string };
    throw new SourceFileError(`${file}: ${err.message}`, { cause: e });
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (!header) throw new SourceFileError(`${file}: no header row`);
  if (rows === 0 && !options.allowEmpty) throw new SourceFileError(`${file}: a header but no rows; an empty catalog file is not loaded`);
}

function checkHeader(file: string, header: string[], required: readonly string[]): string[] {
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    const found = header.join(',').slice(0, 120);
    throw new SourceFileError(`${file}: the header lacks ${missing.join(', ')}; this is not the expected export (header: "${found}")`);
  }
  const twice = header.filter((c, i) => header.indexOf(c) !== i);
  if (twice.length > 0) throw new SourceFileError(`${file}: column ${twice.join(', ')} appears twice in the header`);
  return header;
}

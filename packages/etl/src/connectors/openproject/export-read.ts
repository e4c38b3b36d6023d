// Streaming readers of OpenProject's work-package export: CSV (csv-parse, with the encoding and
// delimiter of the exporting instance) and XLSX (exceljs' streaming WorkbookReader). Both yield
// one record per row, keyed by the file's own headers, positioned `file.csv:17` or
// `file.xlsx:Sheet!17`. A file that is not such an export fails the run.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { ExtractContext, RawRecord } from '../connector.js';
import type { OpenProjectExportConfig } from './config.js';
import { missingColumns } from './export-entities.js';

/** A whole export file that cannot be read as one (the run fails with this message). */
export class ExportFileError extends Error {
  readonly code = 'OP_EXPORT_FILE';
}

async function head(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const looksLikeHtml = (start: Buffer) =>
  /^\s*<(!doctype html|html|head|body)/i.test(start.toString('latin1', 0, 200).replace(/^\uFEFF/, ''));

/** UTF-8 (BOM or valid UTF-8 bytes), else Windows-1252 — what German OpenProject exports come in. */
export function detectEncoding(start: Buffer): 'utf-8' | 'windows-1252' {
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) return 'utf-8';
  try {
    // stream: true — a character cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** The delimiter the header line uses most: `;` (German exports), `,` or tab. */
export function detectDelimiter(firstLine: string): ';' | ',' | '\t' {
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates: (';' | ',' | '\t')[] = [';', ',', '\t'];
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ';');
}

function checkHeader(file: string, headers: string[]): string[] {
  const missing = missingColumns(headers);
  if (missing.length > 0) {
    throw new ExportFileError(
      `${file}: not an OpenProject work-package export — column(s) ${missing.join(', ')} missing (found: ${headers.join(', ') || 'no header'})`,
    );
  }
  return headers.map((h) => h.trim());
}

async function* readCsv(path: string, config: OpenProjectExportConfig, ctx: ExtractContext): AsyncIterable<RawRecord> {
  const file = basename(path);
  const start = await head(path, 64 * 1024);
  if (looksLikeHtml(start))
    throw new ExportFileError(`${file}: an HTML page, not a CSV export (a login or error page saved instead of the export?)`);
  const encoding = config.encoding === 'auto' ? detectEncoding(start) : config.encoding;
  const firstLine =
    iconv
      .decode(start, encoding)
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/, 1)[0] ?? '';
  const delimiter = config.delimiter === 'auto' ? detectDelimiter(firstLine) : config.delimiter;

  const input = createReadStream(path);
  input.on('data', (chunk: Buffer | string) => ctx.addBytes(Buffer.byteLength(chunk)));
  const parser = parseCsv({
    delimiter,
    bom: true,
    info: true,
    columns: (header: string[]) => checkHeader(file, header),
    relax_column_count: true,
    skip_empty_lines: true,
  });
  // Errors of any stage (unreadable file, broken quoting, a bad header) end the iteration below.
  if (encoding === 'utf-8') pipeline(input, parser, () => {});
  else pipeline(input, iconv.decodeStream(encoding), parser, () => {});
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { entity: 'work_package', position: `${file}:${item.info.lines}`, data: item.record };
    }
  } catch (e) {
    if (e instanceof ExportFileError) throw e;
    throw new ExportFileError(
      `${file}: not readable as CSV (${encoding}, delimiter ${JSON.stringify(delimiter)}): ${(e as Error).message}`,
    );
  }
}

/** A cell's value as the text a CSV export would hold (dates as ISO, rich text flattened). */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    // exceljs gives a spreadsheet's wall-clock time as a UTC Date
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

async function* readXlsx(path: string, config: OpenProjectExportConfig, ctx: ExtractContext): AsyncIterable<RawRecord> {
  const file = basename(path);
  const start = await head(path, 512);
  if (looksLikeHtml(start))
    throw new ExportFileError(`${file}: an HTML page, not an XLSX export (a login or error page saved instead of the export?)`);
  if (start.toString('latin1', 0, 4) !== 'PK\u0003\u0004') {
    throw new ExportFileError(
      `${file}: not an XLSX workbook (no ZIP archive; the old .xls format is not supported — export as XLSX or CSV)`,
    );
  }
  // exceljs (≈ 10 MB with what it loads) only with the first XLSX export, not in every process —
  // loaded before the file is opened: a stream that flows while the import is awaited loses its
  // first chunks
  const { default: excel } = await import('exceljs');
  const input: Readable = createReadStream(path);
  input.on('data', (chunk: Buffer | string) => ctx.addBytes(Buffer.byteLength(chunk)));
  const reader = new excel.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // date cells come as Date only with their number formats
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let found = false;
  try {
    for await (const sheet of reader) {
      // set from xl/workbook.xml when the archive lists it before the sheets (as Excel and exceljs write it)
      const { name = `Sheet${String((sheet as unknown as { id?: number }).id ?? 1)}` } = sheet as unknown as { name?: string };
      if (config.sheet && name !== config.sheet) {
        for await (const row of sheet) void row; // the stream reader needs each sheet read through
        continue;
      }
      found = true;
      let header: string[] | null = null;
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (values.every((v) => v.trim() === '')) continue;
        if (!header) {
          header = checkHeader(file, values);
          continue;
        }
        const data: Record<string, string> = {};
        header.forEach((h, i) => {
          if (h !== '') data[h] = values[i] ?? '';
        });
        yield { entity: 'work_package', position: `${file}:${name}!${row.number}`, data };
      }
      if (!header) throw new ExportFileError(`${file}: worksheet ${name} is empty`);
      break;
    }
  } catch (e) {
    if (e instanceof ExportFileError) throw e;
    throw new ExportFileError(`${file}: not readable as an XLSX workbook: ${(e as Error).message}`);
  } finally {
    input.destroy();
  }
  if (!found) throw new ExportFileError(`${file}: ${config.sheet ? `no worksheet named ${config.sheet}` : 'no worksheet'}`);
}

/** The rows of one export file (.csv or .xlsx). */
export async function* readExportFile(path: string, config: OpenProjectExportConfig, ctx: ExtractContext): AsyncIterable<RawRecord> {
  const file = basename(path);
  const size = await stat(path).then(
    (s) => s.size,
    (e: NodeJS.ErrnoException) => {
      throw new ExportFileError(`${file}: cannot be read (${e.code ?? e.message})`);
    },
  );
  if (size === 0) throw new ExportFileError(`${file}: the file is empty (0 bytes)`);
  const type = extname(path).toLowerCase();
  let rows = 0;
  const records = type === '.csv' ? readCsv(path, config, ctx) : type === '.xlsx' ? readXlsx(path, config, ctx) : null;
  if (!records) throw new ExportFileError(`${file}: unsupported file type ${type || '(none)'} — OpenProject exports as .csv or .xlsx`);
  for await (const record of records) {
    rows++;
    yield record;
  }
  if (rows === 0) throw new ExportFileError(`${file}: the export has a header but no work packages`);
}

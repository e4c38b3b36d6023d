import { once } from 'node:events';
import type { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { ExportColumn } from '@hro/api/domain';
import { neutralise } from './formula.js';

/** The most characters an Excel cell holds; longer text makes Excel "repair" (cut) the file. */
export const XLSX_CELL_MAX = 32_767;

type Convert = (raw: string) => ExcelJS.CellValue;

function text(raw: string): string {
  return raw.length > XLSX_CELL_MAX ? `${raw.slice(0, XLSX_CELL_MAX - 1)}…` : raw;
}

/** Cell values of their own type: numbers stay numbers, dates become Excel dates, text is neutralised. */
function converter(column: ExportColumn): Convert {
  switch (column.kind) {
    case 'int':
    case 'numeric':
      return (raw) => {
        const n = Number(raw);
        return Number.isFinite(n) ? n : raw;
      };
    case 'bool':
      return (raw) => raw === 't';
    case 'date':
    case 'timestamp':
      return (raw) => {
        const date = new Date(column.kind === 'date' ? `${raw}T00:00:00Z` : raw.endsWith('Z') ? raw : `${raw}Z`);
        // Excel's calendar starts in 1900
        return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1900 ? raw : date;
      };
    case 'json':
      return (raw) => text(raw);
    default:
      return (raw) => text(neutralise(raw));
  }
}

/** Waits until the client has read what is buffered; fails when it went away meanwhile. */
async function drained(out: PassThrough): Promise<void> {
  if (!out.writableNeedDrain) return;
  const ac = new AbortController();
  try {
    await Promise.race([once(out, 'drain', { signal: ac.signal }), once(out, 'close', { signal: ac.signal })]);
  } finally {
    ac.abort();
  }
  if (out.destroyed) throw new Error('download aborted');
}

/**
 * Writes an XLSX workbook with one sheet (header row frozen) to `out` with exceljs's streaming
 * writer: inline strings (no shared-string table held in memory), each row committed as it is
 * written, and the next batch read only after the client has taken the last one.
 */
export async function writeXlsx(
  out: PassThrough,
  columns: ExportColumn[],
  batches: AsyncIterable<(string | null)[][]>,
  options: { sheetName: string; omit?: (column: ExportColumn) => boolean },
): Promise<void> {
  const keep = columns.map((c, i) => ({ c, i })).filter(({ c }) => !options.omit?.(c));
  const convert = keep.map(({ c }) => converter(c));
  // exceljs and what it pulls in (jszip, archiver, saxes, …) hold ≈ 10 MB of a process that seldom
  // writes a workbook: loaded at the first XLSX download, not at start
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(options.sheetName.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Daten', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = keep.map(({ c }) => ({
    header: c.id,
    key: c.id,
    width: Math.min(50, Math.max(10, c.id.length + 2)),
    style: c.kind === 'date' ? { numFmt: 'yyyy-mm-dd' } : c.kind === 'timestamp' ? { numFmt: 'yyyy-mm-dd hh:mm:ss' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const rows of batches) {
    for (const row of rows) {
      const values = keep.map(({ i }, n) => {
        const raw = row[i];
        return raw === null || raw === undefined ? null : (convert[n] as Convert)(raw);
      });
      sheet.addRow(values).commit();
    }
    await drained(out);
  }
  sheet.commit();
  // a client that leaves while the zip is finished would keep commit() waiting for ever
  await Promise.race([
    workbook.commit(),
    once(out, 'close').then(() => {
      if (!out.writableFinished) throw new Error('download aborted');
    }),
  ]);
}

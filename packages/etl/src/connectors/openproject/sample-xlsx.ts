// Writes the bundled sample XLSX export (packages/etl/data/openproject/arbeitspakete.xlsx) from
// the sample CSV beside it, the way OpenProject's XLSX export holds the same rows: numbers as
// numbers, dates and times as date cells — except where the CSV holds no valid date (the planted
// bad row keeps its text, as a hand-edited spreadsheet would).
//
//   node packages/etl/src/connectors/openproject/sample-xlsx.ts
//
// Self-contained (no relative imports) so Node runs it straight from the TypeScript source.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Options } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/** The sample files' folder. */
export const sampleDir = join(dirname(fileURLToPath(import.meta.url)), '../../../data/openproject');

const numberColumns = new Set(['ID', '% abgeschlossen']);
const dateColumns = new Set(['Startdatum', 'Endtermin']);
const timeColumns = new Set(['Erstellt am', 'Aktualisiert am']);

/** "20.12.2019" / "20.12.2019 15:02" as a Date holding that wall-clock time (spreadsheets have no zone). */
function germanDate(text: string): Date | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2}))?$/.exec(text);
  if (!m) return null;
  const [d, mo, y, h, mi] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return date.getUTCDate() === d && date.getUTCMonth() === mo - 1 ? date : null;
}

/** Builds the workbook from the CSV and writes it to `xlsxPath`. */
export async function writeSampleXlsx(csvPath: string, xlsxPath: string): Promise<void> {
  const options: Options = { bom: true, delimiter: ';', relax_column_count: true };
  const rows = parse(readFileSync(csvPath), options);
  const [header, ...data] = rows;
  if (!header) throw new Error(`${csvPath}: no header`);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'HRO Datenplattform (Beispieldaten)';
  // fixed, so that writing again changes nothing but the zip's own timestamps
  workbook.created = new Date(Date.UTC(2026, 10, 20));
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Arbeitspakete');
  sheet.addRow(header).font = { bold: true };
  for (const cells of data) {
    const row = sheet.addRow(
      cells.map((text, i) => {
        const column = header[i] ?? '';
        if (text === '') return null;
        if (numberColumns.has(column) && /^\d+$/.test(text)) return Number(text);
        if (dateColumns.has(column) || timeColumns.has(column)) return germanDate(text) ?? text;
        return text;
      }),
    );
    row.eachCell((cell, col) => {
      const column = header[col - 1] ?? '';
      if (cell.value instanceof Date) cell.numFmt = timeColumns.has(column) ? 'dd.mm.yyyy hh:mm' : 'dd.mm.yyyy';
    });
  }
  header.forEach((_, i) => {
    sheet.getColumn(i + 1).width = i === 2 || i === 5 ? 48 : 16;
  });
  await workbook.xlsx.writeFile(xlsxPath);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeSampleXlsx(join(sampleDir, 'arbeitspakete.csv'), join(sampleDir, 'arbeitspakete.xlsx'));
  process.stdout.write(`wrote ${join(sampleDir, 'arbeitspakete.xlsx')}\n`);
}

import type { OzgMonthlyReport, ReportCell, ReportColumn } from '@hro/api/domain';
import { neutralise } from '../downloads/formula.js';

/**
 * The standard monthly OZG report as files, in the fixed layout of its README
 * (packages/api/src/monitoring/README.md): the same bytes for the same month whenever produced.
 */

const yesNo = (value: boolean) => (value ? 'ja' : 'nein');

/** A cell as text: dates ISO (YYYY-MM-DD), yes/no as "ja"/"nein", empty for none. */
function cellText(column: ReportColumn, value: ReportCell): string {
  if (value === null) return '';
  if (column.type === 'bool') return yesNo(value === true);
  return String(value);
}

function csvField(text: string): string {
  const safe = neutralise(text);
  return safe !== text || /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * CSV as German spreadsheets open it without an import dialog: UTF-8 with byte order mark, `;`
 * between fields, CRLF, the German headers; text that a spreadsheet would run as a formula gets a
 * leading apostrophe (and quotes).
 */
export function ozgReportCsv(report: OzgMonthlyReport): string {
  const lines = [report.columns.map((c) => csvField(c.header)).join(';')];
  for (const row of report.rows) lines.push(report.columns.map((c, i) => csvField(cellText(c, row[i] ?? null))).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const dateOf = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * XLSX with two sheets: "Bericht" (header row frozen; whole numbers as numbers, dates as dates,
 * yes/no as text) and "Erläuterungen" (Stichtag, data stand, definitions, the column layout). The
 * workbook's creation date is the Stichtag, so it says nothing about when the file was made.
 */
export async function ozgReportXlsx(report: OzgMonthlyReport): Promise<Buffer> {
  // loaded at first use, not at start (see downloads/xlsx.ts)
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  workbook.creator = 'HRO Datenplattform';
  workbook.created = dateOf(report.stichtag);
  workbook.modified = dateOf(report.stichtag);
  workbook.title = report.title;
  const sheet = workbook.addWorksheet('Bericht', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = report.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.min(45, Math.max(12, c.header.length + 2)),
    style: c.type === 'date' ? { numFmt: 'dd.mm.yyyy' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of report.rows) {
    sheet.addRow(
      report.columns.map((c, i) => {
        const value = row[i] ?? null;
        if (value === null) return null;
        if (c.type === 'bool') return yesNo(value === true);
        if (c.type === 'date') return dateOf(String(value));
        if (c.type === 'int') return Number(value);
        return neutralise(String(value));
      }),
    );
  }
  const notes = workbook.addWorksheet('Erläuterungen');
  notes.columns = [{ width: 32 }, { width: 100 }, { width: 10 }];
  const add = (...cells: (string | number | Date)[]) => notes.addRow(cells);
  add(report.title).font = { bold: true };
  add('Berichtsmonat', report.month);
  add('Stichtag', dateOf(report.stichtag)).getCell(2).numFmt = 'dd.mm.yyyy';
  add('Vorläufig', yesNo(report.preliminary));
  add('Zeilen', report.rows.length);
  add('Umfang', report.definitions.scope);
  add('Umsetzungsstatus', report.definitions.status);
  add('Ziel verfehlt', report.definitions.gap);
  add('');
  add('Datenstand (letzter erfolgreicher Lauf je Quelle)').font = { bold: true };
  for (const d of report.dataAsOf) add(d.source, `Lauf ${d.runId}, abgeschlossen ${d.finishedAt.toISOString()}`);
  add('');
  add('Spalte', 'Bedeutung', 'intern').font = { bold: true };
  for (const c of report.columns) add(c.header, c.description, yesNo(c.internal));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

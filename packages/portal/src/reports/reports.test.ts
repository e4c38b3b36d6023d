import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, currentMonth, OZG_REPORT_COLUMNS } from '@hro/api/domain';
import { createTestDatabase, loadMonitoringFixture, MARCH_2025, type TestDatabase } from '@hro/api/testing';
import { createApp } from '../app.js';
import { listenOnLoopback } from '../testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
let steeringKey: string;
let developerKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await loadMonitoringFixture(db.pool);
  // a title a spreadsheet would run as a formula, in a month of its own (June)
  await db.pool.query(`
    insert into core.service (key, kind, ozg_id, title) values ('ozg:10009', 'ozg', '10009', '=HYPERLINK("http://x.example")');
    update core.service_history set valid_from = '2025-06-01 00:00+02' where key = 'ozg:10009';`);
  steeringKey = (await createApiKey(db.pool, { name: 'Steuerung', role: 'steering' })).key;
  developerKey = (await createApiKey(db.pool, { name: 'Entwicklung', role: 'developer' })).key;
  app = await createApp({ pool: db.pool, log: db.log, introspection: false });
  baseUrl = await listenOnLoopback(app);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const get = (path: string, key?: string) => fetch(`${baseUrl}${path}`, { headers: key ? { authorization: key } : {} });

/** RFC 4180 with `;`: quoted fields may hold `;`, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ';') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

/** A cell as the files write it: yes/no in German, dates ISO, empty for none. */
const asText = (v: string | number | boolean | null) => (v === null ? '' : v === true ? 'ja' : v === false ? 'nein' : String(v));

describe('the monthly OZG report as files', () => {
  it('is a CSV with the fixed header and the exact cells of March 2025', async () => {
    const res = await get('/berichte/ozg/2025-03.csv', steeringKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="ozg-monatsbericht-2025-03.csv"');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(OZG_REPORT_COLUMNS.map((c) => c.header));
    expect(header?.slice(0, 3)).toEqual(['Berichtsmonat', 'Stichtag', 'Leistungsschlüssel']);
    expect(rows).toEqual(MARCH_2025.map((r) => r.map(asText)));
    expect(text.split('\r\n')[4]).toBe(
      '2025-03;2025-03-31;ozg:10003;ozg;10003;;Wohngeld;Bauen & Wohnen;;;;4;;;5;6;2025-03-15;Ende-zu-Ende;ja;ja;16',
    );
    // the same month again: the same bytes
    const again = new Uint8Array(await (await get('/berichte/ozg/2025-03.csv', steeringKey)).arrayBuffer());
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('is an XLSX whose cells read back as numbers, dates and text, with the explanations sheet', async () => {
    const res = await get('/berichte/ozg/2025-03.xlsx', steeringKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Bericht', 'Erläuterungen']);
    const sheet = workbook.getWorksheet('Bericht')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(OZG_REPORT_COLUMNS.map((c) => c.header));
    expect(sheet.rowCount).toBe(1 + MARCH_2025.length);
    const cell = (row: number, header: string) =>
      sheet.getRow(row).getCell(OZG_REPORT_COLUMNS.findIndex((c) => c.header === header) + 1).value;
    // sheet row 5 (after the header): ozg:10003
    expect(cell(5, 'Leistungsschlüssel')).toBe('ozg:10003');
    expect(cell(5, 'Reifegrad IST (1.1)')).toBe(4);
    expect(cell(5, 'Reifegrad SOLL (2.0)')).toBe(6);
    expect(cell(5, 'Zieldatum (2.0)')).toEqual(new Date('2025-03-15T00:00:00Z'));
    expect(cell(5, 'Stichtag')).toEqual(new Date('2025-03-31T00:00:00Z'));
    expect(cell(5, 'Umsetzungsstatus')).toBe('Ende-zu-Ende');
    expect(cell(5, 'Ziel verfehlt')).toBe('ja');
    expect(cell(5, 'Tage seit Zieldatum')).toBe(16);
    expect(cell(5, 'Reifegrad SOLL (1.1)')).toBeNull();
    // every cell of every row, as text
    const asRead = (v: ExcelJS.CellValue) =>
      v === null || v === undefined
        ? ''
        : v instanceof Date
          ? v.toISOString().slice(0, 10)
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
    for (const [i, expected] of MARCH_2025.entries()) {
      expect(OZG_REPORT_COLUMNS.map((_, c) => asRead(sheet.getRow(i + 2).getCell(c + 1).value))).toEqual(expected.map(asText));
    }
    const notes = workbook.getWorksheet('Erläuterungen')!;
    expect(notes.getRow(1).getCell(1).value).toBe('OZG-Monatsbericht März 2025');
    expect(notes.getRow(2).values).toEqual([undefined, 'Berichtsmonat', '2025-03']);
  });

  it('neutralises text a spreadsheet would run as a formula', async () => {
    const csv = await (await get('/berichte/ozg/2025-06.csv', steeringKey)).text();
    expect(csv).toContain(`;"'=HYPERLINK(""http://x.example"")";`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      Buffer.from(await (await get('/berichte/ozg/2025-06.xlsx', steeringKey)).arrayBuffer()) as unknown as ArrayBuffer,
    );
    const sheet = workbook.getWorksheet('Bericht')!;
    const titles = sheet.getColumn(OZG_REPORT_COLUMNS.findIndex((c) => c.key === 'title') + 1).values;
    expect(titles).toContain(`'=HYPERLINK("http://x.example")`);
  });

  it('is for the steering team only, for months that exist', async () => {
    const anonymous = await get('/berichte/ozg/2025-03.csv');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await get('/berichte/ozg/2025-03.xlsx', developerKey)).status).toBe(403);
    expect((await get('/berichte/ozg/2025-13.csv', steeringKey)).status).toBe(409);
    expect((await get('/berichte/ozg/2025-03.pdf', steeringKey)).status).toBe(404);
    const current = await get(`/berichte/ozg/${currentMonth()}.csv`, steeringKey);
    expect(current.status).toBe(200);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { runSource } from '../../pipeline/run-source.js';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { openProjectExportConfig } from './config.js';
import { cellText } from './export-read.js';
import { sampleDir, writeSampleXlsx } from './sample-xlsx.js';

const bundled = loadSources().find((s) => s.name === 'openproject-export-sample') as SourceDefinition;
const sampleCsv = join(sampleDir, 'arbeitspakete.csv');
const sampleXlsx = join(sampleDir, 'arbeitspakete.xlsx');

let db: TestDatabase;
let tmp: string;
beforeAll(async () => {
  db = await createTestDatabase();
  tmp = mkdtempSync(join(tmpdir(), 'hro-openproject-export-'));
});
afterAll(async () => {
  await db.close();
  rmSync(tmp, { recursive: true, force: true });
});

function exportSource(files: string[], extra: Record<string, unknown> = {}): SourceDefinition {
  return { ...bundled, config: openProjectExportConfig.parse({ files, ...extra }), baseDir: tmp };
}
const rows = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows as T[];
const workPackages = () =>
  rows(
    `select w.external_id, w.subject, w.type, w.is_milestone, w.status, w.status_raw, w.is_closed, w.start_date::text, w.due_date::text,
            w.estimated_time::text, w.percentage_done, w.custom_fields, w.source_updated_at, w.parent_external_id, p.key as project
     from core.work_package w join core.project p on p.id = w.project_id where w.source = 'openproject-export' order by w.external_id`,
  );

describe('openproject-export: the bundled sample export', () => {
  it('loads the XLSX sample (streamed), quarantines the three planted bad rows, and counts add up', async () => {
    const run = await runSource(db.pool, bundled, { log: db.log });
    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ status: 'succeeded', read: 24, loaded: 21, unchanged: 0, quarantined: 3, deleted: 0 });
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    expect(run.schemaDrift).toBeNull();
    expect(await rows(`select position, reason_code, reason from etl.quarantine where run_id = $1 order by id`, [run.runId])).toEqual([
      {
        position: 'arbeitspakete.xlsx:Arbeitspakete!11',
        reason_code: 'ROW_INVALID_VALUE',
        reason: 'Endtermin: "31.02.2024" is not a date (TT.MM.JJJJ or YYYY-MM-DD)',
      },
      {
        position: 'arbeitspakete.xlsx:Arbeitspakete!14',
        reason_code: 'ROW_MISSING_VALUE',
        reason: expect.stringMatching(/^ID: .*undefined/),
      },
      {
        position: 'arbeitspakete.xlsx:Arbeitspakete!20',
        reason_code: 'ROW_INVALID_VALUE',
        reason: expect.stringMatching(/^Status: "In Klärung" is not a known OpenProject status/),
      },
    ]);
  });

  it('maps projects, work packages, milestones, dates and statuses as documented', async () => {
    const projects = await rows(
      `select key, title, steering_key, status, status_raw, start_date::text, due_date::text from core.project
       where source = 'openproject-export' order by key`,
    );
    expect(projects).toEqual([
      {
        key: 'OPX-e-akte-einfuhrung-hauptamt-amt-10',
        title: 'E-Akte-Einführung Hauptamt (Amt 10)',
        steering_key: null,
        status: 'in_progress',
        status_raw: '',
        start_date: '2025-03-01',
        due_date: '2027-01-31',
      },
      {
        key: 'OPX-ozg-umsetzung-burgerservice',
        title: 'OZG-Umsetzung Bürgerservice',
        steering_key: null,
        status: 'in_progress',
        status_raw: '',
        start_date: '2025-06-01',
        due_date: '2027-06-30',
      },
      {
        key: 'OPX-p001-19-projektmanagement-tool',
        title: 'P001/19 Projektmanagement-Tool',
        steering_key: 'P001/19',
        status: 'in_progress',
        status_raw: '',
        start_date: '2019-10-01',
        due_date: '2027-03-31',
      },
      {
        key: 'OPX-p004-19-digitales-antrags-und',
        title: 'P004/19 Digitales Antrags- und Genehmigungsverfahren Bau',
        steering_key: 'P004/19',
        status: 'in_progress',
        status_raw: '',
        start_date: '2024-02-01',
        due_date: '2027-12-31',
      },
    ]);
    const wps = await workPackages();
    expect(wps).toHaveLength(21);
    const byId = new Map(wps.map((w) => [w.external_id, w]));
    expect(byId.get('101')).toMatchObject({
      type: 'Phase',
      status: 'done',
      status_raw: 'Geschlossen',
      is_closed: true,
      start_date: '2019-10-01',
      due_date: '2019-12-20',
      estimated_time: '120:00:00',
      percentage_done: 100,
      // 20.12.2019 15:02 in Rostock (CET) = 14:02 UTC
      source_updated_at: new Date('2019-12-20T14:02:00Z'),
    });
    // summer time: 14.10.2026 11:12 CEST = 09:12 UTC
    expect(byId.get('105')).toMatchObject({ status: 'in_progress', source_updated_at: new Date('2026-10-14T09:12:00Z') });
    expect(byId.get('112')).toMatchObject({ parent_external_id: '111', custom_fields: { Fachverfahren: 'ProBauG' } });
    expect(byId.get('114')).toMatchObject({ status: 'on_hold' });
    expect(byId.get('123')).toMatchObject({ status: 'cancelled', is_closed: true });
    const milestones = await rows(
      `select m.key, m.title, m.due_date::text, m.done_date::text, m.is_closed, p.key as project from core.milestone m
       join core.project p on p.id = m.project_id where p.source = 'openproject-export' order by m.key`,
    );
    expect(milestones.map((m) => m.key)).toEqual(['OP#102', 'OP#104', 'OP#106', 'OP#115', 'OP#122', 'OP#125', 'OP#133', 'OP#135']);
    expect(milestones[0]).toEqual({
      key: 'OP#102',
      title: 'Anforderungskatalog abgenommen',
      due_date: '2019-12-20',
      done_date: '2019-12-20',
      is_closed: true,
      project: 'OPX-p001-19-projektmanagement-tool',
    });
    expect(milestones.find((m) => m.key === 'OP#125')).toMatchObject({ due_date: '2026-10-31', done_date: null, is_closed: false });
    expect(
      await rows(
        `select count(*)::int as n from core.project_status_history h join core.project p on p.id = h.project_id
         where p.source = 'openproject-export' and h.valid_to is null`,
      ),
    ).toEqual([{ n: 4 }]);
  });

  it('changes nothing when the same export runs again', async () => {
    const before = await rows(`select source, external_id, last_run_id from core.work_package order by external_id`);
    const run = await runSource(db.pool, bundled, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 0, unchanged: 21, quarantined: 3, deleted: 0 });
    expect(await rows(`select source, external_id, last_run_id from core.work_package order by external_id`)).toEqual(before);
  });

  it('reads the CSV export (UTF-8 with BOM, semicolons, CRLF) to the same data, positions file:line', async () => {
    const fromXlsx = (await workPackages()).map((w) => ({ ...w }));
    const run = await runSource(db.pool, exportSource([sampleCsv]), { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 24, quarantined: 3 });
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    expect(await rows(`select position from etl.quarantine where run_id = $1 order by id`, [run.runId])).toEqual([
      { position: 'arbeitspakete.csv:11' },
      { position: 'arbeitspakete.csv:14' },
      { position: 'arbeitspakete.csv:20' },
    ]);
    expect(await workPackages()).toEqual(fromXlsx);
  });

  it('reads a Windows-1252 export with commas and English headers to the same data', async () => {
    const text = readFileSync(sampleCsv, 'utf8').replace(/^\uFEFF/, '');
    const [header = '', ...lines] = text.split('\r\n');
    const english = header
      .replace('Typ', 'Type')
      .replace('Thema', 'Subject')
      .replace('Projekt', 'Project')
      .replace('Startdatum', 'Start date')
      .replace('Endtermin', 'Finish date');
    // quote every cell so commas inside titles stay inside their cell
    const csv = [english, ...lines]
      .filter((l) => l !== '')
      .map((l) =>
        l
          .split(';')
          .map((c) => `"${c}"`)
          .join(','),
      )
      .join('\r\n');
    const path = join(tmp, 'export-cp1252.csv');
    writeFileSync(path, iconv.encode(csv, 'windows-1252'));
    const before = await workPackages();
    const run = await runSource(db.pool, exportSource([path]), { log: db.log });
    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ status: 'succeeded', read: 24, quarantined: 3 });
    expect(run.schemaDrift).toMatchObject({ policy: 'evolve' });
    expect(await workPackages()).toEqual(before);
  });

  it('deletes what a later export no longer holds, and records the status changes', async () => {
    const csv = readFileSync(sampleCsv, 'utf8')
      .split('\r\n')
      .filter((l) => !l.startsWith('135;') && !l.startsWith('134;'))
      .map((l) => (l.startsWith('125;') ? l.replace(';Neu;', ';Geschlossen;') : l))
      .join('\r\n');
    const path = join(tmp, 'arbeitspakete-spaeter.csv');
    writeFileSync(path, csv);
    const run = await runSource(db.pool, exportSource([path]), { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 22, deleted: 2 });
    expect(await rows(`select key, is_closed, done_date::text from core.milestone where key in ('OP#125', 'OP#135') order by key`)).toEqual(
      [{ key: 'OP#125', is_closed: true, done_date: '2026-11-12' }],
    );
  });

  it('fails on a whole file that is not an export, and leaves the data as it was', async () => {
    const before = await rows(`select source, external_id, last_run_id from core.work_package order by external_id`);
    const cases: [string, string | Buffer, RegExp][] = [
      ['leer.csv', '', /empty \(0 bytes\)/],
      ['leer.xlsx', '', /empty \(0 bytes\)/],
      ['login.csv', '<!DOCTYPE html><html><head><title>Anmelden</title></head></html>', /HTML page/],
      ['login.xlsx', '<html><body>Anmelden</body></html>', /HTML page/],
      ['kopf.csv', 'ID;Typ;Thema;Status;Projekt\r\n', /header but no work packages/],
      ['falsch.csv', 'Name;Wert\r\na;1\r\n', /column\(s\) ID, Typ, Thema, Status, Projekt missing/],
      ['kaputt.xlsx', readFileSync(sampleXlsx).subarray(0, 3000), /not readable as an XLSX workbook/],
      ['alt.xls', 'irrelevant', /unsupported file type \.xls/],
    ];
    for (const [name, content, message] of cases) {
      writeFileSync(join(tmp, name), content);
      const run = await runSource(db.pool, exportSource([name]), { log: db.log });
      expect({ name, status: run.status, error: run.error }).toEqual({ name, status: 'failed', error: expect.stringMatching(message) });
    }
    expect(await rows(`select source, external_id, last_run_id from core.work_package order by external_id`)).toEqual(before);
  });
});

describe('the sample XLSX', () => {
  it('is what sample-xlsx.ts writes from the sample CSV', async () => {
    const fresh = join(tmp, 'neu.xlsx');
    await writeSampleXlsx(sampleCsv, fresh);
    const cells = async (path: string) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path);
      const sheet = workbook.getWorksheet('Arbeitspakete');
      const values: string[][] = [];
      sheet?.eachRow({ includeEmpty: true }, (row) => values.push((row.values as ExcelJS.CellValue[]).slice(1).map(cellText)));
      return values;
    };
    const committed = await cells(sampleXlsx);
    expect(committed).toHaveLength(25);
    expect(await cells(fresh)).toEqual(committed);
  });
});

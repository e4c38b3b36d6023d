import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { runSource } from '../../pipeline/run-source.js';
import { bundledSource, copySource, count, quarantineOf } from './test-sources.js';

const inventory = bundledSource('fachverfahren-inventar');

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // the org units the Ämter codes refer to come from the strategy catalog
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
  expect((await runSource(db.pool, strategy, { log: db.log })).status).toBe('succeeded');
});
afterAll(async () => {
  await db.close();
});

const procedure = async (key: string) =>
  (
    await db.pool.query<Record<string, unknown>>(
      `select key, name, vendor, description, owner_org_units_raw, lifecycle_phase, annual_cost, users, ozg_ready, dms_connection,
              target_action, target_dms_connection, to_char(target_date, 'YYYY-MM-DD') as target_date,
              to_char(end_of_life_date, 'YYYY-MM-DD') as end_of_life_date, source_position
       from core.procedure where key = $1`,
      [key],
    )
  ).rows[0];

describe('Fachverfahren: procedure inventory', () => {
  it('loads the sample inventory (Windows-1252), quarantines the planted rows, and counts add up', async () => {
    const run = await runSource(db.pool, inventory, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 45, loaded: 40, unchanged: 0, quarantined: 5, deleted: 0 });
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    expect(await count(db.pool, 'core.procedure')).toBe(40);
    expect(await quarantineOf(db.pool, run.runId)).toEqual([
      {
        position: 'verfahrensinventar.csv:23',
        reason_code: 'ROW_INVALID_VALUE',
        reason: 'Zieldatum: "31.02.2024" is not a date (expected DD.MM.YYYY)',
      },
      { position: 'verfahrensinventar.csv:34', reason_code: 'ROW_INVALID_VALUE', reason: 'Jahreskosten (EUR): "-1.200,00" is negative' },
      {
        position: 'verfahrensinventar.csv:45',
        reason_code: 'ROW_INVALID_VALUE',
        reason: 'DMS-Anbindung: "teilweise" is not one of: keine, einseitig, beidseitig',
      },
      { position: 'verfahrensinventar.csv:46', reason_code: 'ROW_FIELD_COUNT', reason: 'row: 4 fields where the header has 14' },
      { position: 'verfahrensinventar.csv:47', reason_code: 'ROW_FIELD_COUNT', reason: 'row: 11 fields where the header has 14' },
    ]);
    const { rows } = await db.pool.query(
      `select raw->>'Kennung' as key, raw->>'Jahreskosten (EUR)' as cost from etl.quarantine where run_id = $1 and raw->>'Kennung' = 'FV-042'`,
      [run.runId],
    );
    expect(rows).toEqual([{ key: 'FV-042', cost: '-1.200,00' }]);
  });

  it('decodes umlauts and typographic quotes, and parses German numbers, dates and code words', async () => {
    expect(await procedure('FV-004')).toEqual({
      key: 'FV-004',
      name: 'enaio',
      vendor: 'OPTIMAL SYSTEMS GmbH',
      description: 'Dokumentenmanagement und „E-Akte“ der Stadtverwaltung.\nZentrales Zielsystem aller DMS-Anbindungen.',
      owner_org_units_raw: '06.3',
      lifecycle_phase: 'introduction',
      annual_cost: 185000,
      users: 1250,
      ozg_ready: false,
      dms_connection: null,
      target_action: 'keep',
      target_dms_connection: null,
      target_date: '2026-12-31',
      end_of_life_date: null,
      source_position: 'verfahrensinventar.csv:5',
    });
    expect(await procedure('FV-005')).toMatchObject({
      description: 'Haushalts-, Kassen- und Rechnungswesen – Doppik',
      annual_cost: 132500,
    });
    expect(await procedure('FV-015')).toMatchObject({
      lifecycle_phase: 'phase_out',
      target_action: 'replace',
      target_date: '2025-12-31',
      end_of_life_date: '2026-03-31',
    });
    expect(await procedure('FV-021')).toMatchObject({ users: 2900, dms_connection: 'none' });
    expect(await procedure('FV-027')).toMatchObject({ lifecycle_phase: 'planning', annual_cost: null, users: null });
    // an ISO date among the German ones
    expect(await procedure('FV-032')).toMatchObject({ target_date: '2025-12-31' });
    expect(await procedure('FV-036')).toMatchObject({ lifecycle_phase: 'retired', target_action: 'retire', annual_cost: 0 });
    expect(await procedure('FV-001')).toMatchObject({
      name: 'VOIS|MESO',
      ozg_ready: true,
      dms_connection: 'one_way',
      target_dms_connection: 'two_way',
    });
  });

  it('links the owning Ämter it knows and keeps unknown codes as text', async () => {
    const { rows } = await db.pool.query(
      `select p.key, p.owner_org_units_raw as raw, coalesce(string_agg(o.code, ' ' order by o.code), '') as linked
       from core.procedure p left join core.procedure_org_unit po on po.procedure_id = p.id left join core.org_unit o on o.id = po.org_unit_id
       where p.key in ('FV-001', 'FV-003', 'FV-004', 'FV-013') group by p.key, p.owner_org_units_raw order by p.key`,
    );
    expect(rows).toEqual([
      { key: 'FV-001', raw: '32.2', linked: '32.2' },
      { key: 'FV-003', raw: '50', linked: '' },
      { key: 'FV-004', raw: '06.3', linked: '06.3' },
      { key: 'FV-013', raw: '66.02', linked: '66.02' },
    ]);
  });

  it('publishes the inventory without costs and user numbers', async () => {
    const { rows: columns } = await db.pool.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'open' and table_name = 'procedures' order by ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'key',
      'name',
      'vendor',
      'lifecycle_phase',
      'ozg_ready',
      'dms_connection',
      'owner_org_units',
      'last_run_id',
    ]);
    expect(await count(db.pool, 'open.procedures')).toBe(40);
    const { rows } = await db.pool.query(`select key, owner_org_units from open.procedures where key in ('FV-001', 'FV-003') order by key`);
    expect(rows).toEqual([
      { key: 'FV-001', owner_org_units: '32.2' },
      { key: 'FV-003', owner_org_units: '' },
    ]);
  });

  it('records the IST/SOLL of every procedure once, and changes nothing on a second run', async () => {
    expect(await count(db.pool, 'core.procedure_history')).toBe(40);
    const before = (await db.pool.query(`select key, last_run_id from core.procedure order by key`)).rows;
    const run = await runSource(db.pool, inventory, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 45, loaded: 0, unchanged: 40, quarantined: 5, deleted: 0 });
    expect((await db.pool.query(`select key, last_run_id from core.procedure order by key`)).rows).toEqual(before);
    expect(await count(db.pool, 'core.procedure_history')).toBe(40);
    expect(await count(db.pool, 'core.procedure_org_unit')).toBe(30);
  });

  it('snapshots a changed SOLL, deletes what the inventory no longer lists, and keeps a quarantined procedure', async () => {
    const copy = copySource(inventory);
    try {
      await db.pool.query(
        `insert into core.service (key, kind, title, procedure_id) values ('local:test-gewerbe-alt', 'local', 'Altverfahren-Leistung',
           (select id from core.procedure where key = 'FV-037'))`,
      );
      const lines = copy.read().split('\r\n');
      const changed = lines
        .filter((line) => !line.startsWith('FV-037;'))
        .map((line) =>
          line.startsWith('FV-009;') ? line.replace(';konsolidieren;einseitig;31.03.2027;', ';abschalten;keine;31.12.2026;') : line,
        )
        // FV-006 becomes unreadable: it is still listed, so it must not be deleted
        .map((line) => (line.startsWith('FV-006;') ? line.replace(';Betrieb;', ';im Betrieb;') : line));
      copy.write(changed.join('\r\n'));
      const before006 = await procedure('FV-006');
      const run = await runSource(db.pool, copy.source, { log: db.log });
      expect(run).toMatchObject({ status: 'succeeded', read: 44, loaded: 1, unchanged: 37, quarantined: 6, deleted: 1 });
      expect(await procedure('FV-037')).toBeUndefined();
      expect(await procedure('FV-006')).toEqual(before006);
      expect(await procedure('FV-009')).toMatchObject({
        target_action: 'retire',
        target_dms_connection: 'none',
        target_date: '2026-12-31',
      });
      const { rows: history } = await db.pool.query<{ snapshot: unknown; run_id: number }>(
        `select h.snapshot, h.run_id from core.procedure_history h join core.procedure p on p.id = h.procedure_id
         where p.key = 'FV-009' order by h.valid_from, h.id`,
      );
      expect(history).toHaveLength(2);
      expect(history[0]?.snapshot).toMatchObject({ soll: { target_action: 'consolidate', target_date: '2027-03-31' } });
      expect(history[1]).toEqual({
        run_id: run.runId,
        snapshot: {
          ist: { lifecycle_phase: 'operation', annual_cost: 24100, users: 28, ozg_ready: true, dms_connection: 'none' },
          soll: { target_action: 'retire', target_dms_connection: 'none', target_date: '2026-12-31', end_of_life_date: null },
        },
      });
      // the service of the deleted procedure stays, without the link
      const { rows: service } = await db.pool.query(`select procedure_id from core.service where key = 'local:test-gewerbe-alt'`);
      expect(service).toEqual([{ procedure_id: null }]);
      const reasons = (await quarantineOf(db.pool, run.runId)).map((q) => q.reason);
      expect(reasons).toContain('Lebenszyklusphase: "im Betrieb" is not one of: Planung, Einführung, Betrieb, Auslauf, Abgelöst');
    } finally {
      copy.remove();
      await db.pool.query(`delete from core.service where key = 'local:test-gewerbe-alt'`);
      expect((await runSource(db.pool, inventory, { log: db.log })).status).toBe('succeeded');
    }
  });

  it('fails the run on a broken export and leaves the inventory as it was', async () => {
    const before = (await db.pool.query(`select key, name, last_run_id from core.procedure order by key`)).rows;
    const copy = copySource(inventory);
    const original = copy.read();
    const cases: [string, () => void, RegExp][] = [
      ['zero bytes', () => copy.writeBytes(''), /verfahrensinventar\.csv: the export is empty \(0 bytes\)/],
      [
        'HTML error page',
        () => copy.writeBytes('<!doctype html><html><head><title>Sitzung abgelaufen</title></head><body></body></html>'),
        /an HTML page, not a CSV export \(title "Sitzung abgelaufen"\)/,
      ],
      ['cut inside a quote', () => copy.write(original.slice(0, original.indexOf('„E-Akte“'))), /Quote Not Closed.*truncated export/],
      ['header only', () => copy.write(original.split('\r\n')[0] + '\r\n'), /a header but no data rows/],
      [
        'renamed column (drift: freeze)',
        () => copy.write(original.replace('Hersteller;', 'Anbieter;')),
        /schema drift in procedure: unknown Anbieter; missing Hersteller/,
      ],
    ];
    try {
      for (const [name, breakIt, message] of cases) {
        breakIt();
        const run = await runSource(db.pool, copy.source, { log: db.log });
        expect(run.status, name).toBe('failed');
        expect(run.error, name).toMatch(message);
      }
      // UTF-8 declared for the Windows-1252 bytes: refused, not loaded as U+FFFD
      copy.write(original);
      const run = await runSource(db.pool, { ...copy.source, config: { ...copy.source.config, encoding: 'utf-8' } }, { log: db.log });
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/verfahrensinventar\.csv:1: bytes that are not valid utf-8 \(decoded as U\+FFFD\)/);
    } finally {
      copy.remove();
    }
    expect((await db.pool.query(`select key, name, last_run_id from core.procedure order by key`)).rows).toEqual(before);
    expect(await count(db.pool, `core.procedure where name like '%\uFFFD%' or description like '%\uFFFD%'`)).toBe(0);
  });
});

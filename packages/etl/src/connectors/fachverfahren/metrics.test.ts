import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { runSource } from '../../pipeline/run-source.js';
import { serviceRef } from './metrics.js';
import { bundledSource, copySource, count, quarantineOf } from './test-sources.js';

const metrics = bundledSource('fachverfahren-fallzahlen');

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
  expect((await runSource(db.pool, strategy, { log: db.log })).status).toBe('succeeded');
  // one service as the OZG/LeiKa catalog would have loaded it; the others are unknown to the platform
  await db.pool.query(
    `insert into core.service (key, kind, leika_key, title) values ('leika:99115004000000', 'leika', '99115004000000', 'Melderegisterauskunft')`,
  );
});
afterAll(async () => {
  await db.close();
});

const metric = async (serviceKey: string, month: string) =>
  (
    await db.pool.query<Record<string, unknown>>(
      `select m.applications_online, m.applications_offline, m.appointments, m.median_processing_days, o.code as org_unit
       from core.service_metric m join core.service s on s.id = m.service_id left join core.org_unit o on o.id = m.org_unit_id
       where s.key = $1 and m.month = $2::date`,
      [serviceKey, month],
    )
  ).rows[0];

describe('Fachverfahren: monthly case numbers', () => {
  it('reads LeiKa keys, platform keys and local keys, and refuses cut-off numbers', () => {
    expect(serviceRef('99115004000000')).toEqual({ key: 'leika:99115004000000', leikaKey: '99115004000000' });
    expect(serviceRef(' leika:99115004000000 ')).toEqual({ key: 'leika:99115004000000', leikaKey: '99115004000000' });
    expect(serviceRef('HRO-STRAND-01')).toEqual({ key: 'local:HRO-STRAND-01', leikaKey: null });
    expect(serviceRef('ozg:10119')).toEqual({ key: 'ozg:10119', leikaKey: null });
    expect(serviceRef('9911500400')).toBeUndefined();
    expect(serviceRef('leika:123')).toBeUndefined();
    expect(serviceRef('Melderegister auskunft')).toBeUndefined();
  });

  it('loads the sample export (ISO-8859-1, # preamble, title row) and quarantines the planted rows', async () => {
    const run = await runSource(db.pool, metrics, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 293, loaded: 288, unchanged: 0, quarantined: 5, deleted: 0 });
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    expect(await count(db.pool, 'core.service_metric')).toBe(288);
    expect(await quarantineOf(db.pool, run.runId)).toEqual([
      {
        position: 'fallzahlen.csv:46',
        reason_code: 'ROW_DUPLICATE_KEY',
        reason: 'key service_key+month appears again at fallzahlen.csv:47; the last occurrence is loaded',
      },
      {
        position: 'fallzahlen.csv:294',
        reason_code: 'ROW_INVALID_VALUE',
        reason: 'Monat: "13.2024" is not a month (expected MM.YYYY or YYYY-MM)',
      },
      {
        position: 'fallzahlen.csv:295',
        reason_code: 'ROW_INVALID_VALUE',
        reason: 'Anträge online: "k. A." is not a number (expected e.g. 1.234)',
      },
      { position: 'fallzahlen.csv:296', reason_code: 'ROW_INVALID_VALUE', reason: 'Median Bearbeitungstage: "-1,5" is negative' },
      {
        position: 'fallzahlen.csv:297',
        reason_code: 'ROW_BAD_SERVICE_KEY',
        reason: 'Leistung: "9911500400" is neither a LeiKa key (14 digits) nor a local service key',
      },
    ]);
  });

  it('attaches rows to a known service and creates the unknown ones as local services', async () => {
    const { rows } = await db.pool.query<{ key: string }>(
      `select s.key, s.kind, s.leika_key, s.title, count(m.*)::int as months
       from core.service s join core.service_metric m on m.service_id = s.id group by s.id order by s.key`,
    );
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({
      key: 'leika:99008001000000',
      kind: 'local',
      leika_key: '99008001000000',
      title: 'Personalausweis',
      months: 24,
    });
    expect(rows.find((r) => r.key === 'leika:99115004000000')).toEqual({
      key: 'leika:99115004000000',
      kind: 'leika',
      leika_key: '99115004000000',
      title: 'Melderegisterauskunft',
      months: 24,
    });
    expect(rows.find((r) => r.key === 'local:HRO-STRAND-01')).toEqual({
      key: 'local:HRO-STRAND-01',
      kind: 'local',
      leika_key: null,
      title: 'Genehmigung Strandversorgung und Strandkorbvermietung Warnemünde',
      months: 24,
    });
    expect(await count(db.pool, `core.service where kind = 'local'`)).toBe(11);
  });

  it('keeps the corrected duplicate, both month formats, German numbers and the Amt', async () => {
    expect(await metric('leika:99008001000000', '2024-06-01')).toEqual({
      applications_online: 0,
      applications_offline: 1678,
      appointments: 1601,
      median_processing_days: 22.9,
      org_unit: '32.2',
    });
    expect(await metric('local:HRO-STRAND-01', '2024-10-01')).toMatchObject({
      applications_online: 2,
      median_processing_days: 15.4,
      org_unit: '73',
    });
    expect(await metric('local:HRO-STRAND-01', '2024-12-01')).toMatchObject({ applications_online: 0, median_processing_days: null });
    // Amt "50" names no org unit of the strategy catalog
    expect(await metric('leika:99107023000000', '2023-01-01')).toMatchObject({ org_unit: null });
  });

  it('changes nothing on a second run and never deletes months an export leaves out', async () => {
    const before = (await db.pool.query(`select service_id, month, run_id from core.service_metric order by 1, 2`)).rows;
    const again = await runSource(db.pool, metrics, { log: db.log });
    expect(again).toMatchObject({ status: 'succeeded', loaded: 0, unchanged: 288, quarantined: 5, deleted: 0 });
    expect((await db.pool.query(`select service_id, month, run_id from core.service_metric order by 1, 2`)).rows).toEqual(before);
    expect(await count(db.pool, `core.service where kind = 'local'`)).toBe(11);

    const copy = copySource(metrics);
    try {
      const lines = copy.read().split('\n');
      const header = lines.slice(0, 4);
      const one = lines.find((l) => l.startsWith('99085001000000;Reisepass;03.2024;')) ?? '';
      copy.write([...header, one.replace(/;\d+;(\d[.\d]*);/, ';12;$1;'), ''].join('\n'));
      const run = await runSource(db.pool, copy.source, { log: db.log });
      expect(run).toMatchObject({ status: 'succeeded', read: 1, loaded: 1, deleted: 0 });
      expect(await count(db.pool, 'core.service_metric')).toBe(288);
      expect(await metric('leika:99085001000000', '2024-03-01')).toMatchObject({ applications_online: 12 });
    } finally {
      copy.remove();
    }
  });

  it('publishes the months with counts from 1 to 4 suppressed', async () => {
    const { rows: columns } = await db.pool.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'open' and table_name = 'service_metrics_monthly' order by ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'service_key',
      'leika_key',
      'service_title',
      'month',
      'org_unit',
      'applications_online',
      'applications_offline',
      'appointments',
      'median_processing_days',
      'suppressed',
      'last_run_id',
    ]);
    expect(await count(db.pool, 'open.service_metrics_monthly')).toBe(288);
    const view = async (key: string, month: string) =>
      (
        await db.pool.query<Record<string, unknown>>(
          `select applications_online, applications_offline, appointments, median_processing_days, suppressed
           from open.service_metrics_monthly where service_key = $1 and month = $2::date`,
          [key, month],
        )
      ).rows[0];
    // 1 online, 3 offline, 1 appointment: all small counts and the median of 4 cases hidden
    expect(await view('local:HRO-STRAND-01', '2023-03-01')).toEqual({
      applications_online: null,
      applications_offline: null,
      appointments: null,
      median_processing_days: null,
      suppressed: true,
    });
    // 7 online, 15 offline, 7 appointments: published
    expect(await view('local:HRO-STRAND-01', '2023-05-01')).toEqual({
      applications_online: 7,
      applications_offline: 15,
      appointments: 7,
      median_processing_days: 19.3,
      suppressed: false,
    });
    // zero names nobody and stays visible
    expect(await view('local:HRO-STRAND-01', '2024-01-01')).toEqual({
      applications_online: 0,
      applications_offline: 0,
      appointments: 0,
      median_processing_days: null,
      suppressed: false,
    });
    // 3 online applications of a service with many offline ones: only that count is hidden
    expect(await view('leika:99059001104000', '2023-01-01')).toEqual({
      applications_online: null,
      applications_offline: 86,
      appointments: 72,
      median_processing_days: 12.3,
      suppressed: true,
    });
    expect(
      await count(
        db.pool,
        `open.service_metrics_monthly where applications_online between 1 and 4 or applications_offline between 1 and 4 or appointments between 1 and 4`,
      ),
    ).toBe(0);
  });
});

import type { Pool } from 'pg';
import { syncKpiDefinitions } from '../kpis/kpi.definitions.js';

/**
 * A hand-made OZG-Monitoring history (shared by the monitoring tests and the portal's report
 * tests), written with explicit valid_from/valid_to so every expected number can be derived by
 * hand. Five monitored services (README of this folder, "Test fixture"):
 *
 * | service              | 1.1 IST                          | 1.1 SOLL                                          | 2.0 IST / SOLL        |
 * |----------------------|----------------------------------|---------------------------------------------------|-----------------------|
 * | ozg:10001            | 2 from 2025-01-01, 3 from 03-10  | 3 by 2025-03-31                                   |                       |
 * | ozg:10002            | 1 from 2025-01-01                | 3 by 2025-02-28; from 2025-05-01 3 by 2025-09-30  |                       |
 * | ozg:10003            | 4 from 2025-01-01                |                                                   | 5 / 6 by 2025-03-15   |
 * | ozg:10004            | –                                | –                                                 |                       |
 * | leika:99000000000001 | –                                | –                                                 | 2 / –                 |
 *
 * ozg:10002 gets org unit 32 on 2025-04-01 (before: none); leika:99000000000002 has no maturity
 * and is not monitored. KPI services.online, last snapshot per month 2025-01…06: 10, 12, 15, 17,
 * 20, 22 of 40 (plus an earlier June snapshot, 21, and one of a failed run, 35, both to be ignored).
 */
export async function loadMonitoringFixture(pool: Pool): Promise<void> {
  await pool.query(`
    insert into core.org_unit (code, name, kind) values ('32', 'Stadtamt', 'amt');
    insert into core.procedure (key, name, lifecycle_phase) values ('FV-1', 'Bewohnerparken', 'operation');
    insert into core.service (key, kind, ozg_id, leika_key, title, responsible_org_unit_id, procedure_id, efa) values
      ('ozg:10001', 'ozg', '10001', null, 'Bewohnerparkausweis', (select id from core.org_unit where code = '32'),
        (select id from core.procedure where key = 'FV-1'), true),
      ('ozg:10002', 'ozg', '10002', null, 'Gewerbeanmeldung', (select id from core.org_unit where code = '32'), null, false),
      ('ozg:10003', 'ozg', '10003', null, 'Wohngeld', null, null, null),
      ('ozg:10004', 'ozg', '10004', null, 'Hundesteuer', null, null, null),
      ('leika:99000000000001', 'leika', '10003', '99000000000001', 'Wohngeld Mietzuschuss', null, null, null),
      ('leika:99000000000002', 'leika', '10003', '99000000000002', 'Wohngeld Lastenzuschuss', null, null, null);

    -- the attribute history as it would have been recorded since January 2025
    delete from core.service_history;
    insert into core.service_history
      (service_id, key, kind, title, ozg_id, leika_key, themenfeld, responsible_org_unit, procedure_key, efa, valid_from, valid_to)
    select s.id, s.key, s.kind, s.title, s.ozg_id, s.leika_key, h.themenfeld, h.org_unit, h.procedure_key, h.efa, h.valid_from, h.valid_to
    from (values
      ('ozg:10001', 'Mobilität & Reisen', '32', 'FV-1', true, '2025-01-01 00:00+01'::timestamptz, null::timestamptz),
      ('ozg:10002', 'Unternehmensführung', null, null, false, '2025-01-01 00:00+01', '2025-04-01 09:00+02'),
      ('ozg:10002', 'Unternehmensführung', '32', null, false, '2025-04-01 09:00+02', null),
      ('ozg:10003', 'Bauen & Wohnen', null, null, null, '2025-01-01 00:00+01', null),
      ('ozg:10004', 'Steuern & Zoll', null, null, null, '2025-01-01 00:00+01', null),
      ('leika:99000000000001', 'Bauen & Wohnen', null, null, null, '2025-01-01 00:00+01', null),
      ('leika:99000000000002', 'Bauen & Wohnen', null, null, null, '2025-01-01 00:00+01', null)
    ) as h(key, themenfeld, org_unit, procedure_key, efa, valid_from, valid_to)
    join core.service s on s.key = h.key;

    insert into core.service_maturity (service_id, model, kind, level, target_date, valid_from, valid_to, origin, changed_by)
    select s.id, m.model, m.kind, m.level, m.target_date::date, m.valid_from::timestamptz, m.valid_to::timestamptz, m.origin, m.changed_by
    from (values
      ('ozg:10001', '1.1', 'ist', 2, null, '2025-01-01 00:00+01', '2025-03-10 12:00+01', 'source', null),
      ('ozg:10001', '1.1', 'ist', 3, null, '2025-03-10 12:00+01', null, 'source', null),
      ('ozg:10001', '1.1', 'soll', 3, '2025-03-31', '2025-01-01 00:00+01', null, 'source', null),
      ('ozg:10002', '1.1', 'ist', 1, null, '2025-01-01 00:00+01', null, 'source', null),
      ('ozg:10002', '1.1', 'soll', 3, '2025-02-28', '2025-01-01 00:00+01', '2025-05-01 10:00+02', 'source', null),
      ('ozg:10002', '1.1', 'soll', 3, '2025-09-30', '2025-05-01 10:00+02', null, 'api', 'key-7'),
      ('ozg:10003', '1.1', 'ist', 4, null, '2025-01-01 00:00+01', null, 'source', null),
      ('ozg:10003', '2.0', 'ist', 5, null, '2025-01-01 00:00+01', null, 'source', null),
      ('ozg:10003', '2.0', 'soll', 6, '2025-03-15', '2025-01-01 00:00+01', null, 'source', null),
      ('leika:99000000000001', '2.0', 'ist', 2, null, '2025-01-01 00:00+01', null, 'source', null)
    ) as m(key, model, kind, level, target_date, valid_from, valid_to, origin, changed_by)
    join core.service s on s.key = m.key;

    insert into etl.run (id, source, status, started_at, finished_at) overriding system value values
      (101, 'ozg-katalog', 'succeeded', '2025-01-15 04:00+01', '2025-01-15 04:01+01'),
      (102, 'ozg-katalog', 'succeeded', '2025-02-15 04:00+01', '2025-02-15 04:01+01'),
      (103, 'ozg-katalog', 'succeeded', '2025-03-15 04:00+01', '2025-03-15 04:01+01'),
      (104, 'ozg-katalog', 'succeeded', '2025-04-15 04:00+02', '2025-04-15 04:01+02'),
      (105, 'ozg-katalog', 'succeeded', '2025-05-15 04:00+02', '2025-05-15 04:01+02'),
      (106, 'ozg-katalog', 'succeeded', '2025-06-02 04:00+02', '2025-06-02 04:01+02'),
      (107, 'ozg-katalog', 'succeeded', '2025-06-15 04:00+02', '2025-06-15 04:01+02'),
      (108, 'ozg-katalog', 'failed', '2025-06-20 04:00+02', '2025-06-20 04:01+02'),
      (109, 'strategy-catalog', 'succeeded', '2025-03-02 03:00+01', '2025-03-02 03:01+01');
    insert into core.kpi_snapshot (kpi_id, run_id, computed_at, dimensions, value, numerator, denominator)
    select 'services.online', r.run_id, r.at::timestamptz, '{}', round(r.n / 40.0, 4), r.n, 40
    from (values (101, '2025-01-15 04:01+01', 10), (102, '2025-02-15 04:01+01', 12), (103, '2025-03-15 04:01+01', 15),
                 (104, '2025-04-15 04:01+02', 17), (105, '2025-05-15 04:01+02', 20), (106, '2025-06-02 04:01+02', 21),
                 (107, '2025-06-15 04:01+02', 22), (108, '2025-06-20 04:01+02', 35)) as r(run_id, at, n);
  `);
  await syncKpiDefinitions(pool);
}

/** The report of March 2025 as the fixture's history says it stood on 31 March, cell by cell (derived by hand). */
export const MARCH_2025 = [
  ['2025-03', '2025-03-31', 'leika:99000000000001', 'leika', '10003', '99000000000001', 'Wohngeld Mietzuschuss', 'Bauen & Wohnen',
    null, null, null, null, null, null, 2, null, null, null, null, false, null],
  ['2025-03', '2025-03-31', 'ozg:10001', 'ozg', '10001', null, 'Bewohnerparkausweis', 'Mobilität & Reisen',
    '32', 'FV-1', true, 3, 3, '2025-03-31', null, null, null, 'online', true, false, null],
  ['2025-03', '2025-03-31', 'ozg:10002', 'ozg', '10002', null, 'Gewerbeanmeldung', 'Unternehmensführung',
    null, null, false, 1, 3, '2025-02-28', null, null, null, 'geplant', false, true, 31],
  ['2025-03', '2025-03-31', 'ozg:10003', 'ozg', '10003', null, 'Wohngeld', 'Bauen & Wohnen',
    null, null, null, 4, null, null, 5, 6, '2025-03-15', 'Ende-zu-Ende', true, true, 16],
  ['2025-03', '2025-03-31', 'ozg:10004', 'ozg', '10004', null, 'Hundesteuer', 'Steuern & Zoll',
    null, null, null, null, null, null, null, null, null, null, null, false, null],
]; // prettier-ignore

import type { Pool } from 'pg';
import { syncKpiDefinitions } from '../kpis/kpi.definitions.js';

/**
 * A hand-made program history (shared by the program tests and the portal's feed tests), with
 * explicit timestamps so every change of March 2025 can be listed by hand (README "Test fixture"):
 *
 * | when (2025)      | change                                   | public |
 * |------------------|------------------------------------------|--------|
 * | 03-03            | new council-paper project P002/19        | yes    |
 * | 03-05 00:00      | milestone m1 of OP-1 done (due 03-10)    | no     |
 * | 03-05 10:00      | Vorhaben V10: geplant → laufend          | yes    |
 * | 03-10 12:00      | ozg:10001 IST 1.1: 2 → 3                 | yes    |
 * | 03-12            | project P001/19: geplant → In Umsetzung  | no     |
 * | 03-15            | new milestones m3, m4 of OP-1            | no     |
 * | 03-20            | target of ozg:10002 set through the API  | yes    |
 * | 03-21 00:00      | milestone m2 (due 03-20) overdue         | no     |
 *
 * February: tool project OP-1 appears (02-01) with m1, m2 and changes status (02-10); May: m3
 * overdue (05-02) and done late (05-10). KPI snapshots on 02-15, 03-15 and 03-28.
 */
export async function loadProgramFixture(pool: Pool): Promise<void> {
  await pool.query(`
    insert into core.pillar (key, name, position) values ('service', 'Service-Management', 1), ('organisation', 'Organisations-Management', 2);
    insert into core.navigator_field (key, name, pillar_id, position) values
      ('fachverfahren', 'Fachverfahren', null, 1),
      ('ozg', 'OZG', (select id from core.pillar where key = 'service'), 2),
      ('dms', 'DMS', (select id from core.pillar where key = 'organisation'), 3);
    insert into core.org_unit (code, name, kind) values ('06', 'Amt 06', 'amt');
    insert into core.initiative (key, title, field_id, status, status_raw, priority, size, is_driver_project, responsible_org_unit_id)
    select v.key, v.title, f.id, v.status, v.status_raw, v.priority, v.size, v.driver, o.id
    from (values ('V01', 'IT-Bebauung IST & SOLL', 'fachverfahren', null, '', 1, 'A', true, '06'),
                 ('V10', 'Monitoring OZG-/ Online-Dienste', 'ozg', 'in_progress', 'laufend', 2, 'B', true, '06'),
                 ('V12', 'Einführung DMS - Sachakte', 'dms', 'planned', 'geplant', 1, 'A', false, null)) v(key, title, field, status, status_raw, priority, size, driver, org)
    join core.navigator_field f on f.key = v.field left join core.org_unit o on o.code = v.org;
    delete from core.initiative_status_history;
    insert into core.initiative_status_history (initiative_id, initiative_key, status, status_raw, valid_from, valid_to)
    select i.id, i.key, v.status, v.status_raw, v.valid_from::timestamptz, v.valid_to::timestamptz
    from (values ('V01', null, '', '-infinity', null),
                 ('V10', 'planned', 'geplant', '-infinity', '2025-03-05 10:00+01'),
                 ('V10', 'in_progress', 'laufend', '2025-03-05 10:00+01', null),
                 ('V12', 'planned', 'geplant', '-infinity', null)) v(key, status, status_raw, valid_from, valid_to)
    join core.initiative i on i.key = v.key;

    insert into core.project (key, title, source, status, status_raw, initiative_id, first_seen_at, external_id, due_date) values
      ('P001/19', 'E-Rechnung', 'council-paper', 'in_progress', 'In Umsetzung', (select id from core.initiative where key = 'V10'), null, null, null),
      ('P002/19', 'Bürgerportal', 'council-paper', 'planned', 'geplant', null, '2025-03-03 08:00+01', null, null),
      ('OP-1', 'DMS-Rollout Stadtamt', 'openproject', 'in_progress', 'In Arbeit', (select id from core.initiative where key = 'V12'),
        '2025-02-01 05:00+01', '1', '2025-12-31');
    insert into core.project_status_history (project_id, status, status_raw, valid_from, valid_to)
    select p.id, v.status, v.status_raw, v.valid_from::timestamptz, v.valid_to::timestamptz
    from (values ('P001/19', 'planned', 'geplant', '2025-01-01 03:00+01', '2025-03-12 03:00+01'),
                 ('P001/19', 'in_progress', 'In Umsetzung', '2025-03-12 03:00+01', null),
                 ('OP-1', 'planned', 'Neu', '2025-02-01 05:00+01', '2025-02-10 05:00+01'),
                 ('OP-1', 'in_progress', 'In Arbeit', '2025-02-10 05:00+01', null)) v(key, status, status_raw, valid_from, valid_to)
    join core.project p on p.key = v.key;
    insert into core.milestone (project_id, key, title, due_date, done_date, is_closed, first_seen_at)
    select p.id, v.key, v.title, v.due::date, v.done::date, v.done is not null, v.seen::timestamptz
    from (values ('m1', 'Konzept', '2025-03-10', '2025-03-05', '2025-02-01 05:00+01'),
                 ('m2', 'Ausschreibung', '2025-03-20', null, '2025-02-01 05:00+01'),
                 ('m3', 'Zuschlag', '2025-05-01', '2025-05-10', '2025-03-15 05:00+01'),
                 ('m4', 'Pilot', '2099-08-01', null, '2025-03-15 05:00+01')) v(key, title, due, done, seen)
    cross join core.project p where p.key = 'OP-1';

    insert into core.service (key, kind, ozg_id, title) values ('ozg:10001', 'ozg', '10001', 'Bewohnerparkausweis'), ('ozg:10002', 'ozg', '10002', 'Gewerbeanmeldung');
    update core.service_history set valid_from = '2025-01-01 00:00+01';
    insert into core.service_maturity (service_id, model, kind, level, target_date, valid_from, valid_to, origin, changed_by)
    select s.id, v.model, v.kind, v.level, v.target::date, v.valid_from::timestamptz, v.valid_to::timestamptz, v.origin, v.changed_by
    from (values ('ozg:10001', '1.1', 'ist', 2, null, '2025-01-01 00:00+01', '2025-03-10 12:00+01', 'source', null),
                 ('ozg:10001', '1.1', 'ist', 3, null, '2025-03-10 12:00+01', null, 'source', null),
                 ('ozg:10002', '1.1', 'soll', 3, '2025-12-31', '2025-03-20 15:00+01', null, 'api', 'key-7')) v(key, model, kind, level, target, valid_from, valid_to, origin, changed_by)
    join core.service s on s.key = v.key;

    insert into etl.run (id, source, status, started_at, finished_at) overriding system value values
      (201, 'ozg-katalog', 'succeeded', '2025-02-15 04:00+01', '2025-02-15 04:01+01'),
      (202, 'ozg-katalog', 'succeeded', '2025-03-15 04:00+01', '2025-03-15 04:01+01'),
      (203, 'ozg-katalog', 'succeeded', '2025-03-28 04:00+01', '2025-03-28 04:01+01');
    insert into core.kpi_snapshot (kpi_id, run_id, computed_at, dimensions, value, numerator, denominator)
    select v.kpi, v.run, v.at::timestamptz, v.dims::jsonb, v.value, v.numerator, v.denominator
    from (values ('services.online', 201, '2025-02-15 04:01+01', '{}', 0.3, 12, 40),
                 ('services.online', 202, '2025-03-15 04:01+01', '{}', 0.35, 14, 40),
                 ('services.online', 203, '2025-03-28 04:01+01', '{}', 0.375, 15, 40),
                 ('procedures.cost', 201, '2025-02-15 04:01+01', '{"lifecycle_phase": "operation"}', 1000, 1000, null),
                 ('procedures.cost', 203, '2025-03-28 04:01+01', '{"lifecycle_phase": "operation"}', 1200, 1200, null),
                 ('projects.by_status', 201, '2025-02-15 04:01+01', '{"status": "in_progress"}', 1, 1, null),
                 ('projects.by_status', 201, '2025-02-15 04:01+01', '{"status": "planned"}', 2, 2, null),
                 ('projects.by_status', 203, '2025-03-28 04:01+01', '{"status": "in_progress"}', 2, 2, null),
                 ('projects.by_status', 203, '2025-03-28 04:01+01', '{"status": "planned"}', 2, 2, null),
                 ('services.online_share_of_cases', 203, '2025-03-28 04:01+01', '{"month": "2025-02", "org_unit": "06"}', 0.5, 50, 100)
    ) v(kpi, run, at, dims, value, numerator, denominator);
  `);
  await syncKpiDefinitions(pool);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { kpiCatalog } from './kpi.catalog.js';
import { snapshotKpis } from './kpi.snapshot.js';

// Hand-made fixture: the expected values below are computed by hand from these rows.
const fixture = `
  insert into etl.run (id, source, status) overriding system value values (900, 'fixture', 'running');
  insert into core.pillar (key, name, position) values ('service', 'Service-Management', 1);
  insert into core.navigator_field (key, name, position) values ('ozg', 'OZG', 1), ('dms', 'DMS', 2);
  insert into core.org_unit (code, name, kind) values ('06', 'Amt 06', 'amt'), ('32', 'Amt 32', 'amt'), ('73', 'Amt 73', 'amt'), ('stadtamt', 'Stadtamt', 'office');
  insert into core.org_unit (code, name, kind, parent_id) values ('06.3', 'Bereich 06.3', 'unit', (select id from core.org_unit where code = '06'));
  insert into core.initiative (key, title, field_id, status) values
    ('V01', 'a', (select id from core.navigator_field where key = 'ozg'), 'in_progress'),
    ('V02', 'b', (select id from core.navigator_field where key = 'ozg'), 'in_progress'),
    ('V03', 'c', (select id from core.navigator_field where key = 'ozg'), null),
    ('V04', 'd', (select id from core.navigator_field where key = 'dms'), 'done');
  insert into core.project (key, title, source, status) values ('P1', 'a', 'x', 'in_progress'), ('P2', 'b', 'x', 'in_progress'), ('P3', 'c', 'x', null);
  insert into core.milestone (project_id, key, title, due_date, done_date, is_closed) values
    ((select id from core.project where key = 'P1'), 'm1', 'überfällig', current_date - 3, null, false),
    ((select id from core.project where key = 'P1'), 'm2', 'erledigt', current_date - 3, current_date - 4, false),
    ((select id from core.project where key = 'P2'), 'm3', 'geschlossen', current_date - 3, null, true),
    ((select id from core.project where key = 'P2'), 'm4', 'künftig', current_date + 3, null, false);
  insert into core.service (key, kind, ozg_id, title) values ('ozg:1', 'ozg', '1', 'a'), ('ozg:2', 'ozg', '2', 'b'), ('ozg:3', 'ozg', '3', 'c'), ('ozg:4', 'ozg', '4', 'd');
  insert into core.service (key, kind, leika_key, title) values ('leika:1', 'leika', '99000000000001', 'e');
  insert into core.service_maturity (service_id, model, kind, level) values
    ((select id from core.service where key = 'ozg:1'), '1.1', 'ist', 3),
    ((select id from core.service where key = 'ozg:2'), '1.1', 'ist', 4),
    ((select id from core.service where key = 'ozg:3'), '1.1', 'ist', 1),
    ((select id from core.service where key = 'leika:1'), '1.1', 'ist', 4);
  insert into core.service_maturity (service_id, model, kind, level, valid_from, valid_to) values
    ((select id from core.service where key = 'ozg:3'), '1.1', 'ist', 4, now() - interval '1 year', now() - interval '1 day');
  insert into core.checklist_question (key, position, question) values ('end_to_end', 9, 'e2e?');
  insert into core.service_checklist (service_id, question_key, fulfilled) values
    ((select id from core.service where key = 'ozg:1'), 'end_to_end', true),
    ((select id from core.service where key = 'ozg:2'), 'end_to_end', false),
    ((select id from core.service where key = 'ozg:3'), 'end_to_end', false),
    ((select id from core.service where key = 'ozg:4'), 'end_to_end', false);
  insert into core.service_metric (service_id, month, applications_online, applications_offline) values
    ((select id from core.service where key = 'ozg:1'), '2026-01-01', 30, 70),
    ((select id from core.service where key = 'ozg:2'), '2026-01-01', 10, 40),
    ((select id from core.service where key = 'ozg:1'), '2026-02-01', 0, 0);
  insert into core.procedure (key, name, dms_connection, ozg_ready, annual_cost, lifecycle_phase) values
    ('FV1', 'a', 'two_way', true, 1000.50, 'operation'),
    ('FV2', 'b', 'one_way', false, 2000, 'operation'),
    ('FV3', 'c', 'none', true, 500, 'phase_out'),
    ('FV4', 'd', null, null, null, null);
  insert into core.procedure_org_unit (procedure_id, org_unit_id) values
    ((select id from core.procedure where key = 'FV1'), (select id from core.org_unit where code = '06.3')),
    ((select id from core.procedure where key = 'FV2'), (select id from core.org_unit where code = '32'));
`;

let db: TestDatabase;
let values: Map<
  string,
  { dimensions: Record<string, string>; value: number | null; numerator: number | null; denominator: number | null }[]
>;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(fixture);
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await snapshotKpis(client, 900);
    await client.query('commit');
  } finally {
    client.release();
  }
  const { rows } = await db.pool.query<{
    kpi_id: string;
    dimensions: Record<string, string>;
    value: number | null;
    numerator: number | null;
    denominator: number | null;
  }>(`select kpi_id, dimensions, value, numerator, denominator from core.kpi_snapshot where run_id = 900`);
  values = new Map();
  for (const row of rows) values.set(row.kpi_id, [...(values.get(row.kpi_id) ?? []), row]);
});
afterAll(async () => {
  await db.close();
});

const one = (id: string) => values.get(id)?.[0];
const cut = (id: string, dims: Record<string, string>) =>
  values.get(id)?.find((r) => JSON.stringify(r.dimensions) === JSON.stringify(dims));

describe('KPI catalog', () => {
  it('defines each of the 11 KPIs of the architecture once, with a written definition', () => {
    expect(kpiCatalog.map((k) => k.id).sort()).toEqual(
      [
        'dms.eakte_rollout',
        'initiatives.progress',
        'procedures.cost',
        'procedures.dms_connected',
        'procedures.ozg_ready',
        'projects.by_status',
        'projects.overdue_milestones',
        'services.e2e',
        'services.maturity',
        'services.online',
        'services.online_share_of_cases',
      ].sort(),
    );
    for (const kpi of kpiCatalog) expect(kpi.definition.length, kpi.id).toBeGreaterThan(40);
  });

  it('services.online: OZG services at level ≥ 3 (current rows only) over all OZG services', () => {
    expect(one('services.online')).toMatchObject({ numerator: 2, denominator: 4, value: 0.5 });
  });

  it('services.maturity: OZG services per current level, unknown where none', () => {
    expect(cut('services.maturity', { level: '3' })?.value).toBe(1);
    expect(cut('services.maturity', { level: '4' })?.value).toBe(1);
    expect(cut('services.maturity', { level: '1' })?.value).toBe(1);
    expect(cut('services.maturity', { level: 'unbekannt' })?.value).toBe(1);
  });

  it('services.e2e and services.online_share_of_cases', () => {
    expect(one('services.e2e')).toMatchObject({ numerator: 1, denominator: 4, value: 0.25 });
    expect(cut('services.online_share_of_cases', { month: '2026-01' })).toMatchObject({ numerator: 40, denominator: 150, value: 0.2667 });
    expect(cut('services.online_share_of_cases', { month: '2026-02' })).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });

  it('projects.by_status, projects.overdue_milestones, initiatives.progress', () => {
    expect(cut('projects.by_status', { status: 'in_progress' })?.value).toBe(2);
    expect(cut('projects.by_status', { status: 'unknown' })?.value).toBe(1);
    expect(one('projects.overdue_milestones')?.value).toBe(1);
    expect(cut('initiatives.progress', { field: 'ozg', status: 'in_progress' })?.value).toBe(2);
    expect(cut('initiatives.progress', { field: 'ozg', status: 'open' })?.value).toBe(1);
    expect(cut('initiatives.progress', { field: 'dms', status: 'done' })?.value).toBe(1);
  });

  it('procedures.dms_connected, procedures.ozg_ready, procedures.cost, dms.eakte_rollout', () => {
    expect(cut('procedures.dms_connected', { dms_connection: 'two_way' })).toMatchObject({ numerator: 1, denominator: 3, value: 0.3333 });
    expect(one('procedures.ozg_ready')).toMatchObject({ numerator: 2, denominator: 3, value: 0.6667 });
    expect(cut('procedures.cost', { lifecycle_phase: 'operation' })?.value).toBe(3000.5);
    expect(cut('procedures.cost', { lifecycle_phase: 'unknown' })?.value).toBe(0);
    // Amt 06 owns a two-way procedure through its unit 06.3; 32 only one-way; 73 none → 1 of 3
    expect(one('dms.eakte_rollout')).toMatchObject({ numerator: 1, denominator: 3, value: 0.3333 });
  });
});

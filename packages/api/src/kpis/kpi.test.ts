import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { kpiCatalog } from './kpi.catalog.js';
import { snapshotKpis } from './kpi.snapshot.js';
import { kpiSeries, kpiValues, listKpis } from './kpi.service.js';
import type { DomainContext } from '../domain/context.js';
import type { Role } from '../access/index.js';

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
  -- the same project P1 again from the project tool: counted once
  insert into core.project (key, title, source, status, steering_key) values ('OP-p1', 'a', 'openproject', 'in_progress', 'P1');
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
  insert into core.service_metric (service_id, month, applications_online, applications_offline, org_unit_id) values
    ((select id from core.service where key = 'ozg:1'), '2026-01-01', 30, 70, (select id from core.org_unit where code = '32')),
    ((select id from core.service where key = 'ozg:2'), '2026-01-01', 10, 40, null),
    ((select id from core.service where key = 'ozg:1'), '2026-02-01', 0, 0, (select id from core.org_unit where code = '32'));
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
    // per month and org unit (a row without org unit counts as "unknown")
    expect(cut('services.online_share_of_cases', { month: '2026-01', org_unit: '32' })).toMatchObject({
      numerator: 30,
      denominator: 100,
      value: 0.3,
    });
    expect(cut('services.online_share_of_cases', { month: '2026-01', org_unit: 'unknown' })).toMatchObject({
      numerator: 10,
      denominator: 50,
      value: 0.2,
    });
    expect(cut('services.online_share_of_cases', { month: '2026-02', org_unit: '32' })).toMatchObject({
      numerator: 0,
      denominator: 0,
      value: null,
    });
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

describe('KPI reads', () => {
  const ctx = (role: Role): DomainContext => ({ viewer: { role }, pool: db.pool, log: db.log });

  beforeAll(async () => {
    // a second run after a change: one more OZG service goes online
    await db.pool.query(`insert into etl.run (id, source, status) overriding system value values (901, 'fixture', 'running')`);
    await db.pool.query(
      `update core.service_maturity set valid_to = now() where service_id = (select id from core.service where key = 'ozg:3') and valid_to is null`,
    );
    await db.pool.query(
      `insert into core.service_maturity (service_id, model, kind, level) values ((select id from core.service where key = 'ozg:3'), '1.1', 'ist', 3)`,
    );
    const client = await db.pool.connect();
    try {
      await snapshotKpis(client, 901);
    } finally {
      client.release();
    }
  });

  it('hides internal KPIs from anonymous users and refuses to read them', async () => {
    const anonymous = (await listKpis(ctx('anonymous'))).map((k) => k.id);
    expect(anonymous).not.toContain('procedures.cost');
    expect(anonymous).toContain('services.online');
    expect((await listKpis(ctx('steering'))).map((k) => k.id)).toContain('procedures.cost');
    await expect(kpiValues(ctx('anonymous'), { id: 'procedures.cost' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(kpiValues(ctx('developer'), { id: 'procedures.cost' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await kpiValues(ctx('steering'), { id: 'procedures.cost' })).values.length).toBeGreaterThan(0);
  });

  it('reads the latest run by default and any past run on request', async () => {
    expect((await kpiValues(ctx('steering'), { id: 'services.online' })).values).toEqual([
      { dimensions: {}, numerator: 3, denominator: 4, value: 0.75, suppressed: false },
    ]);
    const past = await kpiValues(ctx('steering'), { id: 'services.online', asOfRun: 900 });
    expect(past).toMatchObject({ runId: 900, values: [{ value: 0.5 }] });
  });

  it('suppresses small counts for anonymous readers only, and says so', async () => {
    const anon = await kpiValues(ctx('anonymous'), { id: 'projects.by_status' });
    expect(anon.values.find((v) => v.dimensions.status === 'in_progress')).toEqual({
      dimensions: { status: 'in_progress' },
      value: null,
      numerator: null,
      denominator: null,
      suppressed: true,
    });
    const steering = await kpiValues(ctx('steering'), { id: 'projects.by_status' });
    expect(steering.values.find((v) => v.dimensions.status === 'in_progress')?.value).toBe(2);
  });

  it('groups by a subset of dimensions, filters, and refuses unknown dimensions', async () => {
    const byField = await kpiValues(ctx('steering'), { id: 'initiatives.progress', groupBy: ['field'] });
    expect(byField.values.map((v) => [v.dimensions.field, v.value])).toEqual([
      ['dms', 1],
      ['ozg', 3],
    ]);
    const filtered = await kpiValues(ctx('steering'), {
      id: 'initiatives.progress',
      groupBy: [],
      filter: [{ dimension: 'status', values: ['in_progress', 'done'] }],
    });
    expect(filtered.values).toEqual([{ dimensions: {}, value: 3, numerator: 3, denominator: null, suppressed: false }]);
    // a share over fewer dimensions is recomputed from the summed numerators and denominators
    const byMonth = await kpiValues(ctx('steering'), { id: 'services.online_share_of_cases', groupBy: ['month'] });
    expect(byMonth.values.map((v) => [v.dimensions.month, v.numerator, v.denominator, v.value])).toEqual([
      ['2026-01', 40, 150, 0.2667],
      ['2026-02', 0, 0, null],
    ]);
    await expect(kpiValues(ctx('steering'), { id: 'initiatives.progress', groupBy: ['colour'] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(kpiValues(ctx('steering'), { id: 'no.such.kpi' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives a time series across runs, oldest first', async () => {
    const series = await kpiSeries(ctx('steering'), { id: 'services.online' });
    expect(series.map((p) => [p.runId, p.source, p.value])).toEqual([
      [900, 'fixture', 0.5],
      [901, 'fixture', 0.75],
    ]);
    // a share over four services is a group below five: withheld from anonymous readers
    const anonymous = await kpiSeries(ctx('anonymous'), { id: 'services.online' });
    expect(anonymous.map((p) => [p.value, p.suppressed])).toEqual([
      [null, true],
      [null, true],
    ]);
  });
});

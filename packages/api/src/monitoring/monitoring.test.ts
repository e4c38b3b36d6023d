import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { codeOf } from '../testing/connections.js';
import { executeAs } from '../testing/graphql.js';
import { addMonths, currentMonth, lastDayOfMonth, monthIndex } from './calendar.js';
import { linearForecast, type ProgressPoint } from './forecast.js';
import { loadMonitoringFixture, MARCH_2025 } from './monitoring.fixture.js';
import { ozgMonthlyReport } from './monitoring.report.js';
import { ozgGaps, ozgOverview } from './monitoring.service.js';
import { setServiceTarget } from './monitoring.targets.js';
import { OZG_REPORT_COLUMNS } from './monitoring.definitions.js';

let db: TestDatabase;
const ctx = (role: Role, subject?: string): DomainContext => ({ viewer: { role, subject }, pool: db.pool, log: db.log });

beforeAll(async () => {
  db = await createTestDatabase();
  await loadMonitoringFixture(db.pool);
});
afterAll(async () => {
  await db.close();
});

const run = (role: Role, source: string, vars?: Record<string, unknown>) => executeAs(db, role, source, vars);
const codes = (result: { errors?: readonly { extensions?: Record<string, unknown>; originalError?: unknown }[] }) =>
  (result.errors ?? []).map((e) => codeOf(e));

describe('the monthly report', () => {
  it('has the fixed column layout and the exact cells of March 2025', async () => {
    const report = await ozgMonthlyReport(ctx('steering'), { month: '2025-03' });
    expect(report.columns.map((c) => c.header)).toEqual(OZG_REPORT_COLUMNS.map((c) => c.header));
    expect(report).toMatchObject({ month: '2025-03', stichtag: '2025-03-31', preliminary: false, title: 'OZG-Monatsbericht März 2025' });
    expect(report.rows).toEqual(MARCH_2025);
    // the data stand: the last successful run of each source before 1 April 2025, 00:00 in Rostock
    expect(report.dataAsOf.map((d) => [d.source, d.runId])).toEqual([
      ['ozg-katalog', 103],
      ['strategy-catalog', 109],
    ]);
  });

  it('reads each month as of its own last day: February, and the org unit that came in April', async () => {
    const february = await ozgMonthlyReport(ctx('steering'), { month: '2025-02' });
    const byKey = new Map(february.rows.map((r) => [r[2], r]));
    // 10001: IST 2 until 10 March → in progress; 10002: target 28 Feb passed on its own day (0 days)
    expect(byKey.get('ozg:10001')?.slice(11, 21)).toEqual([2, 3, '2025-03-31', null, null, null, 'in Umsetzung', false, false, null]);
    expect(byKey.get('ozg:10002')?.slice(17, 21)).toEqual(['geplant', false, true, 0]);
    expect(byKey.get('ozg:10003')?.slice(17, 21)).toEqual(['Ende-zu-Ende', true, false, null]);
    const april = await ozgMonthlyReport(ctx('steering'), { month: '2025-04' });
    expect(april.rows.find((r) => r[2] === 'ozg:10002')?.[8]).toBe('32');
  });

  it('stays the same after later changes (reproducible from the history)', async () => {
    const before = await ozgMonthlyReport(ctx('steering'), { month: '2025-03' });
    const probe = await createTestDatabase();
    try {
      await loadMonitoringFixture(probe.pool);
      await probe.pool.query(`update core.service set title = 'Umbenannt', responsible_org_unit_id = null where key = 'ozg:10001'`);
      const later = { viewer: { role: 'steering' as const, subject: 'key-9' }, pool: probe.pool, log: probe.log };
      await setServiceTarget(later, { serviceKey: 'ozg:10004', model: '1.1', level: 3, targetDate: '2025-01-31' });
      const after = await ozgMonthlyReport(later, { month: '2025-03' });
      expect(after.rows).toEqual(before.rows);
      // today's state shows the changes
      const today = await ozgMonthlyReport(later, { month: currentMonth() });
      const row = today.rows.find((r) => r[2] === 'ozg:10001');
      expect([row?.[6], row?.[8]]).toEqual(['Umbenannt', null]);
      expect(today.preliminary).toBe(true);
    } finally {
      await probe.close();
    }
  });

  it('is for the steering team only, and refuses a month that is not a month or lies ahead', async () => {
    await expect(ozgMonthlyReport(ctx('anonymous'), { month: '2025-03' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(ozgMonthlyReport(ctx('developer'), { month: '2025-03' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(ozgMonthlyReport(ctx('steering'), { month: '2025-13' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(ozgMonthlyReport(ctx('admin'), { month: addMonths(currentMonth(), 1) })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('publishes its public part per month in open.ozg_monthly_report, without org unit, procedure and EfA', async () => {
    const { rows: columns } = await db.pool.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'open' and table_name = 'ozg_monthly_report' order by ordinal_position`,
    );
    const names = columns.map((c) => c.column_name);
    expect(names).not.toEqual(expect.arrayContaining(['org_unit']));
    for (const internal of OZG_REPORT_COLUMNS.filter((c) => c.internal)) expect(names).not.toContain(internal.key);
    const { rows: months } = await db.pool.query<{ month: string; preliminary: boolean; n: number }>(
      `select to_char(month, 'YYYY-MM') as month, bool_or(preliminary) as preliminary, count(*)::int as n
       from open.ozg_monthly_report group by month order by month`,
    );
    // from the first month with OZG data (January 2025) to the current month, five services each
    expect(months).toHaveLength(monthIndex(currentMonth()) - monthIndex('2025-01') + 1);
    expect(months[0]).toEqual({ month: '2025-01', preliminary: false, n: 5 });
    expect(months.at(-1)).toMatchObject({ month: currentMonth(), preliminary: true });
    const { rows } = await db.pool.query(
      `select stichtag::text, service_key, ist_1_1, soll_1_1, target_date_1_1::text, status, online, target_missed, days_since_target
       from open.ozg_monthly_report where month = '2025-03-01' and service_key = 'ozg:10002'`,
    );
    expect(rows).toEqual([
      {
        stichtag: lastDayOfMonth('2025-03'),
        service_key: 'ozg:10002',
        ist_1_1: 1,
        soll_1_1: 3,
        target_date_1_1: '2025-02-28',
        status: 'planned',
        online: false,
        target_missed: true,
        days_since_target: 31,
      },
    ]);
  });
});

describe('the gap list and the overview', () => {
  it('lists the services whose target date passed without the target level, longest overdue first', async () => {
    const gaps = await ozgGaps(ctx('anonymous'), { stichtag: '2025-03-31' });
    expect(gaps.map((g) => [g.serviceKey, g.daysSinceTarget, g.targetDate11, g.targetDate20])).toEqual([
      ['ozg:10002', 31, '2025-02-28', null],
      ['ozg:10003', 16, null, '2025-03-15'],
    ]);
    expect(gaps[0]).not.toHaveProperty('orgUnit');
    // 10002 got a new target (30 Sep) on 1 May; 10001 reached level 3 on 10 March, before its date
    expect((await ozgGaps(ctx('steering'), { stichtag: '2025-05-31' })).map((g) => [g.serviceKey, g.daysSinceTarget])).toEqual([
      ['ozg:10003', 77],
    ]);
    expect(await ozgGaps(ctx('steering'), { stichtag: '2025-02-27' })).toEqual([]);
  });

  it('counts the services by status with the data stand behind the numbers', async () => {
    expect(await ozgOverview(ctx('anonymous'), { stichtag: '2025-03-31' })).toMatchObject({
      stichtag: '2025-03-31',
      services: 5,
      endToEnd: 1,
      online: 1,
      inProgress: 0,
      planned: 1,
      notPlanned: 2,
      withTarget: 3,
      targetsMissed: 2,
      dataAsOf: [expect.objectContaining({ source: 'ozg-katalog', runId: 103 }), expect.objectContaining({ source: 'strategy-catalog' })],
    });
  });

  it('answers through GraphQL, internal fields for the steering team only', async () => {
    const query = `{ ozgServices(stichtag: "2025-03-31", first: 10) { totalCount nodes { serviceKey status online targetMissed daysSinceTarget
        model11 { ist soll targetDate targetMissed } model20 { ist soll targetMissed } efa responsibleOrgUnit { code } procedure { key } } } }`;
    const steering = await run('steering', query);
    expect(steering.errors).toBeUndefined();
    const nodes = (steering.data?.ozgServices as { totalCount: number; nodes: Record<string, unknown>[] }).nodes;
    expect((steering.data?.ozgServices as { totalCount: number }).totalCount).toBe(5);
    expect(nodes.find((n) => n.serviceKey === 'ozg:10001')).toEqual({
      serviceKey: 'ozg:10001',
      status: 'online',
      online: true,
      targetMissed: false,
      daysSinceTarget: null,
      model11: { ist: 3, soll: 3, targetDate: '2025-03-31', targetMissed: false },
      model20: { ist: null, soll: null, targetMissed: false },
      efa: true,
      responsibleOrgUnit: { code: '32' },
      procedure: { key: 'FV-1' },
    });
    expect(nodes.find((n) => n.serviceKey === 'ozg:10003')).toMatchObject({
      status: 'end_to_end',
      model20: { ist: 5, soll: 6, targetMissed: true },
    });
    const anonymous = await run('anonymous', query);
    expect(new Set(codes(anonymous))).toEqual(new Set(['UNAUTHENTICATED']));
    const anonNodes = (anonymous.data?.ozgServices as { nodes: Record<string, unknown>[] }).nodes;
    expect(anonNodes.map((n) => [n.serviceKey, n.efa, n.responsibleOrgUnit, n.procedure])).toContainEqual(['ozg:10001', null, null, null]);
    expect(JSON.stringify(anonNodes)).not.toContain('FV-1');
    const developer = await run('developer', '{ ozgServices(orgUnit: "32") { nodes { serviceKey } } }');
    expect(codes(developer)).toEqual(['FORBIDDEN']);
    const filtered = await run('steering', '{ ozgServices(stichtag: "2025-04-30", orgUnit: "32") { nodes { serviceKey } } }');
    expect(filtered.data?.ozgServices).toEqual({ nodes: [{ serviceKey: 'ozg:10001' }, { serviceKey: 'ozg:10002' }] });
    const missed = await run('anonymous', '{ ozgServices(stichtag: "2025-03-31", targetMissed: true) { nodes { serviceKey } } }');
    expect(missed.data?.ozgServices).toEqual({ nodes: [{ serviceKey: 'ozg:10002' }, { serviceKey: 'ozg:10003' }] });
    const future = await run('anonymous', '{ ozgGaps(stichtag: "2999-01-01") { serviceKey } }');
    expect(codes(future)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('progress and forecast', () => {
  it('takes the last snapshot of each month from succeeded runs', async () => {
    const result = await run('anonymous', '{ ozgProgress(stichtag: "2025-06-30") { month online total runId suppressed } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.ozgProgress).toEqual([
      { month: '2025-01', online: 10, total: 40, runId: 101, suppressed: false },
      { month: '2025-02', online: 12, total: 40, runId: 102, suppressed: false },
      { month: '2025-03', online: 15, total: 40, runId: 103, suppressed: false },
      { month: '2025-04', online: 17, total: 40, runId: 104, suppressed: false },
      { month: '2025-05', online: 20, total: 40, runId: 105, suppressed: false },
      { month: '2025-06', online: 22, total: 40, runId: 107, suppressed: false },
    ]);
  });

  it('fits the least-squares line and names the month the trend reaches all services', async () => {
    // x = 0…5, y = 10 12 15 17 20 22: slope 43/17.5, intercept 16 − 2.5·slope; (40 − a)/b = 12.27 → month 13 = Feb 2026
    const result = await run(
      'steering',
      '{ ozgForecast(stichtag: "2025-06-30") { slopePerMonth intercept total open reachMonth reason points { month } } }',
    );
    expect(result.errors).toBeUndefined();
    const forecast = result.data?.ozgForecast as Record<string, unknown>;
    expect(forecast.slopePerMonth).toBeCloseTo(43 / 17.5, 10);
    expect(forecast.intercept).toBeCloseTo(16 - 2.5 * (43 / 17.5), 10);
    expect(forecast).toMatchObject({ total: 40, open: 18, reachMonth: '2026-02', reason: null });
    expect((forecast.points as unknown[]).length).toBe(6);
    // the last three months only: x = 0…2, y = 17 20 22 → slope 2.5, a = 17.1667; (40 − a)/2.5 = 9.13 → Apr 2025 + 10
    const short = await run('steering', '{ ozgForecast(stichtag: "2025-06-30", window: 3) { slopePerMonth reachMonth } }');
    expect(short.data?.ozgForecast).toEqual({ slopePerMonth: 2.5, reachMonth: '2026-02' });
    const early = await run('anonymous', '{ ozgForecast(stichtag: "2025-02-28") { reachMonth reason } }');
    expect(early.data?.ozgForecast).toEqual({ reachMonth: null, reason: 'too_few_months' });
  });

  it('gives no forecast for a flat or falling trend, and handles gaps and completion', () => {
    const at = (month: string, online: number, total = 10): ProgressPoint => ({
      month,
      online,
      total,
      runId: 1,
      computedAt: new Date(0),
      suppressed: false,
    });
    expect(linearForecast([at('2025-01', 5), at('2025-02', 5), at('2025-03', 5)], 6)).toMatchObject({
      slopePerMonth: 0,
      reachMonth: null,
      reason: 'flat_or_falling',
    });
    expect(linearForecast([at('2025-01', 6), at('2025-02', 5), at('2025-03', 4)], 6)).toMatchObject({
      reachMonth: null,
      reason: 'flat_or_falling',
    });
    // a month without data is a gap, not a zero: x = 0, 1, 3 with y = 2, 3, 5 → slope 1, a = 2; (10 − 2)/1 = 8 → Sep 2025
    expect(linearForecast([at('2025-01', 2), at('2025-02', 3), at('2025-04', 5)], 6)).toMatchObject({
      slopePerMonth: 1,
      reachMonth: '2025-09',
    });
    expect(linearForecast([at('2025-01', 8), at('2025-02', 9), at('2025-03', 10)], 6)).toMatchObject({
      open: 0,
      reason: 'reached',
      reachMonth: '2025-03',
    });
  });
});

describe('targets set by the steering team', () => {
  const set = `mutation($key: String!, $level: Int!, $date: String!) {
    setServiceTarget(serviceKey: $key, model: "1.1", level: $level, targetDate: $date, note: "Beschluss Lenkungskreis") {
      serviceKey model level targetDate validTo origin changedBy note } }`;

  it('refuse anonymous users and developers, and accept the steering team and admins', async () => {
    expect(codes(await run('anonymous', set, { key: 'ozg:10004', level: 3, date: '2026-06-30' }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await run('developer', set, { key: 'ozg:10004', level: 3, date: '2026-06-30' }))).toEqual(['FORBIDDEN']);
    const admin = await run('admin', set, { key: 'ozg:10004', level: 2, date: '2026-03-31' });
    expect(admin.errors).toBeUndefined();
  });

  it('keep the previous target as history, record who and why, audit and bump the data version', async () => {
    const { rows: before } = await db.pool.query<{ version: string }>(`select version::text from core.data_version`);
    const result = await executeAs(db, 'steering', set, { key: 'ozg:10004', level: 3, date: '2026-06-30' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.setServiceTarget).toMatchObject({
      serviceKey: 'ozg:10004',
      model: '1.1',
      level: 3,
      targetDate: '2026-06-30',
      validTo: null,
      origin: 'api',
      changedBy: 'steering',
      note: 'Beschluss Lenkungskreis',
    });
    const history = await run('steering', '{ ozgTargetHistory(serviceKey: "ozg:10004") { level targetDate validTo origin } }');
    expect((history.data?.ozgTargetHistory as Record<string, unknown>[]).map((t) => [t.level, t.targetDate, t.validTo === null])).toEqual([
      [2, '2026-03-31', false],
      [3, '2026-06-30', true],
    ]);
    const { rows: audit } = await db.pool.query(
      `select actor, action, target, details->>'level' as level from core.audit_log where action = 'ozg.target.set' order by id`,
    );
    expect(audit.at(-1)).toEqual({ actor: 'steering', action: 'ozg.target.set', target: 'service:ozg:10004', level: '3' });
    const { rows: after } = await db.pool.query<{ version: string }>(`select version::text from core.data_version`);
    expect(BigInt(after[0]!.version)).toBe(BigInt(before[0]!.version) + 1n);
    // the same target again changes nothing
    await executeAs(db, 'steering', set, { key: 'ozg:10004', level: 3, date: '2026-06-30' });
    expect((await run('steering', '{ ozgTargetHistory(serviceKey: "ozg:10004") { level } }')).data?.ozgTargetHistory).toHaveLength(2);
    // everyone sees the targets, the origin and author only the steering team
    const anonymous = await run('anonymous', '{ ozgTargetHistory(serviceKey: "ozg:10004") { level changedBy } }');
    expect(codes(anonymous).every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    expect(anonymous.data?.ozgTargetHistory).toEqual([
      { level: 2, changedBy: null },
      { level: 3, changedBy: null },
    ]);
  });

  it('remove a target, and refuse bad input with field errors and unknown services', async () => {
    const removed = await run('steering', 'mutation { removeServiceTarget(serviceKey: "ozg:10004", model: "1.1") }');
    expect(removed.data?.removeServiceTarget).toBe(true);
    expect(
      (await run('steering', 'mutation { removeServiceTarget(serviceKey: "ozg:10004", model: "1.1") }')).data?.removeServiceTarget,
    ).toBe(false);
    const { rows } = await db.pool.query(
      `select count(*)::int as n from core.service_maturity m join core.service s on s.id = m.service_id
       where s.key = 'ozg:10004' and m.valid_to is null`,
    );
    expect(rows[0]).toEqual({ n: 0 });
    const bad = await run(
      'steering',
      'mutation { setServiceTarget(serviceKey: "ozg:10004", model: "1.1", level: 5, targetDate: "2026-02-30") { level } }',
    );
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0]?.message).toBe('level: a level of model 1.1 (0–4); targetDate: "2026-02-30" is not a date (YYYY-MM-DD)');
    const unknown = await run(
      'steering',
      'mutation { setServiceTarget(serviceKey: "ozg:99999", model: "2.0", level: 5, targetDate: "2026-01-31") { level } }',
    );
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
  });
});

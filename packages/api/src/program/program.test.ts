import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { codeOf } from '../testing/connections.js';
import { executeAs } from '../testing/graphql.js';
import { loadProgramFixture } from './program.fixture.js';
import { kpiDeltas, programChanges, programFeed, programMonth } from './program.month.js';
import { programPageData } from './program.page.js';
import { programOverview } from './program.service.js';

let db: TestDatabase;
const ctx = (role: Role): DomainContext => ({ viewer: { role }, pool: db.pool, log: db.log });

beforeAll(async () => {
  db = await createTestDatabase();
  await loadProgramFixture(db.pool);
});
afterAll(async () => {
  await db.close();
});

describe('what changed in a month', () => {
  it('lists every change of March 2025 for the steering team, in order, sorted into categories', async () => {
    const changes = await programChanges(ctx('steering'), { month: '2025-03' });
    expect(changes.map((c) => [c.occurredAt.toISOString(), c.kind, c.subjectKey, c.category])).toEqual([
      ['2025-03-03T07:00:00.000Z', 'project_new', 'P002/19', 'geplant'],
      ['2025-03-04T23:00:00.000Z', 'milestone_done', 'm1', 'erreicht'],
      ['2025-03-05T09:00:00.000Z', 'initiative_status', 'V10', 'geändert'],
      ['2025-03-10T11:00:00.000Z', 'service_level', 'ozg:10001', 'erreicht'],
      ['2025-03-12T02:00:00.000Z', 'project_status', 'P001/19', 'geändert'],
      ['2025-03-15T04:00:00.000Z', 'milestone_new', 'm3', 'geplant'],
      ['2025-03-15T04:00:00.000Z', 'milestone_new', 'm4', 'geplant'],
      ['2025-03-20T14:00:00.000Z', 'service_target', 'ozg:10002', 'geplant'],
      ['2025-03-20T23:00:00.000Z', 'milestone_overdue', 'm2', 'verzögert'],
    ]);
    expect(changes.map((c) => c.text)).toEqual([
      'Neues Projekt „Bürgerportal“ (geplant)',
      'Meilenstein „Konzept“ im Projekt OP-1 erreicht am 05.03.2025',
      'Vorhaben „Monitoring OZG-/ Online-Dienste“: Status geplant → laufend',
      'Leistung „Bewohnerparkausweis“: Reifegrad (Reifegradmodell 1.1) 2 → 3',
      'Projekt „E-Rechnung“: Status geplant → In Umsetzung',
      'Neuer Meilenstein „Zuschlag“ im Projekt OP-1, fällig am 01.05.2025',
      'Neuer Meilenstein „Pilot“ im Projekt OP-1, fällig am 01.08.2099',
      'Leistung „Gewerbeanmeldung“: Ziel (Reifegradmodell 1.1) Stufe 3 bis 31.12.2025',
      'Meilenstein „Ausschreibung“ im Projekt OP-1 überfällig (fällig am 20.03.2025)',
    ]);
  });

  it('shows anonymous readers the public changes only', async () => {
    const changes = await programChanges(ctx('anonymous'), { month: '2025-03' });
    expect(changes.map((c) => [c.kind, c.subjectKey])).toEqual([
      ['project_new', 'P002/19'],
      ['initiative_status', 'V10'],
      ['service_level', 'ozg:10001'],
      ['service_target', 'ozg:10002'],
    ]);
    // February's changes are all internal (a tool project, its milestones, its status)
    expect(await programChanges(ctx('developer'), { month: '2025-02' })).toEqual([]);
    expect((await programChanges(ctx('steering'), { month: '2025-02' })).map((c) => c.kind)).toEqual([
      'milestone_new',
      'milestone_new',
      'project_new',
      'project_status',
    ]);
  });

  it('computes KPI changes from the last snapshot before the month to the last one in it', async () => {
    const steering = await kpiDeltas(ctx('steering'), { month: '2025-03' });
    expect(steering.map((d) => [d.kpiId, d.dimensions, d.previous, d.current, d.delta])).toEqual([
      ['procedures.cost', { lifecycle_phase: 'operation' }, 1000, 1200, 200],
      ['projects.by_status', { status: 'in_progress' }, 1, 2, 1],
      ['services.online', {}, 0.3, 0.375, 0.075],
    ]);
    // anonymous: no internal KPI, and counts of 1–4 withheld (unchanged as far as they can tell)
    const anonymous = await kpiDeltas(ctx('anonymous'), { month: '2025-03' });
    expect(anonymous.map((d) => [d.kpiId, d.previous, d.current, d.delta, d.suppressed])).toEqual([
      ['services.online', 0.3, 0.375, 0.075, false],
    ]);
  });

  it('sums up the month with driver projects and, for the steering team, the overdue milestones', async () => {
    const steering = await programMonth(ctx('steering'), { month: '2025-03' });
    expect(steering).toMatchObject({
      month: '2025-03',
      title: 'Geplantes und Erreichtes – März 2025',
      stichtag: '2025-03-31',
      preliminary: false,
      complete: true,
      counts: { erreicht: 2, geplant: 4, verzögert: 1, geändert: 2 },
      overdueMilestones: [{ projectKey: 'OP-1', key: 'm2', dueDate: '2025-03-20', daysOverdue: 11 }],
    });
    expect(steering.driverProjects.map((d) => [d.key, d.projects.map((p) => p.key)])).toEqual([
      ['V01', []],
      ['V10', ['P001/19']],
    ]);
    const anonymous = await programMonth(ctx('anonymous'), { month: '2025-03' });
    expect(anonymous).toMatchObject({ complete: false, counts: { erreicht: 1, geplant: 2, verzögert: 0, geändert: 1 } });
    expect(anonymous).not.toHaveProperty('overdueMilestones');
    expect(JSON.stringify(anonymous)).not.toMatch(/OP-1|Ausschreibung|E-Rechnung“: Status/);
  });

  it('gives one feed entry per month with changes, newest first, public or complete', async () => {
    const steering = await programFeed(ctx('steering'), { months: 24 });
    expect(steering.map((e) => [e.month, e.summary.changes.length, e.updated.toISOString()])).toEqual([
      ['2025-05', 2, '2025-05-09T22:00:00.000Z'],
      ['2025-03', 9, '2025-03-28T03:01:00.000Z'],
      ['2025-02', 4, '2025-02-15T03:01:00.000Z'],
    ]);
    const anonymous = await programFeed(ctx('anonymous'), { months: 24 });
    expect(anonymous.map((e) => [e.month, e.summary.changes.length])).toEqual([['2025-03', 4]]);
    await expect(programFeed(ctx('anonymous'), { months: 0 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('the program overview', () => {
  it('groups the Vorhaben and their projects by navigator field and pillar with the driver-project flag', async () => {
    const overview = await programOverview(ctx('anonymous'), { stichtag: '2025-03-31' });
    expect(overview.pillars).toEqual([
      { key: 'service', name: 'Service-Management', fieldKeys: ['ozg'], initiatives: 1, driverProjects: 1 },
      { key: 'organisation', name: 'Organisations-Management', fieldKeys: ['dms'], initiatives: 1, driverProjects: 0 },
    ]);
    expect(overview.fields.map((f) => [f.key, f.pillarKey, f.initiatives.map((i) => `${i.key}${i.driverProject ? '*' : ''}`)])).toEqual([
      ['fachverfahren', null, ['V01*']],
      ['ozg', 'service', ['V10*']],
      ['dms', 'organisation', ['V12']],
    ]);
    expect(overview.fields[1]?.projectsByStatus).toEqual([{ status: 'in_progress', count: 1 }]);
    // the tool's project OP-1 is internal: not under V12 for anonymous readers
    expect(overview.fields[2]?.initiatives[0]?.projects).toEqual([]);
    expect(overview.projectsWithoutInitiative.map((p) => p.key)).toEqual(['P002/19']);
    const steering = await programOverview(ctx('steering'), { stichtag: '2025-03-31' });
    expect(steering.fields[2]?.initiatives[0]?.projects).toEqual([
      expect.objectContaining({
        key: 'OP-1',
        dueDate: '2025-12-31',
        overdueMilestones: [{ projectKey: 'OP-1', key: 'm2', title: 'Ausschreibung', dueDate: '2025-03-20', daysOverdue: 11 }],
      }),
    ]);
  });

  it('answers through GraphQL: internal fields refused to others, complete for the steering team', async () => {
    const query = `{ programOverview(stichtag: "2025-03-31") { driverProjects { key projects { key dueDate overdueMilestones { key } } } }
      programMonth(month: "2025-03") { title complete counts { erreicht geplant verzoegert geaendert } changes { kind text }
        kpiDeltas { kpiId delta } overdueMilestones { key daysOverdue } } }`;
    const steering = await executeAs(db, 'steering', query);
    expect(steering.errors).toBeUndefined();
    expect(steering.data?.programMonth).toMatchObject({
      complete: true,
      counts: { erreicht: 2, geplant: 4, verzoegert: 1, geaendert: 2 },
      overdueMilestones: [{ key: 'm2', daysOverdue: 11 }],
    });
    const anonymous = await executeAs(db, 'anonymous', query);
    expect(new Set(anonymous.errors?.map((e) => codeOf(e)))).toEqual(new Set(['UNAUTHENTICATED']));
    expect(anonymous.data?.programMonth).toMatchObject({ complete: false, overdueMilestones: null });
    expect(JSON.stringify(anonymous.data)).not.toContain('m2');
    const future = await executeAs(db, 'anonymous', '{ programMonth(month: "2999-01") { title } }');
    expect(future.errors?.map((e) => codeOf(e))).toEqual(['BAD_USER_INPUT']);
  });

  it('gives the page its data in one call', async () => {
    const page = await programPageData(ctx('anonymous'), { month: '2025-03' });
    expect(page).toMatchObject({
      previousMonth: '2025-02',
      nextMonth: '2025-04',
      feedPath: '/programm/feed.atom',
      complete: false,
      ozg: { overview: { stichtag: '2025-03-31', services: 2, online: 1, planned: 1 } },
    });
    expect(page.month.driverProjects.map((d) => d.key)).toEqual(['V01', 'V10']);
    expect(page.overview.stichtag).toBe('2025-03-31');
  });
});

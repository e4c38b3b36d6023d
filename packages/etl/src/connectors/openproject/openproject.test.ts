import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { runSource } from '../../pipeline/run-source.js';
import type { SourceDefinition } from '../../sources/sources.js';
import { openProjectConfig } from './config.js';
import { ReplayServer } from './replay-server.js';

const token = 'replay-token-4711';

// Changes made "on the server" during the tests: days before now, so that they lie before the
// server's clock (the cursor never passes the server's Date minus the overlap) whenever tests run.
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const changedAt = { wp13: daysAgo(6), wp40: daysAgo(5), wp40closed: daysAgo(4), wp41: daysAgo(3), wp42: daysAgo(2), wp43: daysAgo(1) };
const berlinDate = (iso: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date(iso));
const env = { OPENPROJECT_TOKEN: token };

let db: TestDatabase;
let server: ReplayServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await new ReplayServer(token).start();
});
afterAll(async () => {
  await server.close();
  await db.close();
});

/** An `openproject` source against the replay server; fast retries so the tests stay quick. */
function source(overrides: Record<string, unknown> = {}, name = 'openproject-replay'): SourceDefinition {
  return {
    name,
    title: 'OpenProject (Replay)',
    connector: 'openproject',
    schedule: undefined,
    drift: 'evolve',
    sample: false,
    baseDir: '.',
    config: openProjectConfig.parse({
      baseUrl: server.url,
      tokenEnv: 'OPENPROJECT_TOKEN',
      pageSize: 2,
      retryBaseMs: 5,
      requestTimeoutMs: 2000,
      maxRetryAfterSeconds: 5,
      ...overrides,
    }),
  };
}

const rows = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows as T[];
const cursor = async (name = 'openproject-replay') =>
  (await rows<{ value: string }>(`select value from etl.cursor where source = $1`, [name]))[0]?.value ?? null;
/** What a failed run must leave as it was. */
const snapshot = async () => ({
  projects: await rows(
    `select external_id, key, status, status_raw, last_run_id from core.project where source = 'openproject' order by external_id`,
  ),
  workPackages: await rows(
    `select external_id, status, is_closed, last_run_id from core.work_package where source = 'openproject' order by external_id`,
  ),
  milestones: await rows(`select key, is_closed, last_run_id from core.milestone order by key`),
  cursor: await cursor(),
});

describe('openproject connector against a replay of the recorded API payloads', () => {
  // The server's data and the database carry over from test to test (a sequence of runs);
  // requests and faults are per test.
  beforeEach(() => {
    server.reset();
  });

  it('loads all projects and work packages across pages by following nextByOffset, and counts add up', async () => {
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ status: 'succeeded', read: 11, loaded: 11, unchanged: 0, quarantined: 0 });
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);

    // 7 projects at 2 per page: pages 1–4, each after the first reached through nextByOffset
    const projectPages = server.requestsOf('projects');
    expect(projectPages.map((r) => r.query.get('offset'))).toEqual(['1', '2', '3', '4']);
    expect(projectPages.slice(1).every((r) => r.query.get('replayNext') === '1')).toBe(true);
    // filters=[] explicitly (else the API's default filter hides closed work packages); Basic auth apikey:<token>
    for (const r of [...projectPages, ...server.requestsOf('work_packages')]) {
      expect(r.query.get('filters')).toBe('[]');
      expect(r.authorization).toBe(`Basic ${Buffer.from(`apikey:${token}`).toString('base64')}`);
    }
    expect(server.requestsOf('work_packages').map((r) => r.query.get('offset'))).toEqual(['1', '2']);

    const projects = await rows(
      `select p.external_id, p.key, p.title, p.status, p.status_raw, p.is_active, parent.external_id as parent, p.source_position
       from core.project p left join core.project parent on parent.id = p.parent_id
       where p.source = 'openproject' order by p.external_id::int`,
    );
    expect(projects).toHaveLength(7);
    expect(projects[0]).toEqual({
      external_id: '1',
      key: 'OP-demo-project',
      title: 'Demo project',
      status: 'in_progress',
      status_raw: 'On track',
      is_active: true,
      parent: null,
      source_position: '/api/v3/projects/1',
    });
    // {href: null} status and no work packages: status unknown; the hierarchy comes from _links.parent
    expect(projects[6]).toMatchObject({ key: 'OP-dev-large-grand-child', status: null, status_raw: '', parent: '5' });
    expect(projects[4]).toMatchObject({ key: 'OP-dev-large-child', parent: '4' });

    const wps = await rows(
      `select w.external_id, w.subject, w.type, w.status, w.status_raw, w.is_closed, w.is_milestone, w.start_date::text, w.due_date::text,
              w.estimated_time::text, w.custom_fields, p.key as project, w.parent_external_id, w.source_position
       from core.work_package w left join core.project p on p.id = w.project_id
       where w.source = 'openproject' order by w.external_id::int`,
    );
    expect(wps.map((w) => w.external_id)).toEqual(['2', '5', '13', '1528']);
    expect(wps[0]).toMatchObject({
      subject: 'Organize open source conference',
      type: 'Phase',
      status: 'in_progress',
      status_raw: 'In progress',
      is_closed: false,
      is_milestone: false,
      start_date: '2022-01-15',
      due_date: '2022-03-26',
      estimated_time: null,
      project: 'OP-demo-project',
      parent_external_id: null,
      source_position: '/api/v3/work_packages/2',
    });
    // the spec's example: a PT2H duration, custom fields (the user-type one is left out), a parent,
    // and a project link (/api/v3/portfolio/1) that names no readable project
    expect(wps[3]).toMatchObject({
      status: 'planned',
      estimated_time: '02:00:00',
      custom_fields: { customField1: 'Foo', customField2: 42 },
      project: null,
      parent_external_id: '1298',
    });
    // project dates and status follow from the work packages
    expect(await rows(`select start_date::text, due_date::text from core.project where key = 'OP-demo-project'`)).toEqual([
      { start_date: '2022-01-15', due_date: '2022-03-26' },
    ]);
    expect(
      await rows(
        `select count(*)::int as n from core.project_status_history h join core.project p on p.id = h.project_id where p.source = 'openproject' and h.valid_to is null`,
      ),
    ).toEqual([{ n: 7 }]);
    // the cursor: the newest updatedAt read
    expect(await cursor()).toBe('2022-01-12T08:53:29Z');
  });

  it('reads only changes on the next run (updatedAt filter from the committed cursor): unchanged data stays unchanged', async () => {
    const before = await snapshot();
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 0, quarantined: 0, deleted: 0 });
    // 7 projects (always listed) + the work package whose updatedAt equals the cursor (inclusive window)
    expect(run.unchanged).toBe(8);
    expect(run.read).toBe(run.unchanged);
    const filters = JSON.parse(server.requestsOf('work_packages')[0]?.query.get('filters') ?? 'null') as unknown;
    expect(filters).toEqual([{ updatedAt: { operator: '<>d', values: ['2022-01-12T08:53:29Z', expect.any(String)] } }]);
    expect(await snapshot()).toEqual(before);
  });

  it('merges changed and new work packages incrementally, deletes nothing, and commits the cursor with the data', async () => {
    const wp13 = server.workPackages.find((w) => w.id === 13) as Record<string, unknown>;
    Object.assign(wp13, { updatedAt: changedAt.wp13 });
    (wp13._links as Record<string, unknown>).status = { href: '/api/v3/statuses/12', title: 'Closed' };
    const template = server.workPackages.find((w) => w.id === 5) as Record<string, unknown>;
    const milestone = {
      ...template,
      id: 40,
      subject: 'Konferenz eröffnet',
      startDate: undefined,
      dueDate: undefined,
      date: '2022-03-26',
      updatedAt: changedAt.wp40,
      _links: {
        ...(template._links as object),
        self: { href: '/api/v3/work_packages/40' },
        type: { href: '/api/v3/types/2', title: 'Milestone' },
        status: { href: '/api/v3/statuses/1', title: 'New' },
      },
    };
    server.workPackages.push(milestone);
    // gone from the server: an incremental run must not delete it
    server.workPackages = server.workPackages.filter((w) => w.id !== 1528);

    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 2, deleted: 0, quarantined: 0 });
    expect(run.read).toBe(run.loaded + run.unchanged);
    expect(
      await rows(
        `select external_id, status, is_closed from core.work_package where external_id in ('13', '40', '1528') order by external_id`,
      ),
    ).toEqual([
      { external_id: '13', status: 'done', is_closed: true },
      { external_id: '1528', status: 'planned', is_closed: false },
      { external_id: '40', status: 'planned', is_closed: false },
    ]);
    expect(
      await rows(
        `select m.key, m.title, m.due_date::text, m.is_closed, p.key as project from core.milestone m join core.project p on p.id = m.project_id`,
      ),
    ).toEqual([{ key: 'OP#40', title: 'Konferenz eröffnet', due_date: '2022-03-26', is_closed: false, project: 'OP-demo-project' }]);
    expect(await cursor()).toBe(changedAt.wp40);
    const { rows: runRows } = await db.pool.query(`select cursor_from, cursor_to from etl.run where id = $1`, [run.runId]);
    expect(runRows[0]).toEqual({ cursor_from: '2022-01-12T08:53:29Z', cursor_to: changedAt.wp40 });
  });

  it('records a milestone reached and a project status change in the status history', async () => {
    const demo = server.projects.find((p) => p.id === 1) as Record<string, unknown>;
    (demo._links as Record<string, unknown>).status = { href: '/api/v3/project_statuses/at_risk', title: 'At risk' };
    Object.assign(server.workPackages.find((w) => w.id === 40) as object, { updatedAt: changedAt.wp40closed });
    ((server.workPackages.find((w) => w.id === 40) as Record<string, unknown>)._links as Record<string, unknown>).status = {
      href: '/api/v3/statuses/12',
      title: 'Closed',
    };
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 2 });
    expect(await rows(`select is_closed, done_date::text from core.milestone where key = 'OP#40'`)).toEqual([
      { is_closed: true, done_date: berlinDate(changedAt.wp40closed) },
    ]);
    expect(
      await rows(
        `select h.status_raw, h.valid_to is null as current from core.project_status_history h join core.project p on p.id = h.project_id
         where p.key = 'OP-demo-project' order by h.valid_from, h.id`,
      ),
    ).toEqual([
      { status_raw: 'On track', current: false },
      { status_raw: 'At risk', current: true },
    ]);
  });

  it('fails at once on a wrong token (401), naming the variable, without retrying; data and cursor stay', async () => {
    const before = await snapshot();
    const run = await runSource(db.pool, source(), { log: db.log, env: { OPENPROJECT_TOKEN: 'falsch' } });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/HTTP 401.*OPENPROJECT_TOKEN/);
    expect(server.requests).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
    const { rows: runRows } = await db.pool.query(`select status, error_code from etl.run where id = $1`, [run.runId]);
    expect(runRows[0]).toEqual({ status: 'failed', error_code: 'OP_UNAUTHORIZED' });
  });

  it('fails without a token: unset variable before any request, no tokenEnv on the 401', async () => {
    const unset = await runSource(db.pool, source(), { log: db.log, env: {} });
    expect(unset).toMatchObject({ status: 'failed' });
    expect(unset.error).toMatch(/environment variable OPENPROJECT_TOKEN .*not set/);
    expect(server.requests).toHaveLength(0);
    const anonymous = await runSource(db.pool, source({ tokenEnv: undefined }), { log: db.log, env });
    expect(anonymous.status).toBe('failed');
    expect(anonymous.error).toMatch(/HTTP 401.*tokenEnv/);
  });

  it('waits for Retry-After on 429 (seconds and HTTP date), then succeeds', async () => {
    server.fail('/api/v3/work_packages', { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { page: 1 });
    server.fail(
      '/api/v3/projects',
      { kind: 'status', status: 429, headers: { 'retry-after': new Date(Date.now() + 1500).toUTCString() } },
      { page: 2 },
    );
    const started = Date.now();
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run.status).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(server.requestsOf('work_packages').filter((r) => r.query.get('offset') === '1')).toHaveLength(2);
    expect(server.requestsOf('projects').filter((r) => r.query.get('offset') === '2')).toHaveLength(2);
  });

  it('fails when Retry-After asks for longer than maxRetryAfterSeconds', async () => {
    server.fail('/api/v3/projects', { kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/wait 3600 s/);
  });

  it('retries 5xx with backoff and succeeds on the third attempt; gives up after maxAttempts', async () => {
    server.fail('/api/v3/work_packages', { kind: 'status', status: 500 }, { page: 2, times: 2 });
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run.status).toBe('succeeded');
    expect(run.loaded).toBe(0);
    server.requests.length = 0;
    server.fail('/api/v3/statuses', { kind: 'status', status: 503 }, { times: 10 });
    const failed = await runSource(db.pool, source({ maxAttempts: 3 }), { log: db.log, env });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/HTTP 503.*gave up after 3 attempts/);
    expect(server.requestsOf('statuses')).toHaveLength(3);
  });

  it('retries a page whose connection breaks mid-body', async () => {
    server.fail('/api/v3/projects', { kind: 'cut' }, { page: 3 });
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ status: 'succeeded', loaded: 0 });
    expect(server.requestsOf('projects').filter((r) => r.query.get('offset') === '3')).toHaveLength(2);
  });

  it('fails on an HTML page instead of JSON and leaves the previous data and cursor intact', async () => {
    const before = await snapshot();
    server.fail('/api/v3/work_packages', { kind: 'html' });
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/HTML page .*"Wartungsarbeiten"/);
    expect(server.requestsOf('work_packages')).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
  });

  it('fails within the timeout when the server stops answering', async () => {
    const before = await snapshot();
    server.fail('/api/v3/work_packages', { kind: 'silence' }, { times: 5 });
    const started = Date.now();
    const run = await runSource(db.pool, source({ requestTimeoutMs: 300, maxAttempts: 2 }), { log: db.log, env });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/no complete answer within 300 ms.*gave up after 2 attempts/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await snapshot()).toEqual(before);
  });

  it('stops on a short page when the server keeps sending nextByOffset', async () => {
    server.careless = true;
    const run = await runSource(db.pool, source({ mode: 'full' }, 'openproject-careless'), { log: db.log, env });
    expect(run.status).toBe('succeeded');
    expect(server.requestsOf('projects').map((r) => r.query.get('offset'))).toEqual(['1', '2', '3', '4']);
  });

  it('quarantines abbreviated resources with their position and reason', async () => {
    const projects = server.projects;
    server.projects = [
      ...projects,
      { _abbreviated: 'Project resource shortened for brevity', id: 99, identifier: 'initialproject', name: 'DeathStar construction' },
    ];
    const run = await runSource(db.pool, source({}, 'openproject-abbreviated'), { log: db.log, env });
    server.projects = projects;
    expect(run).toMatchObject({ status: 'succeeded', quarantined: 1 });
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    expect(await rows(`select position, reason_code, reason from etl.quarantine where run_id = $1`, [run.runId])).toEqual([
      { position: 'projects page 4 #2 (id 99)', reason_code: 'ROW_INVALID_VALUE', reason: expect.stringMatching(/abbreviated/) },
    ]);
  });

  it('keeps the cursor when work packages vanish mid-listing (one may have been skipped); a full load fails instead', async () => {
    const extra = {
      ...(server.workPackages.find((w) => w.id === 2) as object),
      id: 41,
      subject: 'Neu im Fenster',
      updatedAt: changedAt.wp41,
    };
    server.workPackages.push(extra);
    await runSource(db.pool, source(), { log: db.log, env });
    const kept = await cursor();
    expect(kept).toBe(changedAt.wp41);
    // from now on every page served removes the last work package: totals differ from page to page
    server.workPackages.push({ ...extra, id: 42, updatedAt: changedAt.wp42 }, { ...extra, id: 43, updatedAt: changedAt.wp43 });
    server.afterPage = (path) => {
      if (path === '/api/v3/work_packages') server.workPackages = server.workPackages.slice(0, -1);
    };
    const incremental = await runSource(db.pool, source({ pageSize: 1 }), { log: db.log, env });
    expect(incremental.status).toBe('succeeded');
    expect(await cursor()).toBe(kept);
    server.workPackages.push({ ...extra, id: 42, updatedAt: changedAt.wp42 }, { ...extra, id: 43, updatedAt: changedAt.wp43 });
    const full = await runSource(db.pool, source({ pageSize: 1, mode: 'full' }), { log: db.log, env });
    expect(full.status).toBe('failed');
    expect(full.error).toMatch(/work_packages listing changed while it was read/);
    server.afterPage = null;
    server.workPackages = server.workPackages.filter((w) => Number(w.id) < 41);
  });

  it('never moves the cursor past the server clock: a change stamped later is read again next time', async () => {
    const ahead = new Date(Date.now() + 3600_000).toISOString();
    server.workPackages.push({ ...(server.workPackages.find((w) => w.id === 2) as object), id: 44, updatedAt: ahead });
    const run = await runSource(db.pool, source(), { log: db.log, env });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 1 });
    const value = Date.parse((await cursor()) ?? '');
    expect(value).toBeLessThanOrEqual(Date.now() - 59_000);
    expect(value).toBeGreaterThan(Date.now() - 300_000);
    server.reset();
    const next = await runSource(db.pool, source(), { log: db.log, env });
    expect(next).toMatchObject({ status: 'succeeded', loaded: 0, unchanged: 8 });
  });

  it('a full run deletes what the server no longer lists', async () => {
    server.projects = server.projects.filter((p) => p.id !== 3);
    server.workPackages = server.workPackages.filter((w) => w.id !== 13);
    const listed = server.workPackages.map((w) => String(w.id));
    const gone = await rows(`select external_id from core.work_package where source = 'openproject' and not (external_id = any($1))`, [
      listed,
    ]);
    expect(gone.map((g) => g.external_id)).toContain('13');
    const run = await runSource(db.pool, source({ mode: 'full' }), { log: db.log, env });
    // project 3 and every work package the server no longer lists
    expect(run).toMatchObject({ status: 'succeeded', deleted: 1 + gone.length });
    expect(await rows(`select count(*)::int as n from core.project where source = 'openproject' and external_id = '3'`)).toEqual([
      { n: 0 },
    ]);
    expect(await rows(`select count(*)::int as n from core.work_package where source = 'openproject' and external_id = '13'`)).toEqual([
      { n: 0 },
    ]);
  });
});

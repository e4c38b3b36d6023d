// A service's metrics over real HTTP, where PostgreSQL writes the list as the answer's JSON text
// for a plain selection (lookahead.ts' rawListSelection, service.service.ts' metricsText): the
// answer must hold the same values as the rows the executor completes otherwise — for anonymous
// readers (small counts withheld) and the steering team, with aliases, and when one service is
// asked twice with different selections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiKey } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createApp } from './app.js';
import { listenOnLoopback } from './testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let base: string;
let steering: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.service (key, kind, ozg_id, title) values ('ozg:1', 'ozg', '1', 'Eins');
    insert into core.service_metric (service_id, month, applications_online, applications_offline, appointments, median_processing_days)
      select s.id, date '2025-01-01' + make_interval(months => g), nullif(g, 5), 10 - g, case when g = 1 then null else 7 end,
             case when g = 2 then null else 12.5 end
      from core.service s cross join generate_series(0, 5) g;
    insert into core.project (key, title, source, status) values ('OP-1', 'Eins', 'openproject', 'planned'), ('OP-2', 'Zwei', 'openproject', null);
    insert into core.milestone (project_id, key, title, due_date, done_date, is_closed)
      select p.id, 'M' || g, 'Meilenstein "' || g || '" \\ ü', case when g = 2 then null else current_date + (g - 3) * 10 end,
             case when g = 3 then current_date end, g = 4
      from core.project p cross join generate_series(1, 4) g where p.key = 'OP-1';`);
  ({ key: steering } = await createApiKey(db.pool, { name: 'steering', role: 'steering' }));
  app = await createApp({ pool: db.pool, log: db.log, introspection: false });
  base = await listenOnLoopback(app);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

async function ask(query: string, key?: string): Promise<{ text: string; data: Record<string, unknown> }> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  const json = JSON.parse(text) as { data: Record<string, unknown>; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return { text, data: json.data };
}

const fields = 'month applicationsOnline applicationsOffline appointments medianProcessingDays suppressed';

const milestoneFields = 'key title dueDate doneDate isClosed overdue';

describe('a list written by PostgreSQL as the answer', () => {
  it('hold the milestones the executor writes from rows, on a page of projects', async () => {
    const text = await ask(`{ projects(first: 2) { nodes { key milestones { ${milestoneFields} } } } }`, steering);
    const rows = await ask(`{ projects(first: 2) { nodes { key milestones { __typename ${milestoneFields} } } } }`, steering);
    expect(text.text).toContain('"milestones":[{"key":"M1","title":"Meilenstein \\"1\\" \\\\ ü"');
    expect(rows.text).toContain('"milestones":[{"__typename":"Milestone"');
    const nodes = (rows.data.projects as { nodes: { key: string; milestones: Record<string, unknown>[] }[] }).nodes.map((n) => ({
      key: n.key,
      milestones: n.milestones.map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== '__typename'))),
    }));
    expect(text.data).toEqual({ projects: { nodes } });
    expect(nodes.map((n) => n.milestones.length)).toEqual([4, 0]);
    expect(nodes[0]?.milestones.map((m) => [m.key, m.overdue, m.isClosed, m.dueDate === null, m.doneDate === null])).toEqual([
      ['M1', true, false, false, true],
      ['M3', false, false, false, false],
      ['M4', false, true, false, true],
      ['M2', false, false, true, true],
    ]);
  });

  it('answer nodes and edges of the same projects each with its own selection', async () => {
    const { data } = await ask(
      `{ projects(first: 1) { nodes { milestones { key } } edges { node { milestones { title isClosed } } } } }`,
      steering,
    );
    const page = data.projects as { nodes: { milestones: unknown[] }[]; edges: { node: { milestones: unknown[] } }[] };
    expect(page.nodes[0]?.milestones[0]).toEqual({ key: 'M1' });
    expect(page.edges[0]?.node.milestones[0]).toEqual({ title: 'Meilenstein "1" \\ ü', isClosed: false });
  });

  it('hold the values the executor writes from rows, for anonymous readers and the steering team', async () => {
    for (const key of [undefined, steering]) {
      const text = await ask(`{ service(key: "ozg:1") { key metrics { ${fields} } } }`, key);
      // __typename in the list: read as rows and completed field by field
      const rows = await ask(`{ service(key: "ozg:1") { key metrics { __typename ${fields} } } }`, key);
      // numbers as PostgreSQL writes them: only the text path says 12.50
      expect(text.text).toContain('"medianProcessingDays":12.50');
      expect(rows.text).not.toContain('12.50');
      const metrics = (rows.data.service as { metrics: Record<string, unknown>[] }).metrics.map((m) => {
        expect(m.__typename).toBe('ServiceMetric');
        return Object.fromEntries(Object.entries(m).filter(([k]) => k !== '__typename'));
      });
      expect(text.data).toEqual({ service: { key: 'ozg:1', metrics } });
      expect(metrics).toHaveLength(6);
      // anonymous: counts of 1–4 withheld and marked; steering: all
      expect(metrics[1]).toEqual(
        key
          ? {
              month: '2025-02',
              applicationsOnline: 1,
              applicationsOffline: 9,
              appointments: null,
              medianProcessingDays: 12.5,
              suppressed: false,
            }
          : {
              month: '2025-02',
              applicationsOnline: null,
              applicationsOffline: 9,
              appointments: null,
              medianProcessingDays: 12.5,
              suppressed: true,
            },
      );
    }
  });

  it('use the aliases, and answer one service asked twice with each selection', async () => {
    const { text, data } = await ask(`{
      a: service(key: "ozg:1") { m: metrics { when: month online: applicationsOnline } }
      b: service(key: "ozg:1") { metrics { appointments } }
    }`);
    expect(text).toContain('"m":[{"when":"2025-01","online":0}');
    const a = (data.a as { m: { when: string; online: number | null }[] }).m;
    const b = (data.b as { metrics: { appointments: number | null }[] }).metrics;
    expect(a.map((r) => r.when)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']);
    expect(a.map((r) => r.online)).toEqual([0, null, null, null, null, null]);
    expect(b).toEqual([{ appointments: 7 }, { appointments: null }, { appointments: 7 }, ...Array(3).fill({ appointments: 7 })]);
  });

  it('answer the same through graphql-js (a directive) and through a fragment', async () => {
    const plain = await ask(`{ service(key: "ozg:1") { metrics { ${fields} } } }`);
    const directive = await ask(`{ service(key: "ozg:1") { metrics @include(if: true) { ${fields} } } }`);
    const fragment = await ask(`{ service(key: "ozg:1") { ...M } } fragment M on Service { metrics { ${fields} } }`);
    expect(directive.data).toEqual(plain.data);
    expect(fragment.data).toEqual(plain.data);
  });
});

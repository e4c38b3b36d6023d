import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { snapshotKpis } from '../kpis/kpi.snapshot.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { createLoaders, type GraphQLContext } from './context.js';
import { getSchema } from './schema.js';

// The hot read paths of the benchmark mix (bench/graphql) answer in one statement and read only
// the columns asked for — and give what the general paths (the DataLoaders) give.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into etl.run (id, source, status) overriding system value values (800, 'fixture', 'running');
    insert into core.org_unit (code, name, kind) values ('32', 'Amt 32', 'amt');
    insert into core.project (key, title, source, status) values
      ('OP-1', 'Eins', 'openproject', 'planned'), ('OP-2', 'Zwei', 'openproject', 'done'), ('OP-3', 'Drei', 'openproject', null);
    insert into core.milestone (project_id, key, title, due_date, done_date, is_closed)
      select p.id, 'M' || g, 'Meilenstein ' || g, case when g = 2 then null else current_date + (g - 3) * 10 end, null, g = 4
      from core.project p cross join generate_series(1, 4) g where p.key <> 'OP-3';
    insert into core.service (key, kind, ozg_id, title) values ('ozg:1', 'ozg', '1', 'Eins');
    insert into core.service_metric (service_id, month, applications_online, applications_offline, median_processing_days, org_unit_id)
      select s.id, date '2025-01-01' + make_interval(months => g), g, 10 - g, 1.5, (select id from core.org_unit where code = '32')
      from core.service s cross join generate_series(0, 3) g;
    insert into core.geo_layer (key, title, published) values ('punkte', 'Punkte', true);
    insert into core.geo_feature (layer_id, feature_key, geometry, bbox, properties)
      select l.id, 'F' || g, '{"type":"Point","coordinates":[12,54]}', box(point(12, 54), point(12, 54)), '{}'
      from core.geo_layer l cross join generate_series(1, 3) g;`);
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await snapshotKpis(client, 800);
    await client.query('commit');
  } finally {
    client.release();
  }
});
afterAll(async () => {
  await db.close();
});

/** Runs an operation and records the SQL it sends. */
async function run(role: Role, source: string) {
  const statements: string[] = [];
  const pool = new Proxy(db.pool, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (...args: unknown[]) => {
          statements.push(String(args[0]));
          return (target.query as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const ctx: GraphQLContext = { viewer: { role }, pool, log: db.log, requestId: 't', loaders: undefined as never };
  ctx.loaders = createLoaders(ctx);
  const result = await graphql({ schema: await getSchema(), source, contextValue: ctx });
  expect(result.errors).toBeUndefined();
  return { data: result.data as Record<string, unknown>, statements };
}

const milestoneFields = 'key title dueDate doneDate isClosed overdue';

describe('hot read paths', () => {
  it('page projects with their milestones in one statement, as the loader would give them', async () => {
    const page = await run('steering', `{ projects { nodes { key milestones { ${milestoneFields} } } } }`);
    expect(page.statements).toHaveLength(1);
    // the loader path (one project at a time) is the reference
    const single = await run(
      'steering',
      `{ a: project(key: "OP-1") { milestones { ${milestoneFields} } } c: project(key: "OP-3") { milestones { key } } }`,
    );
    const nodes = (page.data.projects as { nodes: { key: string; milestones: unknown[] }[] }).nodes;
    expect(nodes.find((n) => n.key === 'OP-1')?.milestones).toEqual((single.data.a as { milestones: unknown[] }).milestones);
    expect(nodes.find((n) => n.key === 'OP-3')?.milestones).toEqual([]);
    // due-date order, undated last; overdue = past due, not done, not closed
    expect((single.data.a as { milestones: { key: string; overdue: boolean }[] }).milestones.map((m) => [m.key, m.overdue])).toEqual([
      ['M1', true],
      ['M3', false],
      ['M4', false],
      ['M2', false],
    ]);
  });

  it('read only the asked columns of projects and geo features', async () => {
    // the select list: what the statement reads from its relation
    const selected = (statement: string | undefined) => statement?.slice(0, statement.indexOf(' from ')) ?? '';
    const slim = await run('steering', '{ projects { nodes { key title } } }');
    expect(selected(slim.statements[0])).not.toMatch(/initiative_key|org_unit|goals|milestone/);
    const full = await run('steering', '{ projects { nodes { key orgUnit { code } } } }');
    expect(selected(full.statements[0])).toMatch(/org_unit/);
    const keys = await run('anonymous', '{ geoFeatures(layer: "punkte") { nodes { featureKey } } }');
    expect(keys.statements).toHaveLength(1);
    expect(selected(keys.statements[0])).not.toMatch(/geometry|properties|json_build_array/);
    expect((keys.data.geoFeatures as { nodes: unknown[] }).nodes).toEqual([
      { featureKey: 'F1' },
      { featureKey: 'F2' },
      { featureKey: 'F3' },
    ]);
  });

  it('read a service with its metrics, and a KPI cut, in one statement each', async () => {
    for (const role of ['anonymous', 'steering'] as const) {
      const one = await run(role, '{ service(key: "ozg:1") { key metrics { month applicationsOnline applicationsOffline suppressed } } }');
      expect(one.statements).toHaveLength(1);
      const listed = await run(role, '{ services { nodes { key metrics { month applicationsOnline applicationsOffline suppressed } } } }');
      expect((one.data.service as { metrics: unknown }).metrics).toEqual(
        (listed.data.services as { nodes: { metrics: unknown }[] }).nodes[0]?.metrics,
      );
    }
    const kpi = await run(
      'steering',
      '{ kpi(id: "services.online_share_of_cases", groupBy: ["month"]) { runId values { dimensions numerator denominator value } } }',
    );
    expect(kpi.statements).toHaveLength(1);
    expect((kpi.data.kpi as { runId: number; values: unknown[] }).values[0]).toEqual({
      dimensions: { month: '2025-01' },
      numerator: 0,
      denominator: 10,
      value: 0,
    });
  });
});

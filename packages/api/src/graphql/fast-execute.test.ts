import { execute, getOperationAST, parse, validate, type ExecutionResult } from 'graphql';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { snapshotKpis } from '../kpis/kpi.snapshot.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { createLoaders, type GraphQLContext } from './context.js';
import { fastExecute, takesFastPath } from './fast-execute.js';
import { toGlobalId } from './relay.js';
import { getSchema } from './schema.js';

// The planned executor must answer exactly as graphql-js does — data, key order, errors, paths —
// for everything it plans, and leave the rest to graphql-js. Each operation below runs through
// both, on fresh contexts, and the JSON texts must be identical.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into etl.run (id, source, status) overriding system value values (700, 'fixture', 'running');
    insert into core.org_unit (code, name, kind) values ('32', 'Amt 32', 'amt'), ('73', 'Amt 73', 'amt');
    insert into core.project (key, title, source, status, goals, org_unit_id) values
      ('P1', 'Rat eins', 'council-paper', 'in_progress', '{Ziel A,Ziel B}', (select id from core.org_unit where code = '32')),
      ('OP-1', 'Werkzeug eins', 'openproject', 'planned', '{}', null),
      ('OP-2', 'Werkzeug zwei', 'openproject', null, '{}', (select id from core.org_unit where code = '73'));
    insert into core.milestone (project_id, key, title, due_date, done_date, is_closed)
      select p.id, 'M' || g, 'Meilenstein ' || g, date '2024-01-01' + g * 30, case when g = 2 then date '2024-02-01' end, g = 3
      from core.project p cross join generate_series(1, 3) g;
    insert into core.service (key, kind, ozg_id, title) values ('ozg:1', 'ozg', '1', 'Leistung eins'), ('ozg:2', 'ozg', '2', 'Leistung zwei');
    insert into core.service_metric (service_id, month, applications_online, applications_offline, median_processing_days, org_unit_id)
      select s.id, date '2025-01-01' + make_interval(months => g), g * 3, 10, 2.5, (select id from core.org_unit where code = '32')
      from core.service s cross join generate_series(0, 5) g;
    insert into core.geo_layer (key, title, published) values ('punkte', 'Punkte', true);
    insert into core.geo_feature (layer_id, feature_key, geometry, bbox, properties)
      select l.id, 'F' || g, jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(12 + g / 100.0, 54)),
             box(point(12 + g / 100.0, 54), point(12 + g / 100.0, 54)), jsonb_build_object('n', g)
      from core.geo_layer l cross join generate_series(1, 8) g;`);
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await snapshotKpis(client, 700);
    await client.query('commit');
  } finally {
    client.release();
  }
});
afterAll(async () => {
  await db.close();
});

function context(role: Role, pool: Pool = db.pool): GraphQLContext {
  const ctx: GraphQLContext = { viewer: { role }, pool, log: db.log, requestId: 'test', loaders: undefined as never };
  ctx.loaders = createLoaders(ctx);
  return ctx;
}

async function both(role: Role, source: string, variableValues?: Record<string, unknown>) {
  const schema = await getSchema();
  const document = parse(source);
  expect(validate(schema, document)).toEqual([]);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  const reference: ExecutionResult = await execute({ schema, document, variableValues, contextValue: context(role) });
  const fast = await fastExecute({ schema, document, operation, variableValues, contextValue: context(role) });
  return { reference, fast, planned: takesFastPath(schema, document, operation) };
}

const same = async (role: Role, source: string, variables?: Record<string, unknown>) => {
  const { reference, fast, planned } = await both(role, source, variables);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(reference));
  return { result: fast, planned };
};

describe('the planned executor', () => {
  it('answers pages with nested lists, aliases, fragments and variables as graphql-js does', async () => {
    const { result, planned } = await same(
      'steering',
      `query Page($first: Int, $after: String) {
        projects(first: $first, after: $after) {
          __typename
          pageInfo { hasNextPage endCursor }
          edges { cursor node { ...P } }
          nodes { id key titel: title status milestones { key dueDate doneDate isClosed overdue } }
        }
      }
      fragment P on Project { key goals orgUnit { code name } lineage { runId position } }`,
      { first: 2 },
    );
    expect(planned).toBe(true);
    expect(result.errors).toBeUndefined();
    const page = result.data?.projects as { nodes: { key: string; titel: string; milestones: unknown[] }[] };
    expect(page.nodes.map((n) => [n.key, n.titel, n.milestones.length])).toEqual([
      ['OP-1', 'Werkzeug eins', 3],
      ['OP-2', 'Werkzeug zwei', 3],
    ]);
  });

  it('answers services with metrics, KPIs with list variables and geo features with input objects alike', async () => {
    const service = await same(
      'anonymous',
      'query ($key: String!) { service(key: $key) { key title metrics { month applicationsOnline medianProcessingDays suppressed } } }',
      {
        key: 'ozg:2',
      },
    );
    expect((service.result.data?.service as { metrics: unknown[] }).metrics).toHaveLength(6);
    const kpi = await same(
      'steering',
      `query ($months: [String!]!) { kpi(id: "services.online_share_of_cases", groupBy: ["org_unit", "month"], filter: [{ dimension: "month", values: $months }]) {
        runId kpi { id unit dimensions } values { dimensions value numerator denominator suppressed } } }`,
      { months: ['2025-01', '2025-02'] },
    );
    expect((kpi.result.data?.kpi as { values: unknown[] }).values).toHaveLength(2);
    const geo = await same(
      'anonymous',
      'query ($b: BBoxInput) { geoFeatures(layer: "punkte", bbox: $b, first: 3) { nodes { featureKey geometry bbox properties } pageInfo { hasNextPage } } }',
      { b: { minLon: 12.015, minLat: 53.9, maxLon: 12.055, maxLat: 54.1 } },
    );
    expect((geo.result.data?.geoFeatures as { nodes: { featureKey: string }[] }).nodes.map((n) => n.featureKey)).toEqual([
      'F2',
      'F3',
      'F4',
    ]);
    expect([service.planned, kpi.planned, geo.planned]).toEqual([true, true, true]);
  });

  it('leaves field errors, null propagation and refused fields to graphql-js, with the same paths', async () => {
    // milestones are internal: each one is null with FORBIDDEN-like errors for anonymous readers
    const refused = await same('anonymous', '{ projects { nodes { key milestones { key } } } }');
    expect(refused.planned).toBe(true);
    expect(refused.result.errors?.length).toBeGreaterThan(0);
    expect(refused.result.errors?.[0]?.path).toEqual(['projects', 'nodes', 0, 'milestones']);
    // a non-null root field that fails nulls the whole answer
    const missing = await same('anonymous', '{ service(key: "ozg:404") { key } }');
    expect(missing.result.data).toBeNull();
    expect(missing.result.errors?.[0]?.message).toMatch(/ozg:404/);
  });

  it('hands operations it does not plan to graphql-js entirely', async () => {
    const id = toGlobalId('Project', 'P1');
    const node = await same('anonymous', `{ node(id: "${id}") { __typename ... on Project { key title } } }`);
    expect(node.planned).toBe(false);
    expect(node.result.data?.node).toEqual({ __typename: 'Project', key: 'P1', title: 'Rat eins' });
    const directive = await same('anonymous', 'query ($x: Boolean!) { projects { nodes { key title @include(if: $x) } } }', { x: false });
    expect(directive.planned).toBe(false);
    expect(directive.result.data?.projects).toEqual({ nodes: [{ key: 'P1' }] });
    const bad = await same('anonymous', 'query ($first: Int) { projects(first: $first) { nodes { key } } }', { first: 'many' });
    expect(bad.result.errors?.[0]?.message).toMatch(/Int/);
  });
});

// The filter and orderBy conventions of every list connection, over real HTTP on the bundled sample
// data: each answer is compared with the same question asked of the database in SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from './app.js';
import { listenOnLoopback } from './testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let base: string;
let steering: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  app = await createApp({ pool: db.pool, log: db.log, introspection: false, rateLimits: { anonymous: 10_000, key: 10_000 } });
  base = await listenOnLoopback(app);
  steering = (await createApiKey(db.pool, { name: 'steering', role: 'steering' })).key;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface Answer {
  data?: Record<
    string,
    { totalCount?: number; nodes: Record<string, string>[]; pageInfo?: { hasNextPage: boolean; endCursor: string } } | null
  >;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function gql(query: string, variables: Record<string, unknown> = {}, key?: string): Promise<Answer> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: key } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

/** Every key a filtered, ordered connection yields, walking pages of 100 over HTTP. */
async function all(connection: string, type: string, filter: unknown, options: { args?: string; key?: string; auth?: string } = {}) {
  const key = options.key ?? 'key';
  const keys: string[] = [];
  let after: string | null = null;
  for (;;) {
    const answer = await gql(
      `query ($f: ${type}, $after: String) { c: ${connection}(first: 100, after: $after, filter: $f${options.args ?? ''}) {
         totalCount nodes { ${key} } pageInfo { hasNextPage endCursor } } }`,
      { f: filter, after },
      options.auth,
    );
    if (answer.errors) throw new Error(answer.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; '));
    const page = answer.data?.c;
    if (!page?.pageInfo) throw new Error('no page');
    keys.push(...page.nodes.map((n) => n[key] ?? ''));
    if (!page.pageInfo.hasNextPage) {
      expect(keys).toHaveLength(page.totalCount ?? -1);
      return keys;
    }
    after = page.pageInfo.endCursor;
  }
}

const column = async (sql: string, params: unknown[] = []) => (await db.pool.query<{ k: string }>(sql, params)).rows.map((r) => r.k);

describe('filters and orders on the sample data', () => {
  it('services: text, ids and the parent relation agree with the public view, paged in title and OZG-id order', async () => {
    const titled = await column(
      `select key as k from open.services where core.immutable_unaccent(title) ilike '%genehmigung%'
       order by lower(core.immutable_unaccent(title)) collate "C", key`,
    );
    expect(titled.length).toBeGreaterThan(100);
    expect(await all('services', 'ServiceFilter', { title: { icontains: 'Genehmigung' } }, { args: ', orderBy: TITLE_ASC' })).toEqual(
      titled,
    );
    const byOzgId = await column(
      `select key as k from open.services where kind = 'ozg' order by coalesce(ozg_id, '') collate "C" desc, key desc`,
    );
    expect(byOzgId).toHaveLength(557);
    expect(await all('services', 'ServiceFilter', { kind: { eq: 'ozg' } }, { args: ', orderBy: OZG_ID_DESC' })).toEqual(byOzgId);
    const leika = await column(
      `select s.key as k from open.services s join open.services p on p.key = s.parent_key where p.themenfeld_key = 'themenfeld:13' order by s.key`,
    );
    expect(leika.length).toBeGreaterThan(0);
    expect(await all('services', 'ServiceFilter', { parent: { themenfeldKey: { eq: 'themenfeld:13' } } })).toEqual(leika);
  });

  it('projects: text and order for everyone; the tool’s projects, dates and milestones for the steering team', async () => {
    const expected = await column(
      `select key as k from open.projects where core.immutable_unaccent(title) ilike '%weiterentwicklung%'
       order by lower(core.immutable_unaccent(title)) collate "C" desc, key desc`,
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(
      await all('projects', 'ProjectFilter', { title: { icontains: 'WEITERENTWICKLUNG' } }, { args: ', orderBy: TITLE_DESC' }),
    ).toEqual(expected);

    const internal = await column(
      `select key as k from core.project where source <> 'council-paper' and due_date is not null
       order by coalesce(due_date - date '1970-01-01', 999999), key`,
    );
    expect(internal.length).toBeGreaterThan(0);
    expect(
      await all(
        'projects',
        'ProjectFilter',
        { source: { ne: 'council-paper' }, dueDate: { isNull: false } },
        { args: ', orderBy: DUE_DATE_ASC', auth: steering },
      ),
    ).toEqual(internal);
    const late = await column(
      `select distinct p.key as k from core.project p join core.milestone m on m.project_id = p.id
       where m.due_date < current_date and m.done_date is null and not m.is_closed order by 1`,
    );
    expect(late.length).toBeGreaterThan(0);
    expect(await all('projects', 'ProjectFilter', { milestones: { overdue: { eq: true } } }, { auth: steering })).toEqual(late);
    const anonymous = await gql('query ($f: ProjectFilter) { projects(filter: $f) { totalCount } }', { f: { dueDate: { isNull: false } } });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data?.projects ?? null).toBeNull();
  });

  it('procedures: costs filter and sort for the steering team only', async () => {
    const expected = await column(`select key as k from core.procedure where annual_cost > 10000 order by annual_cost desc, key desc`);
    expect(expected.length).toBeGreaterThan(0);
    expect(
      await all('procedures', 'ProcedureFilter', { annualCost: { gt: 10000 } }, { args: ', orderBy: ANNUAL_COST_DESC', auth: steering }),
    ).toEqual(expected);
    const refused = await gql('query ($f: ProcedureFilter) { procedures(filter: $f) { totalCount } }', {
      f: { annualCost: { gt: 10000 } },
    });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const owned = await column(
      `select distinct pr.key as k from core.procedure pr join core.procedure_org_unit po on po.procedure_id = pr.id and po.role = 'owner'
       join core.org_unit o on o.id = po.org_unit_id where o.code like '3%' order by pr.key`,
    );
    expect(await all('procedures', 'ProcedureFilter', { ownerOrgUnit: { code: { startsWith: '3' } } })).toEqual(owned);
  });

  it('datasets, org units and geo features', async () => {
    const tagged = await column(
      `select distinct d.name as k from catalog.dataset d join catalog.dataset_tag dt on dt.dataset_id = d.id join catalog.tag t on t.id = dt.tag_id
       where not d.private and t.name = (select name from catalog.tag order by name limit 1) order by d.name`,
    );
    const tag = (await column(`select name as k from catalog.tag order by name limit 1`))[0];
    expect(await all('datasets', 'DatasetFilter', { tags: { name: { eq: tag } } }, { key: 'name' })).toEqual(tagged);

    const parents = await column(
      `select distinct parent_code as k from open.org_units where kind = 'unit' and parent_code is not null order by 1`,
    );
    expect(parents.length).toBeGreaterThan(0);
    expect(await all('orgUnits', 'OrgUnitFilter', { children: { kind: { eq: 'unit' } } }, { key: 'code' })).toEqual(parents);

    const features = await column(
      `select feature_key as k from open.geo_features where layer_key = 'stadtbereiche'
       and core.immutable_unaccent(properties->>'bezeichnung') ilike '%warnemunde%' order by feature_key`,
    );
    expect(features).toHaveLength(1);
    expect(
      await all(
        'geoFeatures',
        'GeoFeatureFilter',
        { properties: [{ name: 'bezeichnung', icontains: 'warnemünde' }] },
        {
          args: ', layer: "stadtbereiche"',
          key: 'featureKey',
        },
      ),
    ).toEqual(features);
  });
});

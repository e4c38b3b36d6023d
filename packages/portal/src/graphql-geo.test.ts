// Geo features over real HTTP, where their geometry and properties are written into the answer as
// PostgreSQL's jsonb text (db/raw-json.ts): the answer must still be the stored JSON values, on
// the planned executor's path, graphql-js' path, pages in both directions and from the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createApp } from './app.js';
import { listenOnLoopback } from './testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let base: string;

const properties = {
  name: 'Warnemünde "Strand" \\ Mole\nNord',
  then: { nested: [1.5, -0, 1e-7, 12345678901234567890, true, null, []] },
  '10': 'ten',
  '9': 'nine',
  a: '\u2028',
};

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`insert into core.geo_layer (key, title, source_crs, published) values ('probe', 'Probe', 'CRS84', true)`);
  await db.pool.query(
    `insert into core.geo_feature (layer_id, feature_key, geometry, bbox, properties)
     select id, k, g::jsonb, box(point(12.1, 54.1), point(12.2, 54.2)), p::jsonb from core.geo_layer,
       (values ('A', '{"type":"Polygon","coordinates":[[[12.1,54.1],[12.2,54.1],[12.2,54.2],[12.1,54.1]]]}', $1::text),
               ('B', null, '{}'),
               ('C', 'null', '{"x": []}')) as f(k, g, p)
     where key = 'probe'`,
    [JSON.stringify(properties)],
  );
  app = await createApp({ pool: db.pool, log: db.log, introspection: false, cacheUrl: db.url });
  base = await listenOnLoopback(app);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { __typename: string; featureKey: string; geometry: unknown; properties: unknown } }[];
}

async function ask(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const json = JSON.parse(text) as { data?: { geoFeatures: Page }; errors?: unknown[] };
  expect(json.errors).toBeUndefined();
  return { text, page: json.data?.geoFeatures as Page, cache: res.headers.get('x-hro-cache') };
}

const pageQuery = (directive = '') => `query ($first: Int, $last: Int, $after: String, $before: String) {
  geoFeatures(layer: "probe", first: $first, last: $last, after: $after, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { __typename featureKey geometry properties ${directive} } }
  } }`;

/** The features as stored, parsed by pg. */
async function stored() {
  const { rows } = await db.pool.query<{ featureKey: string; geometry: unknown; properties: unknown }>(
    `select feature_key as "featureKey", geometry, properties from core.geo_feature order by feature_key`,
  );
  return rows.map((r) => ({ __typename: 'GeoFeature', ...r }));
}

describe('geo features over HTTP', () => {
  it('answer the stored GeoJSON and attributes, written as PostgreSQL sent them', async () => {
    const [a, b, c] = await stored();
    expect(a?.properties).toEqual(JSON.parse(JSON.stringify(properties)));
    expect(c?.geometry).toBeNull();

    for (const directive of ['', '@include(if: true)']) {
      const first = await ask(pageQuery(directive), { first: 2 });
      expect(first.page.totalCount).toBe(3);
      expect(first.page.edges.map((e) => e.node)).toEqual([a, b]);
      expect(first.page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const { rows } = await db.pool.query<{ text: string }>(`select geometry::text as text from core.geo_feature where feature_key = 'A'`);
      expect(first.text).toContain(`"geometry":${rows[0]?.text}`);

      const next = await ask(pageQuery(directive), { first: 2, after: first.page.pageInfo.endCursor });
      expect(next.page.edges.map((e) => e.node)).toEqual([c]);
      expect(next.page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

      const back = await ask(pageQuery(directive), { last: 2, before: next.page.edges[0]?.cursor });
      expect(back.page.edges.map((e) => e.node.featureKey)).toEqual(['A', 'B']);
      expect(back.page.edges.map((e) => e.cursor)).toEqual(first.page.edges.map((e) => e.cursor));
    }
  });

  it('serve the same answer again from the response cache', async () => {
    const query = `{ geoFeatures(layer: "probe", first: 3) { nodes { featureKey geometry properties } } }`;
    const miss = await ask(query);
    const hit = await ask(query);
    expect([miss.cache, hit.cache]).toEqual(['miss', 'hit']);
    expect(hit.text).toBe(miss.text);
    const nodes = (await stored()).map((r) => ({ featureKey: r.featureKey, geometry: r.geometry, properties: r.properties }));
    expect(JSON.parse(hit.text)).toEqual({ data: { geoFeatures: { nodes } } });
  });
});

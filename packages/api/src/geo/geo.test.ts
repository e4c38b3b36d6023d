import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { executeAs } from '../testing/graphql.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.geo_layer (key, title, source_crs, published) values ('stadtbereiche', 'Stadtbereiche', 'CRS84', true), ('intern', 'Intern', 'EPSG:25833', false);
    insert into core.geo_feature (layer_id, feature_key, geometry, bbox, properties) values
      ((select id from core.geo_layer where key = 'stadtbereiche'), 'A', '{"type":"Point","coordinates":[12.10,54.10]}', box(point(12.10,54.10), point(12.10,54.10)), '{"name":"Innenstadt"}'),
      ((select id from core.geo_layer where key = 'stadtbereiche'), 'B', '{"type":"Point","coordinates":[12.20,54.16]}', box(point(12.19,54.15), point(12.21,54.17)), '{"name":"Warnemünde"}'),
      ((select id from core.geo_layer where key = 'intern'), 'X', '{"type":"Point","coordinates":[12.10,54.10]}', box(point(12.10,54.10), point(12.10,54.10)), '{}');`);
});
afterAll(async () => {
  await db.close();
});

const run = (source: string) => executeAs(db, 'anonymous', source);

describe('geo layers and features', () => {
  it('list only published layers', async () => {
    const result = await run('{ geoLayers { key featureCount } }');
    expect(result.data?.geoLayers).toEqual([{ key: 'stadtbereiche', featureCount: 2 }]);
    const hidden = await run('{ geoFeatures(layer: "intern") { nodes { featureKey } } }');
    expect(hidden.data?.geoFeatures).toEqual({ nodes: [] });
  });

  it('filter features by bbox, with GeoJSON geometry and bbox numbers', async () => {
    const result = await run(
      '{ geoFeatures(layer: "stadtbereiche", bbox: { minLon: 12.15, minLat: 54.12, maxLon: 12.3, maxLat: 54.2 }) { nodes { featureKey geometry bbox properties } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.geoFeatures).toEqual({
      nodes: [
        {
          featureKey: 'B',
          geometry: { type: 'Point', coordinates: [12.2, 54.16] },
          bbox: [12.19, 54.15, 12.21, 54.17],
          properties: { name: 'Warnemünde' },
        },
      ],
    });
    const bad = await run(
      '{ geoFeatures(layer: "stadtbereiche", bbox: { minLon: 13, minLat: 54, maxLon: 12, maxLat: 55 }) { nodes { featureKey } } }',
    );
    expect(bad.errors?.[0]?.message).toMatch(/bbox/);
  });

  it('answer bbox queries from the GiST index', async () => {
    await db.pool.query('set enable_seqscan = off');
    const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(
      `explain select feature_key from open.geo_features where bbox && box(point(12.15, 54.12), point(12.3, 54.2))`,
    );
    await db.pool.query('reset enable_seqscan');
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/geo_feature_bbox_idx/);
  });
});

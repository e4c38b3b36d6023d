import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { keysAs, walkAs } from '../testing/connections.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.geo_layer (key, title, published) values ('stadtbereiche', 'Stadtbereiche', true), ('intern', 'Intern', false);
    insert into core.geo_feature (layer_id, feature_key, geometry, bbox, properties)
      select l.id, f.key, '{"type":"Point","coordinates":[12.1,54.1]}', box(point(f.lon, f.lat), point(f.lon, f.lat)), f.props::jsonb
      from core.geo_layer l, (values
        ('A', 12.10, 54.09, '{"bezeichnung":"Stadtmitte","gemeinde":"Rostock","einwohner":"19000"}'),
        ('B', 12.08, 54.17, '{"bezeichnung":"Warnemünde","gemeinde":"Rostock","einwohner":"8000"}'),
        ('C', 12.15, 54.12, '{"bezeichnung":"Gehlsdorf","gemeinde":"Rostock"}'),
        ('D', 12.05, 54.10, '{"bezeichnung":"Biestow","gemeinde":"Rostock","einwohner":"3000"}')) as f(key, lon, lat, props)
      where l.key = 'stadtbereiche';
    insert into core.geo_feature (layer_id, feature_key, properties)
      select id, 'X', '{"bezeichnung":"Geheim"}' from core.geo_layer where key = 'intern';`);
});
afterAll(async () => {
  await db.close();
});

const filtered = (layer: string, filter: unknown, args = '') =>
  keysAs(db, 'anonymous', {
    connection: 'geoFeatures',
    key: 'featureKey',
    args: `layer: "${layer}", filter: $filter${args}`,
    declarations: '$filter: GeoFeatureFilter',
    variables: { filter },
  });

describe('geo feature filters', () => {
  it('filter by attributes (as text, accents ignored with icontains) and keys, with the bbox', async () => {
    expect(await filtered('stadtbereiche', { properties: [{ name: 'bezeichnung', icontains: 'warnemunde' }] })).toEqual(['B']);
    expect(await filtered('stadtbereiche', { properties: [{ name: 'einwohner', isNull: true }] })).toEqual(['C']);
    expect(
      await filtered('stadtbereiche', {
        properties: [
          { name: 'gemeinde', eq: 'Rostock' },
          { name: 'einwohner', in: ['3000', '8000'] },
        ],
      }),
    ).toEqual(['B', 'D']);
    expect(
      await filtered('stadtbereiche', {
        or: [{ featureKey: { eq: 'A' } }, { not: { properties: [{ name: 'bezeichnung', startsWith: 'G' }] } }],
      }),
    ).toEqual(['A', 'B', 'D']);
    expect(
      await filtered('stadtbereiche', { featureKey: { ne: 'A' } }, ', bbox: { minLon: 12.0, minLat: 54.0, maxLon: 12.12, maxLat: 54.15 }'),
    ).toEqual(['D']);
  });

  it('never reach unpublished layers, whatever the filter', async () => {
    expect(await filtered('intern', { properties: [{ name: 'bezeichnung', eq: 'Geheim' }] })).toEqual([]);
  });

  it('compare attribute values as text, and keep the page order stable both ways', async () => {
    // text order: "19000" < "5000" < "8000"
    expect(await filtered('stadtbereiche', { properties: [{ name: 'einwohner', gt: '5000' }] })).toEqual(['B']);
    const all = await keysAs(db, 'anonymous', {
      connection: 'geoFeatures',
      key: 'featureKey',
      args: 'layer: "stadtbereiche", orderBy: FEATURE_KEY_DESC',
    });
    expect(all).toEqual(['D', 'C', 'B', 'A']);
    expect(
      await walkAs(
        db,
        'anonymous',
        { connection: 'geoFeatures', key: 'featureKey', args: 'layer: "stadtbereiche", orderBy: FEATURE_KEY_DESC' },
        3,
      ),
    ).toEqual(all);
  });
});

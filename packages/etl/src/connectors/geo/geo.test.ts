import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { syncCatalog } from '@hro/api/domain';
import { repoRoot } from '@hro/api';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { runSource } from '../../pipeline/run-source.js';
import { geoConfig } from './config.js';

const sources = loadSources();
const bundled = (name: string) => {
  const s = sources.find((x) => x.name === name);
  if (!s) throw new Error(`source ${name} missing in sources.yaml`);
  return s;
};
const stadtbereiche = bundled('hro-stadtbereiche');
const dataDir = join(stadtbereiche.baseDir, 'data/geo');

let db: TestDatabase;
const tmp = mkdtempSync(join(tmpdir(), 'hro-geo-'));
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
  rmSync(tmp, { recursive: true, force: true });
});

const count = async (sql: string, params: unknown[] = []) =>
  (await db.pool.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params)).rows[0]?.n;

/** The Stadtbereiche source over a private copy of the file (which a test may change), same relative path. */
function stadtbereicheCopy(content: (original: string) => string): SourceDefinition {
  const dir = mkdtempSync(join(tmp, 'sb-'));
  const original = readFileSync(join(dataDir, 'hro_stadtbereiche_21_wgs84.geojson'), 'utf8');
  mkdirSync(join(dir, 'data/geo'), { recursive: true });
  writeFileSync(join(dir, 'data/geo/hro_stadtbereiche_21_wgs84.geojson'), content(original));
  return { ...stadtbereiche, baseDir: dir };
}

describe('bundled geodata sources', () => {
  it('loads the 21 Stadtbereiche: counts add up, geometry in WGS84, bbox stored, open view', async () => {
    const run = await runSource(db.pool, stadtbereiche, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 22, loaded: 22, unchanged: 0, quarantined: 0, deleted: 0 });
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    const { rows: layer } = await db.pool.query(`select key, title, source_crs, source_url, published, last_run_id from core.geo_layer`);
    expect(layer).toEqual([
      {
        key: 'stadtbereiche',
        title: 'Stadtbereiche',
        source_crs: 'OGC:CRS84',
        source_url: 'hro_stadtbereiche_21_wgs84.geojson',
        published: true,
        last_run_id: run.runId,
      },
    ]);
    const { rows } = await db.pool.query<{
      code: string;
      bezeichnung: string;
      min_lon: number;
      min_lat: number;
      max_lon: number;
      max_lat: number;
    }>(
      `select code, bezeichnung, bbox_min_lon as min_lon, bbox_min_lat as min_lat, bbox_max_lon as max_lon, bbox_max_lat as max_lat
       from open.stadtbereiche order by code`,
    );
    expect(rows.map((r) => r.code).join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
    for (const r of rows) {
      expect(r.min_lon >= 11.9 && r.max_lon <= 12.3 && r.min_lat >= 54.0 && r.max_lat <= 54.25, `${r.code} ${JSON.stringify(r)}`).toBe(
        true,
      );
      expect(r.min_lon).toBeLessThan(r.max_lon);
    }
    expect(rows.find((r) => r.code === 'C')?.bezeichnung).toBe('Lichtenhagen');
    // the bbox in core is the geometry's extent
    const { rows: check } = await db.pool.query<{ ok: boolean }>(
      `select bool_and((f.bbox[1])[0] = (select min((p->>0)::float8) from jsonb_path_query(f.geometry, '$.coordinates[*][*]') p)) as ok
       from core.geo_feature f`,
    );
    expect(check[0]?.ok).toBe(true);
    expect(await count(`open.geo_features where layer_key = 'stadtbereiche'`)).toBe(21);
    expect(await count(`open.geo_layers where key = 'stadtbereiche' and feature_count = 21`)).toBe(1);
  });

  it('answers a bbox query through the GiST index', async () => {
    const query = `select feature_key from core.geo_feature where bbox && box '((12.0,54.05),(12.2,54.15))' order by feature_key`;
    const client = await db.pool.connect();
    try {
      await client.query('set enable_seqscan = off');
      const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(`explain ${query}`);
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(/geo_feature_bbox_idx/);
      const { rows } = await client.query<{ feature_key: string }>(query);
      // the same answer as the bbox numbers of the open view give
      const { rows: expected } = await client.query<{ feature_key: string }>(
        `select feature_key from open.geo_features
         where bbox_max_lon >= 12.0 and bbox_min_lon <= 12.2 and bbox_max_lat >= 54.05 and bbox_min_lat <= 54.15 order by feature_key`,
      );
      expect(rows).toEqual(expected);
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.length).toBeLessThan(21);
    } finally {
      await client.query('reset enable_seqscan');
      client.release();
    }
  });

  it('changes nothing when the same input runs twice', async () => {
    const before = await db.pool.query(`select feature_key, last_run_id from core.geo_feature order by feature_key`);
    const run = await runSource(db.pool, stadtbereiche, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 0, unchanged: 22, deleted: 0, quarantined: 0 });
    const after = await db.pool.query(`select feature_key, last_run_id from core.geo_feature order by feature_key`);
    expect(after.rows).toEqual(before.rows);
  });

  it('replays the recorded WFS samples; the planted bad features are quarantined with position and reason', async () => {
    const psa = await runSource(db.pool, bundled('hro-parkscheinautomaten'), { log: db.log });
    expect(psa).toMatchObject({ status: 'succeeded', read: 13, loaded: 12, quarantined: 1 });
    const bpg = await runSource(db.pool, bundled('hro-bewohnerparkgebiete'), { log: db.log });
    expect(bpg).toMatchObject({ status: 'succeeded', read: 12, loaded: 11, quarantined: 1 });
    const { rows } = await db.pool.query(
      `select source, position, reason_code, reason from etl.quarantine where run_id in ($1, $2) order by source`,
      [psa.runId, bpg.runId],
    );
    expect(rows).toEqual([
      {
        source: 'hro-bewohnerparkgebiete',
        position: 'page 1 #11',
        reason_code: 'ROW_MISSING_VALUE',
        reason: 'feature_key: missing: the feature has no property "uuid" (received undefined)',
      },
      {
        source: 'hro-parkscheinautomaten',
        position: 'page 2 #6',
        reason_code: 'ROW_INVALID_VALUE',
        reason: expect.stringMatching(/^geometry: longitude 200.5 outside -180…180/),
      },
    ]);
    const { rows: meter } = await db.pool.query(
      `select f.geometry, f.bbox, f.properties->>'bezeichnung' as name, f.properties->'normaltarif_gebuehren_pro_stunde' as fee,
              f.properties ? 'normaltarif_gebuehren_max' as has_max, f.properties->>'normaltarif_parkdauer_min_einheit' as unit
       from core.geo_feature f join core.geo_layer l on l.id = f.layer_id
       where l.key = 'parkscheinautomaten' and f.feature_key = '33588a98-32c9-11ea-b9f0-0050569946ac'`,
    );
    // properties as delivered: numbers stay numbers, absent keys stay absent; no geometry in the sample
    expect(meter).toEqual([{ geometry: null, bbox: null, name: 'Buchbinderstraße', fee: 2, has_max: false, unit: 'min' }]);
    expect(await count(`core.geo_layer where source_url like 'https://geo.sv.rostock.de/geodienste/%/wfs?%'`)).toBe(2);
    expect(await count(`open.geo_features where layer_key = 'bewohnerparkgebiete'`)).toBe(10);
  });

  it('deletes what the source no longer delivers, in its own layer only; a dry run rolls back', async () => {
    const source = stadtbereicheCopy((text) => {
      const doc = JSON.parse(text) as { features: { properties: { code: string } }[] };
      doc.features = doc.features.filter((f) => f.properties.code !== 'U');
      return JSON.stringify(doc);
    });
    const meters = await count(`core.geo_feature f join core.geo_layer l on l.id = f.layer_id where l.key = 'parkscheinautomaten'`);
    const dry = await runSource(db.pool, source, { log: db.log, dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', deleted: 1 });
    expect(await count(`open.stadtbereiche`)).toBe(21);
    const real = await runSource(db.pool, source, { log: db.log });
    expect(real).toMatchObject({ status: 'succeeded', deleted: 1, loaded: 0, unchanged: 21 });
    expect(await count(`open.stadtbereiche`)).toBe(20);
    expect(await count(`core.geo_feature f join core.geo_layer l on l.id = f.layer_id where l.key = 'parkscheinautomaten'`)).toBe(meters);
    expect((await runSource(db.pool, stadtbereiche, { log: db.log })).loaded).toBe(1);
  });

  it.each([
    ['a truncated file', (t: string) => t.slice(0, Math.floor(t.length * 0.6)), /GeoJSON bricht ab/],
    ['an empty file', () => '', /leere Datei/],
    ['an HTML page', () => '<!DOCTYPE html><html><head><title>404 Not Found</title></head></html>', /HTML-Seite/],
    ['no valid feature at all', (t: string) => t.replace(/"code":"[A-U]"/g, '"code":""'), /kein gültiges Feature/],
  ])('fails the run on %s and leaves the data as it was', async (_, change, message) => {
    const before = await db.pool.query(`select feature_key, geometry, last_run_id from core.geo_feature order by layer_id, feature_key`);
    const run = await runSource(db.pool, stadtbereicheCopy(change), { log: db.log });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(message);
    const after = await db.pool.query(`select feature_key, geometry, last_run_id from core.geo_feature order by layer_id, feature_key`);
    expect(after.rows).toEqual(before.rows);
    const { rows } = await db.pool.query<{ status: string }>(`select status from etl.run where id = $1`, [run.runId]);
    expect(rows[0]?.status).toBe('failed');
  });

  it('registers the Stadtbereiche dataset in the catalog (geo, CC0)', async () => {
    await syncCatalog(db.pool);
    const { rows } = await db.pool.query(
      `select d.name, d.geo, d.source_view, d.license_id, l.dcat_uri from catalog.dataset d join catalog.license l on l.id = d.license_id
       where d.source_view = 'open.stadtbereiche'`,
    );
    expect(rows).toEqual([
      {
        name: 'stadtbereiche-rostock',
        geo: true,
        source_view: 'open.stadtbereiche',
        license_id: 'cc-zero',
        dcat_uri: 'http://dcat-ap.de/def/licenses/cc-zero',
      },
    ]);
  });

  it('bundles the real Stadtbereiche byte for byte, beside their provenance note', () => {
    const copy = readFileSync(join(dataDir, 'hro_stadtbereiche_21_wgs84.geojson'));
    const shared = process.env.HRO_SHARED_DIR ?? join(repoRoot, '..', 'shared');
    expect(copy.equals(readFileSync(join(shared, 'data/rostock/hro_stadtbereiche_21_wgs84.geojson')))).toBe(true);
    expect(readFileSync(join(dataDir, 'hro_stadtbereiche_21_wgs84.geojson.src.txt'), 'utf8')).toMatch(/GPL-3\.0[\s\S]*OpenData\.HRO/);
    expect(() => geoConfig.parse(stadtbereiche.config)).not.toThrow();
  });
});

// Property-based tests of the geodata parsers: a layer file mixing sound and broken features
// (wrong types, strings and nulls as coordinates, open rings, no geometry, not even an object)
// loses nothing — each feature is staged with a WGS84 geometry inside Rostock or rejected with a
// reason — and arbitrary text is refused as a whole with an Error naming the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../testing/fuzz.js';
import { geoJsonFeature } from './geojson.js';
import { extractGeoOffline } from './testing.js';

const tmp = mkdtempSync(join(tmpdir(), 'hro-geo-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const runs = fuzzRuns(60);
process.stdout.write(`geo fuzz: ${runs} cases per property (HRO_FUZZ_RUNS)\n`);
let files = 0;

// EPSG:25833 around Rostock (easting, northing)
const easting = fc.double({ min: 300_000, max: 325_000, noNaN: true });
const northing = fc.double({ min: 5_990_000, max: 6_015_000, noNaN: true });
const position = fc.tuple(easting, northing);
const ring = fc.array(position, { minLength: 3, maxLength: 6 }).map((ps) => [...ps, ps[0]]);

const sound = fc.oneof(
  position.map((c) => ({ type: 'Point', coordinates: c })),
  fc.array(position, { minLength: 2, maxLength: 5 }).map((c) => ({ type: 'LineString', coordinates: c })),
  ring.map((r) => ({ type: 'Polygon', coordinates: [r] })),
);
const broken = fc.oneof(
  fc.constant({ type: 'Point', coordinates: ['313000', 6000000] }),
  fc.constant({ type: 'Point', coordinates: [313000] }),
  fc.constant({ type: 'Point', coordinates: null }),
  fc.constant({ type: 'Polygon', coordinates: [[[313000, 6000000]]] }),
  fc.constant({ type: 'Circle', coordinates: [313000, 6000000] }),
  fc.constant({ type: 'LineString', coordinates: 'LINESTRING (1 2, 3 4)' }),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('geo parsers (property-based)', () => {
  it('stage every sound feature inside Rostock and reject every broken one, none lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), sound, broken), { minLength: 1, maxLength: 25 }), async (items) => {
        const features = items.map(([ok, good, bad], i) => ({
          type: 'Feature',
          id: `f${i}`,
          properties: { nr: i, name: `Objekt ${i}` },
          geometry: ok ? good : bad,
        }));
        const file = `l${files++}.geojson`;
        writeFileSync(join(tmp, file), JSON.stringify({ type: 'FeatureCollection', features }));
        const out = await extractGeoOffline({ file, crs: 'EPSG:25833', allowEmpty: true }, tmp);
        expect(out.features.length + out.rejected.length).toBe(features.length);
        for (const f of out.features) {
          if (f.geometry === null) continue; // a feature without geometry is a feature
          // ((minLon,minLat),(maxLon,maxLat)) in WGS84: the reprojected geometry lies in Rostock
          const [minLon, minLat, maxLon, maxLat] = (f.bbox?.match(/-?[\d.]+/g) ?? []).map(Number);
          for (const lon of [minLon, maxLon]) expect(lon).toSatisfy((x: number) => x > 11.8 && x < 12.4);
          for (const lat of [minLat, maxLat]) expect(lat).toSatisfy((x: number) => x > 53.9 && x < 54.35);
        }
        // every sound feature is staged (a broken one may happen to be sound, e.g. null geometry)
        const staged = new Set(out.features.map((f) => f.feature_key));
        items.forEach(([ok], i) => ok && expect(staged.has(`f${i}`), `f${i}`).toBe(true));
        for (const r of out.rejected) expect(r.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: runs },
    );
  });

  it('read any JSON as a feature without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const f = geoJsonFeature(value, undefined, 'drop');
        expect(f.geometry === null || typeof f.geometry === 'object').toBe(true);
      }),
      { numRuns: runs * 10 },
    );
  });

  it('refuse arbitrary text in place of GeoJSON or GML with an Error naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom('geojson', 'gml', 'auto'), async (text, format) => {
        const file = `t${files++}.txt`;
        writeFileSync(join(tmp, file), text);
        try {
          const out = await extractGeoOffline({ file, format }, tmp);
          // a text that happens to be a document of the format is fine, if nothing is lost
          expect(out.features.length + out.rejected.length).toBeGreaterThanOrEqual(0);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message).toContain(file);
        }
      }),
      { numRuns: runs },
    );
  });
});

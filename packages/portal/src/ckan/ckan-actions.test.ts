import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type DatasetDeclaration } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { syncCatalog } from '@hro/api/domain';
import {
  byCodePoint,
  call,
  declarations,
  declaredGroup,
  declaredLicense,
  declaredOrg,
  idLabels,
  insertInternalDataset,
  INTERNAL,
  normalise,
  published,
  serve,
  type Served,
} from './ckan.testing.js';

let db: TestDatabase;
let served: Served;
let site: string;
let labels: Map<string, string>;
let internal: { id: string; resourceId: string };
let steeringKey: string;
let developerKey: string;
let developerId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  internal = await insertInternalDataset(db.pool);
  steeringKey = (await createApiKey(db.pool, { name: 'Steuerung', role: 'steering' })).key;
  const developer = await createApiKey(db.pool, { name: 'Entwicklerin', role: 'developer' });
  developerKey = developer.key;
  developerId = developer.id;
  served = await serve(db);
  site = served.site;
  labels = await idLabels(db.pool);
});
afterAll(async () => {
  await served.app.close();
  await db.close();
});

/** The action's result, normalised; fails unless the envelope says success. */
async function result(action: string, params: Record<string, unknown> = {}, key?: string): Promise<unknown> {
  const answer = await call(site, action, params, { key });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.type).toBe('application/json;charset=utf-8');
  const body = answer.body as { help: string; success: boolean; result: unknown };
  expect(body.help).toBe(`${site}/api/3/action/help_show?name=${action}`);
  expect(body.success).toBe(true);
  return normalise(body.result, labels, site);
}

/** The error envelope of a failing call, normalised, with its status. */
async function failure(action: string, params: Record<string, unknown> = {}, key?: string) {
  const answer = await call(site, action, params, { key });
  const body = answer.body as { help: string; success: boolean; error: unknown };
  expect(body.help).toBe(`${site}/api/3/action/help_show?name=${action}`);
  expect(body.success).toBe(false);
  return { status: answer.status, error: normalise(body.error, labels, site) };
}

const org = declaredOrg('hro-digitalisierung');
const frequencyUri = (code: string) => `http://publications.europa.eu/resource/authority/frequency/${code}`;

/** The resources of a dataset as CKAN dicts, built from the catalog rows. */
async function expectedResources(name: string) {
  const { rows } = await db.pool.query<{
    name: string;
    description: string;
    format: string;
    mimetype: string | null;
    url: string | null;
    position: number;
    datastore_active: boolean;
    modified: boolean;
  }>(
    `select r.name, r.description, r.format, r.mimetype, r.url, r.position, r.datastore_active, r.last_modified is not null as modified
     from catalog.resource r join catalog.dataset d on d.id = r.dataset_id where d.name = $1 order by r.position`,
    [name],
  );
  return rows.map((r) => ({
    cache_last_updated: null,
    cache_url: null,
    created: '<ts>',
    datastore_active: r.datastore_active,
    description: r.description,
    format: r.format,
    hash: '',
    id: `resource:${name}:${r.position}`,
    last_modified: r.modified ? '<ts>' : null,
    metadata_modified: '<ts>',
    mimetype: r.mimetype,
    mimetype_inner: null,
    name: r.name,
    package_id: `dataset:${name}`,
    position: r.position,
    resource_type: null,
    size: null,
    state: 'active',
    url: r.url ?? `<site>/dataset/dataset:${name}/resource/resource:${name}:${r.position}/download`,
    url_type: null,
  }));
}

/** A declared dataset as CKAN's package_show dict (normalised). */
async function expectedPackage(d: DatasetDeclaration): Promise<Record<string, unknown>> {
  const license = declaredLicense(d.license);
  const o = declaredOrg(d.organization);
  const extras: { key: string; value: string }[] = [];
  if (o.contributor_id) extras.push({ key: 'contributorID', value: JSON.stringify([o.contributor_id]) });
  if (d.update_frequency) extras.push({ key: 'frequency', value: frequencyUri(d.update_frequency) });
  extras.push({ key: 'spatial_uri', value: 'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/13003000' });
  if (d.temporal_end) extras.push({ key: 'temporal_end', value: d.temporal_end });
  if (d.temporal_start) extras.push({ key: 'temporal_start', value: d.temporal_start });
  const resources = await expectedResources(d.name);
  const dict: Record<string, unknown> = {
    author: null,
    author_email: null,
    creator_user_id: null,
    extras: extras.sort((a, b) => byCodePoint(a.key, b.key)),
    groups: d.groups.map((g) => ({
      description: declaredGroup(g).description,
      display_name: declaredGroup(g).title,
      id: `group:${g}`,
      image_display_url: '',
      name: g,
      title: declaredGroup(g).title,
    })),
    id: `dataset:${d.name}`,
    isopen: true,
    license_id: d.license,
    license_title: license.title,
    maintainer: o.title,
    maintainer_email: o.email ?? null,
    metadata_created: '<ts>',
    metadata_modified: '<ts>',
    name: d.name,
    notes: d.notes,
    num_resources: resources.length,
    num_tags: d.tags.length,
    organization: {
      approval_status: 'approved',
      created: '<ts>',
      description: o.description,
      id: `org:${o.name}`,
      image_url: '',
      is_organization: true,
      name: o.name,
      state: 'active',
      title: o.title,
      type: 'organization',
    },
    owner_org: `org:${o.name}`,
    private: false,
    relationships_as_object: [],
    relationships_as_subject: [],
    resources,
    state: 'active',
    tags: [...d.tags].sort(byCodePoint).map((t) => ({ display_name: t, id: `tag:${t}`, name: t, state: 'active', vocabulary_id: null })),
    title: d.title,
    type: 'dataset',
    url: null,
    version: null,
  };
  if (license.url) dict.license_url = license.url;
  return dict;
}

const vorhaben = published.find((d) => d.name === 'vorhaben-digitale-verwaltung-rostock-2030') as DatasetDeclaration;
const publicTags = [...new Set(published.flatMap((d) => d.tags))].sort(byCodePoint);
const gove = declaredGroup('gove');

describe('the envelope and the request', () => {
  it('answers /api/3 and both action paths, GET and POST (JSON, form, JSON in a form key)', async () => {
    expect(await (await fetch(`${site}/api/3`)).json()).toEqual({ version: 3 });
    const expected = [...published.map((d) => d.name)].sort(byCodePoint);
    for (const options of [
      {},
      { prefix: '/api/action' as const },
      { json: {} },
      { raw: { body: 'limit=100', type: 'application/x-www-form-urlencoded' } },
      // `curl -d '{"limit": 100}'` sends JSON as the key of a form
      { raw: { body: '{"limit": 100}', type: 'application/x-www-form-urlencoded' } },
      { raw: { body: '{"limit": 100}' } },
    ]) {
      const answer = await call(site, 'package_list', {}, options);
      expect(answer.status, JSON.stringify(options)).toBe(200);
      expect(answer.body).toEqual({ help: `${site}/api/3/action/help_show?name=package_list`, success: true, result: expected });
    }
  });

  it('answers an unknown action and unreadable request data with a bare 400 string, as CKAN', async () => {
    const unknown = await call(site, 'package_create', {}, { json: { name: 'x' } });
    expect(unknown).toMatchObject({
      status: 400,
      type: 'application/json;charset=utf-8',
      body: 'Bad request - Action name not known: package_create',
    });
    const badJson = await call(site, 'package_list', {}, { raw: { body: '{"limit": ', type: 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toBe(
      "Bad request - JSON Error: Error decoding JSON data. Error: <BadRequest '400: Bad Request'> JSON data extracted from the request: {}",
    );
    const list = await call(site, 'package_list', {}, { raw: { body: '[1, "a"]', type: 'application/json' } });
    expect(list).toMatchObject({
      status: 400,
      body: "Bad request - JSON Error: Request data JSON decoded to [1, 'a'] but it needs to be a dictionary.",
    });
  });

  it('wraps GET answers in a JSONP callback, as anonymous even with a key', async () => {
    const res = await fetch(`${site}/api/3/action/package_search?q=${INTERNAL.word}&include_private=true&callback=cb`, {
      headers: { authorization: steeringKey },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript;charset=utf-8');
    const text = await res.text();
    expect(text.startsWith('cb({') && text.endsWith('});')).toBe(true);
    const body = JSON.parse(text.slice(3, -2)) as { result: { count: number } };
    expect(body.result.count).toBe(0);
  });
});

describe('datasets', () => {
  it('package_show: the whole dataset dict, by name and by id; package_search returns the same dicts', async () => {
    const expected = await expectedPackage(vorhaben);
    expect(await result('package_show', { id: vorhaben.name })).toEqual(expected);
    const { rows } = await db.pool.query<{ id: string }>(`select id from catalog.dataset where name = $1`, [vorhaben.name]);
    expect(await result('package_show', { id: rows[0]?.id })).toEqual(expected);
    expect(await result('package_show', { name_or_id: vorhaben.name })).toEqual(expected);
    const search = (await result('package_search', { fq: `name:${vorhaben.name}` })) as { results: unknown[] };
    expect(search.results).toEqual([expected]);
    for (const d of published) {
      expect(await result('package_show', { id: d.name }), d.name).toEqual({
        ...(await expectedPackage(d)),
        // a geo dataset also carries its extent (below)
        extras: expect.any(Array) as unknown,
      });
    }
  });

  it('package_show: a geo dataset carries its extent as the GeoJSON `spatial` extra', async () => {
    const geo = published.find((d) => d.geo) as DatasetDeclaration;
    const dict = (await result('package_show', { id: geo.name })) as { extras: { key: string; value: string }[] };
    const spatial = dict.extras.find((e) => e.key === 'spatial');
    const { rows } = await db.pool.query<{ bbox: number[] | null }>(
      `select to_jsonb(d) -> 'spatial_bbox' as bbox from catalog.dataset d where name = $1`,
      [geo.name],
    );
    const bbox = rows[0]?.bbox;
    if (!bbox) {
      expect(spatial).toBeUndefined();
      return;
    }
    const [w, s, e, n] = bbox;
    expect(JSON.parse(spatial?.value ?? '{}')).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    });
  });

  it('package_show errors: missing id, unknown dataset', async () => {
    expect(await failure('package_show')).toEqual({ status: 409, error: { name_or_id: ['Missing value'], __type: 'Validation Error' } });
    expect(await failure('package_show', { id: 'gibt-es-nicht' })).toEqual({
      status: 404,
      error: { message: 'Not found', __type: 'Not Found Error' },
    });
    expect(await failure('package_show', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 404 });
  });

  it('package_list: names of public datasets, paged; limit 0 is no limit, as in CKAN', async () => {
    const names = [...published.map((d) => d.name)].sort(byCodePoint);
    expect(await result('package_list', { limit: 2, offset: 1 })).toEqual(names.slice(1, 3));
    expect(await result('package_list', { limit: 0 })).toEqual(names);
    expect(await failure('package_list', { limit: -1, offset: 'x' })).toEqual({
      status: 409,
      error: { limit: ['Must be a natural number'], offset: ['Invalid integer'], __type: 'Validation Error' },
    });
  });

  it('current_package_list_with_resources: whole dicts, newest first, 10 by default', async () => {
    await db.pool.query(`update catalog.dataset set metadata_modified = now() + interval '1 minute' where name = $1`, [vorhaben.name]);
    const list = (await result('current_package_list_with_resources', { limit: 2 })) as { name: string }[];
    expect(list).toHaveLength(2);
    expect(list[0]).toEqual(await expectedPackage(vorhaben));
    const all = (await result('current_package_list_with_resources')) as { name: string }[];
    expect(all).toHaveLength(Math.min(10, published.length));
    const paged = (await result('current_package_list_with_resources', { limit: 1, page: 2 })) as { name: string }[];
    expect(paged.map((p) => p.name)).toEqual([list[1]?.name]);
    expect(await failure('current_package_list_with_resources', { page: 0 })).toEqual({
      status: 409,
      error: { page: ['Must be a positive integer'], __type: 'Validation Error' },
    });
  });

  it('package_autocomplete: matches in name or title, with match_field and match_displayed', async () => {
    expect(await result('package_autocomplete', { q: 'vorhaben', limit: 5 })).toEqual([
      { name: vorhaben.name, title: vorhaben.title, match_field: 'name', match_displayed: vorhaben.name },
    ]);
    // names that start with the text first, then other names containing it, then titles
    const rank = (d: DatasetDeclaration) => (d.name.startsWith('stadtverwaltung') ? 0 : d.name.includes('stadtverwaltung') ? 1 : 2);
    expect(await result('package_autocomplete', { q: 'Stadtverwaltung' })).toEqual(
      published
        .filter((d) => d.title.includes('Stadtverwaltung') || d.name.includes('stadtverwaltung'))
        .sort((a, b) => rank(a) - rank(b) || byCodePoint(a.name, b.name))
        .map((d) =>
          d.name.includes('stadtverwaltung')
            ? { name: d.name, title: d.title, match_field: 'name', match_displayed: d.name }
            : { name: d.name, title: d.title, match_field: 'title', match_displayed: `${d.title} (${d.name})` },
        ),
    );
    expect(await failure('package_autocomplete')).toEqual({ status: 409, error: { q: ['Missing value'], __type: 'Validation Error' } });
  });
});

describe('resources', () => {
  it('resource_show: the resource dict; errors for a missing id and an unknown resource', async () => {
    const [first] = await expectedResources(vorhaben.name);
    const { rows } = await db.pool.query<{ id: string }>(
      `select r.id from catalog.resource r join catalog.dataset d on d.id = r.dataset_id where d.name = $1 and r.position = 0`,
      [vorhaben.name],
    );
    expect(await result('resource_show', { id: rows[0]?.id })).toEqual(first);
    expect(await failure('resource_show')).toEqual({ status: 409, error: { id: ['Missing value'], __type: 'Validation Error' } });
    expect(await failure('resource_show', { id: '00000000-0000-4000-8000-000000000000' })).toEqual({
      status: 404,
      error: { message: 'Not found', __type: 'Not Found Error' },
    });
  });

  it('resource_search: field:value, count and page ordered by position; CKAN errors', async () => {
    const all = (await Promise.all(published.map((d) => expectedResources(d.name)))).flat();
    const csv = all.filter((r) => r.format.toLowerCase().includes('csv'));
    const found = (await result('resource_search', { query: 'format:csv', order_by: 'name' })) as { count: number; results: unknown[] };
    expect(found.count).toBe(csv.length);
    expect(found).toEqual({ count: csv.length, results: expect.arrayContaining(csv) as unknown });
    const page = (await result('resource_search', { query: ['format:csv', `name:${vorhaben.title.slice(0, 8)}`], limit: 1 })) as {
      count: number;
      results: unknown[];
    };
    expect(page).toEqual({ count: 1, results: [csv.find((r) => r.package_id === `dataset:${vorhaben.name}`)] });
    // the download URL is searchable as it is shown
    const byUrl = (await result('resource_search', { query: `url:${site}/dataset/` })) as { count: number };
    expect(byUrl.count).toBe(all.filter((r) => r.url.startsWith('<site>')).length);
    expect(await failure('resource_search')).toEqual({ status: 409, error: { query: 'Missing value', __type: 'Validation Error' } });
    expect(await failure('resource_search', { query: 'CaseNo:2014' })).toEqual({
      status: 409,
      error: { query: 'Field "CaseNo" not recognised in resource_search.', __type: 'Validation Error' },
    });
    expect(await failure('resource_search', { query: 'format' })).toEqual({
      status: 409,
      error: { query: 'Must be <field>:<value> pair(s)', __type: 'Validation Error' },
    });
    const both = await call(site, 'resource_search', {}, { json: { query: 'name:x', fields: { name: 'x' } } });
    expect(both).toMatchObject({
      status: 409,
      body: { error: { fields: 'Do not specify if using "query" parameter', __type: 'Validation Error' } },
    });
  });

  it('format_autocomplete: lower-case formats containing the text, most used first', async () => {
    const counts = new Map<string, number>();
    for (const r of (await Promise.all(published.map((d) => expectedResources(d.name)))).flat()) {
      counts.set(r.format, (counts.get(r.format) ?? 0) + 1);
    }
    const expected = [...counts.entries()]
      .filter(([f]) => f.toLowerCase().includes('json'))
      .sort(([a, x], [b, y]) => y - x || byCodePoint(a, b))
      .map(([f]) => f.toLowerCase());
    expect(await result('format_autocomplete', { q: 'JSON' })).toEqual(expected.slice(0, 5));
    expect(await result('format_autocomplete', { q: 'json', limit: 1 })).toEqual(expected.slice(0, 1));
    expect(await failure('format_autocomplete', { limit: 'viele' })).toEqual({
      status: 409,
      error: { q: ['Missing value'], limit: ['Invalid integer'], __type: 'Validation Error' },
    });
  });
});

describe('organizations, groups, tags, licences, site', () => {
  const orgCount = published.filter((d) => d.organization === 'hro-digitalisierung').length;
  const goveCount = published.filter((d) => d.groups.includes('gove')).length;
  const orgDict = {
    approval_status: 'approved',
    created: '<ts>',
    description: org.description,
    display_name: org.title,
    id: 'org:hro-digitalisierung',
    image_display_url: '',
    image_url: '',
    is_organization: true,
    name: org.name,
    num_followers: 0,
    package_count: orgCount,
    state: 'active',
    title: org.title,
    type: 'organization',
  };
  const groupDict = {
    ...orgDict,
    description: gove.description,
    display_name: gove.title,
    id: 'group:gove',
    is_organization: false,
    name: 'gove',
    package_count: goveCount,
    title: gove.title,
    type: 'group',
  };

  it('organization_list / group_list: names, and dicts with all_fields', async () => {
    // by title, CKAN's default order
    const byTitle = (a: { title: string }, b: { title: string }) => byCodePoint(a.title, b.title);
    expect(await result('organization_list')).toEqual([...declarations.catalog.organizations].sort(byTitle).map((o) => o.name));
    expect(await result('group_list')).toEqual([...declarations.catalog.groups].sort(byTitle).map((g) => g.name));
    const orgs = (await result('organization_list', { all_fields: true, organizations: org.name })) as unknown[];
    expect(orgs).toEqual([orgDict]);
    expect(await result('group_list', { all_fields: 'true', groups: 'gove', include_extras: true })).toEqual([
      { ...groupDict, extras: [] },
    ]);
    expect(await result('group_list', { q: 'nichts-dergleichen' })).toEqual([]);
    expect(await failure('group_list', { sort: 'created desc' })).toEqual({
      status: 409,
      error: { message: 'Cannot sort by field `created`', __type: 'Validation Error' },
    });
    expect(await failure('organization_list', { limit: 'x' })).toEqual({
      status: 409,
      error: { limit: ['Invalid integer'], __type: 'Validation Error' },
    });
  });

  it('organization_show / group_show: the whole dict, with datasets on request', async () => {
    expect(await result('organization_show', { id: org.name })).toEqual({ ...orgDict, extras: [], groups: [], tags: [], users: [] });
    expect(await result('group_show', { id: 'gove', include_users: false, include_extras: 'no' })).toEqual({
      ...groupDict,
      groups: [],
      tags: [],
    });
    const withDatasets = (await result('organization_show', { id: org.name, include_datasets: true, include_dataset_count: false })) as {
      packages: { name: string }[];
      package_count?: number;
    };
    expect(withDatasets.package_count).toBeUndefined();
    expect(withDatasets.packages).toHaveLength(Math.min(10, orgCount));
    const first = withDatasets.packages[0] as { name: string };
    expect(withDatasets.packages[0]).toEqual(await expectedPackage(published.find((d) => d.name === first.name) as DatasetDeclaration));
    expect(await failure('organization_show', { id: 'gove' })).toEqual({
      status: 404,
      error: { message: 'Not found', __type: 'Not Found Error' },
    });
    expect(await failure('group_show')).toEqual({ status: 409, error: { id: ['Missing value'], __type: 'Validation Error' } });
    expect(await failure('group_show', { id: 'gove', include_datasets: 'vielleicht' })).toEqual({
      status: 409,
      error: { message: 'Parameter is not an bool', __type: 'Validation Error' },
    });
  });

  it('tag_list: names, dicts, and query', async () => {
    expect(await result('tag_list')).toEqual(publicTags);
    expect(await result('tag_list', { all_fields: true })).toEqual(
      publicTags.map((t) => ({ display_name: t, id: `tag:${t}`, name: t, vocabulary_id: null })),
    );
    expect(await result('tag_list', { query: 'verwalt' })).toEqual(publicTags.filter((t) => t.toLowerCase().includes('verwalt')));
    expect(await failure('tag_list', { vocabulary_id: 'themen' })).toEqual({
      status: 404,
      error: { message: "Not found: could not find vocabulary 'themen'", __type: 'Not Found Error' },
    });
  });

  it('license_list: every licence, as CKAN prints its register', async () => {
    expect(await result('license_list')).toEqual(
      [...declarations.catalog.licenses]
        .sort((a, b) => byCodePoint(a.id, b.id))
        .map((l) => ({
          domain_content: 'False',
          domain_data: 'False',
          domain_software: 'False',
          family: '',
          id: l.id,
          is_generic: l.url ? 'False' : 'True',
          maintainer: '',
          od_conformance: 'approved',
          osd_conformance: 'not reviewed',
          status: 'active',
          title: l.title,
          url: l.url ?? '',
        })),
    );
  });

  it('status_show and help_show', async () => {
    expect(await result('status_show')).toEqual({
      site_title: 'HRO Datenplattform',
      site_description: 'Offene Daten und Steuerungsdaten der Digitalen Verwaltung Rostock 2030',
      site_url: '<site>',
      ckan_version: '2.11.0',
      error_emails_to: null,
      locale_default: 'de',
      extensions: ['datastore', 'dcat'],
    });
    const help = (await result('help_show', { name: 'package_search' })) as string;
    expect(help).toMatch(/^Search for datasets/);
    expect(help).toContain(':param facet.field:');
    expect(await failure('help_show', { name: 'package_create' })).toEqual({
      status: 404,
      error: { message: 'Not found: Action function not found', __type: 'Not Found Error' },
    });
    expect(await failure('help_show')).toEqual({ status: 409, error: { name: ['Missing value'], __type: 'Validation Error' } });
  });
});

describe('an internal dataset', () => {
  const askers = () => [
    { who: 'anonymous', key: undefined, user: '' },
    { who: 'developer', key: developerKey, user: `key:${developerId}` },
  ];

  it('stays invisible to anonymous users and developers through every action', async () => {
    for (const { who, key, user } of askers()) {
      const visible = async (action: string, params: Record<string, unknown> = {}) => JSON.stringify(await result(action, params, key));
      for (const [action, params] of [
        ['package_list', {}],
        ['current_package_list_with_resources', { limit: 1000 }],
        ['package_search', { q: INTERNAL.word, include_private: true }],
        [
          'package_search',
          { fq: `tags:${INTERNAL.tag}`, include_private: 'true', 'facet.field': '["tags","res_format"]', 'facet.mincount': 0 },
        ],
        ['package_search', { rows: 1000, include_private: true, 'facet.field': '["tags","res_format"]' }],
        ['package_autocomplete', { q: 'interne' }],
        ['format_autocomplete', { q: 'od' }],
        ['tag_list', { all_fields: true }],
        ['resource_search', { query: `name:${INTERNAL.word}` }],
        ['organization_show', { id: 'hro-digitalisierung', include_datasets: true }],
        ['group_show', { id: 'gove', include_datasets: true }],
        ['organization_list', { all_fields: true }],
        ['group_list', { all_fields: true }],
      ] as const) {
        const text = await visible(action, params);
        for (const secret of [INTERNAL.name, INTERNAL.word, INTERNAL.tag, INTERNAL.format, INTERNAL.format.toLowerCase(), internal.id]) {
          expect(text.includes(secret), `${who} ${action} shows ${secret}`).toBe(false);
        }
      }
      // counts do not give it away either
      const counted = (await result('organization_show', { id: 'hro-digitalisierung' }, key)) as { package_count: number };
      expect(counted.package_count, who).toBe(published.length);
      // asked for directly: CKAN's 403, for the dataset and for its resource
      expect(await failure('package_show', { id: INTERNAL.name }, key)).toEqual({
        status: 403,
        error: {
          message: `Access denied: User ${user} not authorized to read package dataset:${INTERNAL.name}`,
          __type: 'Authorization Error',
        },
      });
      expect(await failure('resource_show', { id: internal.resourceId }, key)).toEqual({
        status: 403,
        error: {
          message: `Access denied: User ${user} not authorized to read resource resource:${INTERNAL.name}:0`,
          __type: 'Authorization Error',
        },
      });
    }
  });

  it('is visible to the steering team (API key) where CKAN shows private datasets to their members', async () => {
    const dict = (await result('package_show', { id: INTERNAL.name }, steeringKey)) as Record<string, unknown>;
    expect(dict).toMatchObject({ name: INTERNAL.name, private: true, num_resources: 1, tags: [{ name: INTERNAL.tag, state: 'active' }] });
    expect(await result('resource_show', { id: internal.resourceId }, steeringKey)).toMatchObject({ format: INTERNAL.format });
    const search = (await result('package_search', { q: INTERNAL.word, include_private: true }, steeringKey)) as {
      count: number;
      results: unknown[];
    };
    expect(search).toMatchObject({ count: 1, results: [dict] });
    // without include_private not even the steering team gets it from package_search (as CKAN)
    expect(await result('package_search', { q: INTERNAL.word }, steeringKey)).toMatchObject({ count: 0 });
    expect(await result('tag_list', {}, steeringKey)).toContain(INTERNAL.tag);
    expect(await result('format_autocomplete', { q: 'od' }, steeringKey)).toEqual(['ods']);
    expect(await result('package_autocomplete', { q: 'interne' }, steeringKey)).toEqual([
      { name: INTERNAL.name, title: `Interne ${INTERNAL.word} der Steuerung`, match_field: 'name', match_displayed: INTERNAL.name },
    ]);
    expect(await result('organization_show', { id: 'hro-digitalisierung' }, steeringKey)).toMatchObject({
      package_count: published.length + 1,
    });
    const current = (await result('current_package_list_with_resources', { limit: 1000 }, steeringKey)) as { name: string }[];
    expect(current.map((p) => p.name)).toContain(INTERNAL.name);
    // CKAN's package_list and resource_search never list private datasets, whoever asks
    expect(await result('package_list', {}, steeringKey)).not.toContain(INTERNAL.name);
    expect(await result('resource_search', { query: `name:${INTERNAL.word}` }, steeringKey)).toEqual({ count: 0, results: [] });
  });
});

// The access matrix (issue 8, "Access, proven"): every route of the running app × every role,
// over real HTTP, against a database with canary values planted in every internal table and
// column (access-canaries.ts). The route list is read from Fastify, the CKAN actions from their
// registry and the GraphQL queries from introspection, so a new route, action or table without a
// rule here fails the test. Checked for each of anonymous, developer (key), steering (key and
// session) and admin (key and session):
// - the status of every request: served at or above the route's least role, refused below it
//   (with the refusal the route promises: 401/403/404, or 303 to the sign-in page);
// - no canary above the role in any answer, body or headers (XLSX unzipped): 0 leaks;
// - every canary a role may see is seen by it somewhere (public ones by anonymous users), so the
//   matrix can fail. GraphQL field by field is the role matrix's (role-matrix.test.ts); here the
//   generated queries run over HTTP with keys, sessions and the response cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createPool } from '@hro/api/db';
import { createApiKey, kpiCatalog, syncCatalog, type Role } from '@hro/api/domain';
import { toGlobalId } from '@hro/api/graphql';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createApp } from '@hro/portal';
import { actions } from '../../packages/portal/src/ckan/actions.js';
import { canaries, dataTables, plantCanaries, tableRules, unplantedColumns, C, type Canary, type Level } from './access-canaries.js';
import { generateQueries, introspectionQuery, listRoutes, readAnswer, type RouteEntry } from './access-http.js';
import { listenOnLoopback } from '@hro/portal/testing';

const rank: Record<Role, number> = { anonymous: 0, developer: 1, steering: 2, admin: 3 };

interface Identity {
  name: string;
  role: Role;
  headers: Record<string, string>;
}

/** One request and what it promises: served (status `ok`) from role `min` up, refused below. */
interface Probe {
  method: 'GET' | 'POST' | 'OPTIONS' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** least role served (default anonymous: everyone) */
  min?: Role;
  /** the status of a served answer (default 200) */
  ok?: number;
  /** the status below `min`: for anonymous users, and for signed-in roles */
  refused?: { anonymous: number; signedIn: number };
  /** the answer must show no more than this role sees, whoever asks (JSONP runs as anonymous) */
  judgedAs?: Role;
}

interface Fixture {
  datasets: { name: string; id: string; private: boolean; state: string }[];
  resources: { id: string; dataset: string; private: boolean; active: boolean; geo: boolean; served: boolean; datastore: boolean }[];
  organizations: string[];
  groups: string[];
  runs: number[];
  graphql: { field: string; source: string }[];
  /** the id of the planted key request */
  keyRequest: string;
  /** the developer pages' topics, as /entwickler links them */
  topics: string[];
}

// ───────────────────────────── the rules ─────────────────────────────

const GET = (url: string, more: Omit<Probe, 'method' | 'url'> = {}): Probe => ({ method: 'GET', url, ...more });
const STEERING_PAGE = { min: 'steering', refused: { anonymous: 303, signedIn: 403 } } as const;
const ADMIN_PAGE = { min: 'admin', refused: { anonymous: 303, signedIn: 403 } } as const;
/** a key holder's own key: developers and up (a key or a session) */
const OWN_KEY = { min: 'developer', refused: { anonymous: 303, signedIn: 403 } } as const;
/** A form POST without its form token: the role is checked first, then the token (403), so nothing happens. */
const form = (url: string, more: Omit<Probe, 'method' | 'url'> = {}): Probe => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'reason=Matrix&name=Matrix',
  ...more,
});
const internalDataset = (d: { private: boolean; state: string }) => d.private || d.state !== 'active';
const month = new Date().toISOString().slice(0, 7);
const previousMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
// every serialiser once per dataset (`.xml` is `.rdf`, `.n3` is Turtle: the catalog covers those)
const DCAT_FORMATS = ['ttl', 'rdf', 'jsonld', 'nt'];
const ALL_DCAT_FORMATS = ['ttl', 'rdf', 'xml', 'jsonld', 'nt', 'n3'];
// every writer of the dump (tsv is csv's with another separator)
const DUMP_FORMATS = ['csv', 'json', 'xml'];

type Served = Pick<Probe, 'min' | 'ok' | 'refused'>;
type CkanVariant = { params: Record<string, string> } & Served;
const v = (params: Record<string, string>, rule: Served = {}): CkanVariant => ({ params, ...rule });
const STEERING_ONLY: Served = { min: 'steering', refused: { anonymous: 403, signedIn: 403 } };

/** Parameters of every CKAN action, per request; a new action needs an entry (the test says so). */
const ckanParams: Record<string, (f: Fixture) => CkanVariant[]> = {
  status_show: () => [v({})],
  package_list: () => [v({}), v({ limit: '100', offset: '0' })],
  package_search: () => [
    v({}),
    v({ q: 'canary', include_private: 'true', rows: '100' }),
    v({ q: 'tags:*', include_private: 'true', 'facet.field': '["tags","res_format","groups","organization"]', 'facet.limit': '-1' }),
    v({ fq: 'res_format:*', include_private: 'true', rows: '100', include_drafts: 'true' }),
  ],
  package_show: (f) =>
    f.datasets.flatMap((d) => {
      const rule = internalDataset(d) ? STEERING_ONLY : {};
      return [v({ id: d.name }, rule), v({ id: d.id }, rule)];
    }),
  current_package_list_with_resources: () => [v({}), v({ limit: '1000' })],
  package_autocomplete: () => [v({ q: 'canary' }), v({ q: 'c', limit: '100' })],
  resource_show: (f) => f.resources.map((r) => v({ id: r.id }, r.private || !r.active ? STEERING_ONLY : {})),
  resource_search: () => [v({ query: 'format:CSV' }), v({ query: 'name:Tabelle' }), v({ query: 'description:CANARY' })],
  format_autocomplete: () => [v({ q: 'c' }), v({ q: 'CANARY' })],
  organization_list: () => [v({ all_fields: 'true', include_dataset_count: 'true' })],
  organization_show: (f) => f.organizations.map((o) => v({ id: o, include_datasets: 'true' })),
  group_list: () => [v({ all_fields: 'true', include_dataset_count: 'true' })],
  group_show: (f) => f.groups.map((g) => v({ id: g, include_datasets: 'true' })),
  tag_list: () => [v({}), v({ all_fields: 'true' }), v({ query: 'CANARY' })],
  license_list: () => [v({})],
  // help texts are constants of the registry: two of them stand for all
  help_show: () => [v({ name: 'package_show' }), v({ name: 'datastore_search' })],
  datastore_search: (f) => f.resources.map((r) => v({ resource_id: r.id, limit: '1000' }, datastoreRule(r, 'search'))),
  datastore_info: (f) => f.resources.map((r) => v({ id: r.id }, datastoreRule(r, 'search'))),
};

/** How the DataStore answers for a resource: 404 outside it, 403 (search) or 404 (dump) for an internal one below steering. */
function datastoreRule(r: Fixture['resources'][number], kind: 'search' | 'dump'): Pick<Probe, 'min' | 'ok' | 'refused'> {
  if (!r.served || !r.datastore || !r.active) return { ok: 404 };
  if (r.private)
    return { min: 'steering', refused: kind === 'search' ? { anonymous: 403, signedIn: 403 } : { anonymous: 404, signedIn: 404 } };
  return {};
}

function ckanProbes(f: Fixture, prefix: string, all: boolean): Probe[] {
  return Object.keys(actions).flatMap((name) => {
    const variants = ckanParams[name]?.(f) ?? [];
    return (all ? variants : variants.slice(0, 1)).flatMap(({ params, ...rule }, i) => {
      const qs = new URLSearchParams(params).toString();
      const get = GET(`${prefix}/${name}${qs ? `?${qs}` : ''}`, rule);
      // the first variant also as a JSON POST (CKAN's other way to call an action: the same parameters, read from the body)
      const post: Probe = {
        method: 'POST',
        url: `${prefix}/${name}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        ...rule,
      };
      return all && i === 0 ? [get, post] : [get];
    });
  });
}

/** Downloads: served to everyone for open data, from steering up for internal datasets, never when misdeclared. */
function downloadRule(r: Fixture['resources'][number]): Pick<Probe, 'min' | 'ok' | 'refused'> {
  if (!r.served || !r.active) return { ok: 404 };
  if (r.private) return { min: 'steering', refused: { anonymous: 401, signedIn: 403 } };
  return {};
}

/** Every route pattern of the app and the requests that cover it. A route without an entry fails the test. */
const routeRules: Record<string, (f: Fixture) => Probe[]> = {
  // pages
  '/': () => [GET('/')],
  '/dataset': () => [
    GET('/dataset'),
    GET('/dataset?q=canary'),
    GET('/dataset?q=intern&sort=title_string+asc'),
    GET(`/dataset?tags=${C.privateTag}`),
  ],
  '/dataset/:name': (f) =>
    f.datasets.flatMap((d) => {
      const rule = internalDataset(d) ? { min: 'steering' as Role, refused: { anonymous: 404, signedIn: 404 } } : {};
      // a draft or deleted dataset has no page, not even for the steering team
      // nor has a published dataset whose resource is misdeclared (a view outside `open`: served to no one)
      const ok = d.state === 'active' && d.name !== C.misdeclaredName ? 200 : 404;
      // by id: a redirect to the name for whoever may read the dataset (a draft's name then answers 404)
      return [GET(`/dataset/${d.name}`, { ...rule, ok }), GET(`/dataset/${d.id}`, { ...rule, ok: 301 })];
    }),
  '/kennzahlen': () => [GET('/kennzahlen')],
  '/kennzahlen/daten.csv': () =>
    kpiCatalog.flatMap((k) =>
      ['werte', 'zeitreihe'].map((art) =>
        GET(
          `/kennzahlen/daten.csv?kpi=${k.id}&art=${art}`,
          k.internal ? { min: 'steering', refused: { anonymous: 401, signedIn: 403 } } : {},
        ),
      ),
    ),
  '/anmelden': () => [
    GET('/anmelden'),
    {
      method: 'POST',
      url: '/anmelden',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'key=hro_falsch_falsch&next=%2Fsteuerung',
      ok: 401,
    },
  ],
  '/abmelden': () => [
    { method: 'POST', url: '/abmelden', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', ok: 303 },
  ],
  '/steuerung': () => [GET('/steuerung', STEERING_PAGE)],
  '/steuerung/projekte': () => [GET('/steuerung/projekte', STEERING_PAGE), GET('/steuerung/projekte?status=on_hold', STEERING_PAGE)],
  '/steuerung/meilensteine': () => [GET('/steuerung/meilensteine', STEERING_PAGE)],
  '/steuerung/vorhaben': () => [GET('/steuerung/vorhaben', STEERING_PAGE)],
  '/steuerung/fachverfahren': () => [GET('/steuerung/fachverfahren', STEERING_PAGE)],
  '/steuerung/leistungen': () => [GET('/steuerung/leistungen', STEERING_PAGE)],
  '/steuerung/fallzahlen': () => [GET('/steuerung/fallzahlen', STEERING_PAGE)],
  '/steuerung/ozg': () => [GET('/steuerung/ozg', STEERING_PAGE)],
  '/steuerung/it-bebauung': () => [
    GET('/steuerung/it-bebauung', STEERING_PAGE),
    GET('/steuerung/it-bebauung?nach=lifecycle', STEERING_PAGE),
  ],
  '/steuerung/programm': () => [GET('/steuerung/programm', STEERING_PAGE)],
  '/programm': () => [GET('/programm')],
  '/programm/:month': () => [
    GET(`/programm/${month}`),
    GET(`/programm/${previousMonth}`),
    GET('/programm/2025-03'),
    GET('/programm/kein-monat', { ok: 404 }),
  ],
  '/etl': () => [GET('/etl', ADMIN_PAGE)],
  '/etl/:run': (f) => f.runs.map((id) => GET(`/etl/${id}`, ADMIN_PAGE)),
  // developers: the pages, the key request (its POSTs without a form token: refused before they act)
  '/entwickler': () => [GET('/entwickler')],
  '/entwickler/:topic': (f) => [...f.topics.map((t) => GET(`/entwickler/${t}`)), GET('/entwickler/gibt-es-nicht', { ok: 404 })],
  '/entwickler/schluessel': () => [GET('/entwickler/schluessel'), form('/entwickler/schluessel', { ok: 403 })],
  '/entwickler/schluessel/:id': (f) => [GET(`/entwickler/schluessel/${f.keyRequest}?token=falsch`, { ok: 404 })],
  '/entwickler/schluessel/:id/abholen': (f) => [form(`/entwickler/schluessel/${f.keyRequest}/abholen`, { ok: 403 })],
  '/entwickler/schluessel/mein': () => [GET('/entwickler/schluessel/mein', OWN_KEY)],
  '/entwickler/schluessel/mein/rotieren': () => [form('/entwickler/schluessel/mein/rotieren', { ...OWN_KEY, ok: 403 })],
  '/entwickler/schluessel/mein/sperren': () => [form('/entwickler/schluessel/mein/sperren', { ...OWN_KEY, ok: 403 })],
  '/verwaltung/schluessel': () => [GET('/verwaltung/schluessel', ADMIN_PAGE)],
  '/verwaltung/schluessel/antraege/:id/freigeben': (f) => [
    form(`/verwaltung/schluessel/antraege/${f.keyRequest}/freigeben`, { ...ADMIN_PAGE, ok: 403 }),
  ],
  '/verwaltung/schluessel/antraege/:id/ablehnen': (f) => [
    form(`/verwaltung/schluessel/antraege/${f.keyRequest}/ablehnen`, { ...ADMIN_PAGE, ok: 403 }),
  ],
  '/verwaltung/schluessel/:id/rotieren': () => [form('/verwaltung/schluessel/777/rotieren', { ...ADMIN_PAGE, ok: 403 })],
  '/verwaltung/schluessel/:id/sperren': () => [form('/verwaltung/schluessel/777/sperren', { ...ADMIN_PAGE, ok: 403 })],
  // reports and feeds
  '/berichte/ozg/:file': () =>
    ['csv', 'xlsx'].flatMap((ext) =>
      [month, '2025-03'].map((m) => GET(`/berichte/ozg/${m}.${ext}`, { min: 'steering', refused: { anonymous: 401, signedIn: 403 } })),
    ),
  '/programm/feed.atom': () => [GET('/programm/feed.atom')],
  // CKAN
  '/api/3': () => [GET('/api/3')],
  '/api/3/action/:name': (f) => [
    ...ckanProbes(f, '/api/3/action', true),
    // JSONP answers as anonymous whoever calls (a page of another site must not read with the visitor's key)
    ...f.datasets
      .filter(internalDataset)
      .map((d) => GET(`/api/3/action/package_show?id=${d.name}&callback=cb`, { ok: 403, judgedAs: 'anonymous' })),
    GET('/api/3/action/package_search?q=canary&include_private=true&rows=100&callback=cb', { judgedAs: 'anonymous' }),
    GET('/api/3/action/current_package_list_with_resources?callback=cb', { judgedAs: 'anonymous' }),
  ],
  '/api/action/:name': (f) => ckanProbes(f, '/api/action', false),
  // DataStore dumps and downloads
  '/datastore/dump/:resource': (f) =>
    f.resources.flatMap((r) => DUMP_FORMATS.map((format) => GET(`/datastore/dump/${r.id}?format=${format}`, datastoreRule(r, 'dump')))),
  '/dataset/:dataset/resource/:resource/download': (f) =>
    f.resources.flatMap((r) => {
      const formats = ['csv', 'json', 'xlsx', ...(r.geo ? ['geojson'] : [])];
      const rule = downloadRule(r);
      return [
        ...formats.map((format) => GET(`/dataset/${r.dataset}/resource/${r.id}/download?format=${format}`, rule)),
        GET(`/dataset/${r.dataset}/resource/${r.id}/download?format=csv&bom=1&sep=%3B`, rule),
        { method: 'HEAD', url: `/dataset/${r.dataset}/resource/${r.id}/download`, ...rule },
      ];
    }),
  '/dataset/:dataset/resource/:resource/download/:filename': (f) =>
    f.resources.map((r) => GET(`/dataset/${r.dataset}/resource/${r.id}/download/daten.json`, downloadRule(r))),
  // DCAT
  '/catalog': () =>
    ['text/turtle', 'application/rdf+xml', 'application/ld+json', 'application/n-triples', 'text/n3'].map((accept) =>
      GET('/catalog', { headers: { accept } }),
    ),
  '/catalog.:format': () => ALL_DCAT_FORMATS.map((format) => GET(`/catalog.${format}`)),
  '/dataset/:id.:format': (f) =>
    f.datasets.flatMap((d) =>
      DCAT_FORMATS.map((format) =>
        GET(
          `/dataset/${d.name}.${format}`,
          internalDataset(d) ? { min: 'steering', refused: { anonymous: 404, signedIn: 404 }, ok: d.state === 'active' ? 200 : 404 } : {},
        ),
      ),
    ),
  // GraphQL: the generated queries (POST), a GET, the explorer page and the CORS preflight
  '/graphql': (f) => [
    ...f.graphql.map((q): Probe => ({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q.source }),
    })),
    GET(`/graphql?query=${encodeURIComponent('{ datasets(first: 50) { nodes { name title private } } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    }),
    GET('/graphql', { headers: { accept: 'text/html' } }),
    { method: 'OPTIONS', url: '/graphql', headers: { origin: 'http://example.org', 'access-control-request-method': 'POST' }, ok: 400 },
  ],
  // operations
  '/metrics': () => [GET('/metrics', { min: 'admin', refused: { anonymous: 401, signedIn: 403 } })],
  '/healthz': () => [GET('/healthz')],
  '/readyz': () => [GET('/readyz')],
};

/**
 * A route's pattern without its parameter names: the router shares one node among routes whose
 * parameters differ only in name (`/dataset/:name` and `/dataset/:dataset/resource/…` print as
 * `/dataset/:name|:dataset…`), so routes and rules compare by shape.
 */
const pattern = (url: string) => url.replace(/:[A-Za-z0-9_]+(\|:[A-Za-z0-9_]+)*/g, ':');

/** Routes matched by prefix: the static files (served to everyone, read from the package). */
const prefixRules: { prefix: string; probes: (url: string) => Probe[] }[] = [{ prefix: '/static/', probes: (url) => [GET(url)] }];

// ───────────────────────────── the run ─────────────────────────────

let db: TestDatabase;
/** the server's pool: 10 connections, so 5 downloads may stream at once (the probes run 4 at a time) */
let pool: pg.Pool;
let app: Awaited<ReturnType<typeof createApp>>;
let site: string;
let routes: RouteEntry[];
let fixture: Fixture;
const identities: Identity[] = [{ name: 'anonymous', role: 'anonymous', headers: {} }];

interface Outcome {
  identity: Identity;
  probe: Probe;
  route: string;
  status: number;
  /** canaries (by name) found in the answer */
  seen: Canary[];
}
const outcomes: Outcome[] = [];
let skippedGraphql: string[] = [];
const unruled: string[] = [];

const graphqlVariants: Record<string, string[]> = {
  project: ['key: "P001/19"', 'key: "OP-CANARY"'],
  procedure: ['key: "FV-CANARY"'],
  service: ['key: "ozg:10513"'],
  initiative: ['key: "V01"'],
  orgUnit: ['code: "06.3"'],
  kpi: ['id: "services.online"', 'id: "procedures.cost"'],
  kpiSeries: ['id: "services.online"', 'id: "procedures.cost"'],
  geoFeatures: ['layer: "stadtbereiche"', 'layer: "canary-layer"'],
  etlRun: ['id: 901'],
  quarantine: ['runId: 901'],
  node: [`id: "${toGlobalId('Project', 'OP-CANARY')}"`, `id: "${toGlobalId('Procedure', 'FV-CANARY')}"`],
  landscape: ['by: org_unit', 'by: lifecycle'],
  ozgReport: [`month: "${month}"`],
  ozgTargetHistory: ['serviceKey: "ozg:10513"'],
  procedureHistory: ['key: "FV-CANARY"'],
  procedureImpact: ['key: "FV-CANARY"'],
  procedureNeighbours: ['key: "FV-CANARY"'],
  aggregate: [
    'entity: procedures, measures: [{ fn: sum, field: "annual_cost" }]',
    'entity: services, groupBy: ["kind"], measures: [{ fn: count }]',
  ],
};

async function send(identity: Identity, probe: Probe): Promise<{ status: number; text: string }> {
  const res = await fetch(`${site}${probe.url}`, {
    method: probe.method,
    headers: { ...probe.headers, ...identity.headers },
    body: probe.body,
    redirect: 'manual',
  });
  const answer = await readAnswer(res);
  return { status: answer.status, text: `${answer.headers}\n\n${answer.text}` };
}

/** Runs `work` over `items` with a few requests in flight (one server, two cores). */
async function pooled<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

const allowedFor = (role: Role, level: Level) =>
  level === 'public' || (level === 'steering' && rank[role] >= rank.steering) || (level === 'admin' && role === 'admin');

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await plantCanaries(db.pool);
  // the response cache on: a cached answer must never cross roles
  pool = createPool(db.url, 10);
  app = await createApp({ pool, log: db.log, introspection: true, rateLimits: { anonymous: 1_000_000, key: 1_000_000 }, cacheUrl: db.url });
  site = await listenOnLoopback(app);

  for (const role of ['developer', 'steering', 'admin'] as const) {
    const { key } = await createApiKey(db.pool, { name: `matrix ${role}`, role });
    identities.push({ name: `${role} key`, role, headers: { authorization: key } });
    // a signed-in browser is its key on every path (the developer's session is the key pages' business)
    if (role === 'developer') continue;
    const signIn = await fetch(`${site}/anmelden`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key, next: '/' }).toString(),
      redirect: 'manual',
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (!cookie.startsWith('hro_session=')) throw new Error(`sign-in as ${role} failed: ${signIn.status}`);
    identities.push({ name: `${role} session`, role, headers: { cookie } });
  }

  // what the routes are filled with, read from the database and the schema
  const datasets = await db.pool.query<Fixture['datasets'][number]>(
    `select name, id::text, private, state from catalog.dataset order by name`,
  );
  const resources = await db.pool.query<Fixture['resources'][number]>(
    `select r.id::text, d.name as dataset, d.private, d.state = 'active' as active, d.geo, r.datastore_active as datastore,
       (r.view_name like 'open.%' or d.private) as served
     from catalog.resource r join catalog.dataset d on d.id = r.dataset_id order by d.name, r.position`,
  );
  const orgs = await db.pool.query<{ name: string }>(`select name from catalog.organization order by name`);
  const groups = await db.pool.query<{ name: string }>(`select name from catalog."group" order by name`);
  const runs = await db.pool.query<{ id: string }>(`select id::text from etl.run order by id`);
  const adminHeaders = identities.find((i) => i.role === 'admin')?.headers ?? {};
  const introspection = (await (
    await fetch(`${site}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...adminHeaders },
      body: JSON.stringify({ query: introspectionQuery }),
    })
  ).json()) as { data: { __schema: Parameters<typeof generateQueries>[0] } };
  const generated = generateQueries(introspection.data.__schema, graphqlVariants);
  skippedGraphql = generated.skipped;
  routes = listRoutes(app);
  const developerPage = await (await fetch(`${site}/entwickler`)).text();
  const topics = [...new Set([...developerPage.matchAll(/href="\/entwickler\/([a-z0-9-]+)"/g)].map((m) => m[1] ?? ''))].filter(
    (t) => t !== 'schluessel',
  );
  fixture = {
    datasets: datasets.rows,
    resources: resources.rows,
    organizations: orgs.rows.map((r) => r.name),
    groups: groups.rows.map((r) => r.name),
    runs: runs.rows.map((r) => Number(r.id)),
    graphql: generated.queries,
    topics,
    keyRequest:
      (await db.pool.query<{ id: string }>(`select id::text from core.api_key_request`).catch(() => ({ rows: [] }))).rows[0]?.id ??
      '00000000-0000-0000-0000-000000000000',
  };

  // every route with its probes; higher roles first, so a response cache that crossed roles would show
  const work: { route: string; probe: Probe }[] = [];
  const rulesByPattern = new Map(Object.entries(routeRules).map(([url, rule]) => [pattern(url), { url, rule }]));
  for (const route of routes) {
    const ruled = rulesByPattern.get(pattern(route.url));
    const rule = ruled?.rule;
    const prefix = prefixRules.find((p) => route.url.startsWith(p.prefix));
    if (!rule && !prefix) {
      unruled.push(`${route.methods.join(',')} ${route.url}`);
      continue;
    }
    for (const probe of rule ? rule(fixture) : (prefix?.probes(route.url) ?? [])) work.push({ route: ruled?.url ?? route.url, probe });
  }
  const ordered = [...identities].sort((a, b) => rank[b.role] - rank[a.role]);
  const jobs = work.flatMap(({ route, probe }) => ordered.map((identity) => ({ route, probe, identity })));
  await pooled(jobs, 4, async ({ route, probe, identity }) => {
    const { status, text } = await send(identity, probe);
    const asked = `${probe.url}\n${probe.body ?? ''}`;
    // a value the request itself carries is no leak (an error may name what was asked for)
    const seen = canaries.filter((c) => !asked.includes(c.value) && c.forms.some((form) => text.includes(form)));
    outcomes.push({ identity, probe, route, status, seen });
  });
}, 240_000);

afterAll(async () => {
  await app?.close();
  await pool?.end();
  await db?.close();
});

const label = (o: Outcome) => `${o.identity.name}: ${o.probe.method} ${o.probe.url}`;

describe('access matrix (routes × roles, canaries in every internal table)', () => {
  it('has a rule for every table (its internal columns carry canaries) and every route and CKAN action', async () => {
    const tables = await dataTables(db.pool);
    expect(
      tables.filter((t) => !(t in tableRules)),
      'tables without a rule in test/hardening/access-canaries.ts (which columns are internal?)',
    ).toEqual([]);
    expect(await unplantedColumns(db.pool), 'internal columns without a canary').toEqual([]);
    expect(unruled, 'routes without a rule in access-matrix.test.ts').toEqual([]);
    expect(
      Object.keys(actions).filter((a) => !(a in ckanParams)),
      'CKAN actions without parameters in access-matrix.test.ts',
    ).toEqual([]);
    expect(
      Object.keys(routeRules).filter((r) => !routes.some((route) => pattern(route.url) === pattern(r))),
      'rules for routes the app no longer has',
    ).toEqual([]);
  });

  it('serves every request at or above its least role and refuses it below, as the rule says', () => {
    const wrong = outcomes.flatMap((o) => {
      const min = o.probe.min ?? 'anonymous';
      const expected =
        rank[o.identity.role] >= rank[min]
          ? (o.probe.ok ?? 200)
          : o.identity.role === 'anonymous'
            ? (o.probe.refused?.anonymous ?? 401)
            : (o.probe.refused?.signedIn ?? 403);
      return o.status === expected ? [] : [`${label(o)} → ${o.status}, expected ${expected}`];
    });
    expect(wrong).toEqual([]);
  });

  it('lets no refused form post act: the planted key is active, the request still rejected', async () => {
    const key = await db.pool.query<{ status: string }>(`select status from core.api_key where id = 777`);
    expect(key.rows[0]?.status).toBe('active');
    const request = await db.pool.query<{ status: string }>(`select status from core.api_key_request where id::text = $1`, [
      fixture.keyRequest,
    ]);
    expect(request.rows.map((r) => r.status)).toEqual(['rejected']);
  });

  it('shows no role a canary above it, in any body or header: 0 leaks', () => {
    const leaks = outcomes.flatMap((o) =>
      o.seen
        .filter((c) => !allowedFor(o.probe.judgedAs ?? o.identity.role, c.level))
        .map((c) => `${label(o)} shows ${c.name} (${c.level})`),
    );
    const requests = outcomes.length;
    const paths = new Set(outcomes.map((o) => `${o.probe.method} ${o.probe.url}`)).size;
    process.stdout.write(
      `access matrix: ${identities.length} identities (${identities.map((i) => i.name).join(', ')}) × ${paths} requests ` +
        `over ${new Set(outcomes.map((o) => o.route)).size} routes = ${requests} answers; ${canaries.length} canaries in ` +
        `${Object.values(tableRules).filter((r) => r.internal.length > 0).length} tables; leaks: ${leaks.length}` +
        (skippedGraphql.length ? `; GraphQL root fields left to the role matrix: ${skippedGraphql.join(', ')}` : '') +
        `; canaries no answer shows (kept for lineage or secret): ${canaries
          .filter((c) => !outcomes.some((o) => o.seen.includes(c)))
          .map((c) => c.name)
          .join(', ')}\n`,
    );
    expect(leaks).toEqual([]);
  });

  it('shows every canary to the roles that may see it somewhere (public ones to anonymous users)', () => {
    const missing = canaries.flatMap((c) => {
      if (!c.shown || c.level === 'nobody') return [];
      const role: Role = c.level === 'public' ? 'anonymous' : c.level;
      return outcomes.some((o) => o.identity.role === role && o.seen.includes(c)) ? [] : [`${role} never sees ${c.name}`];
    });
    expect(missing).toEqual([]);
    // sessions see what their keys see
    for (const role of ['steering', 'admin'] as const) {
      const byKey = new Set(outcomes.filter((o) => o.identity.name === `${role} key`).flatMap((o) => o.seen.map((c) => c.name)));
      const bySession = new Set(outcomes.filter((o) => o.identity.name === `${role} session`).flatMap((o) => o.seen.map((c) => c.name)));
      expect([...bySession].sort(), `${role}: session and key`).toEqual([...byKey].sort());
    }
  });

  it('runs the generated GraphQL queries without a validation or limit error', () => {
    const broken = outcomes.filter(
      (o) => o.route === '/graphql' && o.probe.method === 'POST' && o.identity.name === 'admin key' && o.status !== 200,
    );
    expect(broken.map(label)).toEqual([]);
    expect(fixture.graphql.length).toBeGreaterThan(30);
  });
});

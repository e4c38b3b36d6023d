// The portal's HTML pages over real HTTP (issue 7): every page type answers in German with the
// CSP, metadata is escaped everywhere, no internal data reaches anonymous visitors, the sign-in
// session, the steering board's access, the KPI downloads and the API snippets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from '@hro/api';
import { createApiKey, forgetSessions, registerDataset, syncCatalog, type DomainContext } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '../app.js';
import { listenOnLoopback } from '../testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let site: string;
const keys: Record<'developer' | 'steering' | 'admin', string> = { developer: '', steering: '', admin: '' };
const XSS = '<script>alert(1)</script>';
const XSS_NAME = 'xss-probe';

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  app = await createApp({ pool: db.pool, log: db.log, introspection: true, rateLimits: { anonymous: 100_000, key: 100_000 } });
  site = await listenOnLoopback(app);
  for (const role of ['developer', 'steering', 'admin'] as const)
    keys[role] = (await createApiKey(db.pool, { name: `pages ${role}`, role })).key;

  // hostile text wherever data reaches a page: a published dataset (over a geo view: preview and
  // map too), a project, a procedure, a KPI cut and a quarantined row
  const admin: DomainContext = { viewer: { role: 'admin', subject: 'test' }, pool: db.pool, log: db.log };
  await registerDataset(admin, {
    name: XSS_NAME,
    title: XSS,
    notes: `<img src=x onerror=alert(2)> "quoted" & 'single'`,
    license: 'dl-by-de/2.0',
    organization: 'hro-digitalisierung',
    view: 'open.stadtbereiche',
  });
  await db.pool.query(`insert into core.project (key, title, status, source) values ('P<b>', $1, 'in_progress', 'council-paper')`, [XSS]);
  await db.pool.query(`update core.procedure set name = $1 where key = (select min(key) from core.procedure)`, [XSS]);
  await db.pool.query(
    `insert into core.kpi_snapshot (kpi_id, run_id, dimensions, value, numerator, denominator)
     select 'services.online_share_of_cases', max(run_id), jsonb_build_object('month', $1::text, 'org_unit', '=1+1'), 0.5, 50, 100
     from core.kpi_snapshot where kpi_id = 'services.online_share_of_cases'`,
    [XSS],
  );
  await db.pool.query(
    `insert into etl.quarantine (run_id, source, position, raw, reason_code, reason)
     select max(id), 'fachverfahren-inventar', $1, jsonb_build_object('name', $1::text), 'ROW_TEST', $1 from etl.run`,
    [XSS],
  );
});
afterAll(async () => {
  await app.close();
  await db.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${site}${path}`, { headers, redirect: 'manual' });
  const text = await res.text();
  // flat: whitespace collapsed, for assertions on text that the templates wrap across lines
  return { status: res.status, headers: res.headers, text, flat: text.replace(/\s+/g, ' ') };
}
const as = (role: keyof typeof keys) => ({ authorization: keys[role] });

async function signIn(key: string, extra: Record<string, string> = {}) {
  return fetch(`${site}/anmelden`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...extra },
    body: new URLSearchParams({ key, next: '/steuerung' }).toString(),
    redirect: 'manual',
  });
}
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

const publicPages = [
  '/',
  '/dataset',
  '/dataset?q=Rostock&tags=Geodaten',
  '/dataset/stadtbereiche-rostock',
  `/dataset/${XSS_NAME}`,
  '/kennzahlen',
  '/anmelden',
  '/gibt-es-nicht',
  '/programm',
  '/programm/2024-12',
];
const steeringPages = [
  '/steuerung',
  '/steuerung/projekte?status=in_progress',
  '/steuerung/meilensteine',
  '/steuerung/vorhaben?feld=dms',
  '/steuerung/fachverfahren',
  '/steuerung/leistungen?reifegrad=unbekannt',
  '/steuerung/fallzahlen',
  '/steuerung/ozg',
  '/steuerung/it-bebauung?verfahren=FV-002',
  '/steuerung/programm',
];
const adminPages = ['/etl', '/etl/1'];

describe('page framework', () => {
  it('answers every page type in German with skip link, landmarks and a CSP without unsafe-inline', async () => {
    const pages = [...publicPages.map((p) => ({ p, h: {} })), ...[...steeringPages, ...adminPages].map((p) => ({ p, h: as('admin') }))];
    for (const { p, h } of pages) {
      const res = await get(p, h);
      expect([200, 404], p).toContain(res.status);
      expect(res.headers.get('content-type'), p).toBe('text/html; charset=utf-8');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, p).toContain("script-src 'self'");
      expect(csp, p).toContain("style-src 'self'");
      expect(csp, p).not.toContain('unsafe-inline');
      expect(csp, p).not.toContain('unsafe-eval');
      expect(res.text, p).toMatch(/^<!doctype html>\n<html lang="de">/);
      expect(res.text, p).toContain('<a class="skip-link" href="#inhalt">');
      expect(res.text, p).toContain('<main id="inhalt"');
      // no inline code: every script has a src, no style attributes or elements, no event handlers
      expect(res.text, p).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.text, p).not.toMatch(/<style|<[^>]*\s(style|on[a-z]+)=/i);
    }
  });

  it('escapes hostile metadata and data on every page type', async () => {
    const pages = [
      ...publicPages.map((p) => ({ p, h: {} })),
      ...[
        ...steeringPages,
        ...adminPages,
        '/etl/' + (await db.pool.query<{ id: number }>('select max(id) as id from etl.run')).rows[0]?.id,
      ].map((p) => ({
        p,
        h: as('admin'),
      })),
    ];
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;';
    const seen = new Set<string>();
    for (const { p, h } of pages) {
      const res = await get(p, h);
      expect(res.text, p).not.toContain(XSS);
      expect(res.text, p).not.toContain('<img src=x');
      if (res.text.includes(escaped)) seen.add(p);
    }
    // the probe reached (escaped) the start, search, dataset, KPI, steering and ETL pages
    for (const p of [
      '/',
      '/dataset',
      `/dataset/${XSS_NAME}`,
      '/kennzahlen',
      '/steuerung',
      '/steuerung/projekte?status=in_progress',
      '/steuerung/fachverfahren',
      '/steuerung/it-bebauung',
      '/programm',
      '/etl/',
    ]) {
      expect(
        [...seen].some((s) => s.startsWith(p)),
        `escaped probe on ${p}`,
      ).toBe(true);
    }
    const dataset = await get(`/dataset/${XSS_NAME}`);
    expect(dataset.text).toContain('&lt;img src=x onerror=alert(2)&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
  });

  it('shows no internal data on any public page', async () => {
    const { rows } = await db.pool.query<{ cost: number; users: number }>(
      `select sum(annual_cost)::float8 as cost, max(users)::int as users from core.procedure`,
    );
    const cost = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 }).format(rows[0]?.cost ?? 0);
    expect(rows[0]?.cost).toBeGreaterThan(0);
    for (const path of [
      ...publicPages,
      '/dataset/fachverfahren-stadtverwaltung-rostock',
      '/kennzahlen/daten.csv?kpi=procedures.dms_connected',
    ]) {
      const { flat } = await get(path);
      for (const internal of ['Jahreskosten der Fachverfahren', 'Überfällige Meilensteine', 'annual_cost', 'Nutzende', cost])
        expect(flat, `${path}: ${internal}`).not.toContain(internal);
    }
  });

  it('serves Leaflet and the map script itself, only on geo dataset pages', async () => {
    const geo = await get('/dataset/stadtbereiche-rostock');
    expect(geo.text).toContain('<script src="/static/leaflet/leaflet.js" defer></script>');
    expect(geo.text).toContain('<script src="/static/map.js" defer></script>');
    expect(geo.text).toMatch(/data-geojson="\/dataset\/stadtbereiche-rostock\/resource\/[0-9a-f-]{36}\/download\?format=geojson"/);
    // the text alternative: all 21 Stadtbereiche listed beside the map
    expect(geo.flat).toContain('Objekte (21)');
    expect(geo.text).toContain('Warnemünde');
    for (const path of ['/', '/dataset', '/kennzahlen', '/dataset/ozg-leistungen']) expect((await get(path)).text).not.toContain('<script');
    // the JavaScript budget of the README: ≤ 160 KiB on the heaviest page
    let scriptBytes = 0;
    for (const m of geo.text.matchAll(/<script src="([^"]+)"/g))
      scriptBytes += (await (await fetch(`${site}${m[1]}`)).arrayBuffer()).byteLength;
    expect(scriptBytes).toBeGreaterThan(100 * 1024);
    expect(scriptBytes).toBeLessThanOrEqual(160 * 1024);
    const leaflet = await fetch(`${site}/static/leaflet/leaflet.js`);
    expect(leaflet.status).toBe(200);
    expect(leaflet.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${site}/static/../package.json`)).status).toBe(404);
  });
});

describe('map tiles (HRO_MAP_TILE_URL)', () => {
  it('draws configured tiles and allows exactly their origin in the CSP', async () => {
    expect(() => loadConfig({ HRO_MAP_TILE_URL: 'ftp://tiles.example.org/{z}/{x}/{y}.png' })).toThrow(ConfigError);
    const tileUrl = loadConfig({ HRO_MAP_TILE_URL: 'https://{s}.tiles.example.org/{z}/{x}/{y}.png' }).mapTileUrl;
    const tiled = await createApp({ pool: db.pool, log: db.log, introspection: false, mapTileUrl: tileUrl });
    try {
      const res = await tiled.inject('/dataset/stadtbereiche-rostock');
      expect(res.headers['content-security-policy']).toContain("img-src 'self' data: https://*.tiles.example.org;");
      expect(res.body).toContain('data-tile-url="https://{s}.tiles.example.org/{z}/{x}/{y}.png"');
    } finally {
      await tiled.close();
    }
    // without it: no outside origin anywhere
    const plain = await get('/dataset/stadtbereiche-rostock');
    expect(plain.headers.get('content-security-policy')).toContain("img-src 'self' data:;");
    expect(plain.text).toContain('data-tile-url=""');
  });
});

describe('search and dataset pages', () => {
  it('finds datasets with the same search as package_search, with facets, sorting and paging', async () => {
    const page = await get('/dataset?q=Stadtbereiche');
    const api = (await (await fetch(`${site}/api/3/action/package_search?q=Stadtbereiche&rows=20`)).json()) as {
      result: { count: number; results: { name: string }[] };
    };
    expect(api.result.count).toBeGreaterThan(0);
    expect(page.flat).toContain(`${api.result.count} ${api.result.count === 1 ? 'Datensatz' : 'Datensätze'} gefunden`);
    for (const d of api.result.results) expect(page.text).toContain(`href="/dataset/${d.name}"`);

    const filtered = await get('/dataset?tags=Geodaten&res_format=GeoJSON&sort=name-auf');
    const names = [...filtered.text.matchAll(/<h3><a href="\/dataset\/([^"]+)">/g)].map((m) => m[1]);
    expect(names).toEqual(expect.arrayContaining(['stadtbereiche-rostock', 'parkscheinautomaten-rostock']));
    expect(names).not.toContain('ozg-leistungen');
    expect(filtered.text).toMatch(/<input type="checkbox" id="f-tags-\d+" name="tags" value="Geodaten" checked \/>/);
    expect(filtered.text).toContain('<option value="name-auf" selected>');
    // a query that is no valid Solr syntax still searches (as words), no error page
    expect((await get('/dataset?q=%22unclosed')).status).toBe(200);
  });

  it('shows a dataset with DCAT metadata, downloads per format, API snippets and DCAT links', async () => {
    const res = await get('/dataset/vorhaben-digitale-verwaltung-rostock-2030');
    expect(res.status).toBe(200);
    const { text } = res;
    expect(text).toContain('Datenlizenz Deutschland – Namensnennung – Version 2.0');
    expect(text).toContain('<dt>Namensnennung</dt>');
    expect(text).toContain('Hanse- und Universitätsstadt Rostock (Gemeindeschlüssel 13003000)');
    expect(text).toContain('<dt>Aktualisierung</dt>');
    for (const format of ['csv', 'json', 'xlsx']) expect(text).toMatch(new RegExp(`/download\\?format=${format}"`));
    expect(text).toContain('/download?format=csv&amp;sep=%3B&amp;bom=1');
    for (const ext of ['ttl', 'rdf', 'jsonld']) expect(text).toContain(`href="/dataset/vorhaben-digitale-verwaltung-rostock-2030.${ext}"`);
    expect(text).toContain(`curl -s '${site}/api/3/action/package_show?id=vorhaben-digitale-verwaltung-rostock-2030'`);
    // the download links work
    const link = /href="(\/dataset\/vorhaben-digitale-verwaltung-rostock-2030\/resource\/[^"]+\/download\?format=csv)"/.exec(text)?.[1];
    const file = await fetch(`${site}${link}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('shows API snippets that run: every GraphQL query on the dataset pages answers without errors', async () => {
    const names = [
      'vorhaben-digitale-verwaltung-rostock-2030',
      'digitalisierungsprojekte-informationsvorlage',
      'ozg-leistungen',
      'fachverfahren-stadtverwaltung-rostock',
      'stadtbereiche-rostock',
    ];
    let queries = 0;
    for (const name of names) {
      const { text } = await get(`/dataset/${name}`);
      for (const m of text.matchAll(/<code class="graphql-query">([^<]+)<\/code>/g)) {
        const query = (m[1] ?? '')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&');
        const res = await fetch(`${site}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        const body = (await res.json()) as { errors?: unknown[]; data?: unknown };
        expect(body.errors, `${name}: ${query}`).toBeUndefined();
        queries++;
      }
    }
    expect(queries).toBeGreaterThanOrEqual(names.length + 4);
  });

  it('pages and sorts the table preview on the server', async () => {
    const first = await get('/dataset/stadtbereiche-rostock?vorschau_sortierung=bezeichnung&vorschau_richtung=ab');
    expect(first.text).toContain('aria-sort="descending"');
    const cells = [...first.flat.matchAll(/<tr> ?<td>([A-U])<\/td> ?<td>([^<]+)<\/td>/g)].map((m) => m[2]);
    expect(cells).toHaveLength(10);
    expect(cells).toEqual([...cells].sort((a, b) => (b ?? '').localeCompare(a ?? '', 'de')));
    const third = await get('/dataset/stadtbereiche-rostock?vorschau_seite=3');
    expect(third.flat).toContain('Zeilen 21–21 von 21');
    // an unknown column is ignored, not an error
    expect((await get('/dataset/stadtbereiche-rostock?vorschau_sortierung=nope')).status).toBe(200);
  });

  it('answers 404 for unknown and internal datasets alike, and redirects ids to names', async () => {
    await db.pool.query(`insert into catalog.dataset (name, title, private) values ('interne-seite', 'Intern: Kosten', true)`);
    try {
      expect((await get('/dataset/gibt-es-nicht')).status).toBe(404);
      const internal = await get('/dataset/interne-seite');
      expect(internal.status).toBe(404);
      expect(internal.text).not.toContain('Intern: Kosten');
      expect((await get('/dataset?q=Kosten')).text).not.toContain('interne-seite');
      // the steering team sees it, marked as internal
      const steering = await get('/dataset/interne-seite', as('steering'));
      expect(steering.status).toBe(200);
      expect(steering.text).toContain('badge-internal');
      expect(steering.headers.get('cache-control')).toBe('private, no-store');
    } finally {
      await db.pool.query(`delete from catalog.dataset where name = 'interne-seite'`);
    }
    // linked-data clients asking for RDF are sent to the DCAT serialisation; browsers get the page
    const rdf = await get('/dataset/ozg-leistungen', { accept: 'text/turtle' });
    expect(rdf.status).toBe(303);
    expect(rdf.headers.get('location')).toBe('/dataset/ozg-leistungen.ttl');
    expect((await get('/dataset/ozg-leistungen', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })).status).toBe(200);
    expect((await get('/dataset/ozg-leistungen', { accept: '*/*' })).status).toBe(200);
    const { rows } = await db.pool.query<{ id: string }>(`select id from catalog.dataset where name = 'ozg-leistungen'`);
    const byId = await get(`/dataset/${rows[0]?.id}?vorschau_seite=2`);
    expect(byId.status).toBe(301);
    expect(byId.headers.get('location')).toBe('/dataset/ozg-leistungen?vorschau_seite=2');
  });

  it('counts page views and downloads for the most used datasets', async () => {
    for (let i = 0; i < 40; i++) await get('/dataset/fachverfahren-stadtverwaltung-rostock');
    const start = await get('/');
    const used = start.flat.slice(start.flat.indexOf('id="meistgenutzt"'));
    expect(used.indexOf('fachverfahren-stadtverwaltung-rostock')).toBeGreaterThan(0);
    expect(used.indexOf('fachverfahren-stadtverwaltung-rostock')).toBeLessThan(
      used.indexOf('<li class="dataset"', used.indexOf('<li class="dataset"') + 1),
    );
    expect(used).toMatch(/<dt>Nutzung<\/dt> ?<dd>(4\d|[5-9]\d) Abrufe<\/dd>/);
  });
});

describe('KPI page', () => {
  it('shows the open KPIs with definitions, charts with text alternatives and tables, and no internal KPI', async () => {
    const { text } = await get('/kennzahlen');
    expect(text).toContain('Online verfügbare Leistungen');
    expect(text).toContain('Anteil der OZG-Leistungen (Art ozg), deren aktueller IST-Reifegrad');
    expect(text).toMatch(/<svg\s+class="chart"\s+role="img"/);
    expect(text).toContain('<desc id=');
    expect(text).toContain('Verlauf über die ETL-Läufe');
    expect(text).not.toContain('Jahreskosten der Fachverfahren');
    expect(text).not.toContain('Überfällige Meilensteine');
    expect(text).toContain('href="/kennzahlen/daten.csv?kpi=services.maturity&amp;art=werte&amp;nach=level"');
  });

  it('offers the data behind each chart as CSV, with small counts withheld from anonymous readers only', async () => {
    const path = '/kennzahlen/daten.csv?kpi=services.online_share_of_cases&art=werte&nach=month,org_unit';
    const anonymous = await get(path);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(anonymous.headers.get('content-disposition')).toBe('attachment; filename="services.online_share_of_cases-werte.csv"');
    const lines = anonymous.text.trim().split('\r\n');
    expect(lines[0]).toBe('kpi,run_id,month,org_unit,value,numerator,denominator,suppressed');
    const withheld = lines.filter((l) => l.endsWith(',true'));
    expect(withheld.length).toBeGreaterThan(0);
    for (const line of withheld) expect(line).toMatch(/,,,,true$/);
    const steering = await get(path, as('steering'));
    expect(
      steering.text
        .trim()
        .split('\r\n')
        .filter((l) => l.endsWith(',true')),
    ).toEqual([]);
    // a cell a spreadsheet would run as a formula is neutralised
    expect(steering.text).toContain(`,${XSS},'=1+1,0.5,50,100,false`);
    const series = await get('/kennzahlen/daten.csv?kpi=services.online&art=zeitreihe');
    expect(series.text.split('\r\n')[0]).toBe('kpi,run_id,source,computed_at,value,suppressed');
    expect((await get('/kennzahlen/daten.csv?kpi=procedures.cost')).status).toBe(401);
    expect((await get('/kennzahlen/daten.csv?kpi=procedures.cost', as('developer'))).status).toBe(403);
    expect((await get('/kennzahlen/daten.csv?kpi=nope')).status).toBe(404);
  });
});

describe('sign-in and steering board', () => {
  it('sends anonymous visitors to the sign-in and refuses developers', async () => {
    for (const path of [...steeringPages, ...adminPages]) {
      const res = await get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe(`/anmelden?next=${encodeURIComponent(path)}`);
    }
    expect((await get('/steuerung', as('developer'))).status).toBe(403);
    expect((await get('/etl', as('steering'))).status).toBe(403);
    expect((await get('/steuerung', { authorization: 'hro_bogus' })).status).toBe(401);
  });

  it('signs in with an API key into an HttpOnly, SameSite=Strict session cookie that does not contain the key', async () => {
    const res = await signIn(keys.steering);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/steuerung');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^hro_session=k\.\d+\.\d+\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    const secret = keys.steering.split('_').slice(2).join('_');
    expect(setCookie).not.toContain(secret);
    const cookie = cookieOf(res);

    const board = await get('/steuerung', { cookie });
    expect(board.status).toBe(200);
    expect(board.text).toContain('Steuerungsboard');
    expect(board.text).toContain('Jahreskosten der Fachverfahren');
    expect(board.headers.get('cache-control')).toBe('private, no-store');
    // the session counts everywhere the access policy decides: GraphQL reads internal fields with it
    const gql = await fetch(`${site}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: '{ procedures(first: 1) { nodes { annualCost } } }' }),
    });
    expect(((await gql.json()) as { errors?: unknown }).errors).toBeUndefined();
    // a forged or changed cookie is no session
    const forged = cookie.replace(/\.(\d+)\./, (_m, exp: string) => `.${Number(exp) + 1}.`);
    expect((await get('/steuerung', { cookie: forged })).status).toBe(303);
    expect((await get('/steuerung', { cookie: 'hro_session=k.1.99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(
      303,
    );
    // signing out clears it
    const out = await fetch(`${site}/abmelden`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain('hro_session=; Path=/; Max-Age=0');
  });

  it('refuses bad keys and foreign origins, and ends sessions of revoked keys', async () => {
    const bad = await signIn('hro_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    expect(await bad.text()).toContain('Der API-Schlüssel ist ungültig oder gesperrt.');
    expect((await signIn(keys.steering, { origin: 'https://evil.example' })).status).toBe(403);

    const { id, key } = await createApiKey(db.pool, { name: 'revoked soon', role: 'steering' });
    const cookie = cookieOf(await signIn(key));
    expect((await get('/steuerung', { cookie })).status).toBe(200);
    await db.pool.query(`update core.api_key set status = 'revoked' where id = $1`, [id]);
    forgetSessions();
    expect((await get('/steuerung', { cookie })).status).toBe(303);
  });

  it('links every number of the board to the rows behind it', async () => {
    const { text } = await get('/steuerung', as('steering'));
    const links = [...new Set([...text.matchAll(/href="(\/steuerung\/[^"#]+)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&')))];
    expect(links.length).toBeGreaterThan(15);
    for (const kind of ['projekte', 'meilensteine', 'vorhaben', 'fachverfahren', 'leistungen', 'fallzahlen']) {
      expect(
        links.some((l) => l.startsWith(`/steuerung/${kind}`)),
        kind,
      ).toBe(true);
    }
    for (const link of links) {
      const rows = await get(link, as('steering'));
      expect(rows.status, link).toBe(200);
      // the GraphQL query shown beside the rows runs for the same viewer
      for (const m of rows.text.matchAll(/<code class="graphql-query">([^<]+)<\/code>/g)) {
        const query = (m[1] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
        const res = await fetch(`${site}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...as('steering') },
          body: JSON.stringify({ query }),
        });
        expect(((await res.json()) as { errors?: unknown[] }).errors, `${link}: ${query}`).toBeUndefined();
      }
    }
    // a count and its rows agree: Vorhaben of the DMS field
    const dms = await get('/steuerung/vorhaben?feld=dms', as('steering'));
    const total = Number(/(\d+) Vorhaben – Filter/.exec(dms.flat)?.[1]);
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from open.initiatives where field_key = 'dms'`);
    expect(total).toBe(rows[0]?.n);
    const milestones = await get('/steuerung/meilensteine', as('steering'));
    const overdue = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from core.milestone where due_date < current_date and done_date is null and not is_closed`,
    );
    expect(milestones.flat).toContain(`${overdue.rows[0]?.n} Meilensteine sind fällig gewesen`);
  });

  it('shows admins the ETL runs and quarantined rows with their reasons', async () => {
    const runs = await get('/etl', as('admin'));
    expect(runs.status).toBe(200);
    expect(runs.text).toContain('fachverfahren-inventar');
    const { rows } = await db.pool.query<{ run_id: number }>(`select run_id from etl.quarantine where reason_code <> 'ROW_TEST' limit 1`);
    const run = await get(`/etl/${rows[0]?.run_id}`, as('admin'));
    expect(run.flat).toMatch(/Zeilen in Quarantäne \([1-9]/);
    expect(run.text).toMatch(/<code>ROW_[A-Z_]+<\/code>/);
  });
});

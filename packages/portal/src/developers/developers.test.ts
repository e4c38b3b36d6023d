// "Für Entwickler" and the GraphQL explorer over real HTTP (issue 10): the pages render every
// example for this server's address, the error table lists every code of the code's own table,
// a browser asking /graphql for HTML gets the explorer (served from our own files) while API
// clients get exactly what Apollo answered before, and the explorer's preloaded operations run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { errorTable } from '@hro/api';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { limitCodes } from '@hro/api/graphql';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '../app.js';
import { escapeHtml } from '../pages/html.js';
import { EXAMPLE_BASE, examples } from './examples.js';
import { explorerOperations } from './explorer.js';
import { topics } from './pages.js';
import { listenOnLoopback } from '../testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let site: string;
let steeringKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  steeringKey = (await createApiKey(db.pool, { name: 'developers steering', role: 'steering' })).key;
  app = await createApp({ pool: db.pool, log: db.log, introspection: true, rateLimits: { anonymous: 1234, key: 5678 } });
  site = await listenOnLoopback(app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

async function page(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${site}${path}`, { headers: { accept: BROWSER_ACCEPT, ...headers } });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('the developer pages', () => {
  it('render every topic with its examples for this server, in German, with the CSP and no inline script', async () => {
    const overview = await page('/entwickler');
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('<html lang="de">');
    for (const topic of topics) expect(overview.text).toContain(`href="/entwickler/${topic.slug}"`);
    expect(overview.text).toContain('href="/entwickler/schluessel"');
    expect(overview.text).toContain(`<code>${site}/graphql</code>`);

    for (const topic of topics) {
      const res = await page(`/entwickler/${topic.slug}`);
      expect(res.status, topic.slug).toBe(200);
      expect(res.headers.get('content-security-policy'), topic.slug).toContain("script-src 'self';");
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      // scripts only as files
      expect(res.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g), topic.slug).toBeNull();
      expect(res.text).toContain('<script src="/static/copy.js" defer></script>');
      for (const example of examples.filter((e) => e.topic === topic.slug)) {
        // the snippet exactly as the test runs it, with this server's address and HTML-escaped
        expect(res.text, example.id).toContain(escapeHtml(example.curl.replaceAll(EXAMPLE_BASE, site)));
        expect(res.text, example.id).toContain(escapeHtml(example.ts.replaceAll(EXAMPLE_BASE, site)));
        expect(res.text).not.toContain(EXAMPLE_BASE);
      }
    }
    expect(examples.every((e) => topics.some((t) => t.slug === e.topic))).toBe(true);
    expect((await page('/entwickler/gibt-es-nicht')).status).toBe(404);
  });

  it('list every error code of the code’s table with its HTTP status', async () => {
    const { text } = await page('/entwickler/fehler');
    for (const [code, entry] of Object.entries(errorTable)) {
      expect(text, code).toMatch(new RegExp(`<code>${entry.graphql}</code></th>\\s*<td class="num">${entry.http}</td>`));
    }
    for (const code of limitCodes) expect(text, code).toContain(`<code>${code}</code>`);
  });

  it('state the server’s own rate limits and a signed-in viewer’s role', async () => {
    const { text } = await page('/entwickler/limits');
    expect(text).toContain('<td class="num">1.234</td>');
    expect(text).toContain('<td class="num">5.678</td>');
    const keyed = await page('/entwickler/limits', { authorization: steeringKey });
    expect(keyed.text).toContain('Angemeldet: Steuerung');
    expect(keyed.headers.get('cache-control')).toBe('private, no-store');
    // a key that does not check out: the 401 page, as everywhere
    expect((await page('/entwickler', { authorization: 'hro_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' })).status).toBe(401);
  });

  it('are linked from every page’s navigation and footer', async () => {
    const { text } = await page('/');
    expect(text).toMatch(/<nav class="site-nav"[\s\S]*href="\/entwickler"[\s\S]*<\/nav>/);
    expect(text).toMatch(/<footer[\s\S]*href="\/entwickler"[\s\S]*<\/footer>/);
  });
});

describe('the GraphQL explorer at /graphql', () => {
  it('is what a browser gets, with our own scripts and the preloaded operations', async () => {
    const res = await page('/graphql');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const scripts = [...res.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(scripts).toEqual([
      expect.stringMatching(/^\/static\/vendor\/react\/18\.3\.1\/react\.production\.min\.js$/),
      expect.stringMatching(/^\/static\/vendor\/react-dom\/18\.3\.1\/react-dom\.production\.min\.js$/),
      expect.stringMatching(/^\/static\/vendor\/graphiql\/4\.1\.2\/graphiql\.min\.js$/),
      '/static/graphiql-init.js',
    ]);
    expect(res.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    // the operations, as the init script reads them back from the attribute
    const attribute = /data-tabs="([^"]*)"/.exec(res.text)?.[1] ?? '';
    const unescaped = attribute
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    const tabs = JSON.parse(unescaped) as { query: string; variables?: string }[];
    expect(tabs.map((t) => t.query)).toEqual(explorerOperations.map((o) => o.query));
    expect(res.text).toContain('href="/entwickler/schluessel"');
  });

  it('serves React, ReactDOM and GraphiQL from the installed packages, cacheable for a year, fonts lifted out of the CSS', async () => {
    const { text } = await page('/graphql');
    const urls = [...text.matchAll(/(?:src|href)="(\/static\/vendor\/[^"]+)"/g)].map((m) => m[1] ?? '');
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      const res = await fetch(`${site}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable');
      const body = await res.text();
      expect(body, url).not.toMatch(/sourceMappingURL=/);
      if (url.endsWith('.css')) {
        expect(body).not.toContain('data:font');
        const fonts = [...body.matchAll(/url\((\/static\/vendor\/graphiql\/[^)]+\.woff2)\)/g)].map((m) => m[1] ?? '');
        expect(fonts.length).toBeGreaterThan(0);
        const font = await fetch(`${site}${fonts[0] ?? ''}`);
        expect(font.status).toBe(200);
        expect(font.headers.get('content-type')).toBe('font/woff2');
        expect(
          Buffer.from(await font.arrayBuffer())
            .subarray(0, 4)
            .toString('latin1'),
        ).toBe('wOF2');
      }
    }
    const init = await fetch(`${site}/static/graphiql-init.js`);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('GraphiQL.createFetcher');
  });

  it('leaves API clients alone: JSON GETs, curl’s */*, POST and GET with a query answer as Apollo does', async () => {
    const query = '{ datasets(first: 1) { totalCount } }';
    const get = await fetch(`${site}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    // caches keep the explorer and the JSON apart
    expect(get.headers.get('vary')).toMatch(/authorization, Accept$/i);
    expect((await page('/graphql')).headers.get('vary')).toContain('Accept');
    expect(((await get.json()) as { data: { datasets: { totalCount: number } } }).data.datasets.totalCount).toBeGreaterThan(0);
    const star = await fetch(`${site}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { accept: '*/*', 'apollo-require-preflight': 'true' },
    });
    expect(star.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    const post = await fetch(`${site}/graphql`, {
      method: 'POST',
      headers: { accept: BROWSER_ACCEPT, 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(post.headers.get('content-type')).toMatch(/json/);
    // Apollo's CSRF rule still holds for GET without a preflight header
    const simple = await fetch(`${site}/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json' } });
    expect(simple.status).toBe(400);
    // a browser that prefers JSON is an API client
    expect((await page('/graphql', { accept: 'application/json, text/html;q=0.5' })).text).not.toContain('id="graphiql"');
  });

  it('preloads operations that run for anonymous readers without errors', async () => {
    for (const operation of explorerOperations) {
      const res = await fetch(`${site}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: operation.query, variables: operation.variables }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      expect(body.errors, operation.label).toBeUndefined();
      expect(Object.keys(body.data ?? {}).length, operation.label).toBeGreaterThan(0);
    }
  });

  it('answers a bad key with 401 UNAUTHENTICATED, not a masked internal error', async () => {
    const res = await fetch(`${site}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer hro_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      body: JSON.stringify({ query: '{ kpis { id } }' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});

// "Für Entwickler" and the GraphQL explorer in a real browser (issue 10): Debian's Chromium driven
// by playwright-core against the real app with the bundled samples. The explorer loads from our
// own files under the pages' CSP, runs its preloaded query and shows the result, with a key
// typed into its Headers tab and with a signed-in session; no console error, no CSP violation,
// no request to another origin. axe-core (WCAG 2.0/2.1 A+AA, best practices) runs on every
// developer page and must report no violation; the copy buttons work with the keyboard.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '@hro/portal';
import { audit, browserContext, launchChromium, newPage } from './browser.js';
import { listenOnLoopback } from '@hro/portal/testing';
const TOPICS = ['schnellstart', 'authentifizierung', 'limits', 'graphql', 'fehler', 'ckan-dcat', 'kennzahlen', 'persisted'];

let db: TestDatabase;
let app: Awaited<ReturnType<typeof createApp>>;
let site: string;
let browser: Browser;
let context: BrowserContext;
let developerKey: string;
/** what the pages did that they must not: console errors, CSP reports, requests elsewhere */
const problems: string[] = [];
const graphqlHeaders: Record<string, string>[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  developerKey = (await createApiKey(db.pool, { name: 'explorer e2e', role: 'developer' })).key;
  app = await createApp({ pool: db.pool, log: db.log, introspection: true, rateLimits: { anonymous: 100_000, key: 100_000 } });
  site = await listenOnLoopback(app);
  context = await browserContext(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  await db?.close();
});

async function open(path: string): Promise<Page> {
  const page = await newPage(context);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${path}: console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${path}: page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(site) && !request.url().startsWith('data:')) problems.push(`${path}: request to ${request.url()}`);
    if (request.url() === `${site}/graphql` && request.method() === 'POST') graphqlHeaders.push(request.headers());
  });
  const response = await page.goto(`${site}${path}`);
  expect(response?.status(), path).toBe(200);
  return page;
}

/** Runs the explorer's current tab and returns the text of the result pane once it has one. */
async function runAndRead(page: Page): Promise<string> {
  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.result-window .CodeMirror');
  await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 15_000 }).toMatch(/"data"|"errors"/);
  return (await result.textContent()) ?? '';
}

describe('the GraphQL explorer in the browser', () => {
  it('loads from our own files, runs the preloaded query and shows the result', async () => {
    const page = await open('/graphql');
    await page.locator('.graphiql-container').waitFor({ timeout: 15_000 });
    // the preloaded operations are tabs
    await expect.poll(() => page.locator('.graphiql-tab').count()).toBe(4);
    expect(await page.locator('.graphiql-query-editor').textContent()).toContain('query OffeneKennzahlen');
    const result = await runAndRead(page);
    expect(result).toContain('"kpis"');
    expect(result).toContain('services.maturity');
    expect(result).not.toContain('"errors"');
    // the whole page, GraphiQL included (its markup repaired by static/graphiql-init.js), passes axe
    await audit(page, 'graphql-explorer');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('runs the paged connection with its variables and sends a key written into the Headers tab', async () => {
    const page = await open('/graphql');
    await page.locator('.graphiql-container').waitFor({ timeout: 15_000 });
    await page.locator('.graphiql-tab').nth(3).click();
    expect(await page.locator('.graphiql-query-editor').textContent()).toContain('VorhabenSeitenweise');
    // the Headers editor: a key as a developer would paste it
    await page.locator('.graphiql-editor-tools button', { hasText: 'Headers' }).click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').first();
    await headers.click();
    // typed as a developer types it: the editor closes brackets and quotes itself and types over them
    await page.keyboard.type(`{"Authorization": "Bearer ${developerKey}"}`);
    expect(await headers.textContent()).toContain(`{"Authorization": "Bearer ${developerKey}"}`);
    graphqlHeaders.length = 0;
    const result = await runAndRead(page);
    expect(result).toContain('"hasNextPage": true');
    expect(result).toContain('"endCursor"');
    expect(graphqlHeaders.some((h) => h.authorization === `Bearer ${developerKey}`)).toBe(true);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('works with the session of a signed-in browser', async () => {
    const steering = (await createApiKey(db.pool, { name: 'explorer e2e steering', role: 'steering' })).key;
    const signIn = await open('/anmelden?next=%2Fgraphql');
    await signIn.locator('#schluessel').fill(steering);
    await signIn.keyboard.press('Enter');
    await signIn.waitForURL(/\/graphql$/);
    await signIn.locator('.graphiql-container').waitFor({ timeout: 15_000 });
    expect(await signIn.locator('main .lead').textContent()).toContain('Sie sind angemeldet');
    // an internal KPI needs the steering role: it runs with the session cookie alone
    // the tabs of the earlier visits stay in localStorage: the linked operation must still be the one that opens
    await signIn.goto(`${site}/graphql?query=${encodeURIComponent('{ kpi(id: "procedures.cost") { kpi { internal } } }')}`);
    await signIn.locator('.graphiql-container').waitFor({ timeout: 15_000 });
    const result = await runAndRead(signIn);
    expect(result).toContain('"internal": true');
    await signIn.close();
    await context.clearCookies();
    expect(problems).toEqual([]);
  });
});

describe('the developer pages in the browser', () => {
  it('pass axe on every page and copy an example with the keyboard', async () => {
    const overview = await open('/entwickler');
    await audit(overview, 'entwickler');
    await overview.close();
    for (const topic of TOPICS) {
      const page = await open(`/entwickler/${topic}`);
      await audit(page, `entwickler-${topic}`);
      await page.close();
    }
    const page = await open('/entwickler/schnellstart');
    const button = page.locator('figure.snippet .copy-button').first();
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role="status"]').textContent()).toContain('kopiert');
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toContain(`curl -s ${site}/graphql`);
    await page.close();
    expect(problems).toEqual([]);
  });
});

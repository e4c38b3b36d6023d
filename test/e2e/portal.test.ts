// The portal in a real browser (issue 7): Debian's Chromium driven by playwright-core against the
// real app on a loopback port with the bundled samples. A citizen searches with the keyboard,
// opens a dataset, downloads a file, pages and sorts the preview, uses the map with the keyboard,
// reads the KPI page; the steering team signs in with an API key. axe-core runs on every page
// type and must report no violation; the pages' own CSP stays in force (axe is evaluated through
// the DevTools protocol, which the CSP does not govern) and must report no violation either.
// Screenshots of each page type go to test-results/screenshots (gitignored; CI keeps them).
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '@hro/portal';
import { audit, browserContext, launchChromium, newPage, screenshotPath } from './browser.js';
import { listenOnLoopback } from '@hro/portal/testing';

let db: TestDatabase;
let app: Awaited<ReturnType<typeof createApp>>;
let site: string;
let browser: Browser;
let context: BrowserContext;
let steeringKey: string;
let adminKey: string;
const cspViolations: string[] = [];
const timings: { path: string; ms: number }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  steeringKey = (await createApiKey(db.pool, { name: 'e2e steering', role: 'steering' })).key;
  adminKey = (await createApiKey(db.pool, { name: 'e2e admin', role: 'admin' })).key;
  app = await createApp({ pool: db.pool, log: db.log, introspection: true, rateLimits: { anonymous: 100_000, key: 100_000 } });
  app.addHook('onResponse', async (request, reply) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) timings.push({ path: request.url, ms: reply.elapsedTime });
  });
  site = await listenOnLoopback(app);
  context = await browserContext(browser, { acceptDownloads: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  await db?.close();
  if (timings.length > 0) {
    const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
    const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
    // server time of the pages the browser loaded (first visits, cold caches included)
    process.stdout.write(
      `portal e2e: ${timings.length} HTML answers, server time median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms\n`,
    );
  }
});

async function open(path: string): Promise<Page> {
  const page = await newPage(context);
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  const response = await page.goto(`${site}${path}`);
  expect(response?.status(), path).toBeLessThan(500);
  return page;
}

/** Presses Tab until the element matching the selector has the focus (keyboard only). */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  const t0 = Date.now();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) {
      if (process.env.E2E_TIMING) process.stdout.write(`tab ${selector}: ${i + 1} presses, ${Date.now() - t0} ms\n`);
      return;
    }
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('portal in the browser', () => {
  it('finds and opens a dataset with the keyboard alone, from the start page', async () => {
    const page = await open('/');
    await audit(page, 'start');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Zum Inhalt springen');
    await tabTo(page, '#kopf-suche');
    await page.keyboard.type('Stadtbereiche');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dataset\?q=Stadtbereiche/);
    expect(await page.locator('h2#ergebnisse').textContent()).toMatch(/gefunden/);
    await audit(page, 'search');

    // a facet by keyboard: tick the tag Geodaten, apply
    await tabTo(page, 'input[name="tags"][value="Geodaten"]');
    await page.keyboard.press('Space');
    await tabTo(page, '.facets > button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/tags=Geodaten/);
    expect(await page.locator('input[name="tags"][value="Geodaten"]').isChecked()).toBe(true);

    await tabTo(page, 'a[href="/dataset/stadtbereiche-rostock"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dataset\/stadtbereiche-rostock$/);
    expect(await page.locator('h1').textContent()).toContain('Stadtbereiche der Hanse- und Universitätsstadt Rostock');
    await page.close();
  });

  it('downloads a file from the dataset page', async () => {
    const page = await open('/dataset/vorhaben-digitale-verwaltung-rostock-2030');
    await audit(page, 'dataset');
    await tabTo(page, 'a.button[href$="format=csv"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('vorhaben-digitale-verwaltung-rostock-2030.csv');
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toContain('key');
    expect(lines.filter((l) => /^V\d{2},/.test(l))).toHaveLength(33);
    await page.close();
  });

  it('pages and sorts the table preview with the keyboard', async () => {
    const page = await open('/dataset/ozg-leistungen');
    expect(await page.locator('#vorschau p').first().textContent()).toMatch(/Zeilen 1–10 von/);
    await tabTo(page, '#vorschau nav a[rel="next"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/vorschau_seite=2/);
    expect(await page.locator('#vorschau p').first().textContent()).toMatch(/Zeilen 11–20 von/);
    await tabTo(page, '#vorschau thead a[href*="vorschau_sortierung=title"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/vorschau_sortierung=title/);
    expect(await page.locator('#vorschau th[aria-sort="ascending"]').textContent()).toContain('title');
    const column = (await page.locator('#vorschau thead th').allTextContents()).findIndex((t) => t.trim().startsWith('title'));
    const titles = await page.locator(`#vorschau tbody tr td:nth-child(${column + 1})`).allTextContents();
    expect(titles).toHaveLength(10);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'de')));
    await page.screenshot({ path: screenshotPath('dataset-preview'), fullPage: true });
    await page.close();
  });

  it('uses the map with the keyboard: pan, zoom, and show a listed feature', async () => {
    const page = await open('/dataset/stadtbereiche-rostock');
    await page.locator('#karte[data-ready="true"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#karte path.leaflet-interactive').count()).toBe(21);
    await tabTo(page, '#karte');
    const pane = page.locator('#karte .leaflet-map-pane');
    const before = await pane.getAttribute('style');
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(400);
    expect(await pane.getAttribute('style')).not.toBe(before);
    const shape = page.locator('#karte path.leaflet-interactive').first();
    const outline = await shape.getAttribute('d');
    await page.keyboard.press('+');
    await page.waitForTimeout(600);
    expect(await shape.getAttribute('d')).not.toBe(outline);

    await tabTo(page, 'button[data-feature]');
    const label = await page.evaluate<string>(`document.activeElement?.closest('li')?.querySelector('span')?.textContent ?? ''`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#karte-auswahl').textContent()).toContain(label.split(' – ').pop() ?? label);
    expect(await page.locator('#karte path[stroke="#a4001d"]').count()).toBe(1);
    await audit(page, 'dataset-map');
    await page.close();
  });

  it('shows the KPI page with charts, definitions and tables', async () => {
    const page = await open('/kennzahlen');
    expect(await page.locator('section.kpi').count()).toBeGreaterThanOrEqual(8);
    expect(await page.locator('section.kpi svg[role="img"]').count()).toBeGreaterThanOrEqual(16);
    expect(await page.getByText('Jahreskosten der Fachverfahren').count()).toBe(0);
    const details = page.locator('section.kpi details').first();
    await tabTo(page, 'section.kpi details summary');
    await page.keyboard.press('Enter');
    expect(await details.getAttribute('open')).not.toBeNull();
    await audit(page, 'kpis');
    await page.close();
  });

  it('signs in to the steering board with an API key', async () => {
    const page = await open('/steuerung');
    await page.waitForURL(/\/anmelden\?next=%2Fsteuerung/);
    await audit(page, 'signin');
    await tabTo(page, '#schluessel');
    await page.keyboard.type('hro_wrong000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    expect(await page.locator('[role="alert"]').textContent()).toContain('ungültig');
    await audit(page, 'signin-error');
    await page.locator('#schluessel').fill('');
    await page.locator('#schluessel').focus();
    await page.keyboard.type(steeringKey);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/steuerung$/);
    expect(await page.locator('h1').textContent()).toBe('Steuerungsboard');
    const cookie = (await context.cookies()).find((c) => c.name === 'hro_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // the key's secret (its last 43 characters: base64url, which may itself hold "_") is not in the cookie
    expect(cookie?.value).not.toContain(steeringKey.slice(-43));
    expect(await page.getByText('Jahreskosten der Fachverfahren').count()).toBeGreaterThan(0);
    await audit(page, 'steering');

    // a number leads to its rows: through the table of contents to the section, on to its count
    await tabTo(page, '.toc a[href="#meilensteine"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '#meilensteine a[href="/steuerung/meilensteine"]', 5);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/steuerung\/meilensteine$/);
    await audit(page, 'steering-rows');
    await page.close();
    await context.clearCookies();
  });

  it('shows "Geplantes und Erreichtes" to everyone and the driver projects` panels to the steering team', async () => {
    const index = await open('/programm');
    expect(await index.locator('h1').textContent()).toBe('Geplantes und Erreichtes');
    expect(await index.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href')).toBe('/programm/feed.atom');
    await audit(index, 'program');
    await tabTo(index, 'tbody a[href^="/programm/"]');
    await index.keyboard.press('Enter');
    await index.waitForURL(/\/programm\/\d{4}-\d{2}$/);
    expect(await index.locator('h1').textContent()).toMatch(/^Geplantes und Erreichtes – /);
    await audit(index, 'program-month');
    await index.close();
    const missing = await open('/programm/2025-13');
    await audit(missing, 'program-month-not-found');
    await missing.close();

    const steering = await browser.newContext({ extraHTTPHeaders: { authorization: steeringKey }, viewport: { width: 1280, height: 900 } });
    try {
      for (const [path, name] of [
        ['/steuerung/ozg', 'steering-ozg'],
        ['/steuerung/it-bebauung?verfahren=FV-001', 'steering-it-bebauung'],
        ['/steuerung/programm', 'steering-program'],
      ] as const) {
        const page = await steering.newPage();
        const response = await page.goto(`${site}${path}`);
        expect(response?.status(), path).toBe(200);
        await audit(page, name);
        await page.close();
      }
    } finally {
      await steering.close();
    }
  }, 120_000);

  it('shows admins the ETL status, and every page type an accessible error page', async () => {
    const admin = await browser.newContext({ extraHTTPHeaders: { authorization: adminKey }, viewport: { width: 1280, height: 900 } });
    try {
      const page = await admin.newPage();
      await page.goto(`${site}/etl`);
      expect(await page.locator('h1').textContent()).toBe('ETL-Status');
      await audit(page, 'etl');
      await page.locator('tbody a[href^="/etl/"]').first().click();
      await page.waitForURL(/\/etl\/\d+$/);
      await audit(page, 'etl-run');
    } finally {
      await admin.close();
    }
    const missing = await open('/gibt-es-nicht');
    await audit(missing, 'not-found');
    await missing.close();
    expect(cspViolations).toEqual([]);
  });
});

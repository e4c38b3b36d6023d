// Self-service developer keys end to end in a real browser (issue 10): Debian's Chromium driven by
// playwright-core against the real app. A developer — in a browser with JavaScript switched off,
// so every step is a plain form — requests a key, an admin approves it on the admin page, the
// developer collects it once through the status link, uses it against /graphql, the admin rotates
// it (the old secret is refused), the developer signs in with the new key, rotates it on "Mein
// Schlüssel" and revokes it — refused. axe-core checks every page type (no violation), and the
// pages' CSP reports no violation. Screenshots go to test-results/screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createApp } from '@hro/portal';
import { audit, browserContext, launchChromium, newPage } from './browser.js';
import { listenOnLoopback } from '@hro/portal/testing';

let db: TestDatabase;
let app: Awaited<ReturnType<typeof createApp>>;
let site: string;
let browser: Browser;
/** the developer: no JavaScript at all */
let developer: BrowserContext;
/** the admin, and the context the accessibility checks run in (axe needs JavaScript) */
let operator: BrowserContext;
let adminKey: string;
const cspViolations: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  adminKey = (await createApiKey(db.pool, { name: 'Betrieb', role: 'admin' })).key;
  app = await createApp({ pool: db.pool, log: db.log, introspection: true, rateLimits: { anonymous: 100_000, key: 100_000 } });
  site = await listenOnLoopback(app);
  developer = await browserContext(browser, { javaScriptEnabled: false });
  operator = await browserContext(browser);
}, 120_000);

afterAll(async () => {
  await developer?.close();
  await operator?.close();
  await browser?.close();
  await app?.close();
  await db?.close();
});

async function open(context: BrowserContext, path: string): Promise<Page> {
  const page = await newPage(context);
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  const response = await page.goto(`${site}${path}`);
  expect(response?.status(), path).toBeLessThan(500);
  return page;
}

/** The same address opened in the operator's context (JavaScript on) for axe; GET pages only. */
async function auditAt(path: string, name: string): Promise<void> {
  const page = await open(operator, path);
  await audit(page, name);
  await page.close();
}

async function graphql(key: string): Promise<number> {
  const res = await fetch(`${site}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ datasets(first: 2) { totalCount nodes { name } } }' }),
  });
  const body = (await res.json()) as { errors?: unknown[] };
  return res.status === 200 && !body.errors ? 200 : res.status;
}

describe('self-service developer keys in the browser', () => {
  it('request → approve → collect once → use → rotate (admin, own) → revoke', { timeout: 180_000 }, async () => {
    // 1. the developer requests a key (no JavaScript): first with mistakes, then complete
    const dev = await open(developer, '/entwickler/schluessel');
    expect(await dev.locator('h1').textContent()).toBe('API-Schlüssel beantragen');
    await dev.getByLabel('Name oder Organisation').fill('Code for Rostock');
    await dev.getByLabel('E-Mail-Adresse').fill('falsch');
    await dev.getByRole('button', { name: 'Schlüssel beantragen' }).click();
    await dev.waitForLoadState();
    expect(await dev.locator('[role="alert"]').textContent()).toContain('gültige E-Mail-Adresse');
    expect(await dev.getByLabel('Name oder Organisation').inputValue()).toBe('Code for Rostock');
    await dev.getByLabel('E-Mail-Adresse').fill('team@codefor.example');
    await dev.getByLabel('Wofür möchten Sie den Schlüssel nutzen?').fill('Eine Karte der Parkscheinautomaten für die Innenstadt.');
    await dev.getByLabel('Ich akzeptiere die Nutzungsbedingungen.').check();
    await dev.getByRole('button', { name: 'Schlüssel beantragen' }).click();
    await dev.waitForURL(/\/entwickler\/schluessel\/[0-9a-f-]{36}\?token=/);
    const statusUrl = dev.url();
    expect(await dev.locator('.status').textContent()).toContain('wartet auf Freigabe');
    expect(await dev.locator('.status-link code').textContent()).toBe(statusUrl);

    // the form, its error state and the status page pass axe
    await auditAt('/entwickler/schluessel', 'keys-request-form');
    const invalid = await open(operator, '/entwickler/schluessel');
    await invalid.getByRole('button', { name: 'Schlüssel beantragen' }).click();
    await invalid.waitForLoadState();
    expect(await invalid.locator('[role="alert"] li').count()).toBe(4);
    await audit(invalid, 'keys-request-errors');
    await invalid.close();
    await auditAt(statusUrl.slice(site.length), 'keys-request-pending');

    // 2. the admin signs in and approves it on the admin page
    const adminPage = await open(operator, '/verwaltung/schluessel');
    await adminPage.waitForURL(/\/anmelden\?next=%2Fverwaltung%2Fschluessel/);
    await adminPage.getByLabel('API-Schlüssel').fill(adminKey);
    await adminPage.getByRole('button', { name: 'Anmelden' }).click();
    await adminPage.waitForURL(/\/verwaltung\/schluessel$/);
    expect(await adminPage.locator('h2#offene-antraege').textContent()).toBe('Offene Anträge (1)');
    await audit(adminPage, 'keys-admin');
    await adminPage.getByRole('button', { name: 'Freigeben – Antrag von Code for Rostock' }).click();
    await adminPage.waitForURL(/meldung=freigegeben/);
    expect(await adminPage.locator('[role="status"]').textContent()).toContain('freigegeben');

    // 3. the developer collects the key through the status link — once
    await dev.goto(statusUrl);
    expect(await dev.locator('.status').textContent()).toContain('freigegeben');
    await auditAt(statusUrl.slice(site.length), 'keys-request-approved');
    await dev.getByRole('button', { name: 'Schlüssel jetzt anzeigen' }).click();
    await dev.waitForLoadState();
    const key = (await dev.locator('#neuer-schluessel').textContent()) ?? '';
    expect(key).toMatch(/^hro_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    await dev.goto(statusUrl);
    expect(await dev.locator('.status').textContent()).toContain('abgeholt');
    expect(await dev.content()).not.toContain(key);
    expect(await dev.getByRole('button', { name: 'Schlüssel jetzt anzeigen' }).count()).toBe(0);
    await auditAt(statusUrl.slice(site.length), 'keys-request-collected');

    // 4. the key works against /graphql, and its use shows on the admin page
    expect(await graphql(key)).toBe(200);
    expect(await graphql(key)).toBe(200);
    await adminPage.goto(`${site}/verwaltung/schluessel`);
    const row = adminPage.locator('tr', { hasText: key.slice(0, 17) });
    expect(await row.locator('.key-status').textContent()).toBe('aktiv');
    expect(await row.locator('.usage-total').textContent()).toBe('2');

    // 5. the admin rotates it: the old secret is refused, the new one works
    await row.getByRole('button', { name: /^Rotieren/ }).click();
    await adminPage.waitForLoadState();
    const rotated = (await adminPage.locator('#neuer-schluessel').textContent()) ?? '';
    expect(rotated).toMatch(/^hro_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(rotated).not.toBe(key);
    await audit(adminPage, 'keys-rotated');
    expect(await graphql(key)).toBe(401);
    expect(await graphql(rotated)).toBe(200);

    // 6. the developer signs in with the new key, sees its use on "Mein Schlüssel", rotates it there …
    await dev.goto(`${site}/entwickler/schluessel/mein`);
    await dev.waitForURL(/\/anmelden\?next=%2Fentwickler%2Fschluessel%2Fmein/);
    await dev.getByLabel('API-Schlüssel').fill(rotated);
    await dev.getByRole('button', { name: 'Anmelden' }).click();
    await dev.waitForURL(/\/entwickler\/schluessel\/mein$/);
    expect(await dev.locator('#anfragen-gesamt').textContent()).toBe('3');
    await dev.getByRole('button', { name: 'Schlüssel rotieren' }).click();
    await dev.waitForLoadState();
    const own = (await dev.locator('#neuer-schluessel').textContent()) ?? '';
    expect(own).toMatch(/^hro_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(await graphql(rotated)).toBe(401);
    expect(await graphql(own)).toBe(200);

    // … and, still signed in (the rotation renewed the session), revokes it
    await dev.goto(`${site}/entwickler/schluessel/mein`);
    expect(await dev.locator('#anfragen-gesamt').textContent()).toBe('4');
    await dev.getByRole('button', { name: 'Schlüssel sperren' }).click();
    await dev.waitForLoadState();
    expect(await dev.locator('h1').textContent()).toBe('Schlüssel gesperrt');
    expect(await graphql(own)).toBe(401);

    // the admin sees it revoked; "Mein Schlüssel" of an admin session passes axe too
    await adminPage.goto(`${site}/verwaltung/schluessel`);
    expect(
      await adminPage
        .locator('tr', { hasText: key.slice(0, 17) })
        .locator('.key-status')
        .textContent(),
    ).toBe('gesperrt');
    await auditAt('/entwickler/schluessel/mein', 'keys-own');
    await adminPage.close();
    await dev.close();
    expect(cspViolations).toEqual([]);
  });
});

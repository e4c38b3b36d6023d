// What the browser tests share: Debian's Chromium through playwright-core, pages that record CSP
// violations, and the axe-core audit (WCAG 2.0/2.1 A and AA rules, best practices) with a
// screenshot in test-results/screenshots (gitignored; CI keeps them). axe is evaluated through the
// DevTools protocol, which the pages' CSP does not govern, so the CSP stays in force.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoRoot } from '@hro/api';

const CHROMIUM = '/usr/bin/chromium';
const shots = join(repoRoot, 'test-results', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Where a test's screenshot goes. */
export const screenshotPath = (name: string) => join(shots, `${name}.png`);

/** Starts headless Chromium, or fails with what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the browser tests need Debian's chromium package (apt-get install chromium; .ci/run installs it).`,
    );
  }
  mkdirSync(shots, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** The desktop German browser every test uses, with its own options on top. */
export const browserContext = (browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', ...options });

/** A page whose CSP violations are collected in `window.__csp` (read by `audit`). The page's own code runs as text: this file is compiled without the DOM library. */
export async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript({
    content: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return page;
}

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core on the page as it is (less the `exclude` selectors) and its CSP record: no violation of either; a screenshot. */
export async function audit(page: Page, name: string, exclude: string[] = []): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  await page.evaluate(axeSource);
  const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } };
  const target = exclude.length === 0 ? 'document' : JSON.stringify({ include: [['html']], exclude: exclude.map((s) => [s]) });
  const result = await page.evaluate<AxeResult>(`axe.run(${target}, ${JSON.stringify(options)})`);
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, name).toEqual([]);
  expect(await page.evaluate<string[]>('window.__csp || []'), `${name}: CSP violations`).toEqual([]);
}

// The self-service key pages over real HTTP (issue 10): the request form (CSRF, validation in
// German, rate limit), the status page reached only with its token, the key shown once, the
// admins' page (approve, reject, rotate, revoke, usage), and "Mein Schlüssel" of a signed-in key
// holder (rotate with a fresh session, revoke). The browser flow is in test/e2e/developer-keys.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createApp } from './app.js';
import { KEY_REQUEST_LIMIT } from './pages/developer-keys.routes.js';
import { listenOnLoopback } from './testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let base: string;
let adminKey: string;
let developerKey: string;
/** POSTs of the request form in this file: the route's limit counts every one of them */
let requestPosts = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  app = await createApp({ pool: db.pool, log: db.log, introspection: false, rateLimits: { anonymous: 100_000, key: 100_000 } });
  base = await listenOnLoopback(app);
  adminKey = (await createApiKey(db.pool, { name: 'admin', role: 'admin' })).key;
  developerKey = (await createApiKey(db.pool, { name: 'dev', role: 'developer' })).key;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

/** A client that keeps its cookies, as a browser without JavaScript does. */
class Client {
  cookies = new Map<string, string>();
  constructor(readonly headers: Record<string, string> = {}) {}

  async request(path: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...this.headers, ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
}

const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
const keyOf = (page: string) => /<code id="neuer-schluessel">(hro_[a-z0-9]{12}_[A-Za-z0-9_-]+)<\/code>/.exec(page)?.[1] ?? '';
const valid = { name: 'Code for Rostock', email: 'hallo@codefor.example', purpose: 'Eine App für freie Parkplätze.', acceptTerms: 'ja' };

async function submit(client: Client, fields: Record<string, string>, headers?: Record<string, string>) {
  requestPosts += 1;
  return client.request('/entwickler/schluessel', { form: fields, headers });
}

async function requestKey(client: Client, fields = valid): Promise<{ statusPath: string; id: string; token: string }> {
  const form = await client.request('/entwickler/schluessel');
  const res = await submit(client, { ...fields, csrf: csrfOf(form.text) });
  expect(res.status, res.text).toBe(303);
  const location = res.headers.get('location') ?? '';
  const match = /^\/entwickler\/schluessel\/([0-9a-f-]{36})\?token=([A-Za-z0-9_-]{43})$/.exec(location);
  expect(match, location).not.toBeNull();
  return { statusPath: location, id: match?.[1] ?? '', token: match?.[2] ?? '' };
}

async function graphql(key: string | undefined, query = '{ datasets(first: 1) { totalCount } }') {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

const admin = () => new Client({ authorization: adminKey });

describe('the request form', () => {
  it('is a German form with a CSRF token bound to an HttpOnly SameSite cookie, never cached', async () => {
    const client = new Client();
    const res = await client.request('/entwickler/schluessel');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>API-Schlüssel beantragen</h1>');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.text).not.toMatch(/<script(?![^>]*src=)/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hro_form='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(csrfOf(res.text)).toBe(client.cookies.get('hro_form'));
    for (const name of ['name', 'email', 'purpose', 'acceptTerms']) expect(res.text).toContain(`name="${name}"`);
  });

  it('refuses posts without the token, with a foreign token, from another origin or cross-site — storing nothing', async () => {
    const client = new Client();
    const csrf = csrfOf((await client.request('/entwickler/schluessel')).text);
    const refused = [
      await submit(client, valid),
      await submit(client, { ...valid, csrf: 'x'.repeat(43) }),
      await submit(client, { ...valid, csrf }, { origin: 'https://evil.example' }),
      await submit(client, { ...valid, csrf }, { 'sec-fetch-site': 'cross-site' }),
      // the token without its cookie (another browser)
      await submit(new Client(), { ...valid, csrf }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.text).toContain('Formular abgelaufen');
    }
    const { rows } = await db.pool.query(`select count(*)::int as n from core.api_key_request`);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('answers invalid input with German messages at the fields, keeping (escaped) what was typed', async () => {
    const client = new Client();
    const csrf = csrfOf((await client.request('/entwickler/schluessel')).text);
    const res = await submit(client, { csrf, name: '<b>X</b>', email: 'nicht-gueltig', purpose: 'kurz' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Fehler: API-Schlüssel beantragen – HRO Datenplattform</title>');
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('Bitte geben Sie eine gültige E-Mail-Adresse an');
    expect(res.text).toContain('mindestens 10 Zeichen');
    expect(res.text).toContain('Bitte stimmen Sie den Nutzungsbedingungen zu.');
    expect(res.text).toContain('<a href="#antrag-bedingungen">');
    expect(res.text).toContain('value="&lt;b&gt;X&lt;/b&gt;"');
    expect(res.text).not.toContain('<b>X</b>');
    expect((res.text.match(/aria-invalid="true"/g) ?? []).length).toBe(3);
    expect(csrfOf(res.text)).toBe(csrf);
  });
});

describe('a request from the form to a used, rotated and revoked key', () => {
  it('waits for approval, shows the key once to the token holder, counts its use, rotates and revokes', async () => {
    const requester = new Client();
    const { statusPath, id, token } = await requestKey(requester);
    const pending = await requester.request(statusPath);
    expect(pending.status).toBe(200);
    expect(pending.text).toContain('wartet auf Freigabe');
    expect(pending.text).toContain(`<code>${base}${statusPath}</code>`);
    expect(pending.headers.get('referrer-policy')).toBe('same-origin');
    expect(pending.headers.get('cache-control')).toBe('private, no-store');
    expect((await new Client().request(`/entwickler/schluessel/${id}?token=${'A'.repeat(43)}`)).status).toBe(404);
    expect((await new Client().request(`/entwickler/schluessel/${id}`)).status).toBe(404);

    // the admins' page: signed out → sign-in, a developer → 403, an admin sees the request
    const signedOut = await new Client().request('/verwaltung/schluessel');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/anmelden?next=%2Fverwaltung%2Fschluessel');
    expect((await new Client({ authorization: developerKey }).request('/verwaltung/schluessel')).status).toBe(403);
    const operator = admin();
    const page = await operator.request('/verwaltung/schluessel');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Offene Anträge (1)');
    expect(page.text).toContain('hallo@codefor.example');
    // an admin action needs the page's token
    expect((await operator.request(`/verwaltung/schluessel/antraege/${id}/freigeben`, { form: {} })).status).toBe(403);
    expect(
      (
        await new Client({ authorization: developerKey }).request(`/verwaltung/schluessel/antraege/${id}/freigeben`, {
          form: { csrf: csrfOf(page.text) },
        })
      ).status,
    ).toBe(403);
    const approved = await operator.request(`/verwaltung/schluessel/antraege/${id}/freigeben`, { form: { csrf: csrfOf(page.text) } });
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toBe('/verwaltung/schluessel?meldung=freigegeben');
    expect((await operator.request('/verwaltung/schluessel?meldung=freigegeben')).text).toContain('Der Antrag ist freigegeben.');

    // collected once
    const ready = await requester.request(statusPath);
    expect(ready.text).toContain('Status: freigegeben');
    const collect = { csrf: csrfOf(ready.text), token };
    const shown = await requester.request(`/entwickler/schluessel/${id}/abholen`, { form: collect });
    expect(shown.status).toBe(200);
    const key = keyOf(shown.text);
    expect(key).not.toBe('');
    const again = await requester.request(`/entwickler/schluessel/${id}/abholen`, { form: collect });
    expect(again.status).toBe(409);
    expect(again.text).toContain('bereits abgeholt');
    expect(again.text).not.toContain(key);
    const after = await requester.request(statusPath);
    expect(after.text).toContain('Status: abgeholt');
    expect(after.text).not.toContain(key);
    // a wrong token collects nothing either
    expect((await requester.request(`/entwickler/schluessel/${id}/abholen`, { form: { ...collect, token: 'B'.repeat(43) } })).status).toBe(
      404,
    );

    // the key works as a developer key on /graphql, and its use is counted
    for (let i = 0; i < 3; i++) expect((await graphql(key)).body.errors).toBeUndefined();
    expect((await graphql(key, '{ apiKeys { id } }')).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listed = await operator.request('/verwaltung/schluessel');
    const row = new RegExp(`<tr id="schluessel-(\\d+)">(?:(?!</tr>).)*${key.slice(4, 16)}(?:(?!</tr>).)*</tr>`, 's').exec(listed.text);
    expect(row?.[0]).toContain('aktiv');
    expect(row?.[0]).toMatch(/<td class="num usage-total">4<\/td>/);
    const keyId = row?.[1] ?? '';

    // rotated by the admin: the old secret is refused at once, the new one works
    const rotated = await operator.request(`/verwaltung/schluessel/${keyId}/rotieren`, { form: { csrf: csrfOf(listed.text) } });
    expect(rotated.status).toBe(200);
    const next = keyOf(rotated.text);
    expect(next.slice(0, 17)).toBe(key.slice(0, 17));
    expect(next).not.toBe(key);
    expect((await graphql(key)).status).toBe(401);
    expect((await graphql(next)).body.errors).toBeUndefined();

    const revoked = await operator.request(`/verwaltung/schluessel/${keyId}/sperren`, { form: { csrf: csrfOf(listed.text) } });
    expect(revoked.headers.get('location')).toBe('/verwaltung/schluessel?meldung=gesperrt');
    expect((await graphql(next)).status).toBe(401);
    const final = await operator.request('/verwaltung/schluessel');
    expect(new RegExp(`<tr id="schluessel-${keyId}">(?:(?!</tr>).)*gesperrt`, 's').test(final.text)).toBe(true);
  });

  it('rejects with a reason the requester reads; an empty reason is refused at the field', async () => {
    const requester = new Client();
    const { statusPath, id } = await requestKey(requester, { ...valid, email: 'zwei@example.org' });
    const operator = admin();
    const csrf = csrfOf((await operator.request('/verwaltung/schluessel')).text);
    const empty = await operator.request(`/verwaltung/schluessel/antraege/${id}/ablehnen`, { form: { csrf, reason: '' } });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Bitte nennen Sie einen Grund');
    expect(empty.text).toContain(`aria-describedby="grund-${id}-fehler"`);
    const rejected = await operator.request(`/verwaltung/schluessel/antraege/${id}/ablehnen`, {
      form: { csrf, reason: 'Bitte <mehr> Angaben' },
    });
    expect(rejected.headers.get('location')).toBe('/verwaltung/schluessel?meldung=abgelehnt');
    // a second decision (another tab) changes nothing and says so
    const twice = await operator.request(`/verwaltung/schluessel/antraege/${id}/freigeben`, { form: { csrf } });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('Nichts geändert');
    const status = await requester.request(statusPath);
    expect(status.text).toContain('Status: abgelehnt');
    expect(status.text).toContain('Bitte &lt;mehr&gt; Angaben');
    expect(status.text).not.toContain('Schlüssel jetzt anzeigen');
  });
});

describe('Mein Schlüssel', () => {
  it('shows a signed-in key holder their key’s use; rotating renews the session, the old key and session end', async () => {
    const { key } = await createApiKey(db.pool, { name: 'Meine App', role: 'developer' });
    for (let i = 0; i < 2; i++) await graphql(key);
    const browser = new Client();
    expect((await browser.request('/entwickler/schluessel/mein')).headers.get('location')).toBe(
      '/anmelden?next=%2Fentwickler%2Fschluessel%2Fmein',
    );
    const signIn = await browser.request('/anmelden', { form: { key, next: '/entwickler/schluessel/mein' } });
    expect(signIn.headers.get('location')).toBe('/entwickler/schluessel/mein');
    const oldSession = browser.cookies.get('hro_session') ?? '';
    const own = await browser.request('/entwickler/schluessel/mein');
    expect(own.status).toBe(200);
    expect(own.text).toContain('<dd id="anfragen-gesamt">2</dd>');
    expect(own.text).toContain('<dd id="anfragen-heute">2</dd>');
    expect(own.text).toContain('Meine App');
    expect(own.text).toContain('Mein Schlüssel</a>');

    expect((await browser.request('/entwickler/schluessel/mein/rotieren', { form: { csrf: 'falsch' } })).status).toBe(403);
    const rotated = await browser.request('/entwickler/schluessel/mein/rotieren', { form: { csrf: csrfOf(own.text) } });
    expect(rotated.status).toBe(200);
    const next = keyOf(rotated.text);
    expect(next).not.toBe('');
    expect(browser.cookies.get('hro_session')).not.toBe(oldSession);
    expect((await graphql(key)).status).toBe(401);
    expect((await graphql(next)).body.errors).toBeUndefined();
    // the old session was signed with the old secret's hash: it ends with it
    const stale = new Client();
    stale.cookies.set('hro_session', oldSession);
    expect((await stale.request('/entwickler/schluessel/mein')).status).toBe(303);
    const renewed = await browser.request('/entwickler/schluessel/mein');
    expect(renewed.status).toBe(200);
    expect(renewed.text).toContain('<dd id="anfragen-gesamt">3</dd>');

    const revoked = await browser.request('/entwickler/schluessel/mein/sperren', { form: { csrf: csrfOf(renewed.text) } });
    expect(revoked.status).toBe(200);
    expect(revoked.text).toContain('Schlüssel gesperrt');
    expect(browser.cookies.has('hro_session')).toBe(false);
    expect((await graphql(next)).status).toBe(401);
  });
});

describe('the request form’s rate limit', () => {
  it(`takes ${KEY_REQUEST_LIMIT.max} posts per address and hour, then answers 429 with Retry-After`, async () => {
    const client = new Client();
    const csrf = csrfOf((await client.request('/entwickler/schluessel')).text);
    let res = await submit(client, { csrf });
    while (res.status !== 429 && requestPosts <= KEY_REQUEST_LIMIT.max) res = await submit(client, { csrf });
    expect(res.status).toBe(429);
    expect(requestPosts).toBe(KEY_REQUEST_LIMIT.max + 1);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.text).toContain('Zu viele Anfragen');
    // the rest of the portal is not affected
    expect((await client.request('/entwickler/schluessel')).status).toBe(200);
  });
});

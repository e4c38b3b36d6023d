// Self-service developer keys (issue 10) at the domain level: request → approve → collect once →
// the key authenticates as developer → rotate (old refused, new accepted, same identity and
// usage) → revoke; rejection; the status token as the only way to the key; usage per key and day;
// the holder's own key; who may do what. Real PostgreSQL; the HTTP side is in the portal's tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainContext } from '../domain/context.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { authenticate, createApiKey } from './api-key.js';
import {
  apiKeyRequestStatus,
  approveApiKeyRequest,
  collectApiKey,
  listApiKeyRequests,
  rejectApiKeyRequest,
  requestApiKey,
  MAX_PENDING_PER_EMAIL,
} from './api-key-request.service.js';
import { apiKeyUsage, listApiKeys, ownApiKey, revokeApiKey, revokeOwnApiKey, rotateApiKey, rotateOwnApiKey } from './api-key.service.js';
import { countKeyUse, flushKeyUsage, usageDay } from './key-usage.js';
import type { Viewer } from './viewer.js';

let db: TestDatabase;
const as = (viewer: Viewer): DomainContext => ({ viewer, pool: db.pool, log: db.log });
let admin: DomainContext;
const anonymous = () => as({ role: 'anonymous' });
const form = (n: number, email = `dev${n}@example.org`) => ({
  name: `Civic Tech Rostock ${n}`,
  email,
  purpose: 'Eine App, die freie Parkscheinautomaten zeigt.',
  acceptTerms: true,
});

beforeAll(async () => {
  db = await createTestDatabase();
  admin = as({ role: 'admin', subject: 'key:0' });
});
afterAll(async () => {
  await db.close();
});

describe('requesting a key', () => {
  it('refuses incomplete forms with a German message per field, and stores nothing', async () => {
    const error = await requestApiKey(anonymous(), { name: ' x ', email: 'keine-adresse', purpose: 'kurz', acceptTerms: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
    const fieldErrors = (error as { fieldErrors: Record<string, string[]> }).fieldErrors;
    expect(Object.keys(fieldErrors).sort()).toEqual(['acceptTerms', 'email', 'name', 'purpose']);
    expect(fieldErrors.email?.[0]).toContain('gültige E-Mail-Adresse');
    expect(fieldErrors.acceptTerms?.[0]).toContain('Nutzungsbedingungen');
    await expect(requestApiKey(anonymous(), { ...form(0), name: 'Bell\u0007' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const { rows } = await db.pool.query(`select count(*)::int as n from core.api_key_request`);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('stores a pending request with only the hash of its status token; a wrong token finds nothing', async () => {
    const { id, token } = await requestApiKey(anonymous(), form(1));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { rows } = await db.pool.query<{ token_hash: string; status: string; name: string }>(
      `select token_hash, status, name from core.api_key_request where id = $1`,
      [id],
    );
    expect(rows[0]?.status).toBe('pending');
    expect(rows[0]?.token_hash).not.toContain(token);
    expect(rows[0]?.name).toBe('Civic Tech Rostock 1');
    expect(await apiKeyRequestStatus(anonymous(), id, token)).toMatchObject({ id, status: 'pending', keyStatus: null });
    await expect(
      apiKeyRequestStatus(
        anonymous(),
        id,
        token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      ),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(apiKeyRequestStatus(anonymous(), 'not-a-uuid', token)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // nothing to collect before a decision
    await expect(collectApiKey(anonymous(), id, token)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'pending' } });
  });

  it(`takes at most ${MAX_PENDING_PER_EMAIL} open requests per e-mail address (case-insensitive)`, async () => {
    for (let i = 0; i < MAX_PENDING_PER_EMAIL; i++) await requestApiKey(anonymous(), form(10 + i, 'viel@example.org'));
    const error = await requestApiKey(anonymous(), form(20, 'VIEL@example.org')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((error as { fieldErrors: Record<string, string[]> }).fieldErrors.email?.[0]).toContain('offene Anträge');
  });

  it('lets only admins list and decide requests', async () => {
    const { id } = await requestApiKey(anonymous(), form(2));
    await expect(listApiKeyRequests(anonymous())).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(approveApiKeyRequest(as({ role: 'developer', subject: 'key:1' }), id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(rejectApiKeyRequest(as({ role: 'steering' }), id, 'nein')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const pending = await listApiKeyRequests(admin, { status: 'pending' });
    expect(pending.map((r) => r.id)).toContain(id);
    expect(pending.every((r) => r.status === 'pending')).toBe(true);
    await expect(listApiKeyRequests(admin, { status: 'bogus' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('a requested key through its life', () => {
  it('approve → collect once → developer access → rotate → revoke, with the audit trail', async () => {
    const { id, token } = await requestApiKey(anonymous(), form(3));
    const { request, apiKey } = await approveApiKeyRequest(admin, id);
    expect(request).toMatchObject({ status: 'approved', apiKeyId: apiKey.id, decidedBy: 'key:0', collectedAt: null });
    expect(apiKey).toMatchObject({ name: 'Civic Tech Rostock 3', role: 'developer', status: 'approved', contact: 'dev3@example.org' });
    await expect(approveApiKeyRequest(admin, id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await apiKeyRequestStatus(anonymous(), id, token)).toMatchObject({ status: 'approved', keyStatus: 'approved' });

    // collected once: a second call — even a concurrent one — gets no key
    const attempts = await Promise.allSettled([collectApiKey(anonymous(), id, token), collectApiKey(anonymous(), id, token)]);
    const collected = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    expect(collected).toHaveLength(1);
    const key = collected[0]?.key ?? '';
    expect(key).toMatch(new RegExp(`^hro_${apiKey.prefix}_[A-Za-z0-9_-]{43}$`));
    await expect(collectApiKey(anonymous(), id, token)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'collected' } });
    const { rows } = await db.pool.query<{ hash: string }>(`select hash from core.api_key where id = $1`, [apiKey.id]);
    expect(rows[0]?.hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.hash).not.toContain(key.split('_').slice(2).join('_'));
    expect((await apiKeyRequestStatus(anonymous(), id, token)).collectedAt).toBeInstanceOf(Date);

    const viewer = await authenticate(db.pool, `Bearer ${key}`);
    expect(viewer).toEqual({ role: 'developer', subject: `key:${apiKey.id}` });

    const rotated = await rotateApiKey(admin, apiKey.id);
    expect(rotated.key).not.toBe(key);
    expect(rotated.apiKey).toMatchObject({ id: apiKey.id, name: apiKey.name, role: 'developer', status: 'active' });
    expect(rotated.apiKey.rotatedAt).toBeInstanceOf(Date);
    await expect(authenticate(db.pool, key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await authenticate(db.pool, rotated.key)).toEqual(viewer);

    await revokeApiKey(admin, apiKey.id);
    await expect(authenticate(db.pool, rotated.key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(rotateApiKey(admin, apiKey.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await apiKeyRequestStatus(anonymous(), id, token)).toMatchObject({ keyStatus: 'revoked' });

    const audit = await db.pool.query<{ action: string }>(`select action from core.audit_log where target in ($1, $2) order by id`, [
      `request:${id}`,
      `key:${apiKey.id}`,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual([
      'apikey.request',
      'apikey.request.approve',
      'apikey.collect',
      'apikey.rotate',
      'apikey.revoke',
    ]);
  });

  it('rejects with a reason the requester reads; a rejected request yields no key', async () => {
    const { id, token } = await requestApiKey(anonymous(), form(4));
    await expect(rejectApiKeyRequest(admin, id, ' ')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const rejected = await rejectApiKeyRequest(admin, id, 'Zweck nicht nachvollziehbar');
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'Zweck nicht nachvollziehbar', apiKeyId: null });
    expect(await apiKeyRequestStatus(anonymous(), id, token)).toMatchObject({ status: 'rejected', reason: 'Zweck nicht nachvollziehbar' });
    await expect(collectApiKey(anonymous(), id, token)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'rejected' } });
    await expect(approveApiKeyRequest(admin, id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses to hand out a key revoked before it was collected', async () => {
    const { id, token } = await requestApiKey(anonymous(), form(5));
    const { apiKey } = await approveApiKeyRequest(admin, id);
    // an approved key has no secret yet: nothing authenticates against its placeholder
    await expect(authenticate(db.pool, `hro_${apiKey.prefix}_${'x'.repeat(43)}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(rotateApiKey(admin, apiKey.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await revokeApiKey(admin, apiKey.id);
    await expect(collectApiKey(anonymous(), id, token)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'revoked' } });
  });
});

describe('usage per key', () => {
  it('counts requests per key and day in memory and writes them in one batch', async () => {
    const { id, key } = await createApiKey(db.pool, { name: 'usage', role: 'developer' });
    const before = await db.pool.query(`select count(*)::int as n from core.api_key_usage where key_id = $1`, [id]);
    for (let i = 0; i < 5; i++) await authenticate(db.pool, key);
    // nothing written per request …
    const during = await db.pool.query(`select count(*)::int as n from core.api_key_usage where key_id = $1`, [id]);
    expect(during.rows).toEqual(before.rows);
    // … until the batch is flushed (the list flushes first, so admins see the requests just made)
    const listed = (await listApiKeys(admin)).find((k) => k.id === id);
    expect(listed).toMatchObject({ usageCount: 5, requestsToday: 5 });
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);

    // yesterday's requests land on yesterday, and the total adds up
    const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000);
    countKeyUse(db.pool, id, yesterday);
    countKeyUse(db.pool, id, yesterday);
    await flushKeyUsage(db.pool);
    expect(await apiKeyUsage(admin, id, 30)).toEqual([
      { day: usageDay(), requests: 5 },
      { day: usageDay(yesterday), requests: 2 },
    ]);
    expect((await listApiKeys(admin)).find((k) => k.id === id)).toMatchObject({ usageCount: 7, requestsToday: 5 });
    // a key's use per day is the admins' (the holder sees their own through ownApiKey)
    await expect(apiKeyUsage(as({ role: 'developer', subject: `key:${id}` }), id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps the usage history across a rotation', async () => {
    const { id, key } = await createApiKey(db.pool, { name: 'rotating', role: 'developer' });
    await authenticate(db.pool, key);
    await authenticate(db.pool, key);
    const { key: next } = await rotateApiKey(admin, id);
    await authenticate(db.pool, next);
    await flushKeyUsage(db.pool);
    expect((await listApiKeys(admin)).find((k) => k.id === id)).toMatchObject({ usageCount: 3, requestsToday: 3 });
  });
});

describe('the holder’s own key', () => {
  it('shows its use, rotates and revokes it — only one’s own', async () => {
    const mine = await createApiKey(db.pool, { name: 'mine', role: 'developer' });
    const other = await createApiKey(db.pool, { name: 'other', role: 'developer' });
    await authenticate(db.pool, mine.key);
    const me = as({ role: 'developer', subject: `key:${mine.id}` });
    const own = await ownApiKey(me);
    expect(own.apiKey).toMatchObject({ id: mine.id, name: 'mine', usageCount: 1 });
    expect(own.usage).toEqual([{ day: usageDay(), requests: 1 }]);

    const rotated = await rotateOwnApiKey(me);
    expect(rotated.apiKey.id).toBe(mine.id);
    await expect(authenticate(db.pool, mine.key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await authenticate(db.pool, rotated.key)).toEqual({ role: 'developer', subject: `key:${mine.id}` });
    expect(await authenticate(db.pool, other.key)).toEqual({ role: 'developer', subject: `key:${other.id}` });

    await expect(ownApiKey(anonymous())).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // signed in with an OIDC token: no key of one's own
    await expect(rotateOwnApiKey(as({ role: 'steering', subject: 'oidc:alice' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await revokeOwnApiKey(me);
    await expect(authenticate(db.pool, rotated.key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await authenticate(db.pool, other.key)).toEqual({ role: 'developer', subject: `key:${other.id}` });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { createApiKey } from './api-key.js';
import { createSession, forgetSessions, resolveSession, SESSION_TTL_SECONDS } from './session.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('portal sessions', () => {
  it('signs a session for a key without carrying it, and resolves it to the key role until it expires', async () => {
    const { id, key } = await createApiKey(db.pool, { name: 'session test', role: 'steering' });
    const now = Date.UTC(2026, 0, 1, 8);
    const session = await createSession(db.pool, ` Bearer ${key} `, undefined, now);
    expect(session.value).toMatch(new RegExp(`^k\\.${id}\\.${now / 1000 + SESSION_TTL_SECONDS}\\.[A-Za-z0-9_-]{43}$`));
    expect(session.value).not.toContain(key.slice('hro_'.length + 13)); // the secret (base64url: it may hold '_' itself)
    expect(await resolveSession(db.pool, session.value, undefined, now + 1000)).toEqual({ role: 'steering', subject: `key:${id}` });
    forgetSessions();
    expect(await resolveSession(db.pool, session.value, undefined, now + SESSION_TTL_SECONDS * 1000)).toBeUndefined();
  });

  it('refuses forged, foreign and malformed cookies, and sessions of revoked keys', async () => {
    const a = await createApiKey(db.pool, { name: 'a', role: 'developer' });
    const b = await createApiKey(db.pool, { name: 'b', role: 'admin' });
    const session = (await createSession(db.pool, a.key)).value;
    const [, , expires, mac] = session.split('.');
    // a's signature under b's id: the mac is keyed with each key's own hash
    expect(await resolveSession(db.pool, `k.${b.id}.${expires}.${mac}`)).toBeUndefined();
    expect(await resolveSession(db.pool, `k.${a.id}.${Number(expires) + 60}.${mac}`)).toBeUndefined();
    for (const bad of ['', 'k.1', 'x.1.2.3', `k.${a.id}.${expires}.${mac}x`, 'j.not-a-jwt'])
      expect(await resolveSession(db.pool, bad)).toBeUndefined();
    expect(await resolveSession(db.pool, session)).toEqual({ role: 'developer', subject: `key:${a.id}` });
    await db.pool.query(`update core.api_key set status = 'revoked' where id = $1`, [a.id]);
    forgetSessions();
    expect(await resolveSession(db.pool, session)).toBeUndefined();
    await expect(createSession(db.pool, 'hro_nope')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(createSession(db.pool, '   ')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

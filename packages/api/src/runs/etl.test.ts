import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, issueApiKey, listApiKeys, revokeApiKey, type Role } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { listEtlRuns, listQuarantine, showEtlRun, triggerEtlRun } from './etl.service.js';

let db: TestDatabase;
const ctx = (role: Role, subject?: string): DomainContext => ({ viewer: { role, subject }, pool: db.pool, log: db.log });

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into etl.run (id, source, status, finished_at, rows_read, rows_loaded, rows_quarantined)
      overriding system value values (1, 'a', 'succeeded', now(), 3, 2, 1), (2, 'b', 'failed', now(), 0, 0, 0), (3, 'a', 'succeeded', now(), 1, 1, 0);
    insert into etl.quarantine (run_id, source, position, raw, reason_code, reason)
      values (1, 'a', 'x.csv:3', '{"wert": "abc"}', 'ROW_INVALID_VALUE', 'wert: not a number');`);
});
afterAll(async () => {
  await db.close();
});

describe('ETL runs and quarantine (admin)', () => {
  it('are refused to everyone but admins', async () => {
    for (const role of ['anonymous', 'developer', 'steering'] as const) {
      await expect(listEtlRuns(ctx(role), {}, {})).rejects.toMatchObject({ code: role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN' });
      await expect(listQuarantine(ctx(role), 1, {})).rejects.toMatchObject({
        code: role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
      });
    }
  });

  it('lists runs newest first with filters, and a run with its quarantined records', async () => {
    const page = await listEtlRuns(ctx('admin'), {}, { first: 2 });
    expect(page.nodes.map((r) => r.id)).toEqual([3, 2]);
    expect(page.hasNextPage).toBe(true);
    const next = await listEtlRuns(ctx('admin'), {}, { first: 2, after: page.cursors[1] });
    expect(next.nodes.map((r) => r.id)).toEqual([1]);
    expect((await listEtlRuns(ctx('admin'), { source: 'a', status: 'succeeded' }, {})).nodes.map((r) => r.id)).toEqual([3, 1]);
    expect(await showEtlRun(ctx('admin'), 1)).toMatchObject({ source: 'a', rowsRead: 3, rowsLoaded: 2, rowsQuarantined: 1 });
    const quarantined = await listQuarantine(ctx('admin'), 1, {});
    expect(quarantined.nodes).toEqual([
      {
        id: expect.any(Number) as number,
        runId: 1,
        source: 'a',
        position: 'x.csv:3',
        raw: { wert: 'abc' },
        reasonCode: 'ROW_INVALID_VALUE',
        reason: 'wert: not a number',
      },
    ]);
  });

  it('says clearly when no worker can take a triggered run', async () => {
    await expect(triggerEtlRun(ctx('admin'), 'a')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(triggerEtlRun(ctx('steering'), 'a')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('API keys (admin)', () => {
  it('are created once in plain text, work, are listed without secret, and stop working when revoked', async () => {
    await expect(issueApiKey(ctx('steering'), { name: 'x', role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const { key, apiKey } = await issueApiKey(ctx('admin', 'key:0'), { name: 'Steuerungsteam', role: 'steering' });
    expect(key).toMatch(/^hro_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(await authenticate(db.pool, `Bearer ${key}`)).toEqual({ role: 'steering', subject: `key:${apiKey.id}` });
    const listed = await listApiKeys(ctx('admin'));
    expect(JSON.stringify(listed)).not.toContain(key.slice('hro_'.length + 13)); // the secret (base64url: it may hold '_' itself)
    const { rows } = await db.pool.query<{ hash: string }>(`select hash from core.api_key where id = $1`, [apiKey.id]);
    expect(rows[0]?.hash).toMatch(/^scrypt\$/);

    expect(await revokeApiKey(ctx('admin', 'key:0'), apiKey.id)).toMatchObject({ status: 'revoked' });
    await expect(authenticate(db.pool, key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const audit = await db.pool.query(`select actor, action, target from core.audit_log order by id`);
    expect(audit.rows).toEqual([
      { actor: 'key:0', action: 'apikey.create', target: `key:${apiKey.id}` },
      { actor: 'key:0', action: 'apikey.revoke', target: `key:${apiKey.id}` },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from './app.js';
import { listenOnLoopback } from './testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  app = await createApp({ pool: db.pool, log: db.log, introspection: true, rateLimits: { anonymous: 1000, key: 1000 } });
  base = await listenOnLoopback(app);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: () => JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}
const query = (q: string) => post(JSON.stringify({ query: q }));
const stillServing = async () => {
  const ok = await query('{ initiative(key: "V01") { key } }');
  expect(ok.json().data).toEqual({ initiative: { key: 'V01' } });
};

describe('abuse is refused with a code, and the server keeps serving', () => {
  it('depth 50', async () => {
    const deep = '{ orgUnit(code: "06") { ' + 'children { '.repeat(49) + 'code' + ' }'.repeat(49) + ' } }';
    const res = await query(deep);
    expect(res.status).toBe(400);
    expect(res.json().errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    await stillServing();
  });

  it('1000 aliases', async () => {
    const bomb = '{ ' + Array.from({ length: 1000 }, (_, i) => `a${i}: pillars { key }`).join(' ') + ' }';
    const res = await query(bomb);
    expect(res.status).toBe(400);
    expect(res.json().errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
    await stillServing();
  });

  it('a query whose cost multiplies through nested pages', async () => {
    const res = await query(
      '{ initiatives(first: 100) { nodes { field { initiatives(first: 100) { nodes { field { initiatives(first: 100) { nodes { key } } } } } } } } }',
    );
    expect(res.json().errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    await stillServing();
  });

  it('500 batched operations', async () => {
    const res = await post(JSON.stringify(Array.from({ length: 500 }, () => ({ query: '{ pillars { key } }' }))));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/batch/i);
    await stillServing();
  });

  it('huge variables', async () => {
    const res = await post(JSON.stringify({ query: 'query ($x: String) { pillars { key } }', variables: { x: 'x'.repeat(2_000_000) } }));
    expect(res.status).toBe(413);
    await stillServing();
  });
});

describe('rate limits', () => {
  it('send RateLimit headers, refuse with 429 past the limit per IP, and count API keys separately', async () => {
    const limited = await createApp({ pool: db.pool, log: db.log, introspection: false, rateLimits: { anonymous: 3, key: 5 } });
    await limited.listen({ port: 0, host: '127.0.0.1' });
    const address = limited.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/3/action/package_list`;
    try {
      const first = await fetch(url);
      expect(first.status).toBe(200);
      expect(first.headers.get('ratelimit-limit')).toBe('3');
      expect(first.headers.get('ratelimit-remaining')).toBe('2');
      expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      await fetch(url);
      await fetch(url);
      const refused = await fetch(url);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ success: false, error: { __type: 'Rate Limit Error' } });
      const { key } = await createApiKey(db.pool, { name: 'dev', role: 'developer' });
      const withKey = await fetch(url, { headers: { authorization: key } });
      expect(withKey.status).toBe(200);
      expect(withKey.headers.get('ratelimit-limit')).toBe('5');
      expect((await fetch(url.replace(/\/api\/.*/, '/healthz'))).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

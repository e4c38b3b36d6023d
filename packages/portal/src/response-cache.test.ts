import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from './app.js';

let db: TestDatabase;
const apps: FastifyInstance[] = [];
const bases: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  // two API processes on one database, as behind a load balancer
  for (let i = 0; i < 2; i++) {
    const app = await createApp({ pool: db.pool, log: db.log, introspection: true, cacheUrl: db.url });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    apps.push(app);
    bases.push(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  }
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await db.close();
});

async function ask(base: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { cache: res.headers.get('x-hro-cache'), body: (await res.json()) as { data?: { initiative?: { title: string } } } };
}

const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 50 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('response cache', () => {
  const q = '{ initiative(key: "V01") { title } }';

  it('serves a repeated query from the cache, separately per role', async () => {
    const [a = ''] = bases;
    expect((await ask(a, q)).cache).toBe('miss');
    const second = await ask(a, q);
    expect(second.cache).toBe('hit');
    expect(second.body.data?.initiative?.title).toBe('IT-Bebauung IST & SOLL');
    const { key } = await createApiKey(db.pool, { name: 's', role: 'steering' });
    expect((await ask(a, q, { authorization: key })).cache).toBe('miss');
  });

  it('is invalidated in every process when an ETL run commits (LISTEN/NOTIFY)', async () => {
    const [a = '', b = ''] = bases;
    await ask(b, q);
    expect((await ask(b, q)).cache).toBe('hit');
    // a committed change of the data, as an ETL run makes it
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`update core.initiative set title = 'Neu' where key = 'V01'`);
      await client.query(`update core.data_version set version = version + 1 returning version`);
      await client.query(`select pg_notify('hro_data_version', (select version::text from core.data_version))`);
      await client.query('commit');
    } finally {
      client.release();
    }
    for (const base of [a, b]) {
      await waitFor(async () => (await ask(base, q)).body.data?.initiative?.title === 'Neu');
      const fresh = await ask(base, q);
      expect(fresh.body.data?.initiative?.title).toBe('Neu');
    }
  });

  it('never caches errors or mutations', async () => {
    const [a = ''] = bases;
    await ask(a, '{ initiative(key: "V99") { title } }');
    expect((await ask(a, '{ initiative(key: "V99") { title } }')).cache).toBe('miss');
  });
});

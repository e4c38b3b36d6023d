// Registering a catalog dataset over real HTTP: only admins may, and the new dataset reaches the
// GraphQL list and CKAN's package_list at once — the cached answers drop with the data version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createApp } from './app.js';
import { listenOnLoopback } from './testing.js';

let db: TestDatabase;
let app: FastifyInstance;
let base: string;
const keys: Record<'developer' | 'steering' | 'admin', string> = { developer: '', steering: '', admin: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  app = await createApp({ pool: db.pool, log: db.log, introspection: false, cacheUrl: db.url });
  base = await listenOnLoopback(app);
  for (const role of ['developer', 'steering', 'admin'] as const) keys[role] = (await createApiKey(db.pool, { name: role, role })).key;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

async function gql(query: string, variables: Record<string, unknown> = {}, key?: string) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: key } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
  return { cache: res.headers.get('x-hro-cache'), body };
}

const names = '{ datasets(first: 100) { nodes { name } } }';
const listed = async () => {
  const { cache, body } = await gql(names);
  return { cache, names: (body.data?.datasets as { nodes: { name: string }[] }).nodes.map((n) => n.name) };
};
const packageList = async () => ((await (await fetch(`${base}/api/3/action/package_list`)).json()) as { result: string[] }).result;

const register = `mutation ($input: DatasetInput!) { registerDataset(input: $input) { name } }`;
const input = {
  name: 'fallzahlen-auszug',
  title: 'Fallzahlen (Auszug)',
  license: 'dl-by-de/2.0',
  organization: 'hro-digitalisierung',
  view: 'open.service_metrics_monthly',
};

describe('catalog datasets registered through GraphQL', () => {
  it('are refused to anonymous users, developers and the steering team', async () => {
    expect((await gql(register, { input })).body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    for (const role of ['developer', 'steering'] as const) {
      expect((await gql(register, { input }, keys[role])).body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });

  it('appear in datasets and package_list right after an admin registers them, cached answers notwithstanding', async () => {
    expect((await listed()).names).not.toContain(input.name);
    const cached = await listed();
    expect(cached.cache).toBe('hit');
    expect(await packageList()).not.toContain(input.name);

    const done = await gql(register, { input }, `Bearer ${keys.admin}`);
    expect(done.body).toEqual({ data: { registerDataset: { name: input.name } } });

    // the commit's NOTIFY moves every process's data version; poll briefly for it to arrive
    let after = await listed();
    for (let i = 0; i < 50 && !after.names.includes(input.name); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await listed();
    }
    expect(after.names).toContain(input.name);
    expect(await packageList()).toContain(input.name);
  });
});

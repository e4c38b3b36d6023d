import { HeaderMap } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { createApolloServer, type ApolloServer } from './apollo.js';
import { createLoaders, type GraphQLContext } from './context.js';
import { DataVersion } from './data-version.js';

// A hit is sent as the stored text of the miss — not parsed and serialised again — and still
// reads as data for anyone who executes in process.
let db: TestDatabase;
let version: DataVersion;
let server: ApolloServer<GraphQLContext>;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`insert into core.org_unit (code, name, kind) values ('32', 'Amt 32', 'amt'), ('73', 'Amt 73', 'amt')`);
  version = new DataVersion(db.url, db.log);
  await version.start();
  server = await createApolloServer({ log: db.log, introspection: false, dataVersion: version });
});
afterAll(async () => {
  await server.stop();
  await version.stop();
  await db.close();
});

const context = async (): Promise<GraphQLContext> => {
  const ctx: GraphQLContext = { viewer: { role: 'anonymous' }, pool: db.pool, log: db.log, requestId: 't', loaders: undefined as never };
  ctx.loaders = createLoaders(ctx);
  return ctx;
};

async function post(query: string, variables?: Record<string, unknown>) {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: 'POST',
      headers: new HeaderMap([['content-type', 'application/json']]),
      search: '',
      body: variables ? { query, variables } : { query },
    },
    context,
  });
  if (response.body.kind !== 'complete') throw new Error('expected a complete body');
  return { cache: response.headers.get('x-hro-cache'), body: response.body.string };
}

describe('response cache', () => {
  const query = 'query ($code: String!) { orgUnit(code: $code) { code name } }';

  it('sends a hit as the very text of the miss', async () => {
    const miss = await post(query, { code: '32' });
    const hit = await post(query, { code: '32' });
    expect([miss.cache, hit.cache]).toEqual(['miss', 'hit']);
    expect(hit.body).toBe(miss.body);
    expect(JSON.parse(hit.body)).toEqual({ data: { orgUnit: { code: '32', name: 'Amt 32' } } });
    // other variables, another entry
    expect(JSON.parse((await post(query, { code: '73' })).body)).toEqual({ data: { orgUnit: { code: '73', name: 'Amt 73' } } });
  });

  it('gives a hit as data to in-process callers', async () => {
    const other = '{ orgUnit(code: "73") { name } }';
    expect((await post(other)).cache).toBe('miss');
    const hit = await server.executeOperation({ query: other }, { contextValue: await context() });
    expect(hit.http.headers.get('x-hro-cache')).toBe('hit');
    expect(hit.body.kind === 'single' ? hit.body.singleResult.data : undefined).toEqual({ orgUnit: { name: 'Amt 73' } });
  });
});

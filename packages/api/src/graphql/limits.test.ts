import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { createApolloServer, type ApolloServer } from './apollo.js';
import { createLoaders, type GraphQLContext } from './context.js';

// The cost of an operation is remembered per document and per value of the variables it depends
// on (page sizes, directive conditions) — never across values that change it.
let db: TestDatabase;
let server: ApolloServer<GraphQLContext>;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await createApolloServer({ log: db.log, introspection: false, limits: { maxDepth: 12, maxAliases: 30, maxComplexity: 500 } });
});
afterAll(async () => {
  await server.stop();
  await db.close();
});

async function codeOf(query: string, variables: Record<string, unknown>): Promise<string | undefined> {
  const ctx: GraphQLContext = { viewer: { role: 'anonymous' }, pool: db.pool, log: db.log, requestId: 't', loaders: undefined as never };
  ctx.loaders = createLoaders(ctx);
  const res = await server.executeOperation({ query, variables }, { contextValue: ctx });
  return res.body.kind === 'single' ? (res.body.singleResult.errors?.[0]?.extensions?.code as string | undefined) : 'not single';
}

describe('introspection', () => {
  it('stays refused when switched off (the planned executor changes nothing about it)', async () => {
    expect(await codeOf('{ __schema { queryType { name } } }', {})).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await codeOf('{ __type(name: "Project") { name } }', {})).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('query cost', () => {
  const nested =
    'query ($n: Int, $m: Int, $title: Boolean!) { initiatives(first: $n) { nodes { key title @include(if: $title) field { initiatives(first: $m) { nodes { key } } } } } }';

  it('follows the page-size variables of the same document', async () => {
    expect(await codeOf(nested, { n: 2, m: 2, title: true })).toBeUndefined();
    expect(await codeOf(nested, { n: 100, m: 100, title: true })).toBe('QUERY_TOO_COMPLEX');
    expect(await codeOf(nested, { n: 2, m: 2, title: true })).toBeUndefined();
    // an omitted page size is not an explicit one
    expect(
      await codeOf(
        'query ($n: Int = 100) { a: initiatives(first: $n) { nodes { field { initiatives(first: $n) { nodes { key } } } } } }',
        {},
      ),
    ).toBe('QUERY_TOO_COMPLEX');
  });
});

import { graphql } from 'graphql';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { createLoaders, type GraphQLContext } from './context.js';
import { getSchema } from './schema.js';

// Counts the SQL statements one GraphQL operation sends: a list must cost the same number of
// statements whatever its length (DataLoader batching), or it is an N+1.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.navigator_field (key, name, position) values ('ozg', 'OZG', 1), ('dms', 'DMS', 2);
    insert into core.org_unit (code, name, kind) values ('06', 'Amt 06', 'amt');
    insert into core.org_unit (code, name, kind, parent_id) select '06.' || g, 'Bereich 06.' || g, 'unit', (select id from core.org_unit where code = '06') from generate_series(1, 9) g;
    insert into core.initiative (key, title, field_id, responsible_org_unit_id)
      select 'V' || lpad(g::text, 2, '0'), 'Vorhaben ' || g, (select id from core.navigator_field where key = case when g % 2 = 0 then 'ozg' else 'dms' end),
             (select id from core.org_unit where code = '06.' || (1 + g % 9))
      from generate_series(1, 40) g;
    insert into core.initiative_org_unit (initiative_id, org_unit_id, role)
      select i.id, o.id, 'involved' from core.initiative i cross join core.org_unit o where o.code in ('06.1', '06.2');`);
});
afterAll(async () => {
  await db.close();
});

function countingPool(pool: Pool): { pool: Pool; count: () => number } {
  let n = 0;
  const counted = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (...args: Parameters<Pool['query']>) => {
          n++;
          return (target.query as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { pool: counted, count: () => n };
}

async function statementsFor(first: number): Promise<number> {
  const { pool, count } = countingPool(db.pool);
  const ctx: GraphQLContext = { viewer: { role: 'anonymous' }, pool, log: db.log, requestId: 't', loaders: undefined as never };
  ctx.loaders = createLoaders(ctx);
  const result = await graphql({
    schema: await getSchema(),
    source: `query ($first: Int) { initiatives(first: $first) { nodes { key field { name } responsibleOrgUnit { name parent { name } } involvedOrgUnits { code } } } }`,
    variableValues: { first },
    contextValue: ctx,
  });
  expect(result.errors).toBeUndefined();
  expect((result.data?.initiatives as { nodes: unknown[] }).nodes).toHaveLength(first);
  return count();
}

describe('SQL statements per GraphQL operation', () => {
  it('do not grow with the length of a list (no N+1)', async () => {
    const few = await statementsFor(3);
    const many = await statementsFor(40);
    expect(many).toBe(few);
    // page, field, responsible units, their parents, involved units
    expect(many).toBeLessThanOrEqual(5);
  });
});

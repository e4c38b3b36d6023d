import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { createPool } from './connect.js';

// createPool's pools prepare parameterised statements once per connection (as PostGraphile does):
// PostgreSQL then plans them once instead of on every request.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('prepared statements', () => {
  it('prepare parameterised statements once per connection and leave plain ones alone', async () => {
    const pool = createPool(db.url, 1);
    try {
      for (let i = 0; i < 3; i++) expect((await pool.query<{ n: number }>('select $1::int + 1 as n', [i])).rows[0]?.n).toBe(i + 1);
      await pool.query(`select 'plain' as text`);
      const { rows } = await pool.query<{ statement: string }>('select statement from pg_prepared_statements where $1::bool', [true]);
      const statements = rows.map((r) => r.statement);
      expect(statements.filter((s) => s === 'select $1::int + 1 as n')).toHaveLength(1);
      expect(statements).not.toContain(`select 'plain' as text`);
    } finally {
      await pool.end();
    }
  });

  it('answer again when a view changed its columns under a prepared statement', async () => {
    const pool = createPool(db.url, 1);
    try {
      await pool.query('create view prepared_probe as select 1 as a');
      const sql = 'select * from prepared_probe where $1::int = 1';
      expect((await pool.query(sql, [1])).rows).toEqual([{ a: 1 }]);
      await pool.query('create or replace view prepared_probe as select 1 as a, 2 as b');
      expect((await pool.query(sql, [1])).rows).toEqual([{ a: 1, b: 2 }]);
    } finally {
      await pool.end();
    }
  });

  it('report errors as before', async () => {
    const pool = createPool(db.url, 1);
    try {
      await expect(pool.query('select $1::int', ['x'])).rejects.toMatchObject({ code: '22P02' });
      expect((await pool.query<{ n: number }>('select $1::int as n', [7])).rows[0]?.n).toBe(7);
    } finally {
      await pool.end();
    }
  });
});

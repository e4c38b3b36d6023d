import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { pendingMigrations } from './migrate.js';
import { migrationNames } from './migrations/names.js';
import { createOrm } from './orm.js';

// The readiness probe and every start ask pendingMigrations with plain SQL, so that the server
// loads MikroORM only to migrate; its answer must be the migrator's own.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('pendingMigrations', () => {
  it('finds none on a migrated database, and the same ones as MikroORM once one is missing', async () => {
    expect(await pendingMigrations(db.pool)).toEqual([]);
    const last = migrationNames.at(-1) ?? '';
    await db.pool.query('delete from mikro_orm_migrations where name = $1', [last]);
    expect(await pendingMigrations(db.pool)).toEqual([last]);
    const orm = await createOrm(db.url, db.log, 1);
    try {
      expect((await orm.migrator.getPending()).map((m) => m.name)).toEqual([last]);
    } finally {
      await orm.close(true);
    }
  });

  it('finds all of them where no migration ran yet', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // a schema without MikroORM's table stands for a database never migrated
      await client.query('create schema never_migrated');
      await client.query('set search_path to never_migrated');
      expect(await pendingMigrations(client)).toEqual([...migrationNames]);
    } finally {
      await client.end();
    }
  });
});

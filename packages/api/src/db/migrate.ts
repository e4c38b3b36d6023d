import type pg from 'pg';
import { migrationNames } from './migrations/names.js';
import type { Orm } from './orm.js';

// Two processes starting at once must not both migrate: a session-level advisory lock serialises them.
const MIGRATION_LOCK = 0x4852_4f01;

/** Applies pending migrations; a second call (or a second process) finds nothing to do. */
export async function migrate(orm: Orm): Promise<string[]> {
  const em = orm.em.fork();
  const conn = em.getConnection();
  await conn.execute('select pg_advisory_lock(?)', [MIGRATION_LOCK]);
  try {
    const done = await orm.migrator.up();
    return done.map((m) => m.name);
  } finally {
    await conn.execute('select pg_advisory_unlock(?)', [MIGRATION_LOCK]);
  }
}

/**
 * Names of migrations not yet applied (empty when the schema is current), read from MikroORM's
 * table with plain SQL: the readiness probe and a start on a current schema need no ORM.
 */
export async function pendingMigrations(db: Pick<pg.Pool, 'query'>): Promise<string[]> {
  let applied: Set<string>;
  try {
    const { rows } = await db.query<{ name: string }>('select name from mikro_orm_migrations');
    applied = new Set(rows.map((r) => r.name));
  } catch (e) {
    // a database that was never migrated has no such table
    if ((e as { code?: string }).code !== '42P01') throw e;
    applied = new Set();
  }
  return migrationNames.filter((name) => !applied.has(name));
}

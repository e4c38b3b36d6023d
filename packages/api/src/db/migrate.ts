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

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(orm: Orm): Promise<string[]> {
  const pending = await orm.migrator.getPending();
  return pending.map((m) => m.name);
}

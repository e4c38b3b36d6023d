import pg from 'pg';
import { ConfigError, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrate, pendingMigrations } from './migrate.js';
import { preparePoolQueries } from './prepared.js';

/** The platform's database: a pg pool for plain-row reads, writes and COPY, migrations, and lifecycle. */
export interface Database {
  url: string;
  pool: pg.Pool;
  /** the pool of the read paths: DATABASE_READ_URL's (a replica), else the same as `pool` */
  readPool: pg.Pool;
  /** applies pending migrations (e.g. after a restore); returns their names */
  migrate(): Promise<string[]>;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Applies pending migrations through MikroORM's migrator, loaded only for that and closed again:
 * the ORM and its query builder hold ≈ 11 MB of a process's memory, and a server on a current
 * schema (every start but the first after an update) never needs them.
 */
async function migrateWithOrm(url: string, log: Logger): Promise<string[]> {
  const { createOrm } = await import('./orm.js');
  const orm = await createOrm(url, log, 2);
  try {
    return await migrate(orm);
  } finally {
    await orm.close(true).catch(() => {});
  }
}

// int8 and numeric as JS numbers where safe: counts and KPI values stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// dates as plain ISO strings, not local-time Date objects
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor a checked-out one: between two statements (in a transaction, a cursor, a COPY) a client
  // has no active query, and pg emits the server's "terminating connection" (or the socket's end)
  // as an 'error' event, which pg-pool only listens to while the client is idle. The statement
  // that uses the client next fails with the error instead (mapped to UNAVAILABLE); the pool
  // drops the dead client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return preparePoolQueries(pool);
}

async function checkReachable(url: string, setting: 'DATABASE_URL' | 'DATABASE_READ_URL' = 'DATABASE_URL'): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: number }>(`select current_setting('server_version_num')::int as v`);
    if ((rows[0]?.v ?? 0) < 150000) throw ConfigError.of(setting, 'PostgreSQL 15 or newer is required');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw ConfigError.of(setting, `database not reachable (${err.code ?? err.message})`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Connects to DATABASE_URL or starts the embedded cluster, then applies pending migrations. */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  let url = config.databaseUrl;
  let stopEmbedded = async () => {};
  if (url === undefined) {
    const cluster = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
    url = cluster.url;
    stopEmbedded = cluster.stop;
  }
  try {
    await checkReachable(url);
    const primary = url;
    const migrateNow = () => migrateWithOrm(primary, log);
    const pool = createPool(url);
    let applied: string[];
    try {
      // two processes starting at once may both find migrations pending: migrate() serialises them
      applied = (await pendingMigrations(pool)).length > 0 ? await migrateNow() : [];
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
    if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
    // Reads a replica may serve go to DATABASE_READ_URL; writes, migrations, the ETL and LISTEN stay on the primary.
    let readPool = pool;
    if (config.databaseReadUrl !== undefined) {
      await checkReachable(config.databaseReadUrl, 'DATABASE_READ_URL');
      readPool = createPool(config.databaseReadUrl);
    }
    return {
      url,
      pool,
      readPool,
      migrate: migrateNow,
      embedded: config.databaseUrl === undefined,
      close: async () => {
        if (readPool !== pool) await readPool.end().catch(() => {});
        await pool.end().catch(() => {});
        await stopEmbedded();
      },
    };
  } catch (e) {
    await stopEmbedded();
    throw e;
  }
}

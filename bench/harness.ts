// What the benchmarks share: a fresh embedded PostgreSQL in a temporary directory with one
// database migrated by our migrations, gone again when the measurement ends.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, type Logger } from '@hro/api';
import { createOrm, migrate, startEmbeddedPostgres } from '@hro/api/db';

/** Runs `use` with the URL of a migrated database `bench_<name>` on a cluster of its own. */
export async function withBenchDatabase<T>(name: string, log: Logger, use: (url: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `hro-bench-${name}-`));
  // as root the cluster runs as the postgres OS user, which must reach the directory
  chmodSync(dir, 0o755);
  const cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), port: await freePort(), log });
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`create database bench_${name}`);
    await admin.end();
    const u = new URL(cluster.url);
    u.pathname = `/bench_${name}`;
    const url = u.toString();
    const orm = await createOrm(url, log, 2);
    await migrate(orm);
    await orm.close(true);
    return await use(url);
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

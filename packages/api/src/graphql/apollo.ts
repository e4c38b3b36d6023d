import { ApolloServer } from '@apollo/server';
import type { Logger } from '../logger.js';
import type { GraphQLContext } from './context.js';
import { createFormatError } from './format-error.js';
import { getSchema } from './schema.js';
import type { DataVersion } from './data-version.js';
import { responseCachePlugin } from './response-cache.js';
import { unavailableStatusPlugin } from './http-status.js';
import { aliasLimitRule, complexityPlugin, defaultLimits, depthLimitRule, type QueryLimits } from './limits.js';

export { ApolloServer };

/** The Apollo server over the type-graphql schema; transports (the portal's HTTP server) mount it. */
export async function createApolloServer(options: {
  log: Logger;
  introspection: boolean;
  limits?: QueryLimits;
  /** the data version; with it, responses are cached until the data change */
  dataVersion?: DataVersion;
}): Promise<ApolloServer<GraphQLContext>> {
  const schema = await getSchema();
  const limits = options.limits ?? defaultLimits;
  const server = new ApolloServer<GraphQLContext>({
    schema,
    validationRules: [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)],
    plugins: [
      complexityPlugin(schema, limits.maxComplexity),
      ...(options.dataVersion ? [responseCachePlugin(options.dataVersion)] : []),
      unavailableStatusPlugin(),
    ],
    // one operation per request: batches are refused (Apollo's default), so a batch can't multiply the limits
    introspection: options.introspection,
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

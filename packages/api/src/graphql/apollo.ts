import { ApolloServer } from '@apollo/server';
import type { Logger } from '../logger.js';
import type { GraphQLContext } from './context.js';
import { createFormatError } from './format-error.js';
import { getSchema } from './schema.js';

export { ApolloServer };

/** The Apollo server over the type-graphql schema; transports (the portal's HTTP server) mount it. */
export async function createApolloServer(options: { log: Logger; introspection: boolean }): Promise<ApolloServer<GraphQLContext>> {
  const server = new ApolloServer<GraphQLContext>({
    schema: await getSchema(),
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

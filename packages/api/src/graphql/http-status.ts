import type { ApolloServerPlugin } from '@apollo/server';

/**
 * HTTP status for operations the platform could not serve at all: while the database is
 * unreachable a GraphQL answer says 503 (with Retry-After), as the CKAN API and the downloads do,
 * so that load balancers, monitors and clients' retry logic see the outage and not a 200 with an
 * error inside. Field errors of a working server stay 200, as GraphQL over HTTP has them.
 */
export function unavailableStatusPlugin(retryAfterSeconds = 5): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          if (!errors.some((e) => e.extensions?.code === 'UNAVAILABLE')) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(retryAfterSeconds));
        },
      };
    },
  };
}

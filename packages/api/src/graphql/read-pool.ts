import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { Pool } from 'pg';
import type { GraphQLContext } from './context.js';

/**
 * DATABASE_READ_URL: a query operation runs on the read pool (a replica), a mutation on the
 * primary the context was built with. The operation's type is known only once Apollo resolved
 * it, which happens before any resolver (or the response cache) runs; the request's loaders read
 * `pool` from this same context object when they load, so they follow.
 */
export function readPoolPlugin(readPool: Pool): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation(ctx) {
          if (ctx.operation?.operation === OperationTypeNode.QUERY) ctx.contextValue.pool = readPool;
          return Promise.resolve();
        },
      });
    },
  };
}

import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GraphQLContext } from './context.js';
import type { DataVersion } from './data-version.js';

interface Entry {
  body: string;
}

/**
 * Caches whole query responses by (role, document, operation, variables, data version). Data
 * change only when an ETL run commits, which moves the version — so an entry is never stale, it
 * just stops being asked for. Mutations, errors and unknown versions are never cached. Answers
 * say `x-hro-cache: hit|miss`.
 */
export function responseCachePlugin(
  version: DataVersion,
  options: { maxEntries?: number; maxBytes?: number } = {},
): ApolloServerPlugin<GraphQLContext> {
  const cache = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (entry) => entry.body.length + 100,
  });
  const keyOf = (ctx: GraphQLRequestContext<GraphQLContext>): string | undefined => {
    const v = version.current;
    if (v === undefined || ctx.operation?.operation !== OperationTypeNode.QUERY) return undefined;
    return createHash('sha256')
      .update(
        JSON.stringify([
          v,
          ctx.contextValue.viewer.role,
          ctx.request.query,
          ctx.request.operationName ?? null,
          ctx.request.variables ?? {},
        ]),
      )
      .digest('base64url');
  };
  return {
    requestDidStart() {
      let key: string | undefined;
      let hit = false;
      return Promise.resolve({
        responseForOperation(ctx) {
          key = keyOf(ctx);
          const entry = key ? cache.get(key) : undefined;
          ctx.response.http.headers.set('x-hro-cache', entry ? 'hit' : 'miss');
          if (!entry) return Promise.resolve(null);
          hit = true;
          return Promise.resolve({
            http: ctx.response.http,
            body: { kind: 'single' as const, singleResult: JSON.parse(entry.body) as never },
          });
        },
        willSendResponse(ctx) {
          if (hit || !key || ctx.response.body.kind !== 'single') return Promise.resolve();
          const result = ctx.response.body.singleResult;
          if (!result.errors?.length && key === keyOf(ctx)) cache.set(key, { body: JSON.stringify(result) });
          return Promise.resolve();
        },
      });
    },
  };
}

import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GraphQLContext } from './context.js';
import type { DataVersion } from './data-version.js';
import { todayInBerlin } from '../monitoring/calendar.js';
import { stringifyAnswer } from '../db/raw-json.js';

interface Entry {
  body: string;
}

/** The stored text of a hit, by the `data` object its answer carries. */
const hitBodies = new WeakMap<object, string>();
/** Misses to be cached: their `data` object → where their text goes once serialised. */
const toStore = new WeakMap<object, (body: string) => void>();

/**
 * A hit's `data`: never read on the HTTP path (the stored text is sent as it is), parsed on first
 * access for anyone who reads it in process (e.g. executeOperation).
 */
function lazyData(body: string): Record<string, unknown> {
  let parsed: Record<string, unknown> | undefined;
  const target = (): Record<string, unknown> => (parsed ??= (JSON.parse(body) as { data: Record<string, unknown> }).data);
  return new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(target(), key) as unknown,
      has: (_, key) => Reflect.has(target(), key),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(target(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
}

/**
 * Apollo's `stringifyResult`: a hit is sent as the text that was stored (no parse, no serialise —
 * most of what a hit cost); a miss is serialised once (raw JSON values as PostgreSQL's text,
 * db/raw-json.ts), and that very text is what gets cached.
 */
export function stringifyResponse(value: { data?: unknown }): string {
  const data = value.data !== null && typeof value.data === 'object' ? value.data : undefined;
  const stored = data && hitBodies.get(data);
  if (stored !== undefined) return stored;
  const body = `${stringifyAnswer(value)}\n`;
  if (data) toStore.get(data)?.(body);
  return body;
}

/**
 * Caches whole query responses by (role, document, operation, variables, data version, day). Data
 * change only when an ETL run commits, which moves the version — so an entry is never stale, it
 * just stops being asked for; the day (Europe/Berlin) is in the key for answers relative to today. Mutations, errors and unknown versions are never cached. Answers
 * say `x-hro-cache: hit|miss`.
 */
export function responseCachePlugin(
  version: DataVersion,
  options: {
    maxEntries?: number;
    maxBytes?: number;
    /**
     * With a read replica (DATABASE_READ_URL): the data version the request's pool has seen. The
     * NOTIFY comes from the primary, and a replica may not have replayed the change yet — its
     * answer then is not stored under the new version (it is served, uncached).
     */
    readVersionOf?: (ctx: GraphQLContext) => Promise<number>;
  } = {},
): ApolloServerPlugin<GraphQLContext> {
  const cache = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (entry) => entry.body.length + 100,
  });
  const keyOf = (ctx: GraphQLRequestContext<GraphQLContext>): string | undefined => {
    const v = version.current;
    if (v === undefined || ctx.operation?.operation !== OperationTypeNode.QUERY) return undefined;
    // admins read live state the data version does not follow (API keys, their use, key requests, runs)
    if (ctx.contextValue.viewer.role === 'admin') return undefined;
    return createHash('sha256')
      .update(
        JSON.stringify([
          v,
          // answers that default to "today" (a Stichtag, overdue milestones, missed targets) change at midnight
          todayInBerlin(),
          ctx.contextValue.viewer.role,
          // the document's hash: request.query is empty when a persisted operation is called by its hash
          ctx.queryHash,
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
        async responseForOperation(ctx) {
          key = keyOf(ctx);
          const entry = key ? cache.get(key) : undefined;
          ctx.response.http.headers.set('x-hro-cache', entry ? 'hit' : 'miss');
          if (!entry) {
            if (key && options.readVersionOf) {
              const seen = await options.readVersionOf(ctx.contextValue).catch(() => undefined);
              const wanted = version.current;
              if (seen === undefined || wanted === undefined || seen < wanted) key = undefined;
            }
            return null;
          }
          hit = true;
          const data = lazyData(entry.body);
          hitBodies.set(data, entry.body);
          return { http: ctx.response.http, body: { kind: 'single' as const, singleResult: { data } } };
        },
        willSendResponse(ctx) {
          if (hit || !key || ctx.response.body.kind !== 'single') return Promise.resolve();
          const result = ctx.response.body.singleResult;
          const stored = key;
          // stored when Apollo serialises the answer (stringifyResponse): one JSON.stringify per miss
          if (!result.errors?.length && result.data && key === keyOf(ctx)) toStore.set(result.data, (body) => cache.set(stored, { body }));
          return Promise.resolve();
        },
      });
    },
  };
}

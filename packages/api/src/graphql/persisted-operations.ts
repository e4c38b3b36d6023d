import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { ConfigError } from '../config.js';
import { errorTable } from '../errors/index.js';
import type { GraphQLContext } from './context.js';

/**
 * The persisted-operation allowlist (HRO_GRAPHQL_ALLOWLIST): GraphQL documents keyed by the
 * SHA-256 hex of their text — the key clients send as `extensions.persistedQuery.sha256Hash`
 * (Apollo's automatic persisted queries, Relay's persisted queries with a sha256 id). A listed
 * operation can be called by its hash alone, also with GET, so HTTP caches can keep the answer.
 *
 * - `lookup`: listed hashes resolve; every other document runs as before.
 * - `enforce`: anonymous users and developers run listed documents only (by hash, or as the
 *   identical text); anything else is refused with PERSISTED_QUERY_NOT_ALLOWED before it is even
 *   parsed. The steering team and admins are not limited.
 */
export interface PersistedOperations {
  mode: 'enforce' | 'lookup';
  documents: ReadonlyMap<string, string>;
}

const SETTING = 'HRO_GRAPHQL_ALLOWLIST';
const HASH = /^[0-9a-f]{64}$/;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** The (hash, document) pairs of a file: a plain `{ "<sha256>": "<document>" }` map, or an Apollo persisted-query manifest. */
function entriesOf(json: unknown): [string, string][] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('expected a JSON object');
  const manifest = json as { format?: unknown; operations?: unknown };
  if (manifest.format === 'apollo-persisted-query-manifest') {
    if (!Array.isArray(manifest.operations)) throw new Error('manifest without "operations"');
    return manifest.operations.map((op: { id?: unknown; body?: unknown }, i) => {
      if (typeof op.id !== 'string' || typeof op.body !== 'string') throw new Error(`operations[${i}]: needs "id" and "body"`);
      return [op.id, op.body];
    });
  }
  return Object.entries(json).map(([hash, body]) => {
    if (typeof body !== 'string') throw new Error(`${hash}: the value must be the document's text`);
    return [hash, body];
  });
}

/**
 * Reads and checks the allowlist at start: every key is the SHA-256 of its document, and every
 * document is a valid operation of the schema — a list that could only fail at request time is
 * refused with a ConfigError naming the setting.
 */
export function loadPersistedOperations(path: string, mode: PersistedOperations['mode'], schema: GraphQLSchema): PersistedOperations {
  let entries: [string, string][];
  try {
    entries = entriesOf(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw ConfigError.of(SETTING, `${path}: ${reason}`);
  }
  const documents = new Map<string, string>();
  for (const [hash, body] of entries) {
    if (!HASH.test(hash)) throw ConfigError.of(SETTING, `${path}: "${hash}" is not a lower-case SHA-256 hex hash`);
    if (sha256Hex(body) !== hash) throw ConfigError.of(SETTING, `${path}: ${hash} is not the SHA-256 of its document`);
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, parse(body));
    } catch (e) {
      errors = [e as GraphQLError];
    }
    if (errors.length > 0) throw ConfigError.of(SETTING, `${path}: ${hash}: ${errors.map((e) => e.message).join('; ')}`);
    documents.set(hash, body);
  }
  return { mode, documents };
}

/**
 * Apollo's persisted-query store: the allowlist first, then documents clients registered on the
 * fly (automatic persisted queries, kept in a bounded LRU like Apollo's default store).
 */
export function persistedQueryStore(operations: PersistedOperations) {
  const registered = new LRUCache<string, string>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (v) => v.length + 64 });
  // Apollo prefixes the keys of this store ("apq:<hash>")
  const listed = (key: string) => operations.documents.get(key.slice(key.lastIndexOf(':') + 1));
  return {
    get: (key: string) => Promise.resolve(listed(key) ?? registered.get(key)),
    set: (key: string, document: string) => {
      if (listed(key) === undefined) registered.set(key, document);
      return Promise.resolve();
    },
    delete: (key: string) => Promise.resolve(registered.delete(key)),
  };
}

const limited = new Set(['anonymous', 'developer']);

function notAllowed(): GraphQLError {
  const { graphql, http } = errorTable.PERSISTED_QUERY_NOT_ALLOWED;
  return new GraphQLError('Only operations of the persisted-operation allowlist run here: send a listed document or its sha256Hash', {
    extensions: { code: graphql, http: { status: http } },
  });
}

// What a refused request runs instead of its own document: the refused one is never parsed or
// validated (its errors could tell schema details), and the refusal comes from didResolveOperation,
// the hook Apollo lets plugins refuse in (an error thrown earlier becomes a masked 500).
const PLACEHOLDER = '{ __typename }';

/**
 * Enforces the allowlist (mode enforce) for anonymous users and developers: a document sent as
 * text must hash to a listed operation; one called by hash must be listed (Apollo answers unknown
 * hashes with PERSISTED_QUERY_NOT_FOUND; this refuses ones registered on the fly by others).
 */
export function persistedOperationsPlugin(operations: PersistedOperations): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart(start) {
      if (operations.mode !== 'enforce' || !limited.has(start.contextValue.viewer.role)) return Promise.resolve();
      const { request } = start;
      let refused = false;
      if (typeof request.query === 'string' && !operations.documents.has(sha256Hex(request.query))) {
        refused = true;
        request.query = PLACEHOLDER;
        request.extensions = { ...request.extensions, persistedQuery: undefined };
      }
      return Promise.resolve({
        didResolveOperation(ctx) {
          if (refused || !operations.documents.has(ctx.queryHash)) throw notAllowed();
          return Promise.resolve();
        },
      });
    },
  };
}

/** How long shared caches may keep an anonymous GET answer: data change only when an ETL run commits. */
export const PUBLIC_MAX_AGE = 60;

/**
 * HTTP caching of GET queries: an anonymous answer without errors is public for a minute (vary:
 * authorization keeps it from keyed requests); everything else a GET returns is `private, no-store`.
 */
export function httpCachePlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart(start) {
      if (start.request.http?.method !== 'GET') return Promise.resolve();
      return Promise.resolve({
        willSendResponse(ctx) {
          const headers = ctx.response.http.headers;
          const ok = ctx.response.body.kind === 'single' && !ctx.response.body.singleResult.errors?.length;
          const anonymous = ctx.contextValue.viewer.role === 'anonymous';
          headers.set('cache-control', ok && anonymous ? `public, max-age=${PUBLIC_MAX_AGE}` : 'private, no-store');
          headers.set('vary', [headers.get('vary'), 'authorization'].filter(Boolean).join(', '));
          return Promise.resolve();
        },
      });
    },
  };
}

import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError, asAppError, errorTable, toError } from '../errors/index.js';
import type { Logger } from '../logger.js';
import { limitCodes } from './limits.js';

// Codes graphql-js and Apollo attach to request errors (parse, validation, bad variables).
const passThrough = new Set([
  ...limitCodes,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The failure of a request's context function (a key that does not check out: UNAUTHENTICATED;
 * the database away: UNAVAILABLE) as Apollo answers it: with its code and HTTP status. Thrown as
 * it is, Apollo would answer 500 and the mask below would hide the code.
 */
export function contextCreationError(e: unknown): unknown {
  // a database that is gone while the viewer is looked up (a key, a session) is UNAVAILABLE too
  const app = asAppError(e);
  if (!app) return e;
  const { graphql, http } = errorTable[app.code];
  return new GraphQLError(app.message, { originalError: app, extensions: { code: graphql, http: { status: http } } });
}

/**
 * Masks errors at the edge: AppErrors and request errors pass with their stable code; anything
 * else is logged with an errorId and reaches the client as INTERNAL "Internal error (id …)".
 * Never a stack trace or SQL text.
 */
export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    // a failed context (a bad API key) arrives as contextCreationError wrapped it, without a path
    const original = unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError ? unwrapped.originalError : unwrapped;
    const app = asAppError(original);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (app) {
      return {
        ...base,
        message: app.message,
        extensions: { code: errorTable[app.code].graphql, ...(app.details ? { details: app.details } : {}) },
      };
    }
    // Apollo re-labels validation-rule errors GRAPHQL_VALIDATION_FAILED; our limit rules keep their own code.
    const ruleCode = (error as { originalError?: { extensions?: { code?: unknown } } } | null)?.originalError?.extensions?.code;
    const code = typeof ruleCode === 'string' && limitCodes.includes(ruleCode) ? ruleCode : formatted.extensions?.code;
    // Apollo sets these codes itself for request errors; resolver crashes arrive as INTERNAL_SERVER_ERROR.
    if (typeof code === 'string' && passThrough.has(code)) {
      return { ...base, extensions: { code } };
    }
    const errorId = randomUUID();
    log.error({ errorId, err: toError(original) }, 'unexpected error in GraphQL request');
    return { ...base, message: `Internal error (id ${errorId})`, extensions: { code: 'INTERNAL', errorId } };
  };
}

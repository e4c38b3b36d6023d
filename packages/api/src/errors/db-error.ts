import { AppError, ConflictError, UnavailableError, ValidationError } from './app-error.js';

/**
 * SQLSTATE classes we translate, once for the ORM path and the raw pg/COPY path
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html). Never match on messages.
 */
export const sqlStateKinds = {
  '23505': 'unique_violation',
  '23503': 'foreign_key_violation',
  '23502': 'not_null_violation',
  '23514': 'check_violation',
  '22P02': 'invalid_text_representation',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22003': 'numeric_value_out_of_range',
  // a NUL character or invalid UTF-8 in a parameter: text PostgreSQL cannot store or compare
  '22021': 'character_not_in_repertoire',
  '22P05': 'untranslatable_character',
  '22001': 'string_data_right_truncation',
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '53300': 'too_many_connections',
  '57P01': 'admin_shutdown',
  '57P03': 'cannot_connect_now',
  '08006': 'connection_failure',
  '08001': 'sqlclient_unable_to_establish_sqlconnection',
  '08003': 'connection_does_not_exist',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
} as const;

export function sqlStateOf(e: unknown): string | undefined {
  const candidate = e as { code?: unknown; sqlState?: unknown; cause?: unknown } | null;
  if (candidate === null || typeof candidate !== 'object') return undefined;
  if (typeof candidate.sqlState === 'string') return candidate.sqlState;
  if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate.code;
  return candidate.cause === undefined ? undefined : sqlStateOf(candidate.cause);
}

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * node-postgres reports a connection that died under a query with these plain Errors, without
 * a code of any kind — the one place we must tell errors by their text (pg 8's wording).
 */
const lostConnectionMessages = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  // pg-pool: every connection busy for connectionTimeoutMillis — overloaded, not broken
  'timeout exceeded when trying to connect',
]);

/** Maps a database error to a domain error; returns undefined when it has no domain meaning. */
export function fromDbError(e: unknown): AppError | undefined {
  const state = sqlStateOf(e);
  const detail = (e as { detail?: unknown; constraint?: unknown } | null) ?? {};
  const constraint = typeof detail.constraint === 'string' ? detail.constraint : undefined;
  switch (state) {
    case '23505':
      return new ConflictError('A record with this key already exists', { constraint });
    case '23503':
      return new ConflictError('A referenced record does not exist or is still referenced', { constraint });
    case '23502':
    case '23514':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22021':
    case '22P05':
    case '22001':
      return new ValidationError({ [constraint ?? 'input']: [sqlStateKinds[state]] });
    // out of resources: the server cannot serve now (503, Retry-After), the client did nothing wrong
    case '53100':
    case '53200':
    case '53300':
      return new UnavailableError(`The database is out of resources (${sqlStateKinds[state]})`, { cause: e });
    case '57P01':
    case '57P03':
    case '08006':
    case '08001':
    case '08003':
      return new UnavailableError('The database is not reachable', { cause: e });
    default: {
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && connectionCodes.has(code)) return new UnavailableError('The database is not reachable', { cause: e });
      if (code === undefined && e instanceof Error && lostConnectionMessages.has(e.message))
        return new UnavailableError('The database connection was lost', { cause: e });
      return undefined;
    }
  }
}

/** The domain error an error stands for: itself, or what a database error means; undefined for anything else. */
export function asAppError(e: unknown): AppError | undefined {
  return e instanceof AppError ? e : fromDbError(e);
}

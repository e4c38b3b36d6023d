/** Stable error codes; clients may switch on them. The mapping to transports lives in error-table.ts. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL'
  // persisted operations (graphql/persisted-operations.ts): a hash no one registered; a document the allowlist lacks
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_ALLOWED';

/** An error that is safe to show to a client: code, message and optional details, never a stack. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, key: string) {
    super('NOT_FOUND', `${what} not found: ${key}`, { what, key });
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends AppError {
  constructor(action: string) {
    super('FORBIDDEN', `Not allowed: ${action}`, { action });
    this.name = 'ForbiddenError';
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', message);
    this.name = 'UnauthenticatedError';
  }
}

/** Bad input, with one message per field so forms and CKAN clients can point at the field. */
export class ValidationError extends AppError {
  constructor(readonly fieldErrors: Record<string, string[]>) {
    super(
      'BAD_USER_INPUT',
      Object.entries(fieldErrors)
        .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
        .join('; '),
      { fieldErrors },
    );
    this.name = 'ValidationError';
  }

  static of(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFLICT', message, details);
    this.name = 'ConflictError';
  }
}

export class UnavailableError extends AppError {
  constructor(message = 'Service temporarily unavailable', options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, undefined, options);
    this.name = 'UnavailableError';
  }
}

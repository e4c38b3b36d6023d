import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Request-scoped fields (e.g. the request id) merged into every log line written during a request. */
export const logContext = new AsyncLocalStorage<Record<string, unknown>>();

export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { ...bindings },
    mixin: () => logContext.getStore() ?? {},
    redact: { paths: ['*.password', '*.authorization', 'req.headers.authorization', 'databaseUrl'], censor: '[redacted]' },
  });
}

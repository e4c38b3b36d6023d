import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Thrown by the limiter; the app's error handler sends `body` with status 429. */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  constructor(readonly body: unknown) {
    super('rate limited');
  }
}

export interface RateLimits {
  /** requests per minute per client IP without an API key */
  anonymous: number;
  /** requests per minute per API key */
  key: number;
}

function clientKey(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  if (auth) return `key:${createHash('sha256').update(auth).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}

/**
 * Per-key and per-IP limits with the IETF draft `RateLimit-*` headers on every answer and
 * `Retry-After` on a refusal. Counters live in the process: behind a load balancer each API
 * process counts for itself (documented in the README's operations section).
 */
export async function registerRateLimit(app: FastifyInstance, limits: RateLimits): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    // the limiter hands over the key it generated (one SHA-256 per request, not two)
    max: (_request: FastifyRequest, key: string) => (key.startsWith('key:') ? limits.key : limits.anonymous),
    keyGenerator: clientKey,
    enableDraftSpec: true,
    allowList: (request: FastifyRequest) => request.url === '/healthz' || request.url === '/readyz',
    errorResponseBuilder: (request, context) => {
      const message = `Rate limit exceeded: ${context.max} requests per minute; retry in ${Math.ceil(context.ttl / 1000)} s`;
      const body = request.url.startsWith('/api/')
        ? { success: false, error: { message, __type: 'Rate Limit Error' } }
        : request.url.startsWith('/graphql')
          ? { errors: [{ message, extensions: { code: 'RATE_LIMITED' } }] }
          : { error: { code: 'RATE_LIMITED', message } };
      return new RateLimitedError(body);
    },
  });
}

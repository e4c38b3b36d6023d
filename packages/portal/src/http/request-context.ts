import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { anonymous, authenticate, resolveSession, SESSION_COOKIE, type DomainContext, type OidcVerifier } from '@hro/api/domain';
import type { Logger } from '@hro/api';

/** The value of one cookie of the request, or undefined. */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The domain context of one HTTP request: who asks and the pool. The Authorization header
 * decides; without one, the portal's session cookie (signed in on /anmelden) does, so the access
 * policy treats a signed-in browser like its key on every path. A stale session is anonymous.
 */
export async function domainContext(request: FastifyRequest, pool: Pool, log: Logger, oidc?: OidcVerifier): Promise<DomainContext> {
  const header = request.headers.authorization;
  const session = header === undefined ? cookieOf(request, SESSION_COOKIE) : undefined;
  const viewer = session ? ((await resolveSession(pool, session, oidc)) ?? anonymous) : await authenticate(pool, header, oidc);
  return { viewer, pool, log: log.child({ reqId: request.id }), authorized: false };
}

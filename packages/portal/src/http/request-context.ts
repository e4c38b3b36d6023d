import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { authenticate, type DomainContext, type OidcVerifier } from '@hro/api/domain';
import type { Logger } from '@hro/api';

/** The domain context of one HTTP request: who asks (from the Authorization header) and the pool. */
export async function domainContext(request: FastifyRequest, pool: Pool, log: Logger, oidc?: OidcVerifier): Promise<DomainContext> {
  const viewer = await authenticate(pool, request.headers.authorization, oidc);
  return { viewer, pool, log: log.child({ reqId: request.id }), authorized: false };
}

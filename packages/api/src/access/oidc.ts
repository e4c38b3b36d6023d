import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { UnauthenticatedError } from '../errors/index.js';
import type { Role, Viewer } from './viewer.js';

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** JWKS URL of the issuer (its `jwks_uri`) */
  jwksUrl: string;
  /** claim holding the user's roles (a string or a list), e.g. `roles` or `groups` */
  roleClaim: string;
}

/** Values of the role claim that grant our roles; anything else signs in as a developer. */
const grants: Record<string, Exclude<Role, 'anonymous'>> = {
  'hro-admin': 'admin',
  'hro-steering': 'steering',
};
const rank: Record<Exclude<Role, 'anonymous'>, number> = { developer: 1, steering: 2, admin: 3 };

function roleOf(payload: JWTPayload, claim: string): Exclude<Role, 'anonymous'> {
  const raw = payload[claim];
  const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  let role: Exclude<Role, 'anonymous'> = 'developer';
  for (const value of values) {
    const granted = typeof value === 'string' ? grants[value] : undefined;
    if (granted && rank[granted] > rank[role]) role = granted;
  }
  return role;
}

export type OidcVerifier = (token: string) => Promise<Viewer>;

/**
 * Verifies an OIDC access token (JWT) against the issuer's keys with `jose`: signature, issuer,
 * audience, expiry. The JWKS is fetched once and refreshed when an unknown key id appears.
 */
export function createOidcVerifier(settings: OidcSettings): OidcVerifier {
  const jwks = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: settings.issuer, audience: settings.audience, clockTolerance: 30 });
      return { role: roleOf(payload, settings.roleClaim), subject: `oidc:${payload.sub ?? 'unknown'}` };
    } catch (e) {
      throw new UnauthenticatedError(`Invalid token (${(e as { code?: string }).code ?? 'ERR_JWT_INVALID'})`);
    }
  };
}

/** A compact JWS: three base64url parts. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

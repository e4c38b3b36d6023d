import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { UnauthenticatedError } from '../errors/index.js';
import { authenticate } from './api-key.js';
import { looksLikeJwt, type OidcVerifier } from './oidc.js';
import type { Role, Viewer } from './viewer.js';

/**
 * Browser sessions of the portal's pages, signed in with an API key (or a pasted OIDC token).
 *
 * The cookie never carries the key. It reads `k.<key id>.<expiry>.<mac>`, where the mac is an
 * HMAC-SHA256 over id and expiry keyed with the key's stored scrypt hash — a secret that never
 * leaves the database. So sessions need no server-side store and no shared secret between
 * processes, survive restarts, and end when the key is revoked (the row is read back on use) or
 * when the expiry passes. A token from the configured OIDC issuer is kept as `j.<jwt>` and
 * verified on every use, so it ends with the token's own expiry.
 */
export const SESSION_COOKIE = 'hro_session';
/** How long a session lasts (a working day). */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;
// a session is checked against its key row at most this often (as verified API keys are cached)
const CHECK_CACHE_MS = 30_000;
const checked = new Map<string, { viewer: Viewer; until: number }>();

const mac = (secret: string, id: number, expires: number) =>
  createHmac('sha256', secret).update(`hro-session|${id}|${expires}`).digest('base64url');

/**
 * Verifies what the user pasted (an API key or an OIDC token) and returns the cookie value of a
 * new session. A bad credential: UNAUTHENTICATED, as for the Authorization header.
 */
export async function createSession(
  pool: Pool,
  credential: string,
  oidc?: OidcVerifier,
  now = Date.now(),
): Promise<{ value: string; viewer: Viewer; maxAge: number }> {
  const token = credential.trim().replace(/^Bearer\s+/i, '');
  if (token === '') throw new UnauthenticatedError('Missing API key');
  // signing in is no API request: not counted as the key's use
  const viewer = await authenticate(pool, token, oidc, { count: false });
  if (looksLikeJwt(token)) return { value: `j.${token}`, viewer, maxAge: SESSION_TTL_SECONDS };
  const id = Number(/^key:(\d+)$/.exec(viewer.subject ?? '')?.[1]);
  const { rows } = await pool.query<{ hash: string }>(`select hash from core.api_key where id = $1 and status = 'active'`, [id]);
  const secret = rows[0]?.hash;
  if (!secret) throw new UnauthenticatedError('Invalid API key');
  const expires = Math.floor(now / 1000) + SESSION_TTL_SECONDS;
  return { value: `k.${id}.${expires}.${mac(secret, id, expires)}`, viewer, maxAge: SESSION_TTL_SECONDS };
}

/**
 * The viewer of a session cookie, or undefined when it is malformed, forged, expired, or its key
 * was revoked — the caller then treats the request as anonymous (a stale session is no error).
 */
export async function resolveSession(pool: Pool, value: string, oidc?: OidcVerifier, now = Date.now()): Promise<Viewer | undefined> {
  const cached = checked.get(value);
  if (cached && cached.until > now) return cached.viewer;
  const viewer = await verify(pool, value, oidc, now);
  if (viewer) {
    if (checked.size > 10_000) checked.clear();
    checked.set(value, { viewer, until: now + CHECK_CACHE_MS });
  }
  return viewer;
}

async function verify(pool: Pool, value: string, oidc: OidcVerifier | undefined, now: number): Promise<Viewer | undefined> {
  if (value.startsWith('j.')) {
    if (!oidc) return undefined;
    return oidc(value.slice(2)).catch(() => undefined);
  }
  const match = /^k\.(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return undefined;
  const id = Number(match[1]);
  const expires = Number(match[2]);
  if (expires * 1000 <= now) return undefined;
  const { rows } = await pool.query<{ hash: string; role: Role }>(
    `select hash, role from core.api_key where id = $1 and status = 'active'`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  const expected = Buffer.from(mac(row.hash, id, expires));
  const given = Buffer.from(match[3] ?? '');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  return { role: row.role, subject: `key:${id}` };
}

/** Drops remembered session checks (tests; after a revocation). */
export function forgetSessions(): void {
  checked.clear();
}

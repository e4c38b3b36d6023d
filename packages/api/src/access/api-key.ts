import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import { UnauthenticatedError } from '../errors/index.js';
import { anonymous, type Role, type Viewer } from './viewer.js';
import { looksLikeJwt, type OidcVerifier } from './oidc.js';
import { countKeyUse } from './key-usage.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

// A key reads "hro_<prefix>_<secret>": the prefix finds the row, the secret is checked against
// its scrypt hash. Only the hash is stored; the key is shown once, when it is created.
const KEY_PATTERN = /^hro_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

// A revoked key stops working at the latest after this long.
const KEY_CACHE_MS = 30_000;
const verifiedKeys = new Map<string, { viewer: Viewer; keyId: number; until: number }>();

/** Drops remembered verifications (after a revocation or rotation, so this process stops accepting the old key at once). */
export function forgetVerifiedKeys(): void {
  verifiedKeys.clear();
}

async function hash(secret: string, salt = randomBytes(16)): Promise<string> {
  const derived = await scrypt(secret, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${derived.toString('base64url')}`;
}

async function verify(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, digest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !digest) return false;
  const derived = await scrypt(secret, Buffer.from(salt, 'base64url'), 32);
  const expected = Buffer.from(digest, 'base64url');
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}

/** A new key's public prefix (finds the row; shown in lists). */
export function newKeyPrefix(): string {
  return randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
}

/**
 * A new secret for a key row with this prefix: the plain key (shown once) and the hash to store.
 * Used for new keys, for rotation (same row, new secret) and when a requested key is collected.
 */
export async function newKeySecret(prefix: string): Promise<{ key: string; hash: string }> {
  const secret = randomBytes(32).toString('base64url');
  return { key: `hro_${prefix}_${secret}`, hash: await hash(secret) };
}

/** Creates an active API key; returns the plain key, which is not stored and cannot be shown again. */
export async function createApiKey(
  pool: Pool,
  input: { name: string; role: Exclude<Role, 'anonymous'>; contact?: string },
): Promise<{ id: number; key: string }> {
  const prefix = newKeyPrefix();
  const secret = await newKeySecret(prefix);
  const { rows } = await pool.query<{ id: number }>(
    `insert into core.api_key (prefix, hash, name, role, contact) values ($1, $2, $3, $4, $5) returning id`,
    [prefix, secret.hash, input.name, input.role, input.contact ?? null],
  );
  return { id: rows[0]?.id ?? 0, key: secret.key };
}

/**
 * Resolves the Authorization header (a bare key, "Bearer <key>", CKAN's plain header, or an OIDC
 * JWT when an issuer is configured) to a viewer. No header: anonymous. A header that does not check out: UNAUTHENTICATED, never a
 * silent downgrade to anonymous.
 */
export async function authenticate(
  pool: Pool,
  header: string | undefined,
  oidc?: OidcVerifier,
  options: { count?: boolean } = {},
): Promise<Viewer> {
  if (header === undefined || header.trim() === '') return anonymous;
  const token = header.replace(/^Bearer\s+/i, '').trim();
  if (looksLikeJwt(token)) {
    if (!oidc) throw new UnauthenticatedError('Tokens are not accepted here: no OIDC issuer is configured');
    return oidc(token);
  }
  // scrypt is slow on purpose; a verified key is remembered briefly so requests stay fast.
  const fingerprint = createHash('sha256').update(token).digest('base64url');
  const cached = verifiedKeys.get(fingerprint);
  if (cached && cached.until > Date.now()) {
    if (options.count !== false) countKeyUse(pool, cached.keyId);
    return cached.viewer;
  }
  const match = KEY_PATTERN.exec(token);
  if (!match) throw new UnauthenticatedError('Invalid API key');
  const [, prefix, secret] = match as unknown as [string, string, string];
  const { rows } = await pool.query<{ id: number; hash: string; role: Role }>(
    `select id, hash, role from core.api_key where prefix = $1 and status = 'active'`,
    [prefix],
  );
  const row = rows[0];
  if (!row || !(await verify(secret, row.hash))) throw new UnauthenticatedError('Invalid API key');
  const viewer: Viewer = { role: row.role, subject: `key:${row.id}` };
  if (verifiedKeys.size > 10_000) verifiedKeys.clear();
  verifiedKeys.set(fingerprint, { viewer, keyId: row.id, until: Date.now() + KEY_CACHE_MS });
  // usage per key and day (in memory, flushed in batches: no write on the request's path)
  if (options.count !== false) countKeyUse(pool, row.id);
  return viewer;
}

import type { DomainContext } from '../domain/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.js';
import { createApiKey, forgetVerifiedKeys, newKeySecret } from './api-key.js';
import { audit } from './audit.js';
import { flushKeyUsage, usageDay } from './key-usage.js';
import { authorize } from './policy.js';
import { runAction } from './action.js';
import { forgetSessions } from './session.js';
import type { Role, Viewer } from './viewer.js';

export interface ApiKeyRow {
  id: number;
  prefix: string;
  name: string;
  role: Exclude<Role, 'anonymous'>;
  /** approved (issued, not yet collected), active or revoked */
  status: string;
  /** the requester's e-mail of a self-service key (admins only) */
  contact: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  rotatedAt: Date | null;
  /** requests made with the key, all time */
  usageCount: number;
  /** requests made with the key today (Europe/Berlin) */
  requestsToday: number;
}

export interface ApiKeyUsageDay {
  /** YYYY-MM-DD, Europe/Berlin */
  day: string;
  requests: number;
}

// counts are bigint in the table; GraphQL's Int is 32 bits, and no key gets near 2^31 requests
const select = `k.id, k.prefix, k.name, k.role, k.status, k.contact, k.created_at as "createdAt", k.last_used_at as "lastUsedAt",
  k.revoked_at as "revokedAt", k.rotated_at as "rotatedAt", least(k.usage_count, 2147483647)::int as "usageCount",
  coalesce((select least(u.requests, 2147483647)::int from core.api_key_usage u where u.key_id = k.id and u.day = $1::date), 0) as "requestsToday"`;

async function readKeys(ctx: DomainContext, where: string, params: unknown[]): Promise<ApiKeyRow[]> {
  // this process's counts first, so the numbers shown include the requests just made
  await flushKeyUsage(ctx.pool).catch(() => undefined);
  const { rows } = await ctx.pool.query<ApiKeyRow>(`select ${select} from core.api_key k ${where} order by k.id`, [usageDay(), ...params]);
  return rows;
}

/** One key with its use, without an access decision: for actions that decided already. */
export async function readApiKey(ctx: DomainContext, id: number): Promise<ApiKeyRow> {
  const [row] = await readKeys(ctx, 'where k.id = $2', [id]);
  if (!row) throw new NotFoundError('ApiKey', String(id));
  return row;
}

/** The id of the API key a viewer is signed in with (undefined for anonymous users and OIDC tokens). */
export function keyIdOf(viewer: Viewer): number | undefined {
  const match = /^key:(\d{1,12})$/.exec(viewer.subject ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Creates a key (admin); the plain key is in the result once and never stored. */
export function issueApiKey(
  ctx: DomainContext,
  input: { name: string; role: Exclude<Role, 'anonymous'> },
): Promise<{ key: string; apiKey: ApiKeyRow }> {
  return runAction(ctx, 'api_key.create', async (c) => {
    authorize(c, 'apikey.manage');
    const { id, key } = await createApiKey(c.pool, input);
    await audit(c, 'apikey.create', `key:${id}`, { name: input.name, role: input.role });
    return { key, apiKey: await readApiKey(c, id) };
  });
}

/** All keys with their use (admin). */
export function listApiKeys(ctx: DomainContext): Promise<ApiKeyRow[]> {
  return runAction(ctx, 'api_key.list', async (c) => {
    authorize(c, 'apikey.manage');
    return readKeys(c, '', []);
  });
}

/** Requests per day of one key over the last `days` days, newest first (days without requests left out). */
async function usageOf(ctx: DomainContext, id: number, days: number): Promise<ApiKeyUsageDay[]> {
  if (!Number.isInteger(days) || days < 1 || days > 366) throw ValidationError.of('days', 'between 1 and 366');
  await flushKeyUsage(ctx.pool).catch(() => undefined);
  const { rows } = await ctx.pool.query<ApiKeyUsageDay>(
    `select to_char(day, 'YYYY-MM-DD') as day, least(requests, 2147483647)::int as requests from core.api_key_usage
      where key_id = $1 and day > $2::date - $3::int order by day desc`,
    [id, usageDay(), days],
  );
  return rows;
}

/** Usage per day of a key (admin). */
export function apiKeyUsage(ctx: DomainContext, id: number, days = 30): Promise<ApiKeyUsageDay[]> {
  return runAction(ctx, 'api_key.usage', async (c) => {
    authorize(c, 'apikey.manage');
    return usageOf(c, id, days);
  });
}

/** Forget what this process remembered of the key: the old secret and its sessions are refused at once. */
function forgetKey(): void {
  forgetVerifiedKeys();
  forgetSessions();
}

async function revoke(c: DomainContext, id: number): Promise<ApiKeyRow> {
  const { rowCount } = await c.pool.query(
    `update core.api_key set status = 'revoked', revoked_at = coalesce(revoked_at, now()) where id = $1`,
    [id],
  );
  if (!rowCount) throw new NotFoundError('ApiKey', String(id));
  forgetKey();
  await audit(c, 'apikey.revoke', `key:${id}`);
  return await readApiKey(c, id);
}

/**
 * A new secret for the same key (same id, name, role and usage history); the old secret is
 * refused at once by this process, by other processes within 30 s (their cache of verified keys).
 * Only active keys rotate: an approved key has no secret yet, a revoked one stays revoked.
 */
async function rotate(c: DomainContext, id: number): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const { rows } = await c.pool.query<{ prefix: string; status: string }>(`select prefix, status from core.api_key where id = $1`, [id]);
  const current = rows[0];
  if (!current) throw new NotFoundError('ApiKey', String(id));
  if (current.status !== 'active') throw new ConflictError(`API key ${id} is ${current.status}: only active keys can be rotated`);
  const secret = await newKeySecret(current.prefix);
  const { rowCount } = await c.pool.query(
    `update core.api_key set hash = $2, rotated_at = now() where id = $1 and status = 'active' and prefix = $3`,
    [id, secret.hash, current.prefix],
  );
  if (!rowCount) throw new ConflictError(`API key ${id} changed meanwhile: only active keys can be rotated`);
  forgetKey();
  await audit(c, 'apikey.rotate', `key:${id}`);
  return { key: secret.key, apiKey: await readApiKey(c, id) };
}

/** Revokes a key (admin): refused at once by this process, by other processes within 30 s (their cache). */
export function revokeApiKey(ctx: DomainContext, id: number): Promise<ApiKeyRow> {
  return runAction(ctx, 'api_key.revoke', async (c) => {
    authorize(c, 'apikey.manage');
    return revoke(c, id);
  });
}

/** Rotates a key (admin); the new key is in the result once and never stored. */
export function rotateApiKey(ctx: DomainContext, id: number): Promise<{ key: string; apiKey: ApiKeyRow }> {
  return runAction(ctx, 'api_key.rotate', async (c) => {
    authorize(c, 'apikey.manage');
    return rotate(c, id);
  });
}

function ownKeyId(c: DomainContext): number {
  const id = keyIdOf(c.viewer);
  // signed in with an OIDC token: there is no key of one's own to manage
  if (id === undefined) throw new NotFoundError('ApiKey', 'own (not signed in with an API key)');
  return id;
}

/** The key the viewer is signed in with, with its use (any key holder). */
export function ownApiKey(ctx: DomainContext, days = 30): Promise<{ apiKey: ApiKeyRow; usage: ApiKeyUsageDay[] }> {
  return runAction(ctx, 'api_key.own', async (c) => {
    authorize(c, 'apikey.own');
    const id = ownKeyId(c);
    return { apiKey: await readApiKey(c, id), usage: await usageOf(c, id, days) };
  });
}

/** Rotates the viewer's own key; the new key is in the result once. */
export function rotateOwnApiKey(ctx: DomainContext): Promise<{ key: string; apiKey: ApiKeyRow }> {
  return runAction(ctx, 'api_key.rotate_own', async (c) => {
    authorize(c, 'apikey.own');
    return rotate(c, ownKeyId(c));
  });
}

/** Revokes the viewer's own key (it signs them out). */
export function revokeOwnApiKey(ctx: DomainContext): Promise<ApiKeyRow> {
  return runAction(ctx, 'api_key.revoke_own', async (c) => {
    authorize(c, 'apikey.own');
    return revoke(c, ownKeyId(c));
  });
}

import type { DomainContext } from '../domain/context.js';
import { NotFoundError } from '../errors/index.js';
import { createApiKey, forgetVerifiedKeys } from './api-key.js';
import { audit } from './audit.js';
import { authorize } from './policy.js';
import { runAction } from './action.js';
import type { Role } from './viewer.js';

export interface ApiKeyRow {
  id: number;
  prefix: string;
  name: string;
  role: Exclude<Role, 'anonymous'>;
  status: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const select = `id, prefix, name, role, status, created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt"`;

/** Creates a key (admin); the plain key is in the result once and never stored. */
export function issueApiKey(
  ctx: DomainContext,
  input: { name: string; role: Exclude<Role, 'anonymous'> },
): Promise<{ key: string; apiKey: ApiKeyRow }> {
  return runAction(ctx, 'api_key.create', async (c) => {
    authorize(c, 'apikey.manage');
    const { id, key } = await createApiKey(c.pool, input);
    await audit(c, 'apikey.create', `key:${id}`, { name: input.name, role: input.role });
    const { rows } = await c.pool.query<ApiKeyRow>(`select ${select} from core.api_key where id = $1`, [id]);
    return { key, apiKey: rows[0] as ApiKeyRow };
  });
}

export function listApiKeys(ctx: DomainContext): Promise<ApiKeyRow[]> {
  return runAction(ctx, 'api_key.list', async (c) => {
    authorize(c, 'apikey.manage');
    const { rows } = await c.pool.query<ApiKeyRow>(`select ${select} from core.api_key order by id`);
    return rows;
  });
}

/** Revokes a key (admin): refused at once by this process, by other processes within 30 s (their cache). */
export function revokeApiKey(ctx: DomainContext, id: number): Promise<ApiKeyRow> {
  return runAction(ctx, 'api_key.revoke', async (c) => {
    authorize(c, 'apikey.manage');
    const { rows } = await c.pool.query<ApiKeyRow>(
      `update core.api_key set status = 'revoked', revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${select}`,
      [id],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('ApiKey', String(id));
    forgetVerifiedKeys();
    await audit(c, 'apikey.revoke', `key:${id}`);
    return row;
  });
}

import type { Logger } from '../logger.js';
import type { Orm } from './orm.js';

/**
 * createOrm of orm.ts, which is loaded at the first call: importing @hro/api/db (for a pool, the
 * embedded cluster, a backup) must not load MikroORM and its query builder (≈ 11 MB of memory).
 */
export async function createOrm(url: string, log?: Logger, poolMax?: number): Promise<Orm> {
  const orm = await import('./orm.js');
  return orm.createOrm(url, log, poolMax);
}

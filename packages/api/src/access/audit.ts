import type { Pool, PoolClient } from 'pg';
import type { DomainContext } from '../domain/context.js';

/**
 * Records an admin action (who, what, when) in core.audit_log — through `db` when given, so a
 * write and its record commit (or roll back) in one transaction.
 */
export async function audit(
  ctx: DomainContext,
  action: string,
  target: string | null,
  details?: Record<string, unknown>,
  db: Pool | PoolClient = ctx.pool,
): Promise<void> {
  await db.query(`insert into core.audit_log (actor, action, target, details) values ($1, $2, $3, $4)`, [
    ctx.viewer.subject ?? ctx.viewer.role,
    action,
    target,
    details ? JSON.stringify(details) : null,
  ]);
}

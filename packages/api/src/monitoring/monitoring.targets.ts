import type { PoolClient } from 'pg';
import { audit, authorize, runAction } from '../access/index.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { DomainContext } from '../domain/context.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { parseDay } from './calendar.js';
import { targetHistoryOf, type OzgTargetRow } from './monitoring.service.js';

const MAX_LEVEL: Record<string, number> = { '1.1': 4, '2.0': 7 };

export interface TargetInput {
  serviceKey: string;
  model: string;
  level: number;
  targetDate: string;
  note?: string | null;
}

function validate(input: { model: string; level?: number; targetDate?: string; note?: string | null }): void {
  const errors: Record<string, string[]> = {};
  const max = MAX_LEVEL[input.model];
  if (max === undefined) errors.model = ['"1.1" (levels 0–4) or "2.0" (levels 0–7)'];
  if (input.level !== undefined && (!Number.isInteger(input.level) || input.level < 0 || (max !== undefined && input.level > max))) {
    errors.level = [`a level of model ${input.model} (0–${max ?? '?'})`];
  }
  if (input.targetDate !== undefined) {
    try {
      parseDay(input.targetDate, 'targetDate');
    } catch {
      errors.targetDate = [`"${input.targetDate}" is not a date (YYYY-MM-DD)`];
    }
  }
  if (input.note && input.note.length > 500) errors.note = ['at most 500 characters'];
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/**
 * One change of a target in one transaction with its audit record and the data-version bump:
 * the service row is locked (two steering users changing the same service queue behind each
 * other), the current SOLL row of the model closes and `insert` may open the new one.
 */
async function change(
  ctx: DomainContext,
  serviceKey: string,
  model: string,
  action: string,
  body: (db: PoolClient, serviceId: number, current: { level: number; target_date: string | null } | undefined) => Promise<boolean>,
  details: Record<string, unknown>,
): Promise<boolean> {
  const db = await ctx.pool.connect();
  try {
    await db.query('begin');
    const { rows: found } = await db.query<{ id: number }>(`select id from core.service where key = $1 for update`, [serviceKey]);
    const service = found[0];
    if (!service) throw new NotFoundError('Service', serviceKey);
    const { rows: current } = await db.query<{ level: number; target_date: string | null }>(
      `select level, target_date::text from core.service_maturity where service_id = $1 and model = $2 and kind = 'soll' and valid_to is null`,
      [service.id, model],
    );
    const changed = await body(db, service.id, current[0]);
    if (changed) {
      await audit(ctx, action, `service:${serviceKey}`, { model, ...details, before: current[0] ?? null }, db);
      await bumpDataVersion(db);
    }
    await db.query('commit');
    return changed;
  } catch (e) {
    await db.query('rollback').catch(() => {});
    throw e;
  } finally {
    db.release();
  }
}

/**
 * Sets the target (SOLL level and date) of a service in one model (steering team). The previous
 * target is kept as history (valid_to); the new one records who set it and why. Setting the same
 * level and date again changes nothing. A later run of the maturity file replaces it only when
 * the file's own value for this target changes (packages/etl/src/connectors/ozg/merge.ts).
 */
export function setServiceTarget(ctx: DomainContext, input: TargetInput): Promise<OzgTargetRow> {
  return runAction(ctx, 'ozg.target.set', async (c) => {
    authorize(c, 'ozg.target.write');
    validate(input);
    const note = input.note?.trim() || null;
    await change(
      c,
      input.serviceKey,
      input.model,
      'ozg.target.set',
      async (db, serviceId, current) => {
        if (current && current.level === input.level && current.target_date === input.targetDate) return false;
        await db.query(
          `update core.service_maturity set valid_to = now(), closed_by = $3
           where service_id = $1 and model = $2 and kind = 'soll' and valid_to is null`,
          [serviceId, input.model, c.viewer.subject ?? c.viewer.role],
        );
        await db.query(
          `insert into core.service_maturity (service_id, model, kind, level, target_date, valid_from, origin, changed_by, note)
           values ($1, $2, 'soll', $3, $4, now(), 'api', $5, $6)`,
          [serviceId, input.model, input.level, input.targetDate, c.viewer.subject ?? c.viewer.role, note],
        );
        return true;
      },
      { level: input.level, targetDate: input.targetDate, note },
    );
    const history = await targetHistoryOf(c, [input.serviceKey]);
    return history.filter((t) => t.model === input.model && t.validTo === null).at(-1)!;
  });
}

/** Removes the target of a service in one model (steering team); false when it had none. The row stays as history. */
export function removeServiceTarget(
  ctx: DomainContext,
  input: { serviceKey: string; model: string; note?: string | null },
): Promise<boolean> {
  return runAction(ctx, 'ozg.target.remove', async (c) => {
    authorize(c, 'ozg.target.write');
    validate(input);
    const note = input.note?.trim() || null;
    return change(
      c,
      input.serviceKey,
      input.model,
      'ozg.target.remove',
      async (db, serviceId, current) => {
        if (!current) return false;
        await db.query(
          `update core.service_maturity set valid_to = now(), closed_by = $3
           where service_id = $1 and model = $2 and kind = 'soll' and valid_to is null`,
          [serviceId, input.model, c.viewer.subject ?? c.viewer.role],
        );
        return true;
      },
      { note },
    );
  });
}

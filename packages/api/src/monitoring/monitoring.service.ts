import { authorize, authorizeInput, can, readScope, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { ValidationError } from '../errors/index.js';
import { endOfDaySql, stichtagOf } from './calendar.js';
import { linearForecast, type Forecast, type ProgressPoint } from './forecast.js';
import { STATUS_DEFINITION, type OzgStatus } from './monitoring.definitions.js';

/** One service in the OZG-Monitoring as of a Stichtag. Internal fields are undefined unless the viewer reads core. */
export interface OzgServiceRow {
  stichtag: string;
  serviceKey: string;
  kind: string;
  ozgId: string | null;
  leikaKey: string | null;
  title: string;
  themenfeld: string | null;
  ist11: number | null;
  soll11: number | null;
  targetDate11: string | null;
  ist20: number | null;
  soll20: number | null;
  targetDate20: string | null;
  status: OzgStatus | null;
  online: boolean | null;
  targetMissed: boolean;
  daysSinceTarget: number | null;
  orgUnit?: string | null;
  procedureKey?: string | null;
  efa?: boolean | null;
}

const publicColumns = `$1::text as stichtag, service_key as "serviceKey", kind, ozg_id as "ozgId", leika_key as "leikaKey", title, themenfeld,
  ist_1_1 as "ist11", soll_1_1 as "soll11", target_date_1_1::text as "targetDate11", ist_2_0 as "ist20", soll_2_0 as "soll20",
  target_date_2_0::text as "targetDate20", status, online, target_missed as "targetMissed", days_since_target as "daysSinceTarget"`;
const internalColumns = `, org_unit as "orgUnit", procedure_key as "procedureKey", efa`;

/**
 * The report relation as of the Stichtag in $1: everything for the steering team
 * (core.ozg_report_rows), the public columns for everyone else (open.ozg_report).
 */
function reportRelation(core: boolean): { relation: string; select: string } {
  return core
    ? { relation: 'core.ozg_report_rows($1::date) as report', select: publicColumns + internalColumns }
    : { relation: 'open.ozg_report($1::date) as report', select: publicColumns };
}

export interface OzgServiceFilter {
  status?: OzgStatus | 'none' | null;
  /** internal: the responsible org unit's code */
  orgUnit?: string | null;
  targetMissed?: boolean | null;
}

/** The monitored services as of a Stichtag (default today), by key, filtered by status, org unit, missed target. */
export function listOzgServices(
  ctx: DomainContext,
  args: { stichtag?: string | null; filter?: OzgServiceFilter },
  page: PageArgs,
): Promise<Page<OzgServiceRow & Record<string, unknown>>> {
  return runAction(ctx, 'ozg.services', async (c) => {
    const core = readScope(c) === 'core';
    const stichtag = stichtagOf(args.stichtag, 'stichtag');
    const { relation, select } = reportRelation(core);
    const params: unknown[] = [stichtag];
    const where: string[] = [];
    const filter = args.filter ?? {};
    if (filter.status === 'none') where.push('status is null');
    else if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.orgUnit) {
      authorizeInput(c, 'core.read', 'orgUnit');
      params.push(filter.orgUnit);
      where.push(`org_unit = $${params.length}`);
    }
    if (filter.targetMissed !== null && filter.targetMissed !== undefined) {
      params.push(filter.targetMissed);
      where.push(`target_missed = $${params.length}`);
    }
    return paginate<OzgServiceRow & Record<string, unknown>>(c.pool, { relation, orderBy: 'service_key', select, where, params }, page);
  });
}

/**
 * The gap list: services whose target date (in either model) lies on or before the Stichtag while
 * the IST level of that model is below the target, longest overdue first.
 */
export function ozgGaps(ctx: DomainContext, args: { stichtag?: string | null }): Promise<OzgServiceRow[]> {
  return runAction(ctx, 'ozg.gaps', async (c) => {
    const core = readScope(c) === 'core';
    const stichtag = stichtagOf(args.stichtag, 'stichtag');
    const { relation, select } = reportRelation(core);
    const { rows } = await c.pool.query<OzgServiceRow>(
      `select ${select} from ${relation} where target_missed order by days_since_target desc, service_key`,
      [stichtag],
    );
    return rows;
  });
}

export interface DataStand {
  source: string;
  runId: number;
  finishedAt: Date;
}

export interface OzgOverview {
  stichtag: string;
  services: number;
  endToEnd: number;
  online: number;
  inProgress: number;
  planned: number;
  notPlanned: number;
  withTarget: number;
  targetsMissed: number;
  statusDefinition: string;
  /** the last successful ETL run of each source before the end of the Stichtag */
  dataAsOf: DataStand[];
}

/** The last successful run of every source before an instant (the data a report rests on). */
export async function dataStandAt(ctx: DomainContext, endOfDay: string, params: unknown[]): Promise<DataStand[]> {
  // open.etl_runs is the public part of etl.run (without error texts and cursors)
  const { rows } = await ctx.pool.query<DataStand>(
    `select distinct on (source) source, id as "runId", finished_at as "finishedAt"
     from open.etl_runs where status = 'succeeded' and finished_at < ${endOfDay}
     order by source, finished_at desc, id desc`,
    params,
  );
  return rows;
}

/** Counts by status, targets and missed targets as of a Stichtag, with the data stand they rest on. */
export function ozgOverview(ctx: DomainContext, args: { stichtag?: string | null }): Promise<OzgOverview> {
  return runAction(ctx, 'ozg.overview', async (c) => {
    const core = readScope(c) === 'core';
    const stichtag = stichtagOf(args.stichtag, 'stichtag');
    const { relation } = reportRelation(core);
    const { rows } = await c.pool.query<Omit<OzgOverview, 'stichtag' | 'statusDefinition' | 'dataAsOf'>>(
      `select count(*)::int as services,
              count(*) filter (where status = 'end_to_end')::int as "endToEnd",
              count(*) filter (where status = 'online')::int as online,
              count(*) filter (where status = 'in_progress')::int as "inProgress",
              count(*) filter (where status = 'planned')::int as planned,
              count(*) filter (where status is null)::int as "notPlanned",
              count(*) filter (where soll_1_1 is not null or soll_2_0 is not null)::int as "withTarget",
              count(*) filter (where target_missed)::int as "targetsMissed"
       from ${relation}`,
      [stichtag],
    );
    const counts = rows[0]!;
    const dataAsOf = await dataStandAt(c, endOfDaySql('$1'), [stichtag]);
    return { stichtag, ...counts, statusDefinition: STATUS_DEFINITION, dataAsOf };
  });
}

/**
 * OZG progress per month from the KPI snapshots: the last snapshot of services.online in each
 * month up to the Stichtag (steering: core.kpi_snapshot; others: open.kpi_values, small counts withheld).
 */
export function ozgProgress(ctx: DomainContext, args: { stichtag?: string | null; months?: number | null }): Promise<ProgressPoint[]> {
  return runAction(ctx, 'ozg.progress', async (c) => {
    const core = readScope(c) === 'core';
    const stichtag = stichtagOf(args.stichtag, 'stichtag');
    const months = args.months ?? 24;
    if (!Number.isInteger(months) || months < 1 || months > 120) throw ValidationError.of('months', 'must be between 1 and 120');
    const relation = core
      ? `(select s.kpi_id, s.dimensions, s.run_id, s.computed_at, s.numerator, s.denominator, false as suppressed
          from core.kpi_snapshot s join etl.run r on r.id = s.run_id and r.status = 'succeeded' and not r.dry_run) as k`
      : 'open.kpi_values as k';
    const { rows } = await c.pool.query<{
      month: string;
      runId: number;
      computedAt: Date;
      online: string | null;
      total: string | null;
      suppressed: boolean;
    }>(
      `select * from (
         select distinct on (1) to_char(k.computed_at at time zone 'Europe/Berlin', 'YYYY-MM') as month, k.run_id as "runId",
                k.computed_at as "computedAt", k.numerator as online, k.denominator as total, k.suppressed
         from ${relation}
         where k.kpi_id = 'services.online' and k.dimensions = '{}'::jsonb and k.computed_at < ${endOfDaySql('$1')}
         order by 1 desc, k.computed_at desc, k.run_id desc
         limit $2) t
       order by month`,
      [stichtag, months],
    );
    return rows.map((r) => ({
      ...r,
      online: r.online === null ? null : Number(r.online),
      total: r.total === null ? null : Number(r.total),
    }));
  });
}

/** When the open OZG services reach level 3 at the pace of the last `window` months (linear trend, see forecast.ts). */
export function ozgForecast(ctx: DomainContext, args: { stichtag?: string | null; window?: number | null }): Promise<Forecast> {
  return runAction(ctx, 'ozg.forecast', async (c) => {
    const window = args.window ?? 6;
    if (!Number.isInteger(window) || window < 3 || window > 36) throw ValidationError.of('window', 'must be between 3 and 36 months');
    const points = await ozgProgress(c, { stichtag: args.stichtag, months: 120 });
    authorize(c, 'open.read');
    return linearForecast(points, window);
  });
}

export interface OzgTargetRow {
  serviceKey: string;
  model: string;
  level: number;
  targetDate: string | null;
  validFrom: Date;
  validTo: Date | null;
  /** internal: 'source' (the maturity file) or 'api' (the steering team) */
  origin?: string;
  changedBy?: string | null;
  note?: string | null;
}

const targetSelect = `s.key as "serviceKey", m.model, m.level, m.target_date::text as "targetDate", m.valid_from as "validFrom", m.valid_to as "validTo"`;

/** The targets (SOLL) of services in both models with their history, oldest first. */
export function targetHistoryOf(ctx: DomainContext, serviceKeys: readonly string[]): Promise<OzgTargetRow[]> {
  return runAction(ctx, 'ozg.target_history', async (c) => {
    const { rows } =
      readScope(c) === 'core'
        ? await c.pool.query<OzgTargetRow>(
            `select ${targetSelect}, m.origin, m.changed_by as "changedBy", m.note
             from core.service_maturity m join core.service s on s.id = m.service_id
             where m.kind = 'soll' and s.key = any($1) order by s.key, m.model, m.valid_from, m.id`,
            [serviceKeys],
          )
        : await c.pool.query<OzgTargetRow>(
            `select service_key as "serviceKey", model, level, target_date::text as "targetDate", valid_from as "validFrom", valid_to as "validTo"
             from open.service_maturity where kind = 'soll' and service_key = any($1) order by service_key, model, valid_from`,
            [serviceKeys],
          );
    return rows;
  });
}

/** Whether a viewer may change targets (for pages that offer the form). */
export const mayChangeTargets = (ctx: DomainContext): boolean => can(ctx.viewer, 'ozg.target.write');

import { authorize, can, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { kpiCatalog, type KpiDefinition } from './kpi.catalog.js';

/** Counts below this are suppressed for anonymous readers (open-data rule: no small groups). */
export const SUPPRESSION_THRESHOLD = 5;

export interface KpiValueRow {
  dimensions: Record<string, string>;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  suppressed: boolean;
}

export interface KpiPoint {
  runId: number;
  source: string;
  computedAt: Date;
  dimensions: Record<string, string>;
  value: number | null;
  suppressed: boolean;
}

export interface KpiQuery {
  id: string;
  /** dimensions to keep; the others are summed over (numerators and denominators, then the value) */
  groupBy?: string[] | null;
  /** only rows whose dimension equals one of the values */
  filter?: { dimension: string; values: string[] }[] | null;
  /** as of this run, or as of the last run finished at or before this time */
  asOfRun?: number | null;
  asOfDate?: Date | null;
}

/** The KPIs this viewer may read (internal ones only for the steering team). */
export function listKpis(ctx: DomainContext): Promise<KpiDefinition[]> {
  return runAction(ctx, 'kpi.list', async (c) => {
    authorize(c, 'open.read');
    return kpiCatalog.filter((k) => !k.internal || can(c.viewer, 'kpi.read_internal'));
  });
}

function definitionFor(ctx: DomainContext, id: string): KpiDefinition {
  const kpi = kpiCatalog.find((k) => k.id === id);
  if (!kpi) throw new NotFoundError('KPI', id);
  authorize(ctx, kpi.internal ? 'kpi.read_internal' : 'open.read');
  return kpi;
}

function groupingSql(kpi: KpiDefinition, query: KpiQuery, params: unknown[]): { dims: string; where: string; regroup: boolean } {
  const groupBy = query.groupBy ?? kpi.dimensions;
  for (const d of [...groupBy, ...(query.filter ?? []).map((f) => f.dimension)]) {
    if (!kpi.dimensions.includes(d))
      throw ValidationError.of('groupBy', `${kpi.id} has no dimension "${d}" (it has: ${kpi.dimensions.join(', ') || 'none'})`);
  }
  // Keeping every dimension needs no regrouping: a snapshot row is unique per (run, dimensions).
  const all = kpi.dimensions.every((d) => groupBy.includes(d));
  if (!all) params.push(groupBy);
  const dims = all
    ? 's.dimensions'
    : `(select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from jsonb_each_text(s.dimensions) where key = any($${params.length}::text[]))`;
  const where = (query.filter ?? [])
    .map((f) => {
      params.push(f.dimension, f.values);
      return `s.dimensions->>$${params.length - 1} = any($${params.length}::text[])`;
    })
    .join(' and ');
  return { dims, where: where ? `and ${where}` : '', regroup: !all };
}

// A share is recomputed from summed numerators and denominators; counts and sums add up.
const valueExpr = (kpi: KpiDefinition) =>
  kpi.unit === 'share'
    ? `case when sum(s.denominator) = 0 then null else round(sum(s.numerator) / sum(s.denominator), 4) end`
    : `sum(s.value)`;

/** Counts of 1–4, and shares over a group of 1–4, are withheld from anonymous readers. */
function suppress(ctx: DomainContext, kpi: KpiDefinition, row: { value: number | null; denominator: number | null }): boolean {
  if (can(ctx.viewer, 'kpi.read_internal')) return false;
  const n = kpi.unit === 'count' ? row.value : kpi.unit === 'share' ? row.denominator : null;
  return n !== null && n > 0 && n < SUPPRESSION_THRESHOLD;
}

/** A KPI's values as of one run (default: the latest), cut by the requested dimensions. */
export function kpiValues(
  ctx: DomainContext,
  query: KpiQuery,
): Promise<{ kpi: KpiDefinition; runId: number | null; computedAt: Date | null; values: KpiValueRow[] }> {
  return runAction(ctx, 'kpi.values', async (c) => {
    const kpi = definitionFor(c, query.id);
    const params: unknown[] = [kpi.id];
    let runFilter = '';
    if (query.asOfRun) {
      params.push(query.asOfRun);
      runFilter = `and run_id = $${params.length}`;
    } else if (query.asOfDate) {
      params.push(query.asOfDate);
      runFilter = `and computed_at <= $${params.length}`;
    }
    const { dims, where, regroup } = groupingSql(kpi, query, params);
    // Kept dimensions read the snapshot rows as they are (each holds its own value); fewer are summed.
    const cut = regroup
      ? `select ${dims} as dimensions, ${valueExpr(kpi)} as value, sum(s.numerator) as numerator, sum(s.denominator) as denominator
         from core.kpi_snapshot s where s.kpi_id = $1 and s.run_id = run.run_id ${where} group by 1`
      : `select s.dimensions, s.value, s.numerator, s.denominator
         from core.kpi_snapshot s where s.kpi_id = $1 and s.run_id = run.run_id ${where}`;
    // One statement and one row: the run (the latest snapshot row, by the (kpi_id, computed_at
    // desc) index) and its values as one JSON array, which Node parses natively in one go.
    const { rows } = await c.pool.query<{ run_id: number; computed_at: Date; values: KpiValueRow[] }>(
      `with run as (
         select run_id, computed_at from core.kpi_snapshot where kpi_id = $1 ${runFilter}
         order by computed_at desc, run_id desc limit 1)
       select run.run_id, run.computed_at,
              (select coalesce(json_agg(v order by v.dimensions::text), '[]'::json) from (${cut}) v) as values
       from run`,
      params,
    );
    const run = rows[0];
    if (!run) return { kpi, runId: null, computedAt: null, values: [] };
    return {
      kpi,
      runId: run.run_id,
      computedAt: run.computed_at,
      values: run.values.map(({ dimensions, value, numerator, denominator }) => {
        const r = { dimensions, value, numerator, denominator };
        const suppressed = suppress(c, kpi, r);
        return suppressed
          ? { dimensions: r.dimensions, value: null, numerator: null, denominator: null, suppressed }
          : { ...r, suppressed };
      }),
    };
  });
}

/** A KPI's time series: one point per ETL run (and cut), oldest first. */
export function kpiSeries(ctx: DomainContext, query: KpiQuery & { limit?: number | null }): Promise<KpiPoint[]> {
  return runAction(ctx, 'kpi.series', async (c) => {
    const kpi = definitionFor(c, query.id);
    const params: unknown[] = [kpi.id];
    const { dims, where } = groupingSql(kpi, query, params);
    params.push(Math.min(query.limit ?? 100, 1000));
    const { rows } = await c.pool.query<{
      run_id: number;
      source: string;
      computed_at: Date;
      dimensions: Record<string, string>;
      value: number | null;
      denominator: number | null;
    }>(
      `select * from (
         select s.run_id, r.source, max(s.computed_at) as computed_at, ${dims} as dimensions, ${valueExpr(kpi)} as value, sum(s.denominator) as denominator
         from core.kpi_snapshot s join etl.run r on r.id = s.run_id
         where s.kpi_id = $1 ${where}
         group by s.run_id, r.source, 4 order by s.run_id desc limit $${params.length}) t
       order by run_id, dimensions::text`,
      params,
    );
    return rows.map((r) => {
      const suppressed = suppress(c, kpi, r);
      return {
        runId: r.run_id,
        source: r.source,
        computedAt: r.computed_at,
        dimensions: r.dimensions,
        value: suppressed ? null : r.value,
        suppressed,
      };
    });
  });
}

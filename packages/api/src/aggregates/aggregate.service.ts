import { authorize, can, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { sqlStateOf, ValidationError } from '../errors/index.js';
import { inReadTransaction, STATEMENT_TIMEOUT } from '../db/read-transaction.js';

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

interface Measure {
  sql: string;
  /** only for the steering team (e.g. costs) */
  internal?: boolean;
}

interface AggregateSpec {
  /** relation per reader: open view for everyone, core for the steering team */
  open: string;
  core: string;
  /** SQL of a dimension; or what is grouped by and how the group's value reads (group by the column, format once per group) */
  dimensions: Record<string, string | { group: string; select: string }>;
  measures: Record<string, Measure>;
}

/**
 * What can be grouped and summed, per entity: dimension and measure names map to SQL over the
 * relation the viewer may read. Names from clients are checked against these lists; only
 * values become parameters, never SQL.
 */
export const aggregateSpecs: Record<string, AggregateSpec> = {
  services: {
    open: 'open.services',
    core: 'open.services',
    dimensions: {
      kind: 'kind',
      themenfeld: 'themenfeld',
      lebenslage: 'lebenslage',
      maturity_1_1: 'maturity_1_1',
      maturity_2_0: 'maturity_2_0',
      online: 'online',
      implementation_status: 'implementation_status',
    },
    measures: { maturity_1_1: { sql: 'maturity_1_1' }, maturity_2_0: { sql: 'maturity_2_0' } },
  },
  service_metrics: {
    open: 'open.service_metrics_monthly',
    // left joins (every metric has its service: 0009 keeps that set-based): PostgreSQL drops a join
    // whose columns a grouping does not use — over a million rows, most of the cost
    core: `(select s.key as service_key, m.month, o.code as org_unit, m.applications_online,
              m.applications_offline, m.appointments, m.median_processing_days
            from core.service_metric m left join core.service s on s.id = m.service_id left join core.org_unit o on o.id = m.org_unit_id) as m`,
    dimensions: {
      service: 'service_key',
      month: { group: 'month', select: `to_char(month::date, 'YYYY-MM')` },
      year: { group: `date_trunc('year', month)`, select: `to_char(date_trunc('year', month), 'YYYY')` },
      org_unit: 'org_unit',
    },
    measures: {
      applications_online: { sql: 'applications_online' },
      applications_offline: { sql: 'applications_offline' },
      appointments: { sql: 'appointments' },
      median_processing_days: { sql: 'median_processing_days' },
    },
  },
  procedures: {
    open: `(select key, lifecycle_phase, dms_connection, ozg_ready, null::numeric as annual_cost, null::int as users from open.procedures) as p`,
    core: 'core.procedure',
    dimensions: { lifecycle_phase: 'lifecycle_phase', dms_connection: 'dms_connection', ozg_ready: 'ozg_ready' },
    measures: { annual_cost: { sql: 'annual_cost', internal: true }, users: { sql: 'users', internal: true } },
  },
  projects: {
    open: 'open.projects',
    core: 'core.project',
    dimensions: { status: 'status' },
    measures: {},
  },
};

export interface MeasureRequest {
  fn: AggregateFn;
  field?: string | null;
}

export interface HavingCondition {
  /** index into the measures list */
  measure: number;
  op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';
  value: number;
}

export interface AggregateGroupRow {
  key: Record<string, unknown>;
  values: (number | null)[];
}

const ops = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * How long one aggregate may run. It reads live rows (1.2M monthly metrics and more), and its
 * client may give up long before it ends: under 50 connections the statements of requests that had
 * timed out on the client kept PostgreSQL busy for minutes (bench/graphql, query c′). Past this
 * PostgreSQL cancels it, and the caller gets BAD_USER_INPUT telling it to narrow the question —
 * like the CKAN DataStore's search (datastore.search.ts).
 */
export const AGGREGATE_TIMEOUT_MS = 30_000;

/** count/sum/avg/min/max per group, with `having` on the measures (the steering team reads core). */
export function aggregate(
  ctx: DomainContext,
  input: { entity: string; groupBy: string[]; measures: MeasureRequest[]; having?: HavingCondition[] | null; limit?: number | null },
  options: { timeoutMs?: number } = {},
): Promise<AggregateGroupRow[]> {
  return runAction(ctx, 'aggregate', async (c) => {
    authorize(c, 'open.read');
    const spec = aggregateSpecs[input.entity];
    if (!spec) throw ValidationError.of('entity', `one of ${Object.keys(aggregateSpecs).join(', ')}`);
    const core = can(c.viewer, 'core.read');
    const dims = input.groupBy.map((d) => {
      const dimension = spec.dimensions[d];
      const sql = typeof dimension === 'string' ? dimension : dimension?.select;
      const group = typeof dimension === 'string' ? dimension : dimension?.group;
      if (!sql)
        throw ValidationError.of('groupBy', `"${d}" is not a dimension of ${input.entity} (${Object.keys(spec.dimensions).join(', ')})`);
      return { name: d, sql, group: group ?? sql };
    });
    if (input.measures.length === 0 || input.measures.length > 20) throw ValidationError.of('measures', 'give 1 to 20 measures');
    const measures = input.measures.map((m, i) => {
      if (m.fn === 'count' && !m.field) return 'count(*)::numeric';
      const measure = m.field ? spec.measures[m.field] : undefined;
      if (!measure)
        throw ValidationError.of(`measures[${i}].field`, `one of ${Object.keys(spec.measures).join(', ') || '(none: use count)'}`);
      if (measure.internal) authorize(c, 'core.read');
      return `${m.fn}(${measure.sql})::numeric`;
    });
    const params: unknown[] = [];
    const having = (input.having ?? []).map((h, i) => {
      const expr = measures[h.measure];
      if (expr === undefined || !Number.isFinite(h.value)) throw ValidationError.of(`having[${i}]`, 'measure index and a finite value');
      params.push(h.value);
      return `${expr} ${ops[h.op]} $${params.length}`;
    });
    params.push(Math.min(input.limit ?? 1000, 10_000));
    const keySql = dims.length ? `jsonb_build_object(${dims.map((d) => `'${d.name}', ${d.sql}`).join(', ')})` : `'{}'::jsonb`;
    const sql = `select ${keySql} as key, array[${measures.join(', ')}] as values
       from ${core ? spec.core : spec.open}
       ${dims.length ? `group by ${dims.map((d) => d.group).join(', ')}` : ''}
       ${having.length ? `having ${having.join(' and ')}` : ''}
       order by 1::text limit $${params.length}`;
    const timeoutMs = options.timeoutMs ?? AGGREGATE_TIMEOUT_MS;
    const { rows } = await inReadTransaction(c.pool, { timeoutMs }, (client) =>
      client.query<{ key: Record<string, unknown>; values: (number | null)[] }>(sql, params),
    ).catch((e: unknown) => {
      if (sqlStateOf(e) !== STATEMENT_TIMEOUT) throw e;
      throw ValidationError.of('aggregate', `took longer than ${timeoutMs / 1000} s: narrow it (fewer groups, a filter on the entity)`);
    });
    return rows.map((r) => ({ key: r.key, values: r.values.map((v) => (v === null ? null : Number(v))) }));
  });
}

import { authorize, readScope, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { NotFoundError } from '../errors/index.js';
import { jsonListSql, RawJson, type RawListField } from '../db/raw-json.js';
import { FilterCompiler, type EntityFilter } from '../domain/filter.js';
import { sortFor } from '../domain/order.js';
import { serviceFilterSpec, serviceOrders, type ServiceOrderBy } from './service.filter.js';

export interface ServiceRow {
  __typename: 'Service';
  key: string;
  kind: string;
  leikaKey: string | null;
  ozgId: string | null;
  parentKey: string | null;
  title: string;
  description: string | null;
  topicKey: string | null;
  topicKind: string | null;
  topicName: string | null;
  themenfeldKey: string | null;
  themenfeld: string | null;
  leikaType: string | null;
  legalBasis: string | null;
  /** space-separated */
  legalBasisUrls: string | null;
  online: boolean | null;
  implementationStatus: string | null;
  implementationStatusRaw: string | null;
}

export interface ServiceMaturityRow {
  serviceKey: string;
  model: string;
  kind: string;
  level: number;
  targetDate: string | null;
  validFrom: Date;
  validTo: Date | null;
  online: boolean | null;
}

// The service catalog holds no personal data; anonymous users and (for now) the steering team
// read the same public views.
const serviceSelect = `'Service' as "__typename", key, kind, leika_key as "leikaKey", ozg_id as "ozgId", parent_key as "parentKey",
  title, description, topic_key as "topicKey", topic_kind as "topicKind", topic_name as "topicName",
  themenfeld_key as "themenfeldKey", themenfeld, leika_type as "leikaType", legal_basis as "legalBasis",
  legal_basis_urls as "legalBasisUrls", online, implementation_status as "implementationStatus",
  implementation_status_raw as "implementationStatusRaw"`;

export interface ServiceFilter {
  kind?: string | null;
  /** a topic key or name: the service's Lebenslage or Themenfeld */
  topic?: string | null;
  /** true: online in model 1.1; false: known not to be (a level below 3) */
  online?: boolean | null;
  /** words of the title (accents and case ignored), or a key, LeiKa key or OZG id */
  search?: string | null;
  /** only the LeiKa entries of this OZG service (its key) */
  parent?: string | null;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Services by key (or another order), filtered by kind, topic, online flag, parent, a search text or operator filters. */
export function listServices(
  ctx: DomainContext,
  filter: ServiceFilter,
  page: PageArgs,
  options: { where?: EntityFilter | null; orderBy?: ServiceOrderBy | null } = {},
): Promise<Page<ServiceRow & Record<string, unknown>>> {
  return runAction(ctx, 'service.list', async (c) => {
    authorize(c, 'open.read');
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.kind) where.push(`kind = ${param(filter.kind)}`);
    if (filter.topic) {
      const p = param(filter.topic);
      where.push(`(topic_key = ${p} or themenfeld_key = ${p} or topic_name = ${p} or themenfeld = ${p})`);
    }
    if (filter.online !== undefined && filter.online !== null) where.push(`online = ${param(filter.online)}`);
    if (filter.parent) where.push(`parent_key = ${param(filter.parent)}`);
    const search = filter.search?.trim();
    if (search) {
      const exact = param(search);
      const like = param(likePattern(search));
      where.push(
        `(core.immutable_unaccent(title) ilike core.immutable_unaccent(${like}) or key = ${exact} or leika_key = ${exact} or ozg_id = ${exact})`,
      );
    }
    if (options.where) where.push(new FilterCompiler(params, c).compile(options.where, serviceFilterSpec, 'service'));
    const sort = sortFor(c, serviceOrders, options.orderBy);
    return paginate<ServiceRow & Record<string, unknown>>(
      c.pool,
      { relation: 'open.services as service', orderBy: 'key', select: serviceSelect, where, params, sort },
      page,
    );
  });
}

// The columns each Service field reads (key and the type name always): a lookup reads only those,
// so PostgreSQL drops the view's joins nobody asked for. A field not listed (or no list): all.
const serviceFieldColumns: Record<string, readonly string[]> = {
  __typename: [],
  id: [],
  key: [],
  maturity: [],
  metrics: [],
  responsibleOrgUnit: [],
  procedure: [],
  efa: [],
  kind: ['kind'],
  leikaKey: ['leika_key as "leikaKey"'],
  ozgId: ['ozg_id as "ozgId"'],
  title: ['title'],
  description: ['description'],
  leikaType: ['leika_type as "leikaType"'],
  legalBasis: ['legal_basis as "legalBasis"'],
  legalBasisUrls: ['legal_basis_urls as "legalBasisUrls"'],
  online: ['online'],
  implementationStatus: ['implementation_status as "implementationStatus"'],
  implementationStatusRaw: ['implementation_status_raw as "implementationStatusRaw"'],
  parent: ['parent_key as "parentKey"'],
  topic: [
    'topic_key as "topicKey"',
    'topic_kind as "topicKind"',
    'topic_name as "topicName"',
    'themenfeld_key as "themenfeldKey"',
    'themenfeld',
  ],
};

function serviceColumns(fields: ReadonlySet<string> | undefined): string {
  if (!fields || ![...fields].every((f) => f in serviceFieldColumns)) return serviceSelect;
  return [`'Service' as "__typename"`, 'key', ...new Set([...fields].flatMap((f) => serviceFieldColumns[f] ?? []))].join(', ');
}

/**
 * One service; with `metrics`, also its monthly case numbers in the same statement (`__metrics`,
 * as metricsByServiceKeys reads them); with `fields`, only the columns of those Service fields.
 */
export function showService(
  ctx: DomainContext,
  key: string,
  include: {
    metrics?: boolean;
    fields?: ReadonlySet<string>;
    /** the metrics as the answer's JSON text with these fields (lookahead.ts' rawListSelection), when all are known here */
    metricsText?: readonly RawListField[];
  } = {},
): Promise<ServiceRow & { __metrics?: ServiceMetricRow[] | RawJson }> {
  return runAction(ctx, 'service.show', async (c) => {
    authorize(c, 'open.read');
    const relation = metricRelation(readScope(c));
    const text = include.metricsText && metricsText(relation, 'svc.key', include.metricsText);
    const metrics = text ? `, ${text} as "__metrics"` : include.metrics ? `, ${metricsJson(relation, 'svc.key')} as "__metrics"` : '';
    const { rows } = await c.pool.query<ServiceRow & { __metrics?: MetricTuple[] | string }>(
      `select ${serviceColumns(include.fields)}${metrics} from open.services as svc where svc.key = $1`,
      [key],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('Service', key);
    // JSON carries the month as a date ("YYYY-MM-DD"): cheaper for PostgreSQL than to_char per row
    const { __metrics: tuples, ...service } = row;
    if (typeof tuples === 'string') return { ...service, __metrics: new RawJson(tuples) };
    return tuples ? { ...service, __metrics: metricRowsOf(key, tuples) } : service;
  });
}

export function servicesByKeys(ctx: DomainContext, keys: readonly string[]): Promise<ServiceRow[]> {
  return runAction(ctx, 'service.by_keys', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<ServiceRow>(`select ${serviceSelect} from open.services where key = any($1)`, [keys]);
    return rows;
  });
}

/** Maturity rows (current and past) of the given services, oldest first. */
export function maturityByServiceKeys(ctx: DomainContext, keys: readonly string[]): Promise<ServiceMaturityRow[]> {
  return runAction(ctx, 'service_maturity.by_keys', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<ServiceMaturityRow>(
      `select service_key as "serviceKey", model, kind, level, target_date as "targetDate", valid_from as "validFrom",
              valid_to as "validTo", online
       from open.service_maturity where service_key = any($1) order by model, kind, valid_from`,
      [keys],
    );
    return rows;
  });
}

export interface ServiceInternalsRow {
  key: string;
  responsibleOrgUnit: string | null;
  procedureKey: string | null;
  efa: boolean | null;
}

/** What the public view leaves out: responsible org unit, handling procedure, EfA reuse (steering). */
export function internalsOfServices(ctx: DomainContext, keys: readonly string[]): Promise<ServiceInternalsRow[]> {
  return runAction(ctx, 'service.internals', async (c) => {
    authorize(c, 'core.read');
    const { rows } = await c.pool.query<ServiceInternalsRow>(
      `select s.key, o.code as "responsibleOrgUnit", p.key as "procedureKey", s.efa
       from core.service s left join core.org_unit o on o.id = s.responsible_org_unit_id left join core.procedure p on p.id = s.procedure_id
       where s.key = any($1)`,
      [keys],
    );
    return rows;
  });
}

export interface ServiceMetricRow {
  serviceKey: string;
  month: string;
  applicationsOnline: number | null;
  applicationsOffline: number | null;
  appointments: number | null;
  medianProcessingDays: number | null;
  suppressed: boolean;
}

/** Suppressed public values for everyone, all values for the steering team. */
const metricRelation = (scope: 'open' | 'core') =>
  scope === 'core'
    ? `(select s.key as service_key, m.month, m.applications_online, m.applications_offline, m.appointments, m.median_processing_days, false as suppressed
        from core.service_metric m join core.service s on s.id = m.service_id) as m`
    : 'open.service_metrics_monthly';

const metricValues = `applications_online as "applicationsOnline", applications_offline as "applicationsOffline", appointments,
  median_processing_days as "medianProcessingDays", suppressed`;
const metricColumns = `service_key as "serviceKey", to_char(month::date, 'YYYY-MM') as month, ${metricValues}`;

/**
 * One service's metrics as JSON arrays [month, online, offline, appointments, median days,
 * suppressed], oldest first, correlated on `keyExpr` — arrays, not objects: 120 rows would repeat
 * seven keys each, which PostgreSQL writes and Node parses for nothing (metricRowsOf reads them).
 */
const metricsJson = (relation: string, keyExpr: string) =>
  `(select coalesce(json_agg(json_build_array(month::date, applications_online, applications_offline, appointments, median_processing_days, suppressed) order by month), '[]'::json)
    from ${relation} where service_key = ${keyExpr})`;

// Each ServiceMetric field as the JSON text of its value, as the executor would write it (numbers
// as PostgreSQL writes them: 12.50 for 12.5, the same JSON value). Response keys are GraphQL names
// (letters, digits, _), so they go into the SQL literal and the JSON as they are.
const metricFieldText: Record<string, string> = {
  month: `substr(to_json(month::date)::text, 1, 8) || '"'`,
  applicationsOnline: `coalesce(applications_online::text, 'null')`,
  applicationsOffline: `coalesce(applications_offline::text, 'null')`,
  appointments: `coalesce(appointments::text, 'null')`,
  medianProcessingDays: `coalesce(to_json(median_processing_days)::text, 'null')`,
  suppressed: `suppressed::text`,
};

/**
 * One service's metrics as the answer's JSON text for these fields, oldest first: a page of 120
 * months that Node would parse, complete field by field and serialise again (half of what the
 * query cost the server; bench/graphql (b)).
 */
const metricsText = (relation: string, keyExpr: string, fields: readonly RawListField[]): string | undefined =>
  jsonListSql(fields, metricFieldText, `${relation} where service_key = ${keyExpr}`, 'month');

type MetricTuple = [string, number | null, number | null, number | null, number | null, boolean];

/** The rows of metricsJson, with the month cut to YYYY-MM. */
const metricRowsOf = (serviceKey: string, tuples: MetricTuple[]): ServiceMetricRow[] =>
  tuples.map(([month, applicationsOnline, applicationsOffline, appointments, medianProcessingDays, suppressed]) => ({
    serviceKey,
    month: month.slice(0, 7),
    applicationsOnline,
    applicationsOffline,
    appointments,
    medianProcessingDays,
    suppressed,
  }));

/** Monthly case numbers of services, oldest first: suppressed public values, or all for the steering team. */
export function metricsByServiceKeys(ctx: DomainContext, keys: readonly string[]): Promise<ServiceMetricRow[]> {
  return runAction(ctx, 'service.metrics', async (c) => {
    const relation = metricRelation(readScope(c));
    const { rows } = await c.pool.query<ServiceMetricRow>(
      `select ${metricColumns} from ${relation} where service_key = any($1) order by month`,
      [keys],
    );
    return rows;
  });
}

// The fixed query mix of issue 5's benchmark, each written three times: as our GraphQL query, as
// the equivalent PostGraphile 5 query (amber preset + @graphile/pg-aggregates, serving `core` and
// the two functions of bench_pg), and as raw SQL behind a minimal node:http handler (raw-server.ts).
// Every request asks for the same fields; `summary` reduces each answer to numbers that must agree
// across the three targets before anything is measured.
import { encodeCursor } from '@hro/api/domain';
import { BBOX_PAGE, BENCH_KPI, BENCH_LAYER, FIRST_YEAR, LAST_YEAR, PAGE_SIZE } from './constants.js';

export type TargetName = 'ours' | 'postgraphile' | 'raw';
export const targetNames: TargetName[] = ['ours', 'postgraphile', 'raw'];

export type QueryId = 'projects' | 'service' | 'kpi' | 'bbox' | 'kpi-live';

/** One request: path and JSON body (GraphQL: query + variables; raw: the parameters). */
export interface BenchRequest {
  path: string;
  body: string;
}

/** The parameters a query varies over (the same logical values for every target). */
export type Params = Record<string, unknown>;

export interface QueryDefinition {
  id: QueryId;
  title: string;
  /** in issue 5's fixed mix (kpi-live is an extra: the same KPI aggregated live) */
  inMix: boolean;
  /** the request of one target for one parameter set */
  request: Record<TargetName, (p: Params, ctx: TargetContext) => BenchRequest>;
  /** comparable numbers of an answer: must be equal across targets */
  summary: Record<TargetName, (json: unknown) => Record<string, unknown>>;
}

/** Per-target facts the requests need, e.g. PostGraphile's own cursors for a page start. */
export interface TargetContext {
  /** project key after which a page starts → that target's cursor */
  cursors: Map<string, string>;
}

const gql = (query: string, variables: Record<string, unknown>): BenchRequest => ({
  path: '/graphql',
  body: JSON.stringify({ query, variables }),
});
const raw = (name: string, params: Record<string, unknown>): BenchRequest => ({ path: `/q/${name}`, body: JSON.stringify(params) });

// Loose access to answer JSON (shapes are checked by the equality of summaries across targets).
type J = Record<string, unknown>;
const at = (json: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v as J | undefined)?.[k], json);
const list = (v: unknown): J[] => (Array.isArray(v) ? (v as J[]) : []);
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The months of a year as KPI dimension values ("2021-01" … "2021-12"). */
export const monthsOf = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

const projects: QueryDefinition = {
  id: 'projects',
  title: '(a) page of 50 projects with milestones',
  inMix: true,
  request: {
    ours: (p, ctx) =>
      gql(
        `query ProjectsPage($after: String) {
          projects(first: ${PAGE_SIZE}, after: $after) {
            pageInfo { hasNextPage endCursor }
            nodes { key title status milestones { key title dueDate doneDate isClosed } }
          }
        }`,
        { after: p.after === null ? null : (ctx.cursors.get(p.after as string) ?? null) },
      ),
    postgraphile: (p, ctx) =>
      gql(
        `query ProjectsPage($after: Cursor) {
          allProjects(first: ${PAGE_SIZE}, after: $after, orderBy: KEY_ASC) {
            pageInfo { hasNextPage endCursor }
            nodes { key title status milestonesByProjectId(orderBy: [DUE_DATE_ASC, KEY_ASC]) { nodes { key title dueDate doneDate isClosed } } }
          }
        }`,
        { after: p.after === null ? null : (ctx.cursors.get(p.after as string) ?? null) },
      ),
    raw: (p) => raw('projects', { after: p.after }),
  },
  summary: {
    ours: (j) => {
      const nodes = list(at(j, 'data', 'projects', 'nodes'));
      return {
        projects: nodes.length,
        first: nodes[0]?.key,
        milestones: nodes.reduce((n, p) => n + list(p.milestones).length, 0),
        closed: nodes.reduce((n, p) => n + list(p.milestones).filter((m) => m.isClosed).length, 0),
        firstMilestone: list(nodes[0]?.milestones)[0]?.key,
        hasNextPage: at(j, 'data', 'projects', 'pageInfo', 'hasNextPage'),
      };
    },
    postgraphile: (j) => {
      const nodes = list(at(j, 'data', 'allProjects', 'nodes'));
      const ms = (p: J) => list(at(p, 'milestonesByProjectId', 'nodes'));
      return {
        projects: nodes.length,
        first: nodes[0]?.key,
        milestones: nodes.reduce((n, p) => n + ms(p).length, 0),
        closed: nodes.reduce((n, p) => n + ms(p).filter((m) => m.isClosed).length, 0),
        firstMilestone: nodes[0] ? ms(nodes[0])[0]?.key : undefined,
        hasNextPage: at(j, 'data', 'allProjects', 'pageInfo', 'hasNextPage'),
      };
    },
    raw: (j) => {
      const nodes = list(at(j, 'data', 'projects', 'nodes'));
      return {
        projects: nodes.length,
        first: nodes[0]?.key,
        milestones: nodes.reduce((n, p) => n + list(p.milestones).length, 0),
        closed: nodes.reduce((n, p) => n + list(p.milestones).filter((m) => m.isClosed).length, 0),
        firstMilestone: list(nodes[0]?.milestones)[0]?.key,
        hasNextPage: at(j, 'data', 'projects', 'pageInfo', 'hasNextPage'),
      };
    },
  },
};

const serviceFields = 'applicationsOnline applicationsOffline appointments medianProcessingDays';
const service: QueryDefinition = {
  id: 'service',
  title: '(b) one service with its 120 monthly metrics',
  inMix: true,
  request: {
    ours: (p) =>
      gql(`query ServiceMetrics($key: String!) { service(key: $key) { key title metrics { month ${serviceFields} } } }`, { key: p.key }),
    postgraphile: (p) =>
      gql(
        `query ServiceMetrics($key: String!) {
          serviceByKey(key: $key) { key title serviceMetricsByServiceId(orderBy: MONTH_ASC) { nodes { month ${serviceFields} } } }
        }`,
        { key: p.key },
      ),
    raw: (p) => raw('service', { key: p.key }),
  },
  summary: {
    ours: (j) => {
      const m = list(at(j, 'data', 'service', 'metrics'));
      return { key: at(j, 'data', 'service', 'key'), months: m.length, online: m.reduce((n, r) => n + num(r.applicationsOnline), 0) };
    },
    postgraphile: (j) => {
      const m = list(at(j, 'data', 'serviceByKey', 'serviceMetricsByServiceId', 'nodes'));
      return { key: at(j, 'data', 'serviceByKey', 'key'), months: m.length, online: m.reduce((n, r) => n + num(r.applicationsOnline), 0) };
    },
    raw: (j) => {
      const m = list(at(j, 'data', 'service', 'metrics'));
      return { key: at(j, 'data', 'service', 'key'), months: m.length, online: m.reduce((n, r) => n + num(r.applicationsOnline), 0) };
    },
  },
};

const groupedSummary = (groups: J[], online: (g: J) => number, all: (g: J) => number) => ({
  groups: groups.length,
  online: groups.reduce((n, g) => n + online(g), 0),
  applications: groups.reduce((n, g) => n + all(g), 0),
});

const kpi: QueryDefinition = {
  id: 'kpi',
  title: `(c) KPI ${BENCH_KPI} by org unit × month, one year`,
  inMix: true,
  request: {
    // our KPI: the snapshot the last ETL run wrote (KPIs are computed when data change, see README)
    ours: (p) =>
      gql(
        `query KpiByOrgUnitAndMonth($months: [String!]!) {
          kpi(id: "${BENCH_KPI}", groupBy: ["org_unit", "month"], filter: [{ dimension: "month", values: $months }]) {
            runId values { dimensions value numerator denominator }
          }
        }`,
        { months: monthsOf(p.year as number) },
      ),
    // PostGraphile computes it per request: pg-aggregates' groupedAggregates over the year's rows
    postgraphile: (p) =>
      gql(
        `query KpiByOrgUnitAndMonth($year: Int!) {
          benchPgServiceMetricsInYear(year: $year) {
            groupedAggregates(groupBy: [ORG_UNIT_ID, MONTH]) { keys sum { applicationsOnline applicationsOffline } }
          }
        }`,
        { year: p.year },
      ),
    raw: (p) => raw('kpi', { months: monthsOf(p.year as number) }),
  },
  summary: {
    ours: (j) =>
      groupedSummary(
        list(at(j, 'data', 'kpi', 'values')),
        (g) => num(g.numerator),
        (g) => num(g.denominator),
      ),
    postgraphile: (j) =>
      groupedSummary(
        list(at(j, 'data', 'benchPgServiceMetricsInYear', 'groupedAggregates')),
        (g) => num(at(g, 'sum', 'applicationsOnline')),
        (g) => num(at(g, 'sum', 'applicationsOnline')) + num(at(g, 'sum', 'applicationsOffline')),
      ),
    raw: (j) =>
      groupedSummary(
        list(at(j, 'data', 'kpi', 'values')),
        (g) => num(g.numerator),
        (g) => num(g.denominator),
      ),
  },
};

const kpiLive: QueryDefinition = {
  id: 'kpi-live',
  title: '(c′) the same cut aggregated live over all 1.2M rows',
  inMix: false,
  request: {
    ours: () =>
      gql(
        `query CasesByOrgUnitAndMonth {
          aggregate(entity: service_metrics, groupBy: ["org_unit", "month"],
                    measures: [{ fn: sum, field: "applications_online" }, { fn: sum, field: "applications_offline" }], limit: 10000) {
            key values
          }
        }`,
        {},
      ),
    postgraphile: () =>
      gql(
        `query CasesByOrgUnitAndMonth {
          allServiceMetrics { groupedAggregates(groupBy: [ORG_UNIT_ID, MONTH]) { keys sum { applicationsOnline applicationsOffline } } }
        }`,
        {},
      ),
    raw: () => raw('kpi-live', {}),
  },
  summary: {
    ours: (j) =>
      groupedSummary(
        list(at(j, 'data', 'aggregate')),
        (g) => num(list(g.values)[0]),
        (g) => num(list(g.values)[0]) + num(list(g.values)[1]),
      ),
    postgraphile: (j) =>
      groupedSummary(
        list(at(j, 'data', 'allServiceMetrics', 'groupedAggregates')),
        (g) => num(at(g, 'sum', 'applicationsOnline')),
        (g) => num(at(g, 'sum', 'applicationsOnline')) + num(at(g, 'sum', 'applicationsOffline')),
      ),
    raw: (j) =>
      groupedSummary(
        list(at(j, 'data', 'aggregate')),
        (g) => num(g.online),
        (g) => num(g.online) + num(g.offline),
      ),
  },
};

const featureFields = 'featureKey geometry properties';
const bbox: QueryDefinition = {
  id: 'bbox',
  title: '(d) first 100 features in a bbox (GiST)',
  inMix: true,
  request: {
    ours: (p) =>
      gql(
        `query FeaturesInBbox($bbox: BBoxInput!) {
          geoFeatures(layer: "${BENCH_LAYER}", bbox: $bbox, first: ${BBOX_PAGE}) { nodes { ${featureFields} } }
        }`,
        { bbox: p.bbox },
      ),
    postgraphile: (p) => {
      const b = p.bbox as { minLon: number; minLat: number; maxLon: number; maxLat: number };
      return gql(
        `query FeaturesInBbox($minLon: Float!, $minLat: Float!, $maxLon: Float!, $maxLat: Float!) {
          benchPgGeoFeaturesInBbox(layer: "${BENCH_LAYER}", minLon: $minLon, minLat: $minLat, maxLon: $maxLon, maxLat: $maxLat, first: ${BBOX_PAGE}) {
            nodes { ${featureFields} }
          }
        }`,
        { ...b },
      );
    },
    raw: (p) => raw('bbox', { layer: BENCH_LAYER, ...(p.bbox as object) }),
  },
  summary: {
    ours: (j) => {
      const nodes = list(at(j, 'data', 'geoFeatures', 'nodes'));
      return { features: nodes.length, first: nodes[0]?.featureKey, last: nodes.at(-1)?.featureKey };
    },
    postgraphile: (j) => {
      const nodes = list(at(j, 'data', 'benchPgGeoFeaturesInBbox', 'nodes'));
      return { features: nodes.length, first: nodes[0]?.featureKey, last: nodes.at(-1)?.featureKey };
    },
    raw: (j) => {
      const nodes = list(at(j, 'data', 'geoFeatures', 'nodes'));
      return { features: nodes.length, first: nodes[0]?.featureKey, last: nodes.at(-1)?.featureKey };
    },
  },
};

export const queries: QueryDefinition[] = [projects, service, kpi, bbox, kpiLive];

/** A small deterministic PRNG, so every run asks the same sequence. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Parameter pools: many values for the cold run, one fixed value for the cache-hit run. */
export function parameterPools(facts: { pageStarts: (string | null)[]; serviceKeys: string[] }): Record<QueryId, Params[]> {
  const next = random(5);
  const boxes: Params[] = Array.from({ length: 500 }, () => {
    // about 0.02° × 0.012° (≈ 1.3 × 1.3 km): some 150 of the 50,000 points
    const minLon = 11.95 + next() * 0.33;
    const minLat = 54.05 + next() * 0.188;
    const r = (x: number) => Math.round(x * 1e6) / 1e6;
    return { bbox: { minLon: r(minLon), minLat: r(minLat), maxLon: r(minLon + 0.02), maxLat: r(minLat + 0.012) } };
  });
  const years: Params[] = [];
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) years.push({ year: y });
  return {
    projects: facts.pageStarts.map((after) => ({ after })),
    service: facts.serviceKeys.map((key) => ({ key })),
    kpi: years,
    bbox: boxes,
    'kpi-live': [{}],
  };
}

/** Our cursor of the page that starts after a project key (the cursor a client gets back as endCursor). */
export const ourCursor = (key: string) => encodeCursor(key);

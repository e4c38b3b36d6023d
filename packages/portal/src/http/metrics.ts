// Prometheus metrics at /metrics (prom-client): HTTP requests by route, GraphQL operation and
// status with their latencies, the database pool, the ETL's rows and durations per source, and
// Node's process metrics. Scraped with an admin API key (`Authorization: Bearer hro_…`): counts of
// runs and rows are operational data, not open data.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { authorize, type DomainContext } from '@hro/api/domain';

/** GraphQL operation names become a label; clients choose them, so their number is bounded. */
const MAX_OPERATION_NAMES = 200;
const operationName = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function registerMetrics(
  app: FastifyInstance,
  deps: {
    pool: Pool;
    /** the read paths' pool (DATABASE_READ_URL's replica), when it is another than `pool` */
    readPool?: Pool;
    contextOf: (request: FastifyRequest) => Promise<DomainContext>;
  },
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hro_' });
  const { pool } = deps;

  const requests = new Histogram({
    name: 'hro_http_request_duration_seconds',
    help: 'HTTP requests by method, route (the route pattern, not the URL), GraphQL operation and status, with their duration',
    labelNames: ['method', 'route', 'operation', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const operations = new Set<string>();
  const operationOf = (request: FastifyRequest): string => {
    if (request.routeOptions.url !== '/graphql') return '';
    const body = request.body as { operationName?: unknown } | undefined;
    const query = request.query as { operationName?: unknown } | undefined;
    const name = body?.operationName ?? query?.operationName;
    if (typeof name !== 'string' || !operationName.test(name)) return 'anonymous';
    if (!operations.has(name) && operations.size >= MAX_OPERATION_NAMES) return 'other';
    operations.add(name);
    return name;
  };
  app.addHook('onResponse', (request, reply, done) => {
    requests.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        operation: operationOf(request),
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const pools: [string, Pool][] = [
    ['primary', pool],
    ...(deps.readPool && deps.readPool !== pool ? [['read', deps.readPool] as [string, Pool]] : []),
  ];
  new Gauge({
    name: 'hro_db_pool_connections',
    help: 'Connections of the API process to PostgreSQL per pool (primary; read: the replica of DATABASE_READ_URL): total, idle, and requests waiting for one',
    labelNames: ['pool', 'state'] as const,
    registers: [registry],
    collect() {
      for (const [name, p] of pools) {
        this.set({ pool: name, state: 'total' }, p.totalCount);
        this.set({ pool: name, state: 'idle' }, p.idleCount);
        this.set({ pool: name, state: 'waiting' }, p.waitingCount);
      }
    },
  });

  // ETL figures come from etl.run, so every API process reports the runs of all workers alike
  const etlRuns = new Gauge({
    name: 'hro_etl_runs',
    help: 'ETL runs per source and outcome',
    labelNames: ['source', 'status'] as const,
    registers: [registry],
  });
  const etlRows = new Gauge({
    name: 'hro_etl_rows',
    help: 'Rows of all ETL runs per source: read, loaded, unchanged, quarantined',
    labelNames: ['source', 'kind'] as const,
    registers: [registry],
  });
  const etlDuration = new Gauge({
    name: 'hro_etl_last_run_duration_seconds',
    help: "Duration of each source's latest finished run",
    labelNames: ['source', 'status'] as const,
    registers: [registry],
  });
  const etlLastSuccess = new Gauge({
    name: 'hro_etl_last_success_timestamp_seconds',
    help: "When each source's latest successful run finished (Unix time): alert when it grows old",
    labelNames: ['source'] as const,
    registers: [registry],
  });
  async function collectEtl(): Promise<void> {
    const { rows } = await pool.query<{
      source: string;
      status: string;
      runs: number;
      read: number;
      loaded: number;
      unchanged: number;
      quarantined: number;
    }>(
      `select source, status, count(*)::int as runs, coalesce(sum(rows_read), 0)::bigint as read,
         coalesce(sum(rows_loaded), 0)::bigint as loaded, coalesce(sum(rows_unchanged), 0)::bigint as unchanged,
         coalesce(sum(rows_quarantined), 0)::bigint as quarantined
       from etl.run where not dry_run group by source, status`,
    );
    etlRuns.reset();
    etlRows.reset();
    const sums = new Map<string, Record<'read' | 'loaded' | 'unchanged' | 'quarantined', number>>();
    for (const r of rows) {
      etlRuns.set({ source: r.source, status: r.status }, r.runs);
      const sum = sums.get(r.source) ?? { read: 0, loaded: 0, unchanged: 0, quarantined: 0 };
      for (const kind of ['read', 'loaded', 'unchanged', 'quarantined'] as const) sum[kind] += r[kind];
      sums.set(r.source, sum);
    }
    for (const [source, sum] of sums) for (const [kind, n] of Object.entries(sum)) etlRows.set({ source, kind }, n);
    const { rows: latest } = await pool.query<{ source: string; status: string; seconds: number; success: number | null }>(
      `select distinct on (source) source, status, extract(epoch from finished_at - started_at)::float8 as seconds,
         (select extract(epoch from max(s.finished_at))::float8 from etl.run s where s.source = r.source and s.status = 'succeeded') as success
       from etl.run r where finished_at is not null and not dry_run order by source, id desc`,
    );
    etlDuration.reset();
    etlLastSuccess.reset();
    for (const r of latest) {
      etlDuration.set({ source: r.source, status: r.status }, r.seconds);
      if (r.success !== null) etlLastSuccess.set({ source: r.source }, r.success);
    }
  }

  app.get('/metrics', async (request, reply) => {
    authorize(await deps.contextOf(request), 'ops.metrics');
    await collectEtl();
    return reply
      .type(registry.contentType)
      .header('cache-control', 'no-store')
      .send(await registry.metrics());
  });
}

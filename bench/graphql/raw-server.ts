// The baseline: the mix's SQL with plain `pg` behind a minimal node:http handler — no GraphQL, no
// framework, one statement per request. POST /q/<query> with the parameters as a JSON body.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { BBOX_PAGE, BENCH_KPI, PAGE_SIZE } from './constants.js';

// the same type parsing as the platform's pool (numbers, dates as ISO strings)
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

type Handler = (pool: pg.Pool, params: Record<string, unknown>) => Promise<unknown>;

const handlers: Record<string, Handler> = {
  projects: async (pool, p) => {
    const { rows } = await pool.query<{ key: string }>(
      `select p.key, p.title, p.status,
              coalesce((select json_agg(json_build_object('key', m.key, 'title', m.title, 'dueDate', m.due_date, 'doneDate', m.done_date,
                                                          'isClosed', m.is_closed) order by m.due_date nulls last, m.key)
                        from core.milestone m where m.project_id = p.id), '[]') as milestones
       from core.project p where ($1::text is null or p.key > $1) order by p.key limit ${PAGE_SIZE + 1}`,
      [p.after ?? null],
    );
    const nodes = rows.slice(0, PAGE_SIZE);
    return { projects: { pageInfo: { hasNextPage: rows.length > PAGE_SIZE, endCursor: nodes.at(-1)?.key ?? null }, nodes } };
  },
  service: async (pool, p) => {
    const { rows } = await pool.query(
      `select s.key, s.title,
              coalesce((select json_agg(json_build_object('month', to_char(m.month, 'YYYY-MM'), 'applicationsOnline', m.applications_online,
                                                          'applicationsOffline', m.applications_offline, 'appointments', m.appointments,
                                                          'medianProcessingDays', m.median_processing_days) order by m.month)
                        from core.service_metric m where m.service_id = s.id), '[]') as metrics
       from core.service s where s.key = $1`,
      [p.key],
    );
    return { service: rows[0] ?? null };
  },
  // the KPI as our API serves it: the latest snapshot, cut by org unit and month
  kpi: async (pool, p) => {
    const { rows } = await pool.query(
      `select s.dimensions, s.value, s.numerator, s.denominator from core.kpi_snapshot s
       where s.kpi_id = $1 and s.run_id = (select run_id from core.kpi_snapshot where kpi_id = $1 order by computed_at desc, run_id desc limit 1)
         and s.dimensions->>'month' = any($2::text[])
       order by s.dimensions->>'month', s.dimensions->>'org_unit'`,
      [BENCH_KPI, p.months],
    );
    return { kpi: { values: rows } };
  },
  'kpi-live': async (pool) => {
    const { rows } = await pool.query(
      `select o.code as org_unit, to_char(m.month, 'YYYY-MM') as month, sum(m.applications_online)::int as online,
              sum(m.applications_offline)::int as offline
       from core.service_metric m left join core.org_unit o on o.id = m.org_unit_id group by o.code, m.month order by 1, 2`,
    );
    return { aggregate: rows };
  },
  bbox: async (pool, p) => {
    const { rows } = await pool.query(
      `select f.feature_key as "featureKey", f.geometry, f.properties
       from core.geo_feature f join core.geo_layer l on l.id = f.layer_id
       where l.key = $1 and l.published and f.bbox && box(point($2, $3), point($4, $5))
       order by f.feature_key limit ${BBOX_PAGE}`,
      [p.layer, p.minLon, p.minLat, p.maxLon, p.maxLat],
    );
    return { geoFeatures: { nodes: rows } };
  },
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the baseline server on a loopback port; resolves with the port. */
export async function startRawServer(url: string, poolSize: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const handler = req.method === 'POST' && req.url?.startsWith('/q/') ? handlers[req.url.slice(3)] : undefined;
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    readBody(req)
      .then((body) => handler(pool, JSON.parse(body) as Record<string, unknown>))
      .then((data) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      })
      .catch(() => {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"internal"}]}');
      });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

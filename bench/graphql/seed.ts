// The benchmark database: a dedicated database, migrated by our migrations and seeded set-based in
// SQL (generate_series) with the volumes of issue 5's benchmark. A seeded database is reused on the
// next run (bench.seed records what it holds); --reseed drops and rebuilds it.
import { join } from 'node:path';
import pg from 'pg';
import { repoRoot, type Logger } from '@hro/api';
import { bumpDataVersion, createOrm, migrate, startEmbeddedPostgres } from '@hro/api/db';
import { createApiKey, snapshotKpis } from '@hro/api/domain';
import { BENCH_LAYER, FIRST_YEAR, SEED_VERSION, volumes } from './constants.js';

export interface BenchDatabase {
  url: string;
  /** what the database holds (rows per table), after seeding or as found */
  counts: Record<string, number>;
  seeded: 'reused' | 'seeded';
  seedSeconds: number;
  /** stops the embedded cluster if this process started it */
  stop: () => Promise<void>;
}

export interface DatabaseOptions {
  /** an existing database to use as is (HRO_BENCH_DATABASE_URL) */
  benchUrl?: string;
  /** a server on which the database hro_bench_graphql is created (DATABASE_URL) */
  serverUrl?: string;
  /** embedded cluster directory and port when neither URL is given */
  dataDir: string;
  port: number;
  reseed: boolean;
  log: Logger;
}

const DATABASE = 'hro_bench_graphql';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The seed, one statement per table, all set-based; $1 is the seed's ETL run (lineage). */
const seedStatements = [
  `insert into core.pillar (key, name, position, last_run_id)
   select 'bench-pillar-' || i, 'Säule ' || i, i, $1 from generate_series(1, 4) i`,
  `insert into core.navigator_field (key, name, pillar_id, position, last_run_id)
   select 'bench-field-' || i, 'Feld ' || i, (select id from core.pillar where key = 'bench-pillar-' || (1 + i % 4)), i, $1
   from generate_series(1, 6) i`,
  `insert into core.org_unit (code, name, kind, last_run_id)
   select (9 + i)::text, 'Amt ' || (9 + i), 'amt', $1 from generate_series(1, ${volumes.amts}) i`,
  `insert into core.org_unit (code, name, kind, parent_id, last_run_id)
   select a.code || '.' || j, 'Abteilung ' || a.code || '.' || j, 'unit', a.id, $1
   from core.org_unit a cross join generate_series(1, ${volumes.unitsPerAmt}) j where a.kind = 'amt'`,
  `insert into core.initiative (key, title, field_id, responsible_org_unit_id, priority, size, status, last_run_id)
   select 'BV' || lpad(i::text, 3, '0'), 'Vorhaben ' || i,
          (select id from core.navigator_field where key = 'bench-field-' || (1 + i % 6)),
          (select id from core.org_unit where code = (10 + i % ${volumes.amts})::text),
          1 + i % 3, (array['A', 'B', 'C'])[1 + i % 3], (array['planned', 'in_progress', 'done'])[1 + i % 3], $1
   from generate_series(1, 40) i`,
  `insert into core.ozg_topic (key, name, kind, last_run_id)
   select 'themenfeld:' || i, 'Themenfeld ' || i, 'themenfeld', $1 from generate_series(1, 14) i`,
  `insert into core.ozg_topic (key, name, kind, parent_id, last_run_id)
   select 'lebenslage:' || i, 'Lebenslage ' || i, 'lebenslage', (select id from core.ozg_topic where key = 'themenfeld:' || (1 + i % 14)), $1
   from generate_series(1, 60) i`,
  `with amt as (select array_agg(id order by code) as ids from core.org_unit where kind = 'amt'),
        topic as (select array_agg(id order by key) as ids from core.ozg_topic where kind = 'lebenslage')
   insert into core.service (key, kind, ozg_id, title, description, topic_id, responsible_org_unit_id, implementation_status,
                             implementation_status_raw, last_run_id, source_position)
   select 'ozg:' || (10000 + i), 'ozg', (10000 + i)::text, 'OZG-Leistung ' || i, 'Beschreibung der OZG-Leistung ' || i,
          topic.ids[1 + i % 60], amt.ids[1 + i % ${volumes.amts}],
          (array['planned', 'in_progress', 'online', 'end_to_end'])[1 + i % 4], 'generiert', $1, 'bench:' || i
   from generate_series(1, ${volumes.ozgServices}) i cross join amt cross join topic`,
  `with amt as (select array_agg(id order by code) as ids from core.org_unit where kind = 'amt'),
        ozg as (select array_agg(id order by id) as ids, array_agg(ozg_id order by id) as codes from core.service where kind = 'ozg')
   insert into core.service (key, kind, leika_key, ozg_id, parent_id, title, responsible_org_unit_id, leika_type, legal_basis,
                             last_run_id, source_position)
   select 'leika:' || k, 'leika', k, ozg.codes[1 + i % ${volumes.ozgServices}], ozg.ids[1 + i % ${volumes.ozgServices}],
          'Leistung ' || i || ' (' || (array['Antrag', 'Anzeige', 'Auskunft', 'Erteilung'])[1 + i % 4] || ')',
          amt.ids[1 + (i * 7) % ${volumes.amts}], '2/3', '§ ' || (i % 90) || ' Gesetz', $1, 'bench:' || i
   from generate_series(1, ${volumes.leikaServices}) i cross join amt cross join ozg
   cross join lateral (select '99' || lpad(i::text, 12, '0') as k) x`,
  `insert into core.service_maturity (service_id, model, kind, level, run_id)
   select id, '1.1', 'ist', floor(random() * 5)::int, $1 from core.service`,
  `insert into core.service_maturity (service_id, model, kind, level, run_id)
   select id, '2.0', 'ist', floor(random() * 8)::int, $1 from core.service where id % 2 = 0`,
  // online applications grow over the decade, offline ones shrink: a plausible online share curve
  `insert into core.service_metric (service_id, month, applications_online, applications_offline, appointments,
                                    median_processing_days, org_unit_id, run_id)
   select s.id, (date '${FIRST_YEAR}-01-01' + make_interval(months => mi))::date,
          floor(random() * (40 + 4 * mi))::int, floor(random() * (560 - 3 * mi))::int, floor(random() * 300)::int,
          round((random() * 40)::numeric, 1), s.responsible_org_unit_id, $1
   from generate_series(0, ${volumes.months - 1}) mi cross join core.service s
   -- stored month by month, as the monthly Fallzahlen runs append them: a service's series spans many pages
   order by mi, s.id`,
  `with ini as (select array_agg(id order by key) as ids from core.initiative),
        amt as (select array_agg(id order by code) as ids from core.org_unit where kind = 'amt')
   insert into core.project (key, title, goals, results, status, status_raw, initiative_id, org_unit_id, source, external_id,
                             start_date, due_date, source_position, last_run_id)
   select 'OP-' || lpad(i::text, 5, '0'), 'Projekt ' || i || ': Digitalisierung der Leistung ' || (i % 997),
          array['Ziel ' || i || '.1', 'Ziel ' || i || '.2'], array['Ergebnis ' || i],
          st, (array['geplant', 'in Umsetzung', 'pausiert', 'abgeschlossen', 'abgebrochen'])[1 + i % 5],
          ini.ids[1 + i % 40], amt.ids[1 + i % ${volumes.amts}], 'openproject', 'bench-' || i,
          date '2022-01-01' + i % 700, date '2024-06-01' + i % 900, 'bench:' || i, $1
   from generate_series(1, ${volumes.projects}) i cross join ini cross join amt
   cross join lateral (select (array['planned', 'in_progress', 'on_hold', 'done', 'cancelled'])[1 + i % 5] as st) s`,
  `insert into core.milestone (project_id, key, title, due_date, done_date, is_closed, last_run_id)
   select p.id, 'M' || lpad(j::text, 2, '0'), 'Meilenstein ' || j || ' von ' || p.key,
          case when (p.id + j) % 13 = 0 then null else date '2023-01-01' + (p.id * 37 + j * 29) % 1200 end,
          case when j % 3 = 0 then date '2023-01-01' + (p.id * 37 + j * 29) % 1200 end, j % 7 = 0, $1
   from core.project p cross join generate_series(1, ${volumes.milestonesPerProject}) j
   -- stored project by project, as the project tool's export lists them
   order by p.id, j`,
  `insert into core.geo_layer (key, title, source_crs, published, last_run_id)
   values ('${BENCH_LAYER}', 'Benchmark: Punktobjekte im Stadtgebiet', 'EPSG:25833', true, $1)`,
  // points within Rostock's extent (lon 11.95–12.30, lat 54.05–54.25), six decimals as the WFS delivers
  `insert into core.geo_feature (layer_id, feature_key, geometry, bbox, properties, source_position, last_run_id)
   select l.id, 'P' || lpad(i::text, 6, '0'), jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(lon, lat)),
          box(point(lon, lat), point(lon, lat)),
          jsonb_build_object('name', 'Objekt ' || i, 'kategorie', (array['Parkscheinautomat', 'Haltestelle', 'Spielplatz', 'Baum'])[1 + i % 4],
                             'nummer', i, 'stadtbereich', chr(65 + i % 21)),
          'bench:' || i, $1
   from core.geo_layer l
   cross join (select i, round((11.95 + random() * 0.35)::numeric, 6)::float8 as lon, round((54.05 + random() * 0.2)::numeric, 6)::float8 as lat
               from generate_series(1, ${volumes.features}) i) c
   where l.key = '${BENCH_LAYER}'`,
];

/**
 * What PostGraphile needs beyond `core` to express the mix: the bbox filter and the year of the
 * grouped query. PostGraphile's amber preset filters only by equality (`condition`), so a
 * PostGraphile user adds exactly such SQL functions (inlined by the planner: language sql, stable).
 * Kept in a bench-only schema, recreated on every run.
 */
const postgraphileSql = `
  create schema if not exists bench_pg;
  create or replace function bench_pg.geo_features_in_bbox(layer text, min_lon float8, min_lat float8, max_lon float8, max_lat float8)
    returns setof core.geo_feature language sql stable as $$
      select f.* from core.geo_feature f join core.geo_layer l on l.id = f.layer_id
      where l.key = layer and l.published and f.bbox && box(point(min_lon, min_lat), point(max_lon, max_lat))
      order by f.feature_key $$;
  create or replace function bench_pg.service_metrics_in_year(year int)
    returns setof core.service_metric language sql stable as $$
      select * from core.service_metric where month >= make_date(year, 1, 1) and month < make_date(year + 1, 1, 1) $$;
`;

async function countRows(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<Record<string, number>>(`select
    (select count(*) from core.service)::int as services,
    (select count(*) from core.service_metric)::int as service_metrics,
    (select count(*) from core.geo_feature)::int as geo_features,
    (select count(*) from core.project)::int as projects,
    (select count(*) from core.milestone)::int as milestones,
    (select count(*) from core.org_unit)::int as org_units,
    (select count(*) from core.kpi_snapshot)::int as kpi_snapshots`);
  return rows[0] ?? {};
}

async function seed(pool: pg.Pool, log: Logger): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    // deterministic random(): the same seed gives the same data
    await client.query('select setseed(0.42)');
    const { rows } = await client.query<{ id: number }>(
      `insert into etl.run (source, status, finished_at) values ('bench-graphql-seed', 'succeeded', now()) returning id`,
    );
    const runId = rows[0]?.id ?? 0;
    for (const sql of seedStatements) {
      const started = performance.now();
      const result = await client.query(sql, [runId]);
      log.info({ rows: result.rowCount, ms: Math.round(performance.now() - started), sql: sql.trim().slice(0, 60) }, 'seeded');
    }
    // the KPIs as an ETL run writes them, and the data version that commit moves
    await snapshotKpis(client, runId);
    await bumpDataVersion(client);
    await client.query(`create schema if not exists bench`);
    await client.query(
      `create table bench.seed (version int not null, volumes jsonb not null, seeded_at timestamptz not null default now())`,
    );
    await client.query(`insert into bench.seed (version, volumes) values ($1, $2)`, [SEED_VERSION, JSON.stringify(volumes)]);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  // as autovacuum would after a load: statistics and the visibility map (index-only scans)
  await pool.query('vacuum (analyze)');
}

/** Whether the database holds a complete seed of this version and these volumes (bench.seed is written in the seed's commit). */
async function seedMatches(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    if (!(await client.query<{ t: string | null }>(`select to_regclass('bench.seed')::text as t`)).rows[0]?.t) return false;
    const { rows } = await client.query<{ version: number; volumes: Record<string, unknown> }>(`select version, volumes from bench.seed`);
    const row = rows[0];
    // jsonb reorders keys: compare entry by entry
    const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
    return row !== undefined && row.version === SEED_VERSION && same(row.volumes, volumes);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Opens (starting the embedded cluster if needed), migrates and — unless a matching seed is there — seeds the database. */
export async function openBenchDatabase(options: DatabaseOptions): Promise<BenchDatabase> {
  const { log } = options;
  let stop = async () => {};
  let url = options.benchUrl;
  if (url === undefined) {
    let server = options.serverUrl;
    if (server === undefined) {
      const cluster = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.port, log });
      server = cluster.url;
      stop = cluster.stop;
    }
    url = withDatabase(server, DATABASE);
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      const exists = async () => Boolean((await admin.query(`select 1 from pg_database where datname = $1`, [DATABASE])).rowCount);
      // our own database: rebuilt on request, or when it holds another seed (or a half-finished one)
      if ((await exists()) && (options.reseed || !(await seedMatches(url)))) {
        log.info({ database: DATABASE }, 'dropping the benchmark database to seed it anew');
        await admin.query(`drop database ${DATABASE} with (force)`);
      }
      if (!(await exists())) await admin.query(`create database ${DATABASE}`);
    } finally {
      await admin.end();
    }
  }
  try {
    const orm = await createOrm(url, log, 2);
    try {
      await migrate(orm);
    } finally {
      await orm.close(true);
    }
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const started = performance.now();
      let seeded: BenchDatabase['seeded'] = 'reused';
      if (!(await seedMatches(url))) {
        const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from core.service`);
        if ((rows[0]?.n ?? 0) > 0) throw new Error('HRO_BENCH_DATABASE_URL names a database with data of another seed: give an empty one');
        log.info('seeding the benchmark database');
        await seed(pool, log);
        seeded = 'seeded';
      }
      const seedSeconds = (performance.now() - started) / 1000;
      await pool.query(postgraphileSql);
      return { url, counts: await countRows(pool), seeded, seedSeconds, stop };
    } finally {
      await pool.end();
    }
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A steering key for this run (project milestones are internal): created fresh, the plain key is shown once. */
export async function benchApiKey(url: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const { key } = await createApiKey(pool, { name: 'bench-graphql', role: 'steering' });
    return key;
  } finally {
    await pool.end();
  }
}

export const defaultDataDir = join(repoRoot, '.data', 'bench-graphql');

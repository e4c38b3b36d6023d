// GraphQL benchmark (issue 5): our API against PostGraphile 5 (amber preset + @graphile/pg-aggregates)
// and raw `pg` on one seeded database, with autocannon, side by side in one run. See README.md
// ("Measured figures" → GraphQL) for the flags and the figures.
//
//   node --import @swc-node/register/esm-register bench/graphql/run.ts [--duration 10] [--warmup 3]
//     [--connections 50] [--queries projects,service,kpi,bbox,kpi-live] [--targets ours,postgraphile,raw]
//     [--runs cold,hit] [--rounds 1] [--pool 10] [--reseed] [--seed-only] [--json <file>]
//
// Two runs: cold — our response cache OFF (the server runs without it) and every request drawn
// from a pool of parameters (page, service key, year, bbox); hit — one document with the same
// variables repeated, our cache ON. Each server is a child process in production mode
// (NODE_ENV=production); the load generator runs here.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { createLogger, repoRoot } from '@hro/api';
import { benchApiKey, defaultDataDir, openBenchDatabase } from './seed.js';
import {
  ourCursor,
  parameterPools,
  queries,
  targetNames,
  type BenchRequest,
  type Params,
  type QueryDefinition,
  type QueryId,
  type TargetContext,
  type TargetName,
} from './queries.js';
import { PAGE_SIZE } from './constants.js';

export const name = 'graphql';

const here = dirname(fileURLToPath(import.meta.url));

export interface Measurement {
  run: 'cold' | 'hit';
  query: QueryId;
  target: TargetName;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  graphqlErrors: number;
  /** share of answers with x-hro-cache: hit (ours only) */
  cacheHits: number;
  /**
   * CPU time per request of the server process and of PostgreSQL (all its processes), in ms: less
   * sensitive than req/s to other load on a shared machine (undefined where not measurable)
   */
  serverCpuMs: number | undefined;
  postgresCpuMs: number | undefined;
}

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  queries: QueryId[];
  targets: TargetName[];
  runs: ('cold' | 'hit')[];
  pool: number;
  rounds: number;
  reseed: boolean;
  seedOnly: boolean;
  json?: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      queries: { type: 'string', default: 'projects,service,kpi,bbox' },
      targets: { type: 'string', default: targetNames.join(',') },
      runs: { type: 'string', default: 'cold,hit' },
      pool: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '1' },
      reseed: { type: 'boolean', default: false },
      'seed-only': { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const list = <T extends string>(v: string, allowed: readonly T[], flag: string): T[] => {
    const items = (v === 'all' ? allowed.join(',') : v).split(',').filter(Boolean);
    for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${flag}: "${item}" is not one of ${allowed.join(', ')}`);
    return items as T[];
  };
  const int = (v: string, flag: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag}: a whole number`);
    return n;
  };
  return {
    duration: int(values.duration, 'duration'),
    warmup: int(values.warmup, 'warmup'),
    connections: int(values.connections, 'connections'),
    queries: list(
      values.queries,
      queries.map((q) => q.id),
      'queries',
    ),
    targets: list(values.targets, targetNames, 'targets'),
    runs: list(values.runs, ['cold', 'hit'] as const, 'runs'),
    pool: int(values.pool, 'pool'),
    rounds: Math.max(1, int(values.rounds, 'rounds')),
    reseed: values.reseed,
    seedOnly: values['seed-only'],
    json: values.json,
  };
}

interface Server {
  base: string;
  child: ChildProcess;
}

/** Starts one target server as a child process (production mode) and waits for its port. */
async function startServer(target: string, url: string, pool: number): Promise<Server> {
  // HRO_BENCH_PROFILE=<target,…>: that server writes a V8 CPU profile (.cpuprofile) into HRO_BENCH_PROFILE_DIR on exit
  const profile = (process.env.HRO_BENCH_PROFILE ?? '').split(',').includes(target)
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HRO_BENCH_PROFILE_DIR ?? join(repoRoot, '.data', 'bench-profiles')}`]
    : [];
  // HRO_BENCH_OURS_NODE_FLAGS="--flag …": V8/Node flags for our servers only (ours, ours-cached),
  // so that heap settings are compared against an unchanged PostGraphile in the same run
  const nodeFlags = target.startsWith('ours') ? (process.env.HRO_BENCH_OURS_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean) : [];
  const child = spawn(
    process.execPath,
    [...nodeFlags, ...profile, '--import', '@swc-node/register/esm-register', join(here, 'server.ts'), target, url, String(pool)],
    {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /\{"port":(\d+)\}/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${target} server exited with ${code}: ${out.slice(-2000)}`)));
  });
  // drain the rest (our logger writes to stdout) so the pipe never blocks the server
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  return { base: `http://127.0.0.1:${port}`, child };
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  await exited;
}

async function post(base: string, request: BenchRequest, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(base + request.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: request.body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${base}${request.path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  const json = JSON.parse(text) as { errors?: unknown[] };
  if (json.errors) throw new Error(`${base}${request.path}: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return json;
}

/** Facts the parameter pools are drawn from: page starts (every 50th project key) and 1,000 service keys. */
async function facts(url: string): Promise<{ pageStarts: (string | null)[]; serviceKeys: string[] }> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const starts = await pool.query<{ key: string }>(
      `select key from (select key, row_number() over (order by key) as n, count(*) over () as total from core.project) p
       where n % ${PAGE_SIZE} = 0 and n < total order by key`,
    );
    const services = await pool.query<{ key: string }>(
      `select key from core.service where exists (select 1 from core.service_metric m where m.service_id = service.id) order by md5(key) limit 1000`,
    );
    return { pageStarts: [null, ...starts.rows.map((r) => r.key)], serviceKeys: services.rows.map((r) => r.key) };
  } finally {
    await pool.end();
  }
}

/** PostGraphile's own cursors, by walking its pages: the key a page ends with → its endCursor. */
async function postgraphileCursors(base: string): Promise<Map<string, string>> {
  const cursors = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    const json = (await post(
      base,
      {
        path: '/graphql',
        body: JSON.stringify({
          query: `query($after: Cursor) { allProjects(first: ${PAGE_SIZE}, after: $after, orderBy: KEY_ASC) { pageInfo { hasNextPage endCursor } nodes { key } } }`,
          variables: { after },
        }),
      },
      {},
    )) as { data: { allProjects: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { key: string }[] } } };
    const page = json.data.allProjects;
    const last = page.nodes.at(-1)?.key;
    if (last) cursors.set(last, page.pageInfo.endCursor);
    if (!page.pageInfo.hasNextPage) return cursors;
    after = page.pageInfo.endCursor;
  }
}

interface Target {
  name: TargetName;
  /** the server's process id (its CPU time is measured) */
  pid: number | undefined;
  base: string;
  headers: Record<string, string>;
  ctx: TargetContext;
}

/** Asks every target the same questions and refuses to measure when their answers differ. */
async function verify(defs: QueryDefinition[], targets: Target[], pools: Record<QueryId, Params[]>): Promise<void> {
  for (const def of defs) {
    const pool = pools[def.id];
    for (const params of [pool[0], pool[Math.floor(pool.length / 2)], pool.at(-1)]) {
      if (!params) continue;
      const summaries: Record<string, string> = {};
      for (const t of targets) {
        const json = await post(t.base, def.request[t.name](params, t.ctx), t.headers);
        summaries[t.name] = JSON.stringify(def.summary[t.name](json));
      }
      const distinct = new Set(Object.values(summaries));
      if (distinct.size > 1)
        throw new Error(`${def.id}: the targets answer differently for ${JSON.stringify(params)}: ${JSON.stringify(summaries)}`);
      process.stderr.write(`  ${def.id} ${JSON.stringify(params).slice(0, 60)}: ${[...distinct][0]}\n`);
    }
  }
}

/** CPU time (user + system) of a process in ms, from /proc (Linux; 100 ticks per second). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU time per process of a local PostgreSQL server (the postmaster's children: backends, writers). */
function postgresMs(postmaster: number): Map<number, number> {
  const times = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      if (Number(fields[1]) === postmaster) times.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the process ended meanwhile
    }
  }
  return times;
}

/** CPU the server's processes spent between two samples (a backend that ended meanwhile is lost, one that started counts whole). */
function postgresDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/** The postmaster's pid when the database server runs on this machine and its data directory is readable. */
async function postmasterPid(url: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ dir: string }>(`select current_setting('data_directory') as dir`);
    const pid = Number(readFileSync(join(rows[0]?.dir ?? '', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

async function load(
  target: Target,
  requests: BenchRequest[],
  seconds: number,
  connections: number,
  probe?: { url: string; postmaster: number | undefined },
): Promise<Omit<Measurement, 'run' | 'query' | 'target'>> {
  const serverBefore = target.pid ? cpuMs(target.pid) : 0;
  const pgBefore = probe?.postmaster ? postgresMs(probe.postmaster) : new Map<number, number>();
  let graphqlErrors = 0;
  let hits = 0;
  let answers = 0;
  const onResponse = (status: number, body: string, _context: object, headers: IncomingHttpHeaders | undefined) => {
    answers++;
    if (status === 200 && body.includes('"errors":')) graphqlErrors++;
    if (headers?.['x-hro-cache'] === 'hit') hits++;
  };
  const result = await autocannon({
    url: target.base,
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...target.headers },
    requests: requests.map((r) => ({ method: 'POST' as const, path: r.path, body: r.body, onResponse })),
  });
  // statements still running after the load belong to it (and would slow the next target)
  if (probe) await waitForIdle(probe.url);
  const per = (ms: number) => (result.requests.total > 0 ? ms / result.requests.total : 0);
  return {
    serverCpuMs: target.pid ? per(cpuMs(target.pid) - serverBefore) : undefined,
    postgresCpuMs: probe?.postmaster ? per(postgresDelta(pgBefore, postgresMs(probe.postmaster))) : undefined,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors,
    cacheHits: answers ? hits / answers : 0,
  };
}

/**
 * Waits until the database runs no statement of a target any more: a slow query mix (the live
 * aggregates) leaves statements running after autocannon stops, which would slow the next target.
 */
async function waitForIdle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < 600; i++) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and backend_type = 'client backend' and state <> 'idle' and pid <> pg_backend_pid()`,
      );
      if ((rows[0]?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await client.end();
  }
}

/** Rounds of one target and query as one figure: mean req/s, mean p99, summed counts. */
function combine(rounds: Measurement[]): Measurement {
  const first = rounds[0];
  if (!first) throw new Error('no rounds to combine');
  const mean = (f: (m: Measurement) => number) => rounds.reduce((n, m) => n + f(m), 0) / rounds.length;
  const sum = (f: (m: Measurement) => number) => rounds.reduce((n, m) => n + f(m), 0);
  return {
    ...first,
    requestsPerSecond: mean((m) => m.requestsPerSecond),
    p50: mean((m) => m.p50),
    p99: mean((m) => m.p99),
    requests: sum((m) => m.requests),
    errors: sum((m) => m.errors),
    timeouts: sum((m) => m.timeouts),
    non2xx: sum((m) => m.non2xx),
    graphqlErrors: sum((m) => m.graphqlErrors),
    cacheHits: mean((m) => m.cacheHits),
    serverCpuMs: rounds.every((m) => m.serverCpuMs !== undefined) ? mean((m) => m.serverCpuMs ?? 0) : undefined,
    postgresCpuMs: rounds.every((m) => m.postgresCpuMs !== undefined) ? mean((m) => m.postgresCpuMs ?? 0) : undefined,
  };
}

/** The requests of one target for a parameter pool (autocannon walks the list per connection). */
function requestsFor(def: QueryDefinition, target: Target, params: Params[]): BenchRequest[] {
  return params.map((p) => def.request[target.name](p, target.ctx));
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const cpu = (ms: number | undefined) => (ms === undefined ? '–' : `${fmt(ms, 2)} ms`);

function table(measurements: Measurement[], defs: QueryDefinition[], targets: TargetName[]): string {
  const head = [
    'run',
    'query',
    ...targets.flatMap((t) => [`${t} req/s`, `${t} p99 ms`]),
    'errors / non-2xx / GraphQL errors',
    'ours ÷ PostGraphile',
    'ours ÷ raw',
    'goal',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const run of ['cold', 'hit'] as const) {
    for (const def of defs) {
      const m = (t: TargetName) => measurements.find((x) => x.run === run && x.query === def.id && x.target === t);
      if (!targets.some((t) => m(t))) continue;
      const ours = m('ours');
      const pgl = m('postgraphile');
      const rawM = m('raw');
      const ratioPg = ours && pgl ? ours.requestsPerSecond / pgl.requestsPerSecond : undefined;
      const ratioRaw = ours && rawM ? ours.requestsPerSecond / rawM.requestsPerSecond : undefined;
      let goal = '';
      if (ratioPg !== undefined && ours && pgl) {
        const ok = run === 'cold' ? ratioPg >= 1.2 && ours.p99 <= pgl.p99 : ratioPg >= 3;
        goal = `${run === 'cold' ? '≥ 1.2×, p99 ≤' : '≥ 3×'} ${ok ? '✓' : '✗'}${def.inMix ? '' : ' (extra)'}`;
      }
      const errs = targets
        .map((t) => {
          const x = m(t);
          return x ? `${x.errors + x.timeouts}/${x.non2xx}/${x.graphqlErrors}` : '–';
        })
        .join(' · ');
      lines.push(
        `| ${run}${run === 'hit' && ours ? ` (${fmt(ours.cacheHits * 100)} % hits)` : ''} | ${def.title} | ${targets
          .flatMap((t) => {
            const x = m(t);
            return x ? [fmt(x.requestsPerSecond), fmt(x.p99)] : ['–', '–'];
          })
          .join(' | ')} | ${errs} | ${ratioPg === undefined ? '–' : `**${fmt(ratioPg, 2)}×**`} | ${
          ratioRaw === undefined ? '–' : `${fmt(ratioRaw, 2)}×`
        } | ${goal} |`,
      );
    }
  }
  return lines.join('\n');
}

/** CPU per request (server process and PostgreSQL): what each answer costs the machine, whatever else runs on it. */
function cpuTable(measurements: Measurement[], defs: QueryDefinition[], targets: TargetName[]): string {
  const head = ['run', 'query', ...targets.map((t) => `${t} server + postgres ms`), 'PostGraphile ÷ ours (total CPU)'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  const total = (m: Measurement | undefined) =>
    m?.serverCpuMs === undefined || m.postgresCpuMs === undefined ? undefined : m.serverCpuMs + m.postgresCpuMs;
  for (const run of ['cold', 'hit'] as const) {
    for (const def of defs) {
      const m = (t: TargetName) => measurements.find((x) => x.run === run && x.query === def.id && x.target === t);
      if (!targets.some((t) => m(t))) continue;
      const ours = total(m('ours'));
      const pgl = total(m('postgraphile'));
      const cells = targets.map((t) => {
        const x = m(t);
        return x?.serverCpuMs === undefined
          ? '–'
          : `${fmt(x.serverCpuMs, 2)} + ${x.postgresCpuMs === undefined ? '–' : fmt(x.postgresCpuMs, 2)}`;
      });
      lines.push(`| ${run} | ${def.title} | ${cells.join(' | ')} | ${ours && pgl ? `${fmt(pgl / ours, 2)}×` : '–'} |`);
    }
  }
  return lines.join('\n');
}

export async function measure(opts: Options): Promise<{ measurements: Measurement[]; counts: Record<string, number> }> {
  const log = createLogger(process.env.HRO_BENCH_LOG_LEVEL ?? 'warn');
  const started = performance.now();
  const db = await openBenchDatabase({
    benchUrl: process.env.HRO_BENCH_DATABASE_URL,
    serverUrl: process.env.DATABASE_URL,
    dataDir: process.env.HRO_BENCH_DATA_DIR ?? defaultDataDir,
    port: Number(process.env.HRO_BENCH_PG_PORT ?? 54339),
    reseed: opts.reseed,
    log,
  });
  process.stderr.write(
    `database: ${db.seeded === 'seeded' ? `seeded in ${fmt(db.seedSeconds, 1)} s` : 'seed reused'} · ${Object.entries(db.counts)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(' · ')} (${fmt((performance.now() - started) / 1000, 1)} s)\n`,
  );
  const servers: Server[] = [];
  const measurements: Measurement[] = [];
  try {
    if (opts.seedOnly) return { measurements, counts: db.counts };
    const key = await benchApiKey(db.url);
    const defs = queries.filter((q) => opts.queries.includes(q.id));
    const f = await facts(db.url);
    const pools = parameterPools(f);

    const start = async (name: string) => {
      const s = await startServer(name, db.url, opts.pool);
      servers.push(s);
      return s;
    };
    const oursCold = opts.targets.includes('ours') && opts.runs.includes('cold') ? await start('ours') : undefined;
    const oursCached = opts.targets.includes('ours') && opts.runs.includes('hit') ? await start('ours-cached') : undefined;
    const pgl = opts.targets.includes('postgraphile') ? await start('postgraphile') : undefined;
    const rawServer = opts.targets.includes('raw') ? await start('raw') : undefined;

    const ourCursors = new Map(f.pageStarts.filter((k): k is string => k !== null).map((k) => [k, ourCursor(k)]));
    const auth = { authorization: `Bearer ${key}` };
    const target = (name: TargetName, server: Server | undefined, cursors: Map<string, string>): Target | undefined =>
      server ? { name, pid: server.child.pid, base: server.base, headers: name === 'ours' ? auth : {}, ctx: { cursors } } : undefined;
    const pglCursors = pgl ? await postgraphileCursors(pgl.base) : new Map<string, string>();
    const cold = [
      target('ours', oursCold, ourCursors),
      target('postgraphile', pgl, pglCursors),
      target('raw', rawServer, new Map()),
    ].filter((t): t is Target => t !== undefined);
    const hit = [
      target('ours', oursCached, ourCursors),
      target('postgraphile', pgl, pglCursors),
      target('raw', rawServer, new Map()),
    ].filter((t): t is Target => t !== undefined);

    const probe = { url: db.url, postmaster: await postmasterPid(db.url) };
    process.stderr.write('checking that the targets answer alike:\n');
    await verify(defs, cold, pools);

    const rounds: Measurement[] = [];
    for (const run of opts.runs) {
      for (const def of defs) {
        const pool = pools[def.id];
        // the hit run repeats one request: a page in the middle, one service, one year, one bbox
        const params = run === 'cold' ? pool : [pool[Math.min(10, pool.length - 1)] ?? {}];
        const targets = run === 'cold' ? cold : hit;
        for (let round = 0; round < opts.rounds; round++) {
          // rounds rotate the order of the targets, so a burst of load from outside hits each alike
          for (const t of targets.map((_, i) => targets[(i + round) % targets.length] as Target)) {
            const requests = requestsFor(def, t, params);
            if (opts.warmup > 0) await load(t, requests, opts.warmup, opts.connections, { url: db.url, postmaster: undefined });
            const m = await load(t, requests, opts.duration, opts.connections, probe);
            rounds.push({ run, query: def.id, target: t.name, ...m });
            process.stderr.write(
              `${run} ${def.id} ${t.name}${opts.rounds > 1 ? ` (round ${round + 1})` : ''}: ${fmt(m.requestsPerSecond)} req/s, p99 ${fmt(m.p99)} ms, errors ${m.errors + m.timeouts}, non-2xx ${m.non2xx}, GraphQL errors ${m.graphqlErrors}${t.name === 'ours' && run === 'hit' ? `, ${fmt(m.cacheHits * 100)} % cache hits` : ''}, CPU per request: server ${cpu(m.serverCpuMs)}, postgres ${cpu(m.postgresCpuMs)}\n`,
            );
          }
        }
        for (const t of targets)
          measurements.push(combine(rounds.filter((m) => m.run === run && m.query === def.id && m.target === t.name)));
      }
    }
    return { measurements, counts: db.counts };
  } finally {
    for (const s of servers) await stopServer(s);
    await db.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const opts = options();
  const { measurements, counts } = await measure(opts);
  if (!opts.seedOnly) {
    const defs = queries.filter((q) => opts.queries.includes(q.id));
    process.stdout.write(
      `\nGraphQL benchmark (${new Date().toISOString().slice(0, 10)}): ${opts.connections} connections, ${opts.duration} s per target and query ` +
        `${opts.rounds > 1 ? `× ${opts.rounds} rounds (means) ` : ''}` +
        `(after ${opts.warmup} s warm-up), database pool ${opts.pool} per server, NODE_ENV=production\n` +
        `data: ${Object.entries(counts)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(', ')}\n\n${table(measurements, defs, opts.targets)}\n\n` +
        `CPU time per request (ms; server process + all PostgreSQL processes):\n\n${cpuTable(measurements, defs, opts.targets)}\n\n` +
        `cold: our response cache off, parameters drawn from a pool per query; hit: one request repeated, our cache on.\n` +
        `errors column per target (${opts.targets.join(' · ')}): connection errors+timeouts / non-2xx / 200s with GraphQL errors\n`,
    );
    if (opts.json) writeFileSync(opts.json, JSON.stringify({ date: new Date().toISOString(), opts, counts, measurements }, null, 2));
  }
}

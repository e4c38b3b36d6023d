// Mixed load and abuse (issue 8, "Load and abuse"): the real server process (`packages/portal/src/main.ts`,
// NODE_ENV=production) on a loopback port over a fresh embedded PostgreSQL with every bundled sample
// source loaded. Phases, one after the other on the same machine:
//
//   1. baseline — /healthz (no database, no rendering) with the same connections: what the machine
//      and the HTTP stack cost alone;
//   2. mixed — GraphQL (public and steering), CKAN actions, DataStore search, downloads and HTML
//      pages, round-robin per connection: errors, non-2xx and p99, and p99 as a ratio to phase 1;
//   3. abuse under load — the mixed load again while hostile requests arrive (depth 50, 1,000
//      aliases, 500 batched operations, 1 MB of variables, a slow-loris request, rows=1000000):
//      each one's answer and time, and whether the mixed load kept its 0 errors.
//
// Rate limits are raised for the run (they would answer 429 to a 50-connection load from one IP:
// that is their job, not what this measures; protection.test.ts proves them).
//
//   node --import ./scripts/ts-hooks.mjs bench/load.bench.ts [seconds] [connections]   (default 60, 50)
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createLogger, freePort, repoRoot } from '@hro/api';
import { createPool } from '@hro/api/db';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { loadSampleSources } from '@hro/etl';
import { withBenchDatabase } from './harness.js';

const here = fileURLToPath(import.meta.url);

interface Phase {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

interface Abuse {
  label: string;
  status: number | string;
  code: string;
  ms: number;
}

const graphql = (query: string, variables?: unknown) => JSON.stringify({ query, variables });

function mixed(steeringKey: string, resourceId: string): autocannon.Request[] {
  const json = { 'content-type': 'application/json' };
  return [
    { method: 'POST', path: '/graphql', headers: json, body: graphql('{ kpis { id title } }') },
    {
      method: 'POST',
      path: '/graphql',
      headers: json,
      body: graphql('query($n: Int) { datasets(first: $n) { totalCount nodes { name title } } }', { n: 20 }),
    },
    {
      method: 'POST',
      path: '/graphql',
      headers: { ...json, authorization: steeringKey },
      body: graphql('{ projects(first: 20) { totalCount nodes { key title status } } }'),
    },
    { method: 'GET', path: '/api/3/action/package_search?q=Rostock&rows=10' },
    { method: 'GET', path: '/api/3/action/package_show?id=stadtbereiche-rostock' },
    { method: 'GET', path: `/api/3/action/datastore_search?resource_id=${resourceId}&limit=20` },
    { method: 'GET', path: '/dataset/stadtbereiche-rostock/resource/' + resourceId + '/download?format=csv' },
    { method: 'GET', path: '/' },
    { method: 'GET', path: '/dataset?q=Rostock' },
    { method: 'GET', path: '/dataset/stadtbereiche-rostock' },
    { method: 'GET', path: '/kennzahlen' },
    { method: 'GET', path: '/catalog.ttl' },
  ];
}

/** Answers other than 2xx, per request of the mix (status → count), so a failing path is named. */
const unexpected = new Map<string, Map<number, number>>();

function run(url: string, seconds: number, connections: number, requests: autocannon.Request[], label: string): Promise<Phase> {
  const counted = requests.map((r) => ({
    ...r,
    onResponse: (status: number) => {
      if (status >= 200 && status < 300) return;
      const key = `${label}: ${r.method ?? 'GET'} ${(r.path ?? '/').slice(0, 70)}`;
      const byStatus = unexpected.get(key) ?? new Map<number, number>();
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      unexpected.set(key, byStatus);
    },
  }));
  return new Promise((resolve, reject) => {
    autocannon({ url, duration: seconds, connections, requests: counted, timeout: 30 }, (err, r) => {
      if (err) return reject(err instanceof Error ? err : new Error(String(err)));
      resolve({
        label,
        requests: r.requests.total,
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        max: r.latency.max,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
      });
    });
  });
}

async function timed(label: string, send: () => Promise<{ status: number | string; code: string }>): Promise<Abuse> {
  const t = performance.now();
  const { status, code } = await send();
  return { label, status, code, ms: performance.now() - t };
}

async function post(site: string, body: string): Promise<{ status: number; code: string }> {
  const res = await fetch(`${site}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  const match = /"code":"([A-Z_]+)"/.exec(text);
  return { status: res.status, code: match?.[1] ?? '–' };
}

/** Sends a request line and then one header byte a second: the server must give up on it (requestTimeout). */
function slowLoris(host: string, port: number, maxSeconds: number): Promise<{ status: number | string; code: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let answer = '';
    const drip = setInterval(() => socket.write('x'), 1000);
    const done = (status: number | string, code: string) => {
      clearInterval(drip);
      clearTimeout(limit);
      socket.destroy();
      resolve({ status, code });
    };
    const limit = setTimeout(() => done('still open', `after ${maxSeconds} s`), maxSeconds * 1000);
    socket.on('connect', () => socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nX-Slow: '));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => done(Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0) || 'closed', 'connection closed by server'));
    socket.on('error', () => {});
  });
}

async function abuse(site: string, port: number, bigResource: string): Promise<Abuse[]> {
  const deep = '{ orgUnit(code: "06") { ' + 'children { '.repeat(49) + 'code' + ' }'.repeat(49) + ' } }';
  const aliases = '{ ' + Array.from({ length: 1000 }, (_, i) => `a${i}: kpis { id }`).join(' ') + ' }';
  const batch = JSON.stringify(Array.from({ length: 500 }, () => ({ query: '{ kpis { id } }' })));
  const huge = graphql('query($x: String) { kpis { id } }', { x: 'x'.repeat(1_000_000) });
  const ckan = async (path: string) => {
    const res = await fetch(site + path);
    const body = (await res.json()) as { success: boolean; result?: { results?: unknown[]; records?: unknown[] } };
    const n = body.result?.results?.length ?? body.result?.records?.length;
    return { status: res.status, code: n === undefined ? '–' : `${n} rows returned (capped)` };
  };
  return Promise.all([
    timed('depth 50', () => post(site, graphql(deep))),
    timed('1,000 aliases', () => post(site, graphql(aliases))),
    timed('500 batched operations', () => post(site, batch)),
    timed('1 MB of variables', () => post(site, huge)),
    timed('package_search rows=1000000', () => ckan('/api/3/action/package_search?rows=1000000')),
    timed('datastore_search limit=1000000', () => ckan(`/api/3/action/datastore_search?resource_id=${bigResource}&limit=1000000`)),
    timed('slow-loris (a header byte a second)', () => slowLoris('127.0.0.1', port, 45)),
  ]);
}

export async function measure(seconds = 60, connections = 50): Promise<{ phases: Phase[]; abuse: Abuse[] }> {
  const log = createLogger('warn');
  let server: ChildProcess | undefined;
  return withBenchDatabase('load', log, async (url) => {
    try {
      const pool = createPool(url, 2);
      await syncCatalog(pool);
      await loadSampleSources(pool, 'always', log);
      const steeringKey = (await createApiKey(pool, { name: 'bench', role: 'steering' })).key;
      const resourceOf = async (dataset: string) => {
        const { rows } = await pool.query<{ id: string }>(
          `select r.id::text as id from catalog.resource r join catalog.dataset d on d.id = r.dataset_id where d.name = $1 order by (r.format = 'CSV') desc, r.id limit 1`,
          [dataset],
        );
        if (!rows[0]) throw new Error(`no resource of ${dataset}`);
        return rows[0].id;
      };
      const resourceId = await resourceOf('stadtbereiche-rostock');
      const bigResource = await resourceOf('ozg-leistungen');
      await pool.end();

      const port = await freePort();
      server = spawn(process.execPath, ['--import', './scripts/ts-hooks.mjs', 'packages/portal/src/main.ts'], {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: url,
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          HRO_SAMPLE_LOAD: 'never',
          HRO_ETL_SCHEDULER: 'off',
          HRO_RATE_LIMIT_ANONYMOUS: '100000000',
          HRO_RATE_LIMIT_KEY: '100000000',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const site = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        const ready = await fetch(`${site}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) break;
        if (i > 600) throw new Error('server did not become ready');
        await new Promise((r) => setTimeout(r, 100));
      }
      const requests = mixed(steeringKey, resourceId);
      // every request of the mix must succeed on its own, or the load's non-2xx count would measure a typo
      for (const r of requests) {
        const res = await fetch(site + (r.path ?? '/'), { method: r.method, headers: r.headers as Record<string, string>, body: r.body });
        const text = await res.text();
        if (!res.ok || text.includes('"errors"'))
          throw new Error(`${r.method ?? 'GET'} ${r.path ?? '/'}: HTTP ${res.status} ${text.slice(0, 200)}`);
      }
      // warm-up: JIT, prepared statements, caches of the first renders
      await run(site, 5, connections, requests, 'warm-up');

      const baseline = await run(site, seconds, connections, [{ method: 'GET', path: '/healthz' }], 'baseline: /healthz');
      const load = await run(site, seconds, connections, requests, 'mixed load');
      const abuseSeconds = Math.max(50, Math.round(seconds / 2));
      const [underAbuse, answers] = await Promise.all([
        run(site, abuseSeconds, connections, requests, 'mixed load while under abuse'),
        new Promise<void>((r) => setTimeout(r, 2000)).then(() => abuse(site, port, bigResource)),
      ]);
      return { phases: [baseline, load, underAbuse], abuse: answers };
    } finally {
      server?.kill('SIGTERM');
      if (server && server.exitCode === null) await new Promise((r) => server?.once('exit', r));
    }
  });
}

if (process.argv[1] === here) {
  const seconds = Number(process.argv[2] ?? 60);
  const connections = Number(process.argv[3] ?? 50);
  const { phases, abuse: answers } = await measure(seconds, connections);
  const base = phases[0]?.p99 ?? NaN;
  const rows = phases.map(
    (p) =>
      `| ${p.label} | ${p.requests.toLocaleString('en')} | ${p.rps.toFixed(0)} | ${p.p50} ms | ${p.p99} ms | ${(p.p99 / base).toFixed(1)}× | ${p.max} ms | ${p.errors} | ${p.non2xx} |`,
  );
  const abuseRows = answers.map((a) => `| ${a.label} | ${a.status} | ${a.code} | ${(a.ms / 1000).toFixed(2)} s |`);
  process.stdout.write(
    `\nLoad: ${seconds} s per phase, ${connections} connections, loopback, NODE_ENV=production (${new Date().toISOString().slice(0, 10)})\n\n` +
      `| phase | requests | req/s | p50 | p99 | p99 vs baseline | max | errors | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n${rows.join('\n')}\n\n` +
      `Abuse, sent during the third phase\n\n| request | status | code / answer | time |\n|---|---|---|---:|\n${abuseRows.join('\n')}\n` +
      (unexpected.size === 0
        ? '\nEvery answer of the mix was 2xx.\n'
        : `\nAnswers other than 2xx:\n${[...unexpected].map(([k, v]) => `- ${k}: ${[...v].map(([st, n]) => `${n}× ${st}`).join(', ')}`).join('\n')}\n`),
  );
}

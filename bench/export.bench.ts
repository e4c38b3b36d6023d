// Export benchmark (issue 6): a 1M-row open view in a fresh database of a fresh embedded
// PostgreSQL, downloaded through the real download endpoint over HTTP as CSV and as GeoJSON,
// side by side with PostgreSQL's own `COPY (select … order by …) TO STDOUT (FORMAT csv)` of the
// same rows in the same order. The server runs in a child process (the app as `npm start` runs
// it, with the lean TypeScript hooks and the server's V8 flags and malloc setting from
// scripts/node-flags.mjs; HRO_BENCH_NODE_FLAGS replaces the flags) whose resident set is
// sampled from /proc while it streams.
// Goals: ≥ 0.5× COPY's bytes/s, server peak RSS < 150 MB.
//
//   node --import ./scripts/ts-hooks.mjs bench/export.bench.ts [rows] [rounds]   (default 1000000 3)
//
// Each round runs COPY, the CSV download and the GeoJSON download one after the other, so all
// three see the same machine; the table reports every round.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createLogger, freePort } from '@hro/api';
import { createOrm, createPool, migrate, startEmbeddedPostgres } from '@hro/api/db';
import { createApp } from '@hro/portal';
// @ts-expect-error -- plain JavaScript module without declarations (bootstrap.mjs runs it before any install)
import { flagsBesides, serverEnv } from '../scripts/node-flags.mjs';

const serverFlags = flagsBesides as (nodeOptions: string | undefined) => string[];
const serverEnvironment = serverEnv as (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;

export const name = 'export';

const here = fileURLToPath(import.meta.url);
const repoRoot = join(dirname(here), '..');
// pg-copy-streams is a dependency of the etl package (its COPY FROM), not of the root
const { to: copyTo } = createRequire(join(repoRoot, 'packages/etl/package.json'))('pg-copy-streams') as {
  to: (sql: string) => pg.Submittable & NodeJS.ReadableStream;
};

const DATASET = 'benchmark-export';

function vmKb(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The view: a primary key, text with commas and formula-like values, numbers, dates, booleans and a GeoJSON point. */
async function seed(pool: pg.Pool, rows: number): Promise<string> {
  await pool.query(`create table core.bench_export (id int primary key, name text, amount numeric(12, 2), day date, flag boolean,
    note text, geometry jsonb)`);
  await pool.query(
    `insert into core.bench_export
     select i, 'Standort ' || i || case when i % 7 = 0 then ', Nebenstelle' else '' end, i * 1.25, date '2020-01-01' + i % 1000,
       i % 2 = 0, case when i % 13 = 0 then '=HYPERLINK("x")' else 'Hinweis ' || i % 100 end,
       jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(12.0 + (i % 1000) / 5000.0, 54.05 + (i % 777) / 5000.0))
     from generate_series(1, $1::int) i`,
    [rows],
  );
  await pool.query(`analyze core.bench_export`);
  await pool.query(`create view open.bench_export as select id, name, amount, day, flag, note, geometry from core.bench_export`);
  const { rows: ids } = await pool.query<{ id: string }>(
    `with d as (insert into catalog.dataset (name, title, geo, source_view) values ($1, 'Benchmark', true, 'open.bench_export') returning id)
     insert into catalog.resource (dataset_id, name, format, position, view_name, datastore_active)
     select id, 'Benchmark (CSV)', 'CSV', 0, 'open.bench_export', true from d returning id`,
    [DATASET],
  );
  return ids[0]?.id ?? '';
}

/** The child: the app on a loopback port; prints {port, rssKb} once listening and {hwmKb} on SIGTERM. */
async function child(url: string): Promise<void> {
  const pool = createPool(url, 10);
  const app = await createApp({
    pool,
    log: createLogger('warn'),
    introspection: false,
    rateLimits: { anonymous: 100_000, key: 100_000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  if (process.env.HRO_BENCH_MEMLOG) {
    setInterval(() => {
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      const mb = (n: number) => (n / 2 ** 20).toFixed(0);
      process.stderr.write(
        `[server] rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)}\n`,
      );
    }, Number(process.env.HRO_BENCH_MEMLOG)).unref();
  }
  const address = app.server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, rssKb: vmKb('self', 'VmRSS') })}\n`,
  );
  process.on('SIGTERM', () => {
    // the high-water mark first: closing may wait for the client's keep-alive connections
    process.stdout.write(`${JSON.stringify({ hwmKb: vmKb('self', 'VmHWM') })}\n`, () => {
      void Promise.race([app.close(), new Promise((r) => setTimeout(r, 2000))])
        .catch(() => {})
        .finally(() => process.exit(0));
    });
  });
}

interface Server {
  proc: ChildProcess;
  port: number;
  baseRssKb: number;
  lines: string[];
}

async function startServer(url: string): Promise<Server> {
  // the server's V8 flags as `npm start` sets them, unless HRO_BENCH_NODE_FLAGS names others ('' for none)
  const flags = process.env.HRO_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? serverFlags(process.env.NODE_OPTIONS);
  const proc = spawn(process.execPath, [...flags, '--import', './scripts/ts-hooks.mjs', here, '--child', url], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...serverEnvironment(process.env), NODE_ENV: 'production' },
  });
  const lines: string[] = [];
  let buffer = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    // the child's own lines are JSON; anything else (e.g. --trace-gc) passes through to stderr
    for (const line of parts) {
      if (line.startsWith('{')) lines.push(line);
      else process.stderr.write(`[server] ${line}\n`);
    }
  });
  for (let waited = 0; lines.length === 0; waited += 50) {
    if (waited > 60_000 || proc.exitCode !== null) throw new Error('the server child did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const { port, rssKb } = JSON.parse(lines[0] ?? '{}') as { port: number; rssKb: number };
  return { proc, port, baseRssKb: rssKb, lines };
}

/** GETs a URL with node:http (plain Node streams, the lightest client) and counts the body's bytes without keeping them. */
function fetchBytes(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`${url}: HTTP ${res.statusCode}`));
        return;
      }
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    });
    request.on('error', reject);
  });
}

interface Measured {
  bytes: number;
  seconds: number;
  peakRssKb?: number;
}

async function download(server: Server, resourceId: string, format: 'csv' | 'geojson'): Promise<Measured> {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, vmKb(server.proc.pid ?? 0, 'VmRSS'))), 20);
  const started = performance.now();
  const bytes = await fetchBytes(`http://127.0.0.1:${server.port}/dataset/${DATASET}/resource/${resourceId}/download?format=${format}`);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { bytes, seconds, peakRssKb: peak };
}

async function copy(url: string): Promise<Measured> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  const started = performance.now();
  // the download's row order: every sortable column, in column order
  const stream = client.query(
    copyTo(`copy (select id, name, amount, day, flag, note, geometry from open.bench_export
      order by id, name, amount, day, flag, note) to stdout with (format csv, header)`),
  );
  await pipeline(stream, sink);
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return { bytes, seconds };
}

export interface ExportBenchResult {
  rows: number;
  baseRssMb: number;
  hwmRssMb: number;
  rounds: { copy: Measured; csv: Measured; geojson: Measured }[];
}

export async function measure(rows: number, rounds: number): Promise<ExportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hro-bench-export-'));
  chmodSync(dir, 0o755);
  const log = createLogger('warn');
  const cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), port: await freePort(), log });
  let server: Server | undefined;
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('create database bench_export');
    await admin.end();
    const u = new URL(cluster.url);
    u.pathname = '/bench_export';
    const url = u.toString();
    const orm = await createOrm(url, log, 2);
    await migrate(orm);
    await orm.close(true);
    const pool = createPool(url, 2);
    const resourceId = await seed(pool, rows);
    await pool.end();

    server = await startServer(url);
    const results: ExportBenchResult['rounds'] = [];
    for (let round = 0; round < rounds; round++) {
      const copied = await copy(url);
      const csv = await download(server, resourceId, 'csv');
      const geojson = await download(server, resourceId, 'geojson');
      results.push({ copy: copied, csv, geojson });
      process.stderr.write(`round ${round + 1}/${rounds} done\n`);
    }
    server.proc.kill('SIGTERM');
    await once(server.proc, 'exit');
    const hwm = JSON.parse(server.lines.at(-1) ?? '{}') as { hwmKb?: number };
    return { rows, baseRssMb: server.baseRssKb / 1024, hwmRssMb: (hwm.hwmKb ?? 0) / 1024, rounds: results };
  } finally {
    if (server && server.proc.exitCode === null) server.proc.kill('SIGKILL');
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(result: ExportBenchResult): string {
  const mbps = (m: Measured) => m.bytes / 2 ** 20 / m.seconds;
  const rps = (m: Measured) => Math.round(result.rows / m.seconds).toLocaleString('en');
  const lines = [
    '| round | COPY csv | download CSV | ratio (bytes/s) | download GeoJSON | ratio (bytes/s) | ratio (rows/s) | server peak RSS (CSV / GeoJSON) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  result.rounds.forEach((r, i) => {
    lines.push(
      `| ${i + 1} | ${r.copy.seconds.toFixed(2)} s, ${mbps(r.copy).toFixed(1)} MB/s, ${rps(r.copy)} rows/s ` +
        `| ${r.csv.seconds.toFixed(2)} s, ${mbps(r.csv).toFixed(1)} MB/s, ${rps(r.csv)} rows/s | **${(mbps(r.csv) / mbps(r.copy)).toFixed(2)}×** ` +
        `| ${r.geojson.seconds.toFixed(2)} s, ${mbps(r.geojson).toFixed(1)} MB/s, ${rps(r.geojson)} rows/s | **${(mbps(r.geojson) / mbps(r.copy)).toFixed(2)}×** ` +
        `| ${(r.copy.seconds / r.geojson.seconds).toFixed(2)}× | ${((r.csv.peakRssKb ?? 0) / 1024).toFixed(0)} / ${((r.geojson.peakRssKb ?? 0) / 1024).toFixed(0)} MB |`,
    );
  });
  const first = result.rounds[0];
  const sizes = first
    ? `COPY ${(first.copy.bytes / 2 ** 20).toFixed(0)} MB, CSV ${(first.csv.bytes / 2 ** 20).toFixed(0)} MB, GeoJSON ${(first.geojson.bytes / 2 ** 20).toFixed(0)} MB`
    : '';
  return `${lines.join('\n')}\n\n${result.rows.toLocaleString('en')} rows (${sizes}); server RSS after start ${result.baseRssMb.toFixed(0)} MB, high-water mark ${result.hwmRssMb.toFixed(0)} MB`;
}

if (process.argv[1] === here) {
  if (process.argv[2] === '--child') {
    await child(process.argv[3] ?? '');
  } else {
    const rows = Number((process.argv[2] ?? '1000000').replace(/_/g, ''));
    const rounds = Number(process.argv[3] ?? '3');
    if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(rounds) || rounds < 1)
      throw new Error('usage: export.bench.ts [rows] [rounds]');
    const result = await measure(rows, rounds);
    process.stdout.write(`\nDownloads vs. COPY (${new Date().toISOString().slice(0, 10)})\n\n${table(result)}\n`);
  }
}

// CSV benchmark: a generated Fachverfahren case-numbers export (German format: `;`, decimal comma,
// MM.YYYY, ISO-8859-1) loaded by the real pipeline (runSource: extract → validate → COPY into
// staging → merge into core.service_metric) against PostgreSQL's own COPY of the same file into an
// equivalent plain table (same columns, primary key (service, month)). Both on a fresh embedded
// PostgreSQL in a temp dir. The pipeline runs in a child process whose peak RSS is measured.
//
//   node --import ./scripts/ts-hooks.mjs bench/csv.bench.ts [rows[,rows…]]   (default 1000000)
//   HRO_BENCH_REPEAT=1 also times a second run of the same export (all rows unchanged)
import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createLogger, freePort } from '@hro/api';
import { createOrm, createPool, migrate, startEmbeddedPostgres } from '@hro/api/db';
import { loadSources, runSource, type SourceDefinition } from '@hro/etl';
// @ts-expect-error -- plain JavaScript module without declarations (bootstrap.mjs runs it before any install)
import { etlNodeFlags } from '../scripts/node-flags.mjs';

export const name = 'csv';

const here = fileURLToPath(import.meta.url);
const repoRoot = join(dirname(here), '..');
const MONTHS = 120;
/**
 * V8 flags of the pipeline process: those `npm run etl` starts the ETL with (scripts/node-flags.mjs),
 * unless HRO_BENCH_NODE_FLAGS names others ('' for none).
 */
const nodeFlags = process.env.HRO_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? (etlNodeFlags as string[]);

export interface CsvBenchResult {
  rows: number;
  fileMb: number;
  services: number;
  pipelineSeconds: number;
  /** CPU time of the pipeline process during the run (steadier than wall time on a shared machine) */
  pipelineCpuSeconds: number;
  pipelineRowsPerSecond: number;
  copySeconds: number;
  copyRowsPerSecond: number;
  /** pipeline rows/s ÷ COPY rows/s (goal ≥ 0.5) */
  ratio: number;
  /** peak resident set size of the pipeline process (goal < 300 MB) */
  peakRssMb: number;
  /** its resident set size before the run (Node, the TypeScript loader, the module graph) */
  baseRssMb: number;
  /** the largest V8 heap in use during the run */
  heapPeakMb: number;
  loaded: number;
  quarantined: number;
}

/** A small deterministic PRNG, so every run generates the same file. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const titles = [
  'Melderegisterauskunft',
  'Gewerbe Anmeldung',
  'Bewohnerparkausweis Erteilung',
  'Fahrerlaubnis Änderung',
  'Hundesteuer Festsetzung',
  'Eheschließung Anmeldung',
];
const amts = ['32.2', '32.3', '32.4', '66.02', '73', '50'];
const serviceKey = (s: number) => `99${String(1_000_000_000_000 + s).slice(1)}`;

/** Writes `rows` case-number rows (services × 120 months, ISO-8859-1) as an export would. */
export async function generate(file: string, rows: number): Promise<number> {
  const services = Math.ceil(rows / MONTHS);
  const next = random(rows);
  const out = createWriteStream(file);
  const header = 'Leistung;Leistungsbezeichnung;Monat;Anträge online;Anträge offline;Termine;Median Bearbeitungstage;Amt\r\n';
  let chunk = header;
  for (let i = 0; i < rows; i++) {
    const s = Math.floor(i / MONTHS);
    const m = i % MONTHS;
    const month = `${String((m % 12) + 1).padStart(2, '0')}.${2015 + Math.floor(m / 12)}`;
    const median = (next() * 40).toFixed(1).replace('.', ',');
    chunk += `${serviceKey(s)};${titles[s % titles.length]} ${s};${month};${Math.floor(next() * 900)};${Math.floor(next() * 900)};${Math.floor(next() * 500)};${median};${amts[s % amts.length]}\r\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(Buffer.from(chunk, 'latin1'))) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(Buffer.from(chunk, 'latin1'));
  await once(out, 'finish');
  return services;
}

/** The source definition of a generated export, as sources.yaml would declare it. */
function benchSource(file: string): SourceDefinition {
  return {
    name: 'bench-fallzahlen',
    title: 'Benchmark: generierte Fallzahlen',
    connector: 'fachverfahren',
    schedule: undefined,
    drift: 'freeze',
    sample: false,
    enabled: true,
    baseDir: dirname(file),
    config: {
      feed: 'fallzahlen',
      path: basename(file),
      encoding: 'iso-8859-1',
      delimiter: ';',
      decimal: ',',
      dateFormat: 'DD.MM.YYYY',
      skipLines: 0,
    },
  };
}

function vmKb(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** For profiling (HRO_BENCH_TRACE_SQL=<ms>): statements slower than that, on stderr. */
function traceSlowStatements(thresholdMs: number): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? '(copy)');
    const report = () => {
      const ms = performance.now() - started;
      if (ms >= thresholdMs) process.stderr.write(`[sql ${ms.toFixed(0)} ms] ${text.replace(/\s+/g, ' ').slice(0, 160)}\n`);
    };
    // pg.Pool calls with a callback, everything else awaits the promise
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (...cbArgs: unknown[]) => {
        report();
        return (last as (...a: unknown[]) => unknown)(...cbArgs);
      };
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) void result.finally(report);
    return result;
  };
}

/** The child: one pipeline run over the file; prints its summary and its own peak RSS as JSON. */
async function child(url: string, file: string): Promise<void> {
  if (process.env.HRO_BENCH_TRACE_SQL) traceSlowStatements(Number(process.env.HRO_BENCH_TRACE_SQL));
  const pool = createPool(url, 4);
  const log = createLogger(process.env.HRO_BENCH_LOG_LEVEL ?? 'warn');
  // what the process holds before the run: Node, the TypeScript loader, the module graph
  const baseKb = vmKb('self', 'VmRSS');
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const run = await runSource(pool, benchSource(file), { log });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  // HRO_BENCH_REPEAT=1: the same export once more — every row unchanged, so every row takes the staged way
  if (process.env.HRO_BENCH_REPEAT) {
    const again = performance.now();
    const repeat = await runSource(pool, benchSource(file), { log });
    process.stderr.write(
      `repeat of the same export: ${((performance.now() - again) / 1000).toFixed(1)} s, ${repeat.loaded} loaded, ${repeat.unchanged} unchanged\n`,
    );
  }
  await pool.end();
  process.stdout.write(
    `${JSON.stringify({ run, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, hwmKb: vmKb('self', 'VmHWM'), baseKb, heapPeakMb: heapPeak / 2 ** 20 })}\n`,
  );
}

async function runChild(
  url: string,
  file: string,
): Promise<{
  run: { status: string; loaded: number; quarantined: number; error?: string };
  seconds: number;
  cpuSeconds: number;
  peakKb: number;
  baseKb: number;
  heapPeakMb: number;
}> {
  const proc = spawn(
    process.execPath,
    [
      ...nodeFlags,
      // for profiling: HRO_BENCH_CPU_PROF=<dir> writes the pipeline's CPU profile there
      ...(process.env.HRO_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HRO_BENCH_CPU_PROF}`] : []),
      '--import',
      './scripts/ts-hooks.mjs',
      here,
      '--child',
      url,
      file,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let peak = 0;
  const sampler = setInterval(() => {
    if (proc.pid) peak = Math.max(peak, vmKb(proc.pid, 'VmRSS'));
  }, 25);
  let stdout = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const [code] = (await once(proc, 'exit')) as [number | null];
  clearInterval(sampler);
  if (code !== 0) throw new Error(`pipeline child exited with ${code}: ${stdout}`);
  const lines = stdout.trim().split('\n');
  // with HRO_BENCH_LOG_LEVEL set, the child's pipeline log precedes its result
  if (lines.length > 1) process.stderr.write(`${lines.slice(0, -1).join('\n')}\n`);
  const result = JSON.parse(lines.at(-1) ?? '{}') as {
    run: { status: string; loaded: number; quarantined: number; error?: string };
    seconds: number;
    cpuSeconds: number;
    hwmKb: number;
    baseKb: number;
    heapPeakMb: number;
  };
  return { ...result, peakKb: Math.max(peak, result.hwmKb) };
}

/** Runs the benchmark for each row count on a fresh database of one embedded cluster. */
export async function measure(rowCounts: number[]): Promise<CsvBenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hro-bench-csv-'));
  // the server process (as the postgres OS user when run as root) reads the file for COPY
  chmodSync(dir, 0o755);
  const log = createLogger('warn');
  const cluster = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), port: await freePort(), log });
  const results: CsvBenchResult[] = [];
  try {
    for (const rows of rowCounts) {
      const database = `bench_csv_${rows}`;
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`drop database if exists ${database}`);
      await admin.query(`create database ${database}`);
      await admin.end();
      const u = new URL(cluster.url);
      u.pathname = `/${database}`;
      const url = u.toString();
      const orm = await createOrm(url, log, 2);
      await migrate(orm);
      await orm.close(true);

      const file = join(dir, `fallzahlen-${rows}.csv`);
      const services = await generate(file, rows);
      chmodSync(file, 0o644);
      const pool = createPool(url, 2);
      // org units (Amt codes) and the catalog's services, as after the strategy and OZG sources;
      // one service in a hundred is unknown and becomes a local service in the merge
      const strategy = loadSources().find((s) => s.name === 'strategy-catalog');
      if (strategy) await runSource(pool, strategy, { log });
      await pool.query(
        `insert into core.service (key, kind, leika_key, title)
         select 'leika:' || k, 'leika', k, 'Leistung ' || s from generate_series(0, $1::int - 1) s
         cross join lateral (select '99' || substr((1000000000000 + s)::text, 2) as k) key where s % 100 <> 7`,
        [services],
      );

      const pipeline = await runChild(url, file);
      if (pipeline.run.status !== 'succeeded') throw new Error(`pipeline run failed: ${pipeline.run.error ?? ''}`);

      await pool.query(`create table bench_copy (
        leistung text, leistungsbezeichnung text, monat text, antraege_online integer, antraege_offline integer,
        termine integer, median_bearbeitungstage text, amt text, primary key (leistung, monat))`);
      const copyStarted = performance.now();
      await pool.query(`copy bench_copy from '${file}' with (format csv, delimiter ';', header true, encoding 'LATIN1')`);
      const copySeconds = (performance.now() - copyStarted) / 1000;
      await pool.end();

      const pipelineRowsPerSecond = rows / pipeline.seconds;
      const copyRowsPerSecond = rows / copySeconds;
      results.push({
        rows,
        fileMb: statSync(file).size / 2 ** 20,
        services,
        pipelineSeconds: pipeline.seconds,
        pipelineCpuSeconds: pipeline.cpuSeconds,
        pipelineRowsPerSecond,
        copySeconds,
        copyRowsPerSecond,
        ratio: pipelineRowsPerSecond / copyRowsPerSecond,
        peakRssMb: pipeline.peakKb / 1024,
        baseRssMb: pipeline.baseKb / 1024,
        heapPeakMb: pipeline.heapPeakMb,
        loaded: pipeline.run.loaded,
        quarantined: pipeline.run.quarantined,
      });
      rmSync(file, { force: true });
    }
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function table(results: CsvBenchResult[]): string {
  const n = (x: number) => Math.round(x).toLocaleString('en');
  const lines = [
    '| rows | file | pipeline | its CPU | pipeline rows/s | COPY | COPY rows/s | ratio (goal ≥ 0.5) | peak RSS (goal < 300 MB) | RSS before run | run adds | V8 heap peak |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(
      `| ${n(r.rows)} | ${r.fileMb.toFixed(0)} MB | ${r.pipelineSeconds.toFixed(1)} s | ${r.pipelineCpuSeconds.toFixed(1)} s | ${n(r.pipelineRowsPerSecond)} | ${r.copySeconds.toFixed(1)} s | ` +
        `${n(r.copyRowsPerSecond)} | ${r.ratio.toFixed(2)}× | ${n(r.peakRssMb)} MB | ${n(r.baseRssMb)} MB | ${n(r.peakRssMb - r.baseRssMb)} MB | ${n(r.heapPeakMb)} MB |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] === here) {
  if (process.argv[2] === '--child') {
    await child(process.argv[3] ?? '', process.argv[4] ?? '');
  } else {
    const rowCounts = (process.argv[2] ?? '1000000').split(',').map((n) => Number(n.replace(/_/g, '')));
    if (rowCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('usage: csv.bench.ts [rows[,rows…]]');
    const results = await measure(rowCounts);
    process.stdout.write(
      `\nCSV → core.service_metric vs. COPY (${new Date().toISOString().slice(0, 10)})\n\n${table(results)}\n\n` +
        `pipeline: runSource in a child process (${nodeFlags.join(' ') || 'no V8 flags'}); ` +
        `COPY: server-side COPY … FROM '<file>' (format csv, encoding LATIN1) into a table without foreign keys\n`,
    );
  }
}

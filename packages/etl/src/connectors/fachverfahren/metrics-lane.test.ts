// The direct lane of the case numbers: what it takes into core.service_metric by COPY and what it
// leaves to the staged merge, and that a run with a lane has the same outcome as one without —
// counts, values, quarantine, repeats, dry runs, failures and kill -9 in the middle of its COPY.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { runSource } from '../../pipeline/run-source.js';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { metricsLane } from './metrics-lane.js';
import { bundledSource, copySource, count, quarantineOf, type SourceCopy } from './test-sources.js';

let db: TestDatabase;
let copy: SourceCopy;
const services = ['99100000000001', '99100000000002', '99100000000003'];
const ids = new Map<string, number>();

beforeAll(async () => {
  db = await createTestDatabase();
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
  expect((await runSource(db.pool, strategy, { log: db.log })).status).toBe('succeeded');
  for (const key of services) {
    const { rows } = await db.pool.query<{ id: number }>(
      `insert into core.service (key, kind, leika_key, title) values ('leika:' || $1::text, 'leika', $1, 'Testleistung') returning id`,
      [key],
    );
    ids.set(key, rows[0]?.id ?? 0);
  }
  copy = copySource(bundledSource('fachverfahren-fallzahlen'));
});
afterAll(async () => {
  copy.remove();
  await db.close();
});

const header = 'Leistung;Leistungsbezeichnung;Monat;Anträge online;Anträge offline;Termine;Median Bearbeitungstage;Amt';

/** An export as the statistics module writes it (a title row, then the header), CRLF. */
function exportOf(rows: string[]): string {
  return `${['Fallzahlen je Leistung (Test)', header, ...rows].join('\r\n')}\r\n`;
}

const row = (service: string, month: string, online: number, median = '2,5') =>
  `${service};Testleistung;${month};${online};1;2;${median};32.2`;

const metric = async (service: string, month: string) =>
  (
    await db.pool.query<{ online: number; median: string; run_id: number }>(
      `select applications_online as online, median_processing_days::text as median, run_id::int from core.service_metric
       where service_id = $1 and month = $2`,
      [ids.get(service), month],
    )
  ).rows[0];

const metricsOf = async (service: string) => count(db.pool, `core.service_metric where service_id = ${ids.get(service) ?? 0}`);

describe('the direct lane of core.service_metric', () => {
  it('takes new months of known services, and leaves stored months, unknown services, repeats and records without a line to the merge', async () => {
    const s = services[0] as string;
    const id = ids.get(s) ?? 0;
    await db.pool.query(
      `insert into core.service_metric (service_id, month, applications_online) values ($1, '2001-01-01', 1), ($1, '2001-03-01', 1)`,
      [id],
    );
    const tx = await db.pool.connect();
    try {
      await tx.query('begin');
      const run = await tx.query<{ id: number }>(`insert into etl.run (source, dry_run) values ('lane-test', false) returning id`);
      const runId = run.rows[0]?.id ?? 0;
      const lane = await metricsLane.open(tx, { runId, source: 'lane-test', log: db.log });
      const record = (month: string, key = s) => ({
        service_key: `leika:${key}`,
        leika_key: key,
        service_title: 'Testleistung',
        month,
        applications_online: 7,
        applications_offline: null,
        appointments: 0,
        median_processing_days: 2.5,
        org_unit_code: 'nicht-da',
      });
      // a month after the stored ones: into the table, as a COPY line
      expect(lane.line(record('2001-04-01'), 'f.csv:3', 3)).toBe(`${id}\t2001-04-01\t7\t\\N\t0\t2.5\t\\N\t${runId}\n`);
      // before them, too (an export may run backwards in time)
      expect(lane.line(record('2000-12-01'), 'f.csv:4', 4)).toMatch(/^\d+\t2000-12-01\t/);
      // counts beyond the small ones, and a fractional median, written as PostgreSQL reads them
      expect(lane.line({ ...record('2001-06-01'), applications_online: 123456, median_processing_days: 0.25 }, 'f.csv:13', 13)).toBe(
        `${id}\t2001-06-01\t123456\t\\N\t0\t0.25\t\\N\t${runId}\n`,
      );
      // inside the stored span — even a month it lacks — goes to the merge
      expect(lane.line(record('2001-02-01'), 'f.csv:5', 5)).toBeUndefined();
      expect(lane.line(record('2001-03-01'), 'f.csv:6', 6)).toBeUndefined();
      // a service the catalog does not hold (the merge creates it)
      expect(lane.line(record('2001-04-01', '99999999999999'), 'f.csv:7', 7)).toBeUndefined();
      // a record whose extract tells no line (a page of an API, a feature)
      expect(lane.line(record('2001-05-01'), 'page 1 #2', undefined)).toBeUndefined();
      // a key the lane took already: the repeat goes to the merge (and every further one)
      expect(lane.line(record('2001-04-01'), 'f.csv:9', 9)).toBeUndefined();
      expect(lane.line(record('2001-04-01'), 'f.csv:10', 10)).toBeUndefined();
      // months far apart still tracked; beyond a century from the first, merged
      expect(lane.line(record('2050-01-01'), 'f.csv:11', 11)).toMatch(/\t2050-01-01\t/);
      expect(lane.line(record('2150-01-01'), 'f.csv:12', 12)).toBeUndefined();
    } finally {
      await tx.query('rollback');
      tx.release();
    }
    await db.pool.query(`delete from core.service_metric where service_id = $1`, [id]);
  });

  it('loads a first history directly; the same export again changes nothing', async () => {
    const s = services[1] as string;
    const months = Array.from({ length: 24 }, (_, i) => `${String((i % 12) + 1).padStart(2, '0')}.${2010 + Math.floor(i / 12)}`);
    copy.write(exportOf(months.map((m, i) => row(s, m, i))));
    const first = await runSource(db.pool, copy.source, { log: db.log });
    expect(first).toMatchObject({ status: 'succeeded', read: 24, loaded: 24, unchanged: 0, quarantined: 0 });
    expect(await metric(s, '2011-12-01')).toEqual({ online: 23, median: '2.50', run_id: first.runId });

    const again = await runSource(db.pool, copy.source, { log: db.log });
    expect(again).toMatchObject({ status: 'succeeded', read: 24, loaded: 0, unchanged: 24, quarantined: 0 });
    expect(await metric(s, '2011-12-01')).toEqual({ online: 23, median: '2.50', run_id: first.runId });
    expect(await metricsOf(s)).toBe(24);

    // appended months by the lane, a changed stored month by the merge, an unchanged one untouched
    copy.write(exportOf([row(s, '01.2012', 100), row(s, '02.2012', 101), row(s, '05.2010', 55), row(s, '06.2010', 5)]));
    const next = await runSource(db.pool, copy.source, { log: db.log });
    expect(next).toMatchObject({ status: 'succeeded', read: 4, loaded: 3, unchanged: 1, quarantined: 0 });
    expect(await metric(s, '2012-02-01')).toEqual({ online: 101, median: '2.50', run_id: next.runId });
    expect(await metric(s, '2010-05-01')).toEqual({ online: 55, median: '2.50', run_id: next.runId });
    expect(await metric(s, '2010-06-01')).toEqual({ online: 5, median: '2.50', run_id: first.runId });
    expect(await metricsOf(s)).toBe(26);
  });

  it('of a key repeated in the lane, quarantines the earlier lines with their positions and loads the last', async () => {
    const s = services[2] as string;
    copy.write(
      exportOf([row(s, '01.2020', 1), row(s, '02.2020', 2), row(s, '01.2020', 3), row(s, '03.2020', 4), row(s, '01.2020', 5, '7,25')]),
    );
    const run = await runSource(db.pool, copy.source, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 5, loaded: 3, unchanged: 0, quarantined: 2 });
    expect(await metric(s, '2020-01-01')).toEqual({ online: 5, median: '7.25', run_id: run.runId });
    const file = copy.source.config.path;
    expect((await quarantineOf(db.pool, run.runId)).map((q) => [q.position, q.reason_code])).toEqual([
      [`${file}:3`, 'ROW_DUPLICATE_KEY'],
      [`${file}:5`, 'ROW_DUPLICATE_KEY'],
    ]);
    const raw = await db.pool.query<{ raw: Record<string, unknown>; reason: string }>(
      `select raw, reason from etl.quarantine where run_id = $1 and position = $2`,
      [run.runId, `${file}:3`],
    );
    expect(raw.rows[0]?.raw).toMatchObject({ entity: 'metric', service_key: `leika:${s}`, month: '2020-01-01', applications_online: 1 });
    expect(raw.rows[0]?.reason).toBe(`key service_key+month appears again at ${file}:5; the last occurrence is loaded`);
    expect(await metricsOf(s)).toBe(3);
  });

  it('a dry run, and a run that fails after the lane took rows, leave the table as it was', async () => {
    const s = services[0] as string;
    const rows = Array.from({ length: 5000 }, (_, i) => row(s, `${String((i % 12) + 1).padStart(2, '0')}.${1500 + Math.floor(i / 12)}`, i));
    copy.write(exportOf(rows.slice(0, 1200)));
    const before = await count(db.pool, 'core.service_metric');
    const version = await db.pool.query(`select version from core.data_version`);

    const dry = await runSource(db.pool, copy.source, { log: db.log, dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', dryRun: true, read: 1200, loaded: 1200 });
    expect(await count(db.pool, 'core.service_metric')).toBe(before);

    copy.write(exportOf(rows));
    const abort = new AbortController();
    const failed = await runSource(db.pool, copy.source, {
      log: db.log,
      signal: abort.signal,
      onProgress: ({ read }) => {
        if (read >= 3000) abort.abort(new Error('stopped by the test'));
      },
    });
    expect(failed.status).toBe('failed');
    expect(await count(db.pool, 'core.service_metric')).toBe(before);
    expect((await db.pool.query(`select version from core.data_version`)).rows).toEqual(version.rows);
    // nothing is left holding the lane's locks or connection
    const busy = await db.pool.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
    );
    expect(busy.rows[0]).toEqual({ n: 0 });
  });

  it('kill -9 while the lane is copying leaves the table as it was, and the next run loads', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hro-lane-crash-'));
    try {
      const file = join(dir, 'fallzahlen.csv');
      // a century of months of each service: more than one COPY chunk (the crash comes after the first)
      const lines = services.flatMap((s) =>
        Array.from({ length: 1200 }, (_, i) => row(s, `${String((i % 12) + 1).padStart(2, '0')}.${2100 + Math.floor(i / 12)}`, i)),
      );
      writeFileSync(file, `${[header, ...lines].join('\n')}\n`);
      const sources = join(dir, 'sources.yaml');
      writeFileSync(
        sources,
        `sources:\n  lane-crash:\n    title: Absturztest\n    connector: fachverfahren\n    config:\n      feed: fallzahlen\n` +
          `      path: ${file}\n      encoding: utf-8\n      delimiter: ';'\n`,
      );
      const before = await count(db.pool, 'core.service_metric');
      const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', '@swc-node/register/esm-register', 'packages/etl/src/cli/main.ts', 'run', 'lane-crash', '--sources', sources],
          { cwd: repoRoot, env: { ...process.env, DATABASE_URL: db.url, HRO_ETL_CRASH_AT: 'direct' }, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
      });
      expect(result.signal, `exit ${result.code}: ${result.stderr}`).toBe('SIGKILL');
      expect(await count(db.pool, 'core.service_metric')).toBe(before);

      // PostgreSQL ends the dead session (and its transaction and locks) once it reads the closed socket
      for (let waited = 0; waited < 10_000; waited += 100) {
        const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from pg_locks where locktype = 'advisory'`);
        if (rows[0]?.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const source = loadSources(sources).find((x) => x.name === 'lane-crash') as SourceDefinition;
      const next = await runSource(db.pool, source, { log: db.log });
      expect(next).toMatchObject({ status: 'succeeded', read: 3600, loaded: 3600 });
      expect(await count(db.pool, 'core.service_metric')).toBe(before + 3600);
      const dead = await db.pool.query(`select status, error_code from etl.run where source = 'lane-crash' and id <> $1`, [next.runId]);
      expect(dead.rows).toEqual([{ status: 'failed', error_code: 'ETL_ABANDONED' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

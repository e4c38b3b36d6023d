// Several API processes on one database, as behind a load balancer: two real server processes
// (packages/portal/src/main.ts, as `npm start` runs it, with DATABASE_URL and the in-process ETL
// scheduler off) keep GraphQL response caches of their own. A change of the data — an ETL run
// committed by a third process, or a catalog mutation sent to one of them — reaches the other's
// cache through LISTEN/NOTIFY (core.data_version); each serves the fresh answer within 2 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from '@hro/api';
import { createApiKey, syncCatalog } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, runSource, type SourceDefinition } from '@hro/etl';

const FRESH_WITHIN_MS = 2000;

let db: TestDatabase;
let adminKey: string;
const children: ChildProcess[] = [];
const bases: string[] = [];
const dirs: string[] = [];

async function startServer(): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', './scripts/ts-hooks.mjs', 'packages/portal/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      HRO_ETL_SCHEDULER: 'off',
      HRO_SAMPLE_LOAD: 'never',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!out.includes('is running')) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${out}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
  await runSource(db.pool, strategy, { log: db.log });
  adminKey = (await createApiKey(db.pool, { name: 'Betrieb', role: 'admin' })).key;
  bases.push(...(await Promise.all([startServer(), startServer()])));
}, 180_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await db.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function ask(base: string, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { cache: res.headers.get('x-hro-cache'), body: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
}

/** Asks until `fresh` holds or the bound passes; returns how long that took. */
async function freshWithin(base: string, query: string, fresh: (data: Record<string, unknown> | undefined) => boolean): Promise<number> {
  const started = Date.now();
  while (!fresh((await ask(base, query)).body.data)) {
    if (Date.now() - started > FRESH_WITHIN_MS) throw new Error(`${base} still serves stale data after ${FRESH_WITHIN_MS} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

async function warm(query: string): Promise<void> {
  for (const base of bases) {
    await ask(base, query);
    expect((await ask(base, query)).cache, base).toBe('hit');
  }
}

describe('two API processes on one database', () => {
  it('both serve an ETL run committed by a third process within the bound', { timeout: 60_000 }, async () => {
    const query = '{ pillars { key name } }';
    const serviceName = (data: Record<string, unknown> | undefined) =>
      (data?.pillars as { key: string; name: string }[] | undefined)?.find((p) => p.key === 'service')?.name;
    await warm(query);
    expect(serviceName((await ask(bases[0] ?? '', query)).body.data)).toBe('Service-Management');

    // the ETL worker's run: a changed source file, loaded and committed from this (third) process
    const bundled = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
    const dir = mkdtempSync(join(tmpdir(), 'hro-scale-'));
    dirs.push(dir);
    cpSync(join(bundled.baseDir, 'data/strategy'), dir, { recursive: true });
    const file = join(dir, 'pillars.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('service,Service-Management,', 'service,Service-Management (neu),'));
    const run = await runSource(db.pool, { ...bundled, config: { path: dir }, baseDir: dir }, { log: db.log });
    expect(run.status).toBe('succeeded');

    for (const base of bases) {
      await freshWithin(base, query, (data) => serviceName(data) === 'Service-Management (neu)');
      expect((await ask(base, query)).cache).toBe('hit');
    }
  });

  it('serves a catalog mutation sent to one process from the other within the bound', { timeout: 60_000 }, async () => {
    const [a = '', b = ''] = bases;
    const query = '{ datasets(first: 100) { totalCount nodes { name } } }';
    const names = (data: Record<string, unknown> | undefined) =>
      ((data?.datasets as { nodes: { name: string }[] } | undefined)?.nodes ?? []).map((n) => n.name);
    await warm(query);
    expect(names((await ask(b, query)).body.data)).not.toContain('fachverfahren-auszug');

    const registered = await ask(
      a,
      'mutation ($input: DatasetInput!) { registerDataset(input: $input) { name } }',
      { authorization: adminKey },
      {
        input: {
          name: 'fachverfahren-auszug',
          title: 'Fachverfahren (Auszug)',
          license: 'dl-by-de/2.0',
          organization: 'hro-digitalisierung',
          view: 'open.procedures',
        },
      },
    );
    expect(registered.body.errors).toBeUndefined();
    await freshWithin(b, query, (data) => names(data).includes('fachverfahren-auszug'));
    await freshWithin(a, query, (data) => names(data).includes('fachverfahren-auszug'));
  });
});

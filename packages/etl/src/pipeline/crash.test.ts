// kill -9 at every pipeline step: the process dies (SIGKILL, as from outside) while loading a
// changed copy of the strategy source; the previous data must be complete and unchanged, and the
// next run must succeed and mark the dead run failed.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../sources/sources.js';
import { pipelineSteps } from './faults.js';
import { runSource } from './run-source.js';

const bundled = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
let db: TestDatabase;
let dir: string;
let sourcesFile: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await runSource(db.pool, bundled, { log: db.log });
  // a changed copy: every initiative title gets a suffix, so partial merges would show
  dir = mkdtempSync(join(tmpdir(), 'hro-crash-'));
  cpSync(join(bundled.baseDir, 'data/strategy'), join(dir, 'strategy'), { recursive: true });
  const file = join(dir, 'strategy', 'initiatives.yaml');
  const changed = readFileSync(file, 'utf8').replace(/^(\s+title: (['"]).*)\2$/gm, '$1 (geändert)$2');
  expect(changed.match(/\(geändert\)/g)).toHaveLength(33);
  writeFileSync(file, changed);
  sourcesFile = join(dir, 'sources.yaml');
  writeFileSync(
    sourcesFile,
    `sources:\n  strategy-catalog:\n    title: Absturztest\n    connector: strategy\n    config:\n      path: ${join(dir, 'strategy')}\n`,
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.close();
});

function runCliUntilKilled(step: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', 'packages/etl/src/cli/main.ts', 'run', 'strategy-catalog', '--sources', sourcesFile],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: db.url, HRO_ETL_CRASH_AT: step }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

const snapshot = async () =>
  (await db.pool.query(`select key, title, last_run_id from core.initiative order by key`)).rows as {
    key: string;
    title: string;
    last_run_id: number;
  }[];

describe('kill -9 during an ETL run', () => {
  it.each(pipelineSteps)('at step "%s" leaves the previous data intact, and the next run succeeds', { timeout: 60_000 }, async (step) => {
    const before = await snapshot();
    expect(before).toHaveLength(33);
    const version = (await db.pool.query<{ version: number }>(`select version from core.data_version`)).rows[0]?.version;

    const result = await runCliUntilKilled(step);
    expect(result.signal, result.stderr).toBe('SIGKILL');

    expect(await snapshot()).toEqual(before);
    expect((await db.pool.query<{ version: number }>(`select version from core.data_version`)).rows[0]?.version).toBe(version);
    const dead = await db.pool.query<{ id: number; status: string }>(`select id, status from etl.run order by id desc limit 1`);
    expect(dead.rows[0]?.status).toBe('running');

    // PostgreSQL ends the dead process's sessions (and frees their advisory lock) once it reads
    // the closed sockets — at once when idle, a moment later on a busy machine
    for (let waited = 0; waited < 10_000; waited += 100) {
      const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from pg_locks where locktype = 'advisory'`);
      if (rows[0]?.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const next = await runSource(db.pool, bundled, { log: db.log });
    expect(next.status).toBe('succeeded');
    const marked = await db.pool.query(`select status, error_code from etl.run where id = $1`, [dead.rows[0]?.id]);
    expect(marked.rows[0]).toEqual({ status: 'failed', error_code: 'ETL_ABANDONED' });
    expect(await snapshot()).toEqual(before);
  });

  it('without a crash the same command loads the changed copy (so the cases above can fail)', { timeout: 60_000 }, async () => {
    const result = await runCliUntilKilled('none');
    expect(result.code, result.stderr).toBe(0);
    const titles = (await snapshot()).map((r) => r.title);
    expect(titles.every((t) => t.endsWith('(geändert)'))).toBe(true);
  });
});

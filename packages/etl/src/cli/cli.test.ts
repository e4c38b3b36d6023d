import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../sources/sources.js';

const bundled = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'hro-cli-'));
  cpSync(join(bundled.baseDir, 'data/strategy'), join(dir, 'good'), { recursive: true });
  cpSync(join(bundled.baseDir, 'data/strategy'), join(dir, 'bad-row'), { recursive: true });
  const pillars = join(dir, 'bad-row', 'pillars.csv');
  writeFileSync(pillars, readFileSync(pillars, 'utf8') + ',Ohne Schlüssel,\n');
  const sources = (name: string, path: string) =>
    `sources:\n  ${name}:\n    title: CLI-Test\n    connector: strategy\n    config:\n      path: ${path}\n`;
  writeFileSync(join(dir, 'good.yaml'), sources('strategy-catalog', join(dir, 'good')));
  writeFileSync(join(dir, 'bad-row.yaml'), sources('strategy-catalog', join(dir, 'bad-row')));
  writeFileSync(join(dir, 'missing.yaml'), sources('strategy-catalog', join(dir, 'nowhere')));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.close();
});

function etl(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'packages/etl/src/cli/main.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('etl CLI', () => {
  it('lists sources as JSON', { timeout: 30_000 }, async () => {
    const { code, stdout } = await etl('sources', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { name: string }[]).map((s) => s.name)).toContain('strategy-catalog');
  });

  it('exits 0 for a clean run, 2 with quarantined rows, 1 for a failed run', { timeout: 60_000 }, async () => {
    const ok = await etl('run', 'strategy-catalog', '--json', '--sources', join(dir, 'good.yaml'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject([{ source: 'strategy-catalog', status: 'succeeded', quarantined: 0 }]);

    const quarantined = await etl('run', 'strategy-catalog', '--json', '--sources', join(dir, 'bad-row.yaml'));
    expect(quarantined.code).toBe(2);
    expect(JSON.parse(quarantined.stdout)).toMatchObject([{ status: 'succeeded', quarantined: 1 }]);
    const runId = (JSON.parse(quarantined.stdout) as { runId: number }[])[0]?.runId;

    const shown = await etl('quarantine', String(runId), '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject([{ position: 'pillars.csv:6', reason_code: 'ROW_INVALID_VALUE' }]);

    const failed = await etl('run', 'strategy-catalog', '--sources', join(dir, 'missing.yaml'));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAILED strategy-catalog run \d+: .*ENOENT/m);
  });

  it('rejects an unknown source with a clear message', { timeout: 30_000 }, async () => {
    const { code, stderr } = await etl('run', 'no-such-source');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('etl: unknown source "no-such-source" (see: etl sources)');
  });
});

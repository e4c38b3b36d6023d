// Starts the platform exactly as the README's `npm start` does (scripts/bootstrap.mjs start) and
// checks all three surfaces over real HTTP, a restart that reuses the data, a clean shutdown, and
// the one-line errors for bad configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from '@hro/api';

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['scripts/bootstrap.mjs', 'start'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(started: Started, text: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.stdout().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`exited early (${started.child.exitCode}): ${started.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}": ${started.stdout().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it(
    'brings up portal, GraphQL and CKAN API on embedded Postgres, restarts on the same data, and stops cleanly',
    { timeout: 240_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'hro-e2e-'));
      dirs.push(dataDir);
      const port = await freePort();
      const env = { PORT: String(port), HRO_DATA_DIR: dataDir, HRO_EMBEDDED_PG_PORT: String(await freePort()) };
      const base = `http://127.0.0.1:${port}`;

      const first = start(env);
      try {
        await waitFor(first, 'is running');
        expect(first.stdout()).toContain('"msg":"run started"');

        expect((await fetch(`${base}/`)).status).toBe(200);
        const page = await fetch(`${base}/dataset`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Vorhaben der Strategie „Digitale Verwaltung Rostock 2030“');

        const gql = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ initiatives(first: 100) { totalCount } projects(first: 100) { totalCount } }' }),
        });
        expect(await gql.json()).toEqual({ data: { initiatives: { totalCount: 33 }, projects: { totalCount: 10 } } });

        const ckan = (await (await fetch(`${base}/api/3/action/package_list`)).json()) as { success: boolean; result: string[] };
        expect(ckan.success).toBe(true);
        expect(ckan.result).toContain('vorhaben-digitale-verwaltung-rostock-2030');
      } finally {
        first.child.kill('SIGTERM');
      }
      expect(await first.exited).toBe(0);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

      const second = start(env);
      try {
        await waitFor(second, 'is running');
        expect(second.stdout()).not.toContain('"msg":"run started"');
        const gql = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ initiatives { totalCount } }' }),
        });
        expect(await gql.json()).toEqual({ data: { initiatives: { totalCount: 33 } } });
      } finally {
        second.child.kill('SIGINT');
      }
      expect(await second.exited).toBe(0);
    },
  );
});

describe('bad configuration', () => {
  async function failsWith(env: Record<string, string>, pattern: RegExp): Promise<void> {
    const started = start(env);
    expect(await started.exited).toBe(1);
    const lines = started.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(started.stderr()).not.toMatch(/\n\s+at /);
  }

  it('names a malformed PORT', { timeout: 60_000 }, async () => {
    await failsWith({ PORT: 'abc' }, /^hro: invalid configuration: PORT: "abc"/);
  });

  it('names a malformed or unreachable DATABASE_URL', { timeout: 60_000 }, async () => {
    await failsWith({ PORT: String(await freePort()), DATABASE_URL: 'postgres//nohost' }, /^hro: invalid configuration: DATABASE_URL: /);
    await failsWith(
      { PORT: String(await freePort()), DATABASE_URL: `postgres://u:p@127.0.0.1:${await freePort()}/db` },
      /DATABASE_URL: database not reachable \(ECONNREFUSED\)/,
    );
  });

  it('names a port in use and an unwritable data directory', { timeout: 60_000 }, async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
    try {
      await failsWith({ PORT: String(port) }, /^hro: invalid configuration: PORT: port \d+ is already in use/);
    } finally {
      blocker.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'hro-e2e-file-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a-file'), '');
    await failsWith(
      { PORT: String(await freePort()), HRO_DATA_DIR: join(dir, 'a-file', 'data') },
      /^hro: invalid configuration: HRO_DATA_DIR: .* is not writable \(ENOTDIR\)/,
    );
  });
});

// The "Für Entwickler" examples run as a reader would run them (issue 10): every curl snippet in a
// real bash with the system's curl, every TypeScript snippet with Node (type stripping, no build),
// against the real server on a loopback port over the test database with the bundled samples.
// A developer key made in the test stands in for the reader's HRO_API_KEY. The TypeScript snippets
// are also type-checked (strict), so they are TypeScript and not just JavaScript that happens to run.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { repoRoot } from '@hro/api';
import { issueApiKey, syncCatalog, type DomainContext } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources } from '@hro/etl';
import { createApp } from '../app.js';
import { EXAMPLE_BASE, examples } from './examples.js';
import { listenOnLoopback } from '../testing.js';

const run = promisify(execFile);

let db: TestDatabase;
let app: FastifyInstance;
let base: string;
let key: string;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
  // a developer key as the key request page hands it out, issued through the admin's domain action
  const admin: DomainContext = { viewer: { role: 'admin', subject: 'examples test' }, pool: db.pool, log: db.log };
  key = (await issueApiKey(admin, { name: 'Beispiele der Entwicklerdoku', role: 'developer' })).key;
  // the default limits, so the rate-limit examples show the documented headers
  app = await createApp({ pool: db.pool, log: db.log, introspection: true, cacheUrl: db.url });
  base = await listenOnLoopback(app);
  dir = mkdtempSync(join(tmpdir(), 'hro-examples-'));
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ PATH: process.env.PATH ?? '', HOME: tmpdir(), LANG: 'C.UTF-8', HRO_API_KEY: key });
const withBase = (snippet: string) => snippet.replaceAll(EXAMPLE_BASE, base);

describe('the examples as data', () => {
  it('have unique ids, both snippets, and only the documented base URL', () => {
    expect(new Set(examples.map((e) => e.id)).size).toBe(examples.length);
    for (const e of examples) {
      expect(e.curl, e.id).toMatch(/^(curl |[A-Z]+=|#)/m);
      expect(e.ts, e.id).toContain('fetch(');
      // no other host: a reader's copy reaches this server and nothing else
      for (const url of `${e.curl}\n${e.ts}`.matchAll(/https?:\/\/[^\s'"`/]+/g)) expect(url[0], e.id).toBe(EXAMPLE_BASE);
      expect(e.needsKey ?? false, e.id).toBe(/HRO_API_KEY/.test(e.curl) && /HRO_API_KEY/.test(e.ts));
    }
  });
});

describe('every curl snippet runs in a shell', () => {
  for (const example of examples) {
    it(example.id, async () => {
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', withBase(example.curl)], { env: env(), timeout: 20_000 });
      expect(example.check(stdout), `${example.id} (curl)`).toBeUndefined();
    });
  }
});

describe('every TypeScript snippet runs with Node', () => {
  for (const example of examples) {
    it(example.id, async () => {
      const file = join(dir, `${example.id}.mts`);
      writeFileSync(file, withBase(example.ts));
      const { stdout } = await run(process.execPath, ['--no-warnings', file], { env: env(), timeout: 20_000 });
      expect((example.tsCheck ?? example.check)(stdout), `${example.id} (TypeScript)`).toBeUndefined();
    });
  }

  it('type-checks strictly', async () => {
    const checkDir = mkdtempSync(join(tmpdir(), 'hro-examples-tsc-'));
    try {
      for (const example of examples) writeFileSync(join(checkDir, `${example.id}.mts`), `${example.ts}\nexport {};\n`);
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      const options = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
      const types = ['--lib', 'es2022,dom,dom.iterable', '--types', 'node', '--typeRoots', join(repoRoot, 'node_modules', '@types')];
      const files = examples.map((e) => join(checkDir, `${e.id}.mts`));
      const result = await run(process.execPath, [tsc, ...options, ...types, ...files], { timeout: 60_000 }).catch(
        (e: Error & { stdout?: string }) => ({ stdout: e.stdout || e.message }),
      );
      expect(result.stdout).toBe('');
    } finally {
      rmSync(checkDir, { recursive: true, force: true });
    }
  }, 60_000);
});

// `npm run apikey`: the key requests from the portal decided on the command line, rotation that
// prints the new key once, and the list with usage — the real CLI process against a test database.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../config.js';
import { authenticate, collectApiKey, flushKeyUsage, requestApiKey, type ApiKeyRequestRow } from '../access/index.js';
import { forgetVerifiedKeys } from '../access/api-key.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

function apikey(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'packages/api/src/cli/apikey.ts', ...args], {
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

const anonymous = () => ({ viewer: { role: 'anonymous' as const }, pool: db.pool, log: db.log });
const form = (email: string) => ({ name: 'Stadtwerk-App', email, purpose: 'Abfahrtszeiten mit Parkplätzen verbinden.', acceptTerms: true });

describe('apikey CLI', () => {
  it('lists requests, approves one, and rotates the collected key, printing the new key once', { timeout: 90_000 }, async () => {
    const first = await requestApiKey(anonymous(), form('a@example.org'));
    const second = await requestApiKey(anonymous(), form('b@example.org'));

    const listed = await apikey('requests', '--status', 'pending', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as ApiKeyRequestRow[]).map((r) => r.id).sort()).toEqual([first.id, second.id].sort());

    const approved = await apikey('approve', first.id, '--json');
    expect(approved.code, approved.stderr).toBe(0);
    const { apiKey } = JSON.parse(approved.stdout) as { apiKey: { id: number; status: string; role: string } };
    expect(apiKey).toMatchObject({ status: 'approved', role: 'developer' });
    const again = await apikey('approve', first.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^apikey: The request was approved already\n$/);

    const { key } = await collectApiKey(anonymous(), first.id, first.token);
    await authenticate(db.pool, key);

    const rotated = await apikey('rotate', String(apiKey.id));
    expect(rotated.code, rotated.stderr).toBe(0);
    const next = /^(hro_[a-z0-9]{12}_[A-Za-z0-9_-]{43})$/m.exec(rotated.stdout)?.[1] ?? '';
    expect(next).not.toBe('');
    expect(next).not.toBe(key);
    // this process is a running server to the CLI: it forgets verified keys within 30 s — here at once
    forgetVerifiedKeys();
    await expect(authenticate(db.pool, key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await authenticate(db.pool, next)).toEqual({ role: 'developer', subject: `key:${apiKey.id}` });

    // the two requests this process made with the key (before and after the rotation), written as the server does
    await flushKeyUsage(db.pool);
    const list = await apikey('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(
        `^${apiKey.id}\\tdeveloper\\tactive\\thro_[a-z0-9]{12}_…\\t2 requests \\(2 today\\)\\tlast \\d{4}-.*\\tStadtwerk-App$`,
        'm',
      ),
    );
    expect(list.stdout).not.toContain(next);
  });

  it('rejects only with a reason, and explains what is missing', { timeout: 60_000 }, async () => {
    const request = await requestApiKey(anonymous(), form('c@example.org'));
    const bare = await apikey('reject', request.id);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('give --reason');
    const rejected = await apikey('reject', request.id, '--reason', 'Kein Bezug zu Rostock');
    expect(rejected.code, rejected.stderr).toBe(0);
    const listed = JSON.parse((await apikey('requests', '--status', 'rejected', '--json')).stdout) as ApiKeyRequestRow[];
    expect(listed).toMatchObject([{ id: request.id, status: 'rejected', reason: 'Kein Bezug zu Rostock' }]);
    const usage = await apikey('frobnicate');
    expect(usage.code).toBe(1);
    expect(usage.stdout).toContain('apikey requests');
  });
});

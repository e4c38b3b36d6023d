// PostgreSQL goes away under load and comes back: meanwhile every answer is a 503 with a stable
// code (no hang, no 500, no crash), and within 5 s of the database's return the API answers again
// — pool, prepared statements and all. Runs its own embedded cluster, which it stops and restarts.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, freePort } from '@hro/api';
import { createOrm, createPool, migrate, startEmbeddedPostgres, type EmbeddedCluster } from '@hro/api/db';
import { syncCatalog } from '@hro/api/domain';
import { createApp } from '@hro/portal';
import { listenOnLoopback } from '@hro/portal/testing';

const log = createLogger(process.env.HRO_TEST_LOG_LEVEL ?? 'silent');
const dir = mkdtempSync(join(tmpdir(), 'hro-db-restart-'));
let cluster: EmbeddedCluster | undefined;
let port = 0;
let pool: pg.Pool;
let app: Awaited<ReturnType<typeof createApp>>;
let base = '';

beforeAll(async () => {
  chmodSync(dir, 0o755); // initdb runs as the postgres OS user when we are root
  port = await freePort();
  cluster = await startEmbeddedPostgres({ dataDir: dir, port, log });
  const orm = await createOrm(cluster.url, log, 2);
  await migrate(orm);
  await orm.close(true);
  pool = createPool(cluster.url, 5);
  await syncCatalog(pool);
  app = await createApp({ pool, log, introspection: false, rateLimits: { anonymous: 100_000, key: 100_000 } });
  base = await listenOnLoopback(app);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await pool?.end().catch(() => {});
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  code: unknown;
  /** when the request was sent (performance.now()) and how long the answer took */
  at: number;
  ms: number;
}

/** One GraphQL read and one CKAN read; the code is GraphQL's extensions.code or CKAN's __type. */
async function ask(): Promise<Answer[]> {
  const started = performance.now();
  const graphql = fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ initiatives(first: 5) { totalCount } datasets(first: 5) { nodes { name } } }' }),
    signal: AbortSignal.timeout(10_000),
  }).then(async (res) => {
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    return { status: res.status, code: body.errors?.[0]?.extensions?.code ?? null, at: started, ms: performance.now() - started };
  });
  const ckan = fetch(`${base}/api/3/action/package_list`, { signal: AbortSignal.timeout(10_000) }).then(async (res) => {
    const body = (await res.json()) as { error?: { __type?: string } };
    return { status: res.status, code: body.error?.__type ?? null, at: started, ms: performance.now() - started };
  });
  // a connection the server drops counts as status 0 (and fails the test)
  const dropped = (e: unknown): Answer => ({ status: 0, code: String(e), at: started, ms: performance.now() - started });
  return Promise.all([graphql.catch(dropped), ckan.catch(dropped)]);
}

describe('PostgreSQL restarted under API load', () => {
  it('answers 503 with a code while it is gone and recovers within 5 s of its return', async () => {
    expect((await ask()).map((a) => a.status)).toEqual([200, 200]);

    // load while the database goes down
    let stop = false;
    const seen: Answer[] = [];
    const load = (async () => {
      while (!stop) seen.push(...(await ask()));
    })();
    await new Promise((r) => setTimeout(r, 300));
    await cluster?.stop();
    cluster = undefined;
    const downAt = performance.now();
    await new Promise((r) => setTimeout(r, 1500));
    const upAt = performance.now();
    // answers to requests sent while the database was down (and answered before its return)
    const whileDown = seen.filter((a) => a.at > downAt && a.at + a.ms < upAt);
    expect(whileDown.length).toBeGreaterThan(0);
    for (const a of whileDown) {
      expect(a.status).toBe(503);
      expect(['UNAVAILABLE', 'Service Unavailable']).toContain(a.code);
      expect(a.ms).toBeLessThan(10_000);
    }

    cluster = await startEmbeddedPostgres({ dataDir: dir, port, log });
    const back = performance.now();
    let recoveredAfter = Number.POSITIVE_INFINITY;
    while (performance.now() - back < 10_000) {
      const answers = await ask();
      if (answers.every((a) => a.status === 200)) {
        recoveredAfter = performance.now() - back;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    stop = true;
    await load;
    process.stdout.write(
      `db restart: ${whileDown.length} answers while down, recovered ${Math.round(recoveredAfter)} ms after the restart\n`,
    );
    expect(recoveredAfter).toBeLessThan(5_000);
    // nothing but 200 and 503 ever (no 500, no hang)
    expect(new Set(seen.map((a) => a.status))).toEqual(new Set(seen.map((a) => a.status).filter((s) => s === 200 || s === 503)));
  }, 90_000);
});

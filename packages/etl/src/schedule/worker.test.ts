import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { createPool } from '@hro/api/db';
import { loadSources } from '../sources/sources.js';
import { startEtlWorker, type EtlWorker } from './worker.js';

let db: TestDatabase;
const workers: EtlWorker[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await db.close();
});

async function waitForRuns(n: number, timeoutMs = 20_000): Promise<{ status: string }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.pool.query<{ status: string }>(
      `select status from etl.run where source = 'strategy-catalog' and status <> 'running'`,
    );
    if (rows.length >= n || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ETL worker on the Postgres job queue', () => {
  it('accepts the cron schedule of every declared source', async () => {
    const worker = await startEtlWorker(db.pool, { log: db.log, sources: loadSources(), pollInterval: 100 });
    workers.push(worker);
    expect(loadSources().filter((s) => s.schedule).length).toBeGreaterThan(0);
  });

  it('runs a queued source once, even when two workers in separate pools are asked at the same time', async () => {
    const otherPool = createPool(db.url, 3);
    try {
      const second = await startEtlWorker(otherPool, { log: db.log, schedule: false, pollInterval: 100 });
      workers.push(second);
      const first = workers[0];
      if (!first) throw new Error('first worker missing');
      await Promise.all([first.enqueue('strategy-catalog'), second.enqueue('strategy-catalog')]);
      const runs = await waitForRuns(1);
      expect(runs.map((r) => r.status)).toEqual(['succeeded']);
      // the job key de-duplicated the two requests: no second run follows
      await new Promise((r) => setTimeout(r, 1000));
      expect(await waitForRuns(1, 0)).toHaveLength(1);
      const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from core.initiative`);
      expect(rows[0]?.n).toBe(33);
    } finally {
      await workers.pop()?.stop();
      await otherPool.end();
    }
  });

  it('refuses to queue an unknown source', async () => {
    await expect(workers[0]?.enqueue('no-such-source')).rejects.toThrow(/unknown source/);
  });
});

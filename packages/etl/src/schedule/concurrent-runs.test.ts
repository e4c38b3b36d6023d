// Several ETL processes on one database never load the same source twice at once: runSource
// takes an advisory lock per source before it writes anything. The overlap is made certain here
// by starting the competitor from inside the first run's merge transaction (afterMerge), while
// the lock is held. (worker.test.ts covers the queue's de-duplication of two requests, and
// run-source.test.ts a run refused while a lock is held by hand.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import { ConflictError } from '@hro/api';
import { createPool } from '@hro/api/db';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { runSource, type RunSummary } from '../pipeline/run-source.js';
import { loadSources, type SourceDefinition } from '../sources/sources.js';
import { startEtlWorker } from './worker.js';

const source = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;

let db: TestDatabase;
const pools: Pool[] = [];
/** A pool of its own, as another process or machine has. */
const processPool = () => {
  const pool = createPool(db.url, 4);
  pools.push(pool);
  return pool;
};

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  await db.close();
});

const runs = async () =>
  (await db.pool.query<{ status: string }>(`select status from etl.run where source = $1 order by id`, [source.name])).rows.map(
    (r) => r.status,
  );

describe('ETL runs of one source from several processes', () => {
  it('lets exactly one of two simultaneous runs load the source; the other is refused before it writes', async () => {
    const [a, b] = [processPool(), processPool()];
    let competitor: RunSummary | Error | undefined;
    const first = await runSource(a, source, {
      log: db.log,
      afterMerge: async () => {
        competitor = await runSource(b, source, { log: db.log }).catch((e: unknown) => e as Error);
      },
    });
    expect(first.status).toBe('succeeded');
    expect(competitor).toBeInstanceOf(ConflictError);
    expect(await runs()).toEqual(['succeeded']);
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from core.initiative`);
    expect(rows[0]?.n).toBe(33);
  });

  it('makes a worker skip a queued run while another process loads the source, without retrying it', async () => {
    const worker = await startEtlWorker(processPool(), { log: db.log, sources: [source], schedule: false, pollInterval: 100 });
    try {
      const queued = async () =>
        (await db.pool.query<{ n: number }>(`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'etl_run_source'`))
          .rows[0]?.n ?? -1;
      let drained = false;
      const loading = await runSource(processPool(), source, {
        log: db.log,
        afterMerge: async () => {
          await worker.enqueue(source.name);
          // the worker picks the job up while this run holds the source's lock
          for (let i = 0; i < 200 && !drained; i++) {
            drained = (await queued()) === 0;
            if (!drained) await new Promise((r) => setTimeout(r, 50));
          }
        },
      });
      expect(loading.status).toBe('succeeded');
      expect(drained).toBe(true);
      // one run recorded (the skipped job left none), and the job is done, not waiting for a retry
      expect(await runs()).toEqual(['succeeded', 'succeeded']);
      expect(await queued()).toBe(0);

      // the worker is not stuck: once the source is free, a queued run loads it
      await worker.enqueue(source.name);
      const finished = async () => (await runs()).filter((s) => s !== 'running').length;
      for (let i = 0; i < 200 && (await finished()) < 3; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await runs()).toEqual(['succeeded', 'succeeded', 'succeeded']);
    } finally {
      await worker.stop();
    }
  });
});

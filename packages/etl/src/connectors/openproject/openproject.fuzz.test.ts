// Property-based test of the OpenProject connector against the replay server: the recorded
// payloads with random fields replaced by random JSON (a status that is a number, dates that are
// objects, links to nowhere, a missing id …). A run either succeeds with counts that add up —
// every work package loaded, unchanged or quarantined with a reason — or fails with a message,
// leaving the previous data as they were; it never crashes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { runSource } from '../../pipeline/run-source.js';
import type { SourceDefinition } from '../../sources/sources.js';
import { fuzzRuns } from '../../testing/fuzz.js';
import { openProjectConfig } from './config.js';
import { ReplayServer, recordedResources } from './replay-server.js';

const token = 'fuzz-token';
const runs = fuzzRuns(15);
process.stdout.write(`OpenProject fuzz: ${runs} runs (HRO_FUZZ_RUNS)\n`);

let db: TestDatabase;
let server: ReplayServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await new ReplayServer(token).start();
});
afterAll(async () => {
  await server.close();
  await db.close();
});

const source = (): SourceDefinition => ({
  name: 'openproject-fuzz',
  title: 'OpenProject (Fuzz)',
  connector: 'openproject',
  schedule: undefined,
  drift: 'evolve',
  sample: false,
  baseDir: '.',
  config: openProjectConfig.parse({
    baseUrl: server.url,
    tokenEnv: 'OPENPROJECT_TOKEN',
    pageSize: 3,
    retryBaseMs: 5,
    requestTimeoutMs: 2000,
  }),
});

const projects = async (): Promise<Record<string, unknown>[]> =>
  (
    await db.pool.query<Record<string, unknown>>(
      `select external_id, key, status, last_run_id from core.project where source = 'openproject' order by external_id`,
    )
  ).rows;

describe('OpenProject payloads with random damage (property-based)', () => {
  it('load or quarantine every work package, or fail cleanly leaving the data as they were', async () => {
    const clean = recordedResources();
    const fields = [...new Set(clean.workPackages.flatMap((wp) => Object.keys(wp)))];
    const damage = fc.array(
      fc.record({
        wp: fc.nat({ max: clean.workPackages.length - 1 }),
        field: fc.constantFrom(...fields),
        value: fc.jsonValue({ maxDepth: 2 }),
      }),
      { maxLength: 4 },
    );
    const outcomes = { succeeded: 0, quarantined: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(damage, async (changes) => {
        const resources = recordedResources();
        for (const { wp, field, value } of changes) {
          const target = resources.workPackages[wp];
          if (target) target[field] = value;
        }
        server.workPackages = resources.workPackages;
        const before = await projects();
        const run = await runSource(db.pool, source(), { log: db.log, env: { OPENPROJECT_TOKEN: token } });
        if (run.status === 'succeeded') {
          outcomes.succeeded++;
          if (run.quarantined > 0) outcomes.quarantined++;
          expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
          const { rows } = await db.pool.query<{ reason: string }>(`select reason from etl.quarantine where run_id = $1`, [run.runId]);
          expect(rows.length).toBe(run.quarantined);
          expect(rows.every((r) => r.reason.length > 0)).toBe(true);
        } else {
          outcomes.failed++;
          expect(run.error?.length).toBeGreaterThan(0);
          expect(await projects()).toEqual(before);
        }
      }),
      { numRuns: runs },
    );
    server.workPackages = clean.workPackages;
    process.stdout.write(`OpenProject fuzz outcomes: ${JSON.stringify(outcomes)}\n`);
    // the sound path ran too (the first case fast-check tries is the undamaged payload)
    expect(outcomes.succeeded).toBeGreaterThan(0);
  });
});

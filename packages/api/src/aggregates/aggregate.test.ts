import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { executeAs } from '../testing/graphql.js';
import { aggregate } from './aggregate.service.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.procedure (key, name, lifecycle_phase, dms_connection, annual_cost, users) values
      ('A', 'a', 'operation', 'two_way', 100, 10), ('B', 'b', 'operation', 'none', 300, 30), ('C', 'c', 'phase_out', 'none', 50, null);
    insert into core.service (key, kind, title) values ('local:1', 'local', 'Eins'), ('local:2', 'local', 'Zwei');
    insert into core.service_metric (service_id, month, applications_online, applications_offline) values
      ((select id from core.service where key = 'local:1'), '2026-01-01', 10, 30),
      ((select id from core.service where key = 'local:1'), '2026-02-01', 20, 20),
      ((select id from core.service where key = 'local:2'), '2026-01-01', 3, 50);`);
});
afterAll(async () => {
  await db.close();
});

const run = (role: Role, source: string) => executeAs(db, role, source);

describe('aggregates', () => {
  it('count and sum with groupBy and having', async () => {
    const result = await run(
      'steering',
      `{ aggregate(entity: procedures, groupBy: ["lifecycle_phase"], measures: [{ fn: count }, { fn: sum, field: "annual_cost" }, { fn: avg, field: "users" }], having: [{ measure: 0, op: gte, value: 2 }]) { key values } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.aggregate).toEqual([{ key: { lifecycle_phase: 'operation' }, values: [2, 400, 20] }]);
  });

  it('sum monthly metrics by month; anonymous readers get the suppressed public values', async () => {
    const q = `{ aggregate(entity: service_metrics, groupBy: ["month"], measures: [{ fn: sum, field: "applications_online" }, { fn: max, field: "applications_offline" }]) { key values } }`;
    const steering = await run('steering', q);
    expect(steering.errors).toBeUndefined();
    expect(steering.data?.aggregate).toEqual([
      { key: { month: '2026-01' }, values: [13, 50] },
      { key: { month: '2026-02' }, values: [20, 20] },
    ]);
    // the 3 online applications of local:2 are below 5: withheld from the public view
    const anonymous = await run('anonymous', q);
    expect(anonymous.data?.aggregate).toEqual([
      { key: { month: '2026-01' }, values: [10, 50] },
      { key: { month: '2026-02' }, values: [20, 20] },
    ]);
  });

  it('refuse internal measures to anonymous users and unknown names to everyone', async () => {
    const cost = await run('anonymous', `{ aggregate(entity: procedures, measures: [{ fn: sum, field: "annual_cost" }]) { values } }`);
    expect(cost.errors?.[0]?.message).toMatch(/core.read/);
    const unknown = await run(
      'steering',
      `{ aggregate(entity: procedures, groupBy: ["name; drop table x"], measures: [{ fn: count }]) { values } }`,
    );
    expect(unknown.errors?.[0]?.message).toMatch(/not a dimension/);
  });

  it('per service: monthly metrics, suppressed for anonymous readers', async () => {
    const q = '{ service(key: "local:2") { metrics { month applicationsOnline applicationsOffline suppressed } } }';
    const anonymous = await run('anonymous', q);
    expect(anonymous.errors).toBeUndefined();
    expect((anonymous.data?.service as { metrics: unknown[] }).metrics).toEqual([
      { month: '2026-01', applicationsOnline: null, applicationsOffline: 50, suppressed: true },
    ]);
    const steering = await run('steering', q);
    expect((steering.data?.service as { metrics: unknown[] }).metrics).toEqual([
      { month: '2026-01', applicationsOnline: 3, applicationsOffline: 50, suppressed: false },
    ]);
  });

  it('cancel an aggregate that runs too long, with BAD_USER_INPUT, and keep serving', async () => {
    // a run's transaction holds the table: the aggregate waits, and the timeout ends the wait
    const writer = await db.pool.connect();
    try {
      await writer.query('begin');
      await writer.query('lock table core.service_metric in access exclusive mode');
      const ctx = { viewer: { role: 'steering' as const }, pool: db.pool, log: db.log, requestId: 'test' };
      const started = Date.now();
      const error = await aggregate(
        ctx,
        { entity: 'service_metrics', groupBy: ['month'], measures: [{ fn: 'count' }] },
        { timeoutMs: 200 },
      ).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
      expect(error?.code).toBe('BAD_USER_INPUT');
      expect(error?.message).toMatch(/took longer than 0.2 s/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await writer.query('rollback');
      writer.release();
    }
    const again = await run('steering', `{ aggregate(entity: service_metrics, measures: [{ fn: count }]) { values } }`);
    expect(again.data?.aggregate).toEqual([{ values: [3] }]);
  });
});

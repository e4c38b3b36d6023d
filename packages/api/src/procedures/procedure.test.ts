import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { executeAs } from '../testing/graphql.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.org_unit (code, name, kind) values ('32', 'Amt 32', 'amt');
    insert into core.procedure (key, name, vendor, lifecycle_phase, ozg_ready, dms_connection, annual_cost, users, target_action) values
      ('FV-1', 'VOIS|MESO', 'HSH', 'operation', true, 'one_way', 48200.50, 120, 'keep'),
      ('FV-2', 'Gewerbe', 'X', 'phase_out', false, 'none', 1000, 5, 'replace');
    insert into core.procedure_org_unit (procedure_id, org_unit_id) select id, (select id from core.org_unit where code = '32') from core.procedure where key = 'FV-1';
    insert into core.procedure_interface (from_procedure_id, to_procedure_id) values
      ((select id from core.procedure where key = 'FV-1'), (select id from core.procedure where key = 'FV-2'));`);
});
afterAll(async () => {
  await db.close();
});

const run = (role: Role, source: string) => executeAs(db, role, source);

describe('procedures', () => {
  const query = '{ procedures(first: 10) { nodes { key name dmsConnection ownerOrgUnits { code } annualCost users targetAction } } }';

  it('show the public inventory to everyone and refuse internal fields one by one', async () => {
    const result = await run('anonymous', query);
    const nodes = (result.data?.procedures as { nodes: Record<string, unknown>[] }).nodes;
    expect(nodes[0]).toEqual({
      key: 'FV-1',
      name: 'VOIS|MESO',
      dmsConnection: 'one_way',
      ownerOrgUnits: [{ code: '32' }],
      annualCost: null,
      users: null,
      targetAction: null,
    });
    const refused = new Set(
      result.errors?.map(
        (e) => `${String(e.path?.at(-1))}:${String(e.originalError && 'code' in e.originalError ? e.originalError.code : '')}`,
      ),
    );
    expect(refused).toEqual(new Set(['annualCost:UNAUTHENTICATED', 'users:UNAUTHENTICATED', 'targetAction:UNAUTHENTICATED']));
    const developer = await run('developer', query);
    expect(developer.errors?.every((e) => e.originalError && 'code' in e.originalError && e.originalError.code === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(developer.data)).not.toContain('48200');
  });

  it('give the steering team cost, users, SOLL and the interface graph', async () => {
    const result = await run('steering', '{ procedure(key: "FV-1") { annualCost users targetAction interfaces { fromKey toKey } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.procedure).toEqual({
      annualCost: 48200.5,
      users: 120,
      targetAction: 'keep',
      interfaces: [{ fromKey: 'FV-1', toKey: 'FV-2' }],
    });
    const anonymous = await run('anonymous', '{ procedure(key: "FV-1") { key interfaces { toKey } } }');
    expect(anonymous.errors?.[0]?.path).toEqual(['procedure', 'interfaces']);
  });
});

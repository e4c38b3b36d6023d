import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { keysAs, refusalOf, walkAs } from '../testing/connections.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.org_unit (code, name, kind) values ('32', 'Ordnungsamt', 'amt'), ('50', 'Sozialamt', 'amt');
    insert into core.org_unit (code, name, kind, parent_id) values ('32.1', 'Gewerbe', 'unit', (select id from core.org_unit where code = '32'));
    insert into core.procedure (key, name, vendor, lifecycle_phase, ozg_ready, dms_connection, annual_cost, users, target_action, end_of_life_date) values
      ('FV-1', 'VOIS|MESO', 'HSH', 'operation', true, 'one_way', 48200.50, 120, 'keep', null),
      ('FV-2', 'Gewerbe', 'X', 'phase_out', false, 'none', 1000, 5, 'replace', '2026-06-30'),
      ('FV-3', 'Öffentliche Sicherheit', 'X', 'operation', null, 'two_way', null, null, null, '2030-12-31'),
      ('FV-4', 'Sozialhilfe', 'Y', 'introduction', true, 'none', 250000, 300, 'consolidate', null);
    insert into core.procedure_org_unit (procedure_id, org_unit_id)
      select p.id, o.id from core.procedure p, core.org_unit o where (p.key, o.code) in (('FV-1', '32'), ('FV-2', '32.1'), ('FV-4', '50'));`);
});
afterAll(async () => {
  await db.close();
});

const filtered = (role: Role, filter: unknown, args = '') =>
  keysAs(db, role, {
    connection: 'procedures',
    args: `filter: $filter${args}`,
    declarations: '$filter: ProcedureFilter',
    variables: { filter },
  });

describe('procedure filters', () => {
  it('apply operators to the public inventory and across owning org units', async () => {
    expect(await filtered('anonymous', { lifecyclePhase: { eq: 'operation' } })).toEqual(['FV-1', 'FV-3']);
    expect(await filtered('anonymous', { ozgReady: { isNull: true } })).toEqual(['FV-3']);
    expect(await filtered('anonymous', { name: { icontains: 'offentliche' } })).toEqual(['FV-3']);
    expect(await filtered('anonymous', { vendor: { in: ['X', 'Y'] }, dmsConnection: { eq: 'none' } })).toEqual(['FV-2', 'FV-4']);
    expect(await filtered('anonymous', { ownerOrgUnit: { or: [{ code: { eq: '32' } }, { parent: { code: { eq: '32' } } }] } })).toEqual([
      'FV-1',
      'FV-2',
    ]);
    expect(await filtered('anonymous', { not: { ownerOrgUnit: { code: { isNull: false } } } })).toEqual(['FV-3']);
  });

  it('filter and order by cost, users and the SOLL for the steering team', async () => {
    expect(await filtered('steering', { annualCost: { gte: 1000, lt: 50000 } })).toEqual(['FV-1', 'FV-2']);
    expect(await filtered('steering', { users: { gt: 100 }, targetAction: { ne: 'keep' } })).toEqual(['FV-4']);
    expect(await filtered('steering', { endOfLifeDate: { lt: '2028-01-01' } })).toEqual(['FV-2']);
    expect(await keysAs(db, 'steering', { connection: 'procedures', args: 'orderBy: ANNUAL_COST_DESC' })).toEqual([
      'FV-4',
      'FV-1',
      'FV-2',
      'FV-3',
    ]);
    expect(await keysAs(db, 'steering', { connection: 'procedures', args: 'orderBy: END_OF_LIFE_DATE_ASC' })).toEqual([
      'FV-2',
      'FV-3',
      'FV-1',
      'FV-4',
    ]);
  });

  it('refuse the internal fields to everyone else — no probing the cost through a filter or an order', async () => {
    const q = 'query ($f: ProcedureFilter) { procedures(filter: $f) { totalCount } }';
    for (const f of [
      { annualCost: { gt: 100000 } },
      { annualCost: { isNull: true } },
      { users: { eq: 5 } },
      { targetAction: { eq: 'replace' } },
      { endOfLifeDate: { lt: '2028-01-01' } },
      { and: [{ key: { eq: 'FV-1' } }, { not: { annualCost: { lt: 50000 } } }] },
    ]) {
      expect(await refusalOf(db, 'anonymous', q, { f })).toEqual(['UNAUTHENTICATED']);
      expect(await refusalOf(db, 'developer', q, { f })).toEqual(['FORBIDDEN']);
    }
    for (const orderBy of ['ANNUAL_COST_ASC', 'ANNUAL_COST_DESC', 'END_OF_LIFE_DATE_ASC', 'END_OF_LIFE_DATE_DESC']) {
      expect(await refusalOf(db, 'anonymous', `{ procedures(orderBy: ${orderBy}) { nodes { key } } }`)).toEqual(['UNAUTHENTICATED']);
      expect(await refusalOf(db, 'developer', `{ procedures(orderBy: ${orderBy}) { nodes { key } } }`)).toEqual(['FORBIDDEN']);
    }
  });

  it('page stably under every order, forward and backward', async () => {
    for (const orderBy of ['KEY_DESC', 'NAME_ASC', 'NAME_DESC', 'ANNUAL_COST_ASC', 'ANNUAL_COST_DESC', 'END_OF_LIFE_DATE_DESC']) {
      const all = await keysAs(db, 'steering', { connection: 'procedures', args: `orderBy: ${orderBy}` });
      expect(all).toHaveLength(4);
      expect(await walkAs(db, 'steering', { connection: 'procedures', args: `orderBy: ${orderBy}` }, 1)).toEqual(all);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { codeOf } from '../testing/connections.js';
import { executeAs } from '../testing/graphql.js';
import {
  endOfLifeOutlook,
  landscapeSummary,
  procedureHistory,
  procedureNeighbours,
  rankProcedures,
  replacementImpact,
} from './landscape.service.js';

let db: TestDatabase;
const ctx = (role: Role): DomainContext => ({ viewer: { role }, pool: db.pool, log: db.log });

// A hand-made interface graph with two cycles (README "Test fixture"):
//
//   G → A → B → C → D ⇄ E → F        H (alone)
//       ↑_______↙
//   (C → A closes the cycle A → B → C → A; D ⇄ E is a two-way interface, the cycle D → E → D)
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    insert into core.org_unit (code, name, kind) values ('32', 'Stadtamt', 'amt'), ('50', 'Sozialamt', 'amt');
    insert into core.org_unit (code, name, kind, parent_id) values ('32.1', 'Bürgerbüro', 'unit', (select id from core.org_unit where code = '32'));
    insert into core.procedure (key, name, lifecycle_phase, annual_cost, users, ozg_ready, dms_connection, target_action, target_date, end_of_life_date) values
      ('A', 'Meldewesen', 'operation', 100000, 80, true, 'one_way', 'keep', null, '2026-06-30'),
      ('B', 'Ausländerwesen', 'phase_out', 50000, 20, false, 'none', 'replace', '2025-12-31', null),
      ('C', 'Einbürgerung', 'operation', 20000, 5, true, 'two_way', 'keep', '2025-09-30', null),
      ('D', 'Altverfahren', 'retired', 0, 0, false, 'none', 'retire', null, '2024-12-31'),
      ('E', 'Wahlen', 'operation', 30000, 10, false, 'none', null, null, '2025-01-31'),
      ('F', 'Kasse', 'operation', 10000, 40, true, 'two_way', 'keep', null, '2028-01-01'),
      ('G', 'Terminvergabe', 'planning', null, null, null, null, null, null, null),
      ('H', 'Bibliothek', null, null, null, null, null, null, null, null);
    insert into core.procedure_org_unit (procedure_id, org_unit_id)
      select p.id, o.id from (values ('A', '32'), ('B', '32'), ('C', '32.1'), ('E', '50')) v(p, o)
      join core.procedure p on p.key = v.p join core.org_unit o on o.code = v.o;
    insert into core.procedure_interface (from_procedure_id, to_procedure_id, kind, direction, description)
      select f.id, t.id, v.kind, v.direction, v.description
      from (values ('G', 'A', 'rest', 'one_way', 'Termine'), ('A', 'B', 'xmeld', 'one_way', 'Zuzüge'), ('B', 'C', 'file', 'one_way', 'Aufenthalte'),
                   ('C', 'A', 'xmeld', 'one_way', 'Staatsangehörigkeit'), ('C', 'D', 'file', 'one_way', null),
                   ('D', 'E', 'db', 'two_way', 'Abgleich'), ('E', 'F', 'xfinanz', 'one_way', null)) v(f, t, kind, direction, description)
      join core.procedure f on f.key = v.f join core.procedure t on t.key = v.t;
    insert into core.service (key, kind, title, procedure_id)
      select v.key, 'local', v.title, p.id
      from (values ('local:s-a', 'Anmeldung', 'A'), ('local:s-c', 'Einbürgerung', 'C'), ('local:s-f', 'Zahlung', 'F'),
                   ('local:s-g', 'Termin', 'G'), ('local:s-h', 'Ausleihe', 'H')) v(key, title, proc)
      join core.procedure p on p.key = v.proc;
    insert into core.procedure_history (procedure_id, snapshot, valid_from)
      select p.id, v.snapshot::jsonb, v.valid_from::timestamptz from (values
        ('{"ist": {"lifecycle_phase": "introduction", "annual_cost": 90000, "users": 60, "ozg_ready": false, "dms_connection": "none"},
           "soll": {"target_action": "keep", "target_dms_connection": "one_way", "target_date": null, "end_of_life_date": null}}', '2024-01-10 02:00+01'),
        ('{"ist": {"lifecycle_phase": "operation", "annual_cost": 100000, "users": 80, "ozg_ready": true, "dms_connection": "one_way"},
           "soll": {"target_action": "keep", "target_dms_connection": "one_way", "target_date": null, "end_of_life_date": "2026-06-30"}}', '2024-09-01 02:00+02')
      ) v(snapshot, valid_from) join core.procedure p on p.key = 'A';`);
});
afterAll(async () => {
  await db.close();
});

describe('impact of replacing a procedure (a graph with cycles)', () => {
  it('reaches every downstream procedure once, by its shortest path, and stops at the cycles', async () => {
    const impact = await replacementImpact(ctx('steering'), { key: 'A' });
    expect(impact.procedures.map((p) => [p.key, p.depth, p.path.join('→'), p.via])).toEqual([
      ['B', 1, 'A→B', 'downstream'],
      ['C', 2, 'A→B→C', 'downstream'],
      ['D', 3, 'A→B→C→D', 'downstream'],
      ['E', 4, 'A→B→C→D→E', 'downstream'],
      ['F', 5, 'A→B→C→D→E→F', 'downstream'],
    ]);
    expect(impact.cycles).toEqual([
      ['A', 'B', 'C', 'A'],
      ['D', 'E', 'D'],
    ]);
    expect(impact.services.map((s) => [s.serviceKey, s.procedureKey, s.depth])).toEqual([
      ['local:s-a', 'A', 0],
      ['local:s-c', 'C', 2],
      ['local:s-f', 'F', 5],
    ]);
    expect(impact.truncated).toBe(false);
  });

  it('follows interfaces upstream, both ways, and up to a depth', async () => {
    const upstream = await replacementImpact(ctx('steering'), { key: 'A', direction: 'upstream' });
    expect(upstream.procedures.map((p) => [p.key, p.depth, p.path.join('←')])).toEqual([
      ['C', 1, 'A←C'],
      ['G', 1, 'A←G'],
      ['B', 2, 'A←C←B'],
    ]);
    expect(upstream.cycles).toEqual([['A', 'C', 'B', 'A']]);
    expect(upstream.services.map((s) => s.serviceKey)).toEqual(['local:s-a', 'local:s-c', 'local:s-g']);
    const both = await replacementImpact(ctx('steering'), { key: 'A', direction: 'both' });
    expect(both.procedures.map((p) => [p.key, p.depth, p.via])).toEqual([
      ['B', 1, 'downstream'],
      ['C', 1, 'upstream'],
      ['G', 1, 'upstream'],
      ['D', 3, 'downstream'],
      ['E', 4, 'downstream'],
      ['F', 5, 'downstream'],
    ]);
    const near = await replacementImpact(ctx('steering'), { key: 'A', maxDepth: 2 });
    expect(near.procedures.map((p) => p.key)).toEqual(['B', 'C']);
    // from inside the two-way cycle: E reaches D and F, D's onward path is cut by the cycle back to E
    const fromE = await replacementImpact(ctx('steering'), { key: 'E' });
    expect(fromE.procedures.map((p) => [p.key, p.depth])).toEqual([
      ['D', 1],
      ['F', 1],
    ]);
    expect(fromE.cycles).toEqual([['E', 'D', 'E']]);
    expect((await replacementImpact(ctx('steering'), { key: 'H' })).procedures).toEqual([]);
  });

  it('ranks procedures by the services and interfaces that depend on them', async () => {
    const ranking = await rankProcedures(ctx('steering'), {});
    expect(ranking.map((r) => [r.rank, r.key, r.dependentServices, r.interfaces, r.dependentProcedures, r.services])).toEqual([
      [1, 'G', 4, 1, 6, 1],
      [2, 'A', 3, 3, 5, 1],
      [3, 'C', 3, 3, 5, 1],
      [4, 'B', 3, 2, 5, 0],
      [5, 'D', 1, 2, 2, 0],
      [6, 'E', 1, 2, 2, 0],
      [7, 'F', 1, 1, 0, 1],
      [8, 'H', 1, 0, 0, 1],
    ]);
    expect((await rankProcedures(ctx('steering'), { limit: 2 })).map((r) => r.key)).toEqual(['G', 'A']);
  });

  it('lists the direct neighbours and the IST/SOLL history', async () => {
    expect((await procedureNeighbours(ctx('steering'), 'C')).map((n) => [n.key, n.relation, n.interfaceKind])).toEqual([
      ['A', 'downstream', 'xmeld'],
      ['D', 'downstream', 'file'],
      ['B', 'upstream', 'file'],
    ]);
    const history = await procedureHistory(ctx('steering'), 'A');
    expect(history.map((h) => [h.lifecyclePhase, h.annualCost, h.endOfLifeDate, h.validTo?.toISOString() ?? null])).toEqual([
      ['introduction', 90000, null, '2024-09-01T00:00:00.000Z'],
      ['operation', 100000, '2026-06-30', null],
    ]);
  });

  it('is for the steering team only, with clear errors for bad input', async () => {
    await expect(replacementImpact(ctx('anonymous'), { key: 'A' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(rankProcedures(ctx('developer'), {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(replacementImpact(ctx('steering'), { key: 'ZZ' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(replacementImpact(ctx('steering'), { key: 'A', maxDepth: 0 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const graphql = await executeAs(db, 'developer', '{ procedureImpact(key: "A") { procedures { key } } }');
    expect(graphql.errors?.map((e) => codeOf(e))).toEqual(['FORBIDDEN']);
    const steering = await executeAs(
      db,
      'steering',
      '{ procedureImpact(key: "G", direction: downstream) { procedures { key depth procedure { name annualCost } } cycles services { serviceKey } } }',
    );
    expect(steering.errors).toBeUndefined();
    expect((steering.data?.procedureImpact as { procedures: unknown[] }).procedures[0]).toEqual({
      key: 'A',
      depth: 1,
      procedure: { name: 'Meldewesen', annualCost: 100000 },
    });
  });
});

describe('end of life and the views by org unit and lifecycle', () => {
  it('lists what ends within 24 months or is past its end and still in use, with cost and services', async () => {
    const outlook = await endOfLifeOutlook(ctx('steering'), { stichtag: '2025-06-30' });
    expect(outlook).toMatchObject({ stichtag: '2025-06-30', until: '2027-06-30', months: 24, annualCost: 180000, services: 1 });
    expect(
      outlook.procedures.map((p) => [p.key, p.endOfLife, p.basis, p.overdue, p.annualCost, p.ownerOrgUnits, p.services.length]),
    ).toEqual([
      ['E', '2025-01-31', 'end_of_life_date', true, 30000, ['50'], 0],
      ['B', '2025-12-31', 'target_date', false, 50000, ['32'], 0],
      ['A', '2026-06-30', 'end_of_life_date', false, 100000, ['32'], 1],
    ]);
    const amt32 = await endOfLifeOutlook(ctx('steering'), { stichtag: '2025-06-30', orgUnit: '32' });
    expect(amt32.procedures.map((p) => p.key)).toEqual(['B', 'A']);
    const longer = await endOfLifeOutlook(ctx('steering'), { stichtag: '2025-06-30', months: 36 });
    expect(longer.procedures.map((p) => p.key)).toEqual(['E', 'B', 'A', 'F']);
  });

  it('groups by lifecycle and org unit: counts for everyone, services and cost for the steering team', async () => {
    const steering = await landscapeSummary(ctx('steering'), { by: 'lifecycle', stichtag: '2025-06-30' });
    expect(steering.find((g) => g.key === 'operation')).toEqual({
      key: 'operation',
      label: 'Betrieb',
      procedures: 4,
      ozgReady: 3,
      dmsConnected: 3,
      services: 3,
      annualCost: 160000,
      endingWithin24Months: 2,
      costEndingWithin24Months: 130000,
    });
    expect(steering.map((g) => g.key)).toEqual(['operation', 'phase_out', 'planning', 'retired', 'unbekannt']);
    const anonymous = await landscapeSummary(ctx('anonymous'), { by: 'org_unit' });
    expect(anonymous).toEqual([
      { key: '32', label: 'Stadtamt', procedures: 2, ozgReady: 1, dmsConnected: 1 },
      { key: '32.1', label: 'Bürgerbüro', procedures: 1, ozgReady: 1, dmsConnected: 1 },
      { key: '50', label: 'Sozialamt', procedures: 1, ozgReady: 0, dmsConnected: 0 },
      { key: 'ohne', label: 'ohne zuständiges Amt', procedures: 4, ozgReady: 1, dmsConnected: 1 },
    ]);
    const graphql = await executeAs(db, 'anonymous', '{ landscape(by: org_unit) { key procedures annualCost } }');
    expect(new Set(graphql.errors?.map((e) => codeOf(e)))).toEqual(new Set(['UNAUTHENTICATED']));
    expect(JSON.stringify(graphql.data)).not.toContain('100000');
  });
});

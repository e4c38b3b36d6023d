import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { runSource } from '../../pipeline/run-source.js';
import { interfaceKind } from './interfaces.js';
import { bundledSource, copySource, count, quarantineOf } from './test-sources.js';

const inventory = bundledSource('fachverfahren-inventar');
const interfaces = bundledSource('fachverfahren-schnittstellen');

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const strategy = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
  for (const source of [strategy, inventory]) expect((await runSource(db.pool, source, { log: db.log })).status).toBe('succeeded');
});
afterAll(async () => {
  await db.close();
});

const edges = async () =>
  (
    await db.pool.query<{ edge: string }>(
      `select f.key || '>' || t.key || ' ' || i.kind || ' ' || i.direction as edge
       from core.procedure_interface i join core.procedure f on f.id = i.from_procedure_id join core.procedure t on t.id = i.to_procedure_id
       order by 1`,
    )
  ).rows.map((r) => r.edge);

describe('Fachverfahren: interfaces between procedures', () => {
  it('loads the sample interfaces (UTF-8 with BOM) and quarantines unknown procedures in the merge', async () => {
    const run = await runSource(db.pool, interfaces, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 37, loaded: 33, unchanged: 0, quarantined: 4, deleted: 0 });
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    const recorded = await db.pool.query(`select rows_read, rows_loaded, rows_quarantined from etl.run where id = $1`, [run.runId]);
    expect(recorded.rows[0]).toEqual({ rows_read: 37, rows_loaded: 33, rows_quarantined: 4 });
    expect(await quarantineOf(db.pool, run.runId)).toEqual([
      {
        position: 'schnittstellen.csv:12',
        reason_code: 'ROW_UNKNOWN_PROCEDURE',
        reason: 'Zielverfahren: "FV-099" is not a procedure of the inventory',
      },
      // FV-041 is listed in the inventory, but its row was quarantined there (31.02.2024)
      {
        position: 'schnittstellen.csv:23',
        reason_code: 'ROW_UNKNOWN_PROCEDURE',
        reason: 'Quellverfahren: "FV-041" is not a procedure of the inventory',
      },
      {
        position: 'schnittstellen.csv:24',
        reason_code: 'ROW_INVALID_VALUE',
        reason: 'Zielverfahren: "FV-012" is the same procedure as Quellverfahren (no interface to itself)',
      },
      {
        position: 'schnittstellen.csv:38',
        reason_code: 'ROW_INVALID_VALUE',
        reason: 'Richtung: "gegenseitig" is not one of: einseitig, beidseitig',
      },
    ]);
    // a record the merge could not place moves from staging to the quarantine: loaded + quarantined = read
    expect(run.loaded + run.unchanged + run.quarantined).toBe(run.read);
    const { rows } = await db.pool.query(
      `select raw->>'to_key' as to_key from etl.quarantine where run_id = $1 and reason_code = 'ROW_UNKNOWN_PROCEDURE' order by id`,
      [run.runId],
    );
    expect(rows).toEqual([{ to_key: 'FV-099' }, { to_key: 'FV-005' }]);
  });

  it('keeps kinds, directions and umlauts of the export', async () => {
    const all = await edges();
    expect(all).toHaveLength(33);
    expect(all).toContain('FV-002>FV-001 xpersonenstand one_way');
    expect(all).toContain('FV-009>FV-008 datenbank-view two_way');
    expect(all).toContain('FV-003>FV-004 dms-ablage one_way');
    const { rows } = await db.pool.query(
      `select i.description from core.procedure_interface i join core.procedure f on f.id = i.from_procedure_id where f.key = 'FV-002'`,
    );
    expect(rows).toEqual([{ description: 'Geburten, Eheschließungen, Sterbefälle' }]);
    expect(interfaceKind('Datei-Export')).toBe('datei-export');
    expect(interfaceKind('Übergabe (täglich)')).toBe('uebergabe-taeglich');
    expect(interfaceKind(null)).toBe('data');
  });

  it('contains the planted cycle FV-001 → FV-010 → FV-011 → FV-001', async () => {
    const { rows } = await db.pool.query<{ path: string[] }>(
      `with recursive walk (node, path) as (
         select i.to_procedure_id, array[f.key, t.key]
         from core.procedure_interface i join core.procedure f on f.id = i.from_procedure_id join core.procedure t on t.id = i.to_procedure_id
         where f.key = 'FV-001'
         union all
         select i.to_procedure_id, w.path || t.key
         from walk w join core.procedure_interface i on i.from_procedure_id = w.node join core.procedure t on t.id = i.to_procedure_id
         where not (t.key = any(w.path[2:])) and cardinality(w.path) < 10)
       select path from walk where path[cardinality(path)] = 'FV-001' order by cardinality(path), path`,
    );
    expect(rows.map((r) => r.path.join(' → '))).toEqual(['FV-001 → FV-010 → FV-011 → FV-001']);
  });

  it('changes nothing on a second run', async () => {
    const before = await db.pool.query(`select id, last_run_id from core.procedure_interface order by id`);
    const run = await runSource(db.pool, interfaces, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 37, loaded: 0, unchanged: 33, quarantined: 4, deleted: 0 });
    expect((await db.pool.query(`select id, last_run_id from core.procedure_interface order by id`)).rows).toEqual(before.rows);
  });

  it('deletes interfaces the export no longer lists, keeps one whose row became unreadable', async () => {
    const copy = copySource(interfaces);
    try {
      const lines = copy
        .read()
        .replace(/^\uFEFF/, '')
        .split('\r\n');
      copy.write(
        lines
          .filter((l) => !l.startsWith('FV-001;FV-006;'))
          .map((l) => (l.startsWith('FV-007;FV-004;') ? l.replace(';einseitig;', ';quer;') : l))
          .map((l) => (l.startsWith('FV-020;FV-021;') ? l.replace(';einseitig;', ';beidseitig;') : l))
          .join('\r\n'),
      );
      const run = await runSource(db.pool, copy.source, { log: db.log });
      expect(run).toMatchObject({ status: 'succeeded', read: 36, loaded: 1, unchanged: 30, quarantined: 5, deleted: 1 });
      const all = await edges();
      expect(all).not.toContain('FV-001>FV-006 datei-export one_way');
      expect(all).toContain('FV-007>FV-004 dms-ablage one_way');
      expect(all).toContain('FV-020>FV-021 datei-export two_way');
    } finally {
      copy.remove();
      expect((await runSource(db.pool, interfaces, { log: db.log })).status).toBe('succeeded');
    }
  });

  it('loses the interfaces of a procedure the inventory deletes (cascade) and quarantines them next time', async () => {
    const copy = copySource(inventory);
    try {
      copy.write(
        copy
          .read()
          .split('\r\n')
          .filter((l) => !l.startsWith('FV-036;'))
          .join('\r\n'),
      );
      expect(await runSource(db.pool, copy.source, { log: db.log })).toMatchObject({ status: 'succeeded', deleted: 1 });
      expect(await edges()).not.toContain('FV-036>FV-001 datei-export one_way');
      const run = await runSource(db.pool, interfaces, { log: db.log });
      expect(run).toMatchObject({ status: 'succeeded', loaded: 0, unchanged: 32, quarantined: 5 });
      const reasons = (await quarantineOf(db.pool, run.runId)).map((q) => q.reason);
      expect(reasons).toContain('Quellverfahren: "FV-036" is not a procedure of the inventory');
    } finally {
      copy.remove();
      expect((await runSource(db.pool, inventory, { log: db.log })).status).toBe('succeeded');
      expect((await runSource(db.pool, interfaces, { log: db.log })).status).toBe('succeeded');
    }
    expect(await edges()).toHaveLength(33);
  });

  it('rolls the merge quarantine back with a dry run', async () => {
    const before = await count(db.pool, 'etl.quarantine');
    const run = await runSource(db.pool, interfaces, { log: db.log, dryRun: true });
    expect(run).toMatchObject({ status: 'succeeded', dryRun: true, quarantined: 4 });
    // the rows quarantined while validating stay (they are outside the merge transaction)
    expect(await count(db.pool, 'etl.quarantine')).toBe(before + 2);
  });
});

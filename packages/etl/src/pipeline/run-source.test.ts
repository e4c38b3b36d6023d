import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../sources/sources.js';
import { runSource } from './run-source.js';

const bundled = loadSources().find((s) => s.name === 'strategy-catalog') as SourceDefinition;
const dataDir = join(bundled.baseDir, 'data/strategy');

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

/** The strategy source over a private copy of its files, which a test may break. */
function copiedSource(): { source: SourceDefinition; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hro-strategy-'));
  cpSync(dataDir, dir, { recursive: true });
  return { source: { ...bundled, config: { path: dir }, baseDir: dir }, dir };
}

const count = async (sql: string) => (await db.pool.query<{ n: number }>(`select count(*)::int as n from ${sql}`)).rows[0]?.n;

describe('strategy catalog source', () => {
  it('loads all reference data, and counts add up', async () => {
    const run = await runSource(db.pool, bundled, { log: db.log });
    expect(run.status).toBe('succeeded');
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    expect(run.quarantined).toBe(0);
    expect(await count('core.initiative')).toBe(33);
    expect(await count(`core.project where source = 'council-paper'`)).toBe(10);
    expect(await count('core.pillar')).toBe(4);
    expect(await count('core.navigator_field')).toBe(6);
    expect(await count('core.checklist_question')).toBe(9);
    expect(await count('core.initiative where is_driver_project')).toBe(5);
    expect(await count('open.initiatives')).toBe(33);
    // the run's staging table is scratch: gone once the run ended
    expect(await count(`pg_class where relname = 'run_${run.runId}' and relnamespace = 'staging'::regnamespace`)).toBe(0);
    const kpis = await db.pool.query<{ kpi_id: string; value: number }>(
      `select kpi_id, value from core.kpi_snapshot where run_id = $1 and kpi_id = 'initiatives.progress' and dimensions = '{"field": "ozg", "status": "open"}'`,
      [run.runId],
    );
    expect(kpis.rows).toHaveLength(1);
    const { rows } = await db.pool.query(`select status, rows_read, rows_loaded from etl.run where id = $1`, [run.runId]);
    expect(rows[0]).toEqual({ status: 'succeeded', rows_read: run.read, rows_loaded: run.loaded });
  });

  it('keeps the source quirks visible beside the parsed values', async () => {
    const { rows } = await db.pool.query(
      `select i.key, i.responsible_raw, o.code as responsible, i.priority, i.size, i.size_alternative
       from core.initiative i left join core.org_unit o on o.id = i.responsible_org_unit_id where i.key in ('V05', 'V08', 'V15', 'V23') order by i.key`,
    );
    expect(rows).toEqual([
      { key: 'V05', responsible_raw: '6.3', responsible: '06.3', priority: 2, size: 'A', size_alternative: null },
      { key: 'V08', responsible_raw: '? (10/06)', responsible: null, priority: 1, size: 'A', size_alternative: null },
      { key: 'V15', responsible_raw: '', responsible: null, priority: 3, size: 'B', size_alternative: 'C' },
      { key: 'V23', responsible_raw: '', responsible: null, priority: null, size: 'A', size_alternative: null },
    ]);
    const p006 = await db.pool.query(`select key from core.project where key like 'P006/%' order by key`);
    expect(p006.rows.map((r: { key: string }) => r.key)).toEqual(['P006/19', 'P006/20']);
    const html = await db.pool.query(`select count(*)::int as n from open.projects where goals ~ '<[a-z/]' or title ~ '<[a-z/]'`);
    expect(html.rows[0]).toEqual({ n: 0 });
  });

  it('changes nothing when the same input runs twice', async () => {
    const before = await db.pool.query(`select key, last_run_id from core.initiative order by key`);
    const run = await runSource(db.pool, bundled, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 0, deleted: 0, quarantined: 0 });
    expect(run.unchanged).toBe(run.read);
    const after = await db.pool.query(`select key, last_run_id from core.initiative order by key`);
    expect(after.rows).toEqual(before.rows);
    expect(await count(`core.project_status_history where valid_to is null`)).toBe(10);
  });

  it('quarantines a bad row with its position and reason, and loads the rest', async () => {
    const { source, dir } = copiedSource();
    try {
      const file = join(dir, 'pillars.csv');
      writeFileSync(file, readFileSync(file, 'utf8') + ',Ohne Schlüssel,\n');
      const run = await runSource(db.pool, source, { log: db.log });
      expect(run.status).toBe('succeeded');
      expect(run.quarantined).toBe(1);
      expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
      const { rows } = await db.pool.query(
        `select position, reason_code, reason, raw->>'name' as name from etl.quarantine where run_id = $1`,
        [run.runId],
      );
      expect(rows).toEqual([
        { position: 'pillars.csv:6', reason_code: 'ROW_INVALID_VALUE', reason: expect.stringMatching(/^key: /), name: 'Ohne Schlüssel' },
      ]);
      expect(await count('core.pillar')).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a run on a broken source and leaves the previous data intact', async () => {
    const { source, dir } = copiedSource();
    try {
      const before = await db.pool.query(`select key, title, last_run_id from core.initiative order by key`);
      writeFileSync(join(dir, 'initiatives.yaml'), '- key: V01\n  title: [unclosed\n');
      unlinkSync(join(dir, 'projects.yaml'));
      const run = await runSource(db.pool, source, { log: db.log });
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/initiatives\.yaml/);
      const after = await db.pool.query(`select key, title, last_run_id from core.initiative order by key`);
      expect(after.rows).toEqual(before.rows);
      const { rows } = await db.pool.query<{ status: string; error_message: string | null }>(
        `select status, error_message from etl.run where id = $1`,
        [run.runId],
      );
      expect(rows[0]?.status).toBe('failed');
      const next = await runSource(db.pool, bundled, { log: db.log });
      expect(next.status).toBe('succeeded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes what the files no longer list (full refresh) and rolls back a dry run', async () => {
    const { source, dir } = copiedSource();
    try {
      const file = join(dir, 'ozg_checklist.csv');
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      writeFileSync(file, lines.slice(0, -1).join('\n') + '\n');
      const dry = await runSource(db.pool, source, { log: db.log, dryRun: true });
      expect(dry).toMatchObject({ status: 'succeeded', dryRun: true, deleted: 1 });
      expect(await count('core.checklist_question')).toBe(9);
      const real = await runSource(db.pool, source, { log: db.log });
      expect(real.deleted).toBe(1);
      expect(await count('core.checklist_question')).toBe(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await runSource(db.pool, bundled, { log: db.log });
    }
  });

  it('never lets a personal name of the seed documents into the open schema', async () => {
    const names = readFileSync(join(dataDir, 'personal_names.txt'), 'utf8')
      .split('\n')
      .map((n) => n.trim())
      .filter((n) => n.length > 0);
    expect(names.length).toBeGreaterThan(0);
    const { rows: views } = await db.pool.query<{ table_name: string }>(
      `select table_name from information_schema.views where table_schema = 'open'`,
    );
    expect(views.length).toBeGreaterThan(0);
    for (const { table_name } of views) {
      const { rows } = await db.pool.query<{ row: string }>(`select t::text as row from open.${table_name} t`);
      for (const name of names) {
        const surname = name.split(' ').pop() ?? name;
        expect(
          rows.filter((r) => r.row.includes(surname)),
          `${surname} in open.${table_name}`,
        ).toEqual([]);
      }
    }
  });

  it('refuses a second concurrent run of the same source', async () => {
    const lock = await db.pool.connect();
    try {
      await lock.query(`select pg_advisory_lock(hashtext('hro.etl:' || $1))`, [bundled.name]);
      await expect(runSource(db.pool, bundled, { log: db.log })).rejects.toThrow(/being loaded by another worker/);
    } finally {
      await lock.query(`select pg_advisory_unlock_all()`);
      lock.release();
    }
  });

  describe('schema drift', () => {
    async function withExtraColumn(drift: 'evolve' | 'freeze' | 'quarantine') {
      const { source, dir } = copiedSource();
      const file = join(dir, 'pillars.csv');
      const [header = '', ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
      writeFileSync(file, [`${header},farbe`, ...lines.map((l) => `${l},blau`)].join('\n') + '\n');
      try {
        return await runSource(db.pool, { ...source, drift }, { log: db.log });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const recorded = async (runId: number) =>
      (await db.pool.query<{ status: string; schema_drift: unknown }>(`select status, schema_drift from etl.run where id = $1`, [runId]))
        .rows[0];

    it('evolve: loads and records the new column in the run', async () => {
      const run = await withExtraColumn('evolve');
      expect(run).toMatchObject({ status: 'succeeded', quarantined: 0 });
      expect(await recorded(run.runId)).toEqual({
        status: 'succeeded',
        schema_drift: { policy: 'evolve', entities: { pillar: { unknown: ['farbe'], missing: [] } } },
      });
    });

    it('freeze: fails the run and leaves the data as it was', async () => {
      const before = (await db.pool.query(`select * from core.pillar order by key`)).rows;
      const run = await withExtraColumn('freeze');
      expect(run.status).toBe('failed');
      expect(run.error).toBe('schema drift in pillar: unknown farbe (policy freeze)');
      expect((await db.pool.query(`select * from core.pillar order by key`)).rows).toEqual(before);
      const { rows } = await db.pool.query(`select error_code from etl.run where id = $1`, [run.runId]);
      expect(rows[0]).toEqual({ error_code: 'ETL_SCHEMA_DRIFT' });
    });

    it('quarantine: quarantines the drifted rows with the reason, loads the rest', async () => {
      const run = await withExtraColumn('quarantine');
      expect(run).toMatchObject({ status: 'succeeded', quarantined: 4 });
      expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
      const { rows } = await db.pool.query(`select distinct reason_code, reason from etl.quarantine where run_id = $1`, [run.runId]);
      expect(rows).toEqual([{ reason_code: 'ROW_SCHEMA_DRIFT', reason: 'unknown farbe' }]);
      expect(await recorded(run.runId)).toMatchObject({ schema_drift: { policy: 'quarantine' } });
    });
  });

  it('quarantines all but the last of records sharing a key', async () => {
    const { source, dir } = copiedSource();
    try {
      const file = join(dir, 'pillars.csv');
      writeFileSync(file, readFileSync(file, 'utf8') + 'service,Service-Management (doppelt),Zweite Zeile\n');
      const run = await runSource(db.pool, source, { log: db.log });
      expect(run).toMatchObject({ status: 'succeeded', quarantined: 1 });
      const { rows } = await db.pool.query(`select position, reason_code, reason from etl.quarantine where run_id = $1`, [run.runId]);
      expect(rows).toEqual([
        {
          position: 'pillars.csv:2',
          reason_code: 'ROW_DUPLICATE_KEY',
          reason: 'key key appears again at pillars.csv:6; the last occurrence is loaded',
        },
      ]);
      const pillar = await db.pool.query(`select name from core.pillar where key = 'service'`);
      expect(pillar.rows[0]).toEqual({ name: 'Service-Management (doppelt)' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await runSource(db.pool, bundled, { log: db.log });
    }
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOzgServices, type DomainContext } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { runSource } from '../../pipeline/run-source.js';
import { quarantineOf } from '../fachverfahren/test-sources.js';

const sources = loadSources();
const source = (name: string) => {
  const found = sources.find((s) => s.name === name);
  if (!found) throw new Error(`no source ${name}`);
  return found;
};
const bundled = source('ozg-leistungszuordnung') as SourceDefinition & { config: { path: string } };

let db: TestDatabase;
const dirs: string[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  // what the file names: the catalog's services, the strategy's org units, the inventory's procedures
  for (const name of ['strategy-catalog', 'ozg-katalog', 'fachverfahren-inventar'])
    expect((await runSource(db.pool, source(name), { log: db.log })).status, name).toBe('succeeded');
}, 120_000);
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await db.close();
});

const assignments = async () =>
  (
    await db.pool.query<{ key: string; org: string | null; procedure: string | null; efa: boolean | null }>(
      `select s.key, o.code as org, p.key as procedure, s.efa from core.service s
       left join core.org_unit o on o.id = s.responsible_org_unit_id left join core.procedure p on p.id = s.procedure_id
       where s.responsible_org_unit_id is not null or s.procedure_id is not null or s.efa is not null order by s.key`,
    )
  ).rows;

/** A copy of the bundled file with its text changed, as a source of its own. */
function changedCopy(change: (text: string) => string): SourceDefinition {
  const dir = mkdtempSync(join(tmpdir(), 'hro-zuordnung-'));
  dirs.push(dir);
  const text = readFileSync(resolve(bundled.baseDir, bundled.config.path), 'utf8');
  writeFileSync(join(dir, 'leistungszuordnung.csv'), change(text));
  return { ...bundled, baseDir: dir, config: { ...bundled.config, path: 'leistungszuordnung.csv' } };
}

describe('Leistungszuordnung: org unit, procedure and EfA reuse per service', () => {
  it('loads every sound row of the sample and quarantines the planted bad rows with position and reason', async () => {
    const run = await runSource(db.pool, bundled, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 20, loaded: 15, unchanged: 0, quarantined: 5, deleted: 0 });
    expect(await quarantineOf(db.pool, run.runId)).toEqual([
      {
        position: 'leistungszuordnung.csv:17',
        reason_code: 'ROW_UNKNOWN_SERVICE',
        reason: 'Leistung: "ozg:19999" is not a service of the catalog',
      },
      {
        position: 'leistungszuordnung.csv:18',
        reason_code: 'ROW_UNKNOWN_PROCEDURE',
        reason: 'Fachverfahren: "FV-099" is not a procedure of the inventory',
      },
      {
        position: 'leistungszuordnung.csv:19',
        reason_code: 'ROW_INVALID_VALUE',
        reason: 'EfA-Nachnutzung: "teilweise" is neither ja nor nein',
      },
      {
        position: 'leistungszuordnung.csv:20',
        reason_code: 'ROW_BAD_SERVICE_KEY',
        reason: 'Leistung: "1011" is neither an OZG id (5 digits) nor a LeiKa key (14 digits)',
      },
      {
        position: 'leistungszuordnung.csv:21',
        reason_code: 'ROW_UNKNOWN_ORG_UNIT',
        reason: 'Amt: "50" is not an org unit of the strategy catalog',
      },
    ]);
    const all = await assignments();
    expect(all).toHaveLength(15);
    expect(all).toContainEqual({ key: 'ozg:10092', org: 'sozialamt', procedure: 'FV-016', efa: true });
    expect(all).toContainEqual({ key: 'leika:99115004000000', org: '32.2', procedure: 'FV-001', efa: false });
    expect(all).toContainEqual({ key: 'ozg:10173', org: '66.02', procedure: 'FV-013', efa: false });
    // a second run with the same file changes nothing
    expect(await runSource(db.pool, bundled, { log: db.log })).toMatchObject({ loaded: 0, unchanged: 15, quarantined: 5, deleted: 0 });
  });

  it('feeds the OZG-Monitoring: org unit, procedure and EfA for the steering team only', async () => {
    const steering: DomainContext = { viewer: { role: 'steering', subject: 'test' }, pool: db.pool, log: db.log };
    const anonymous: DomainContext = { viewer: { role: 'anonymous' }, pool: db.pool, log: db.log };
    const page = await listOzgServices(steering, { filter: { orgUnit: 'migrationsamt' } }, { first: 10 });
    expect(page.nodes.map((s) => [s.serviceKey, s.orgUnit, s.procedureKey, s.efa])).toEqual([
      ['ozg:10255', 'migrationsamt', 'FV-010', false],
      ['ozg:10257', 'migrationsamt', 'FV-011', false],
    ]);
    // the public part carries no internal column at all
    const open = await listOzgServices(anonymous, {}, { first: 100 });
    expect(open.nodes.length).toBeGreaterThan(0);
    for (const node of open.nodes) for (const internal of ['orgUnit', 'procedureKey', 'efa']) expect(node).not.toHaveProperty(internal);
  });

  it('takes the assignment away from a service the file no longer names, but not from one whose row was quarantined', async () => {
    const copy = changedCopy((text) =>
      text
        .replace(/^10160;.*\r\n/m, '')
        .replace('10173;66.02;FV-013;nein', '10173;66.02;FV-013;ja')
        .replace('10119;32.2;FV-001;nein', '10119;32.2;FV-001;vielleicht'),
    );
    const run = await runSource(db.pool, copy, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', read: 19, loaded: 1, unchanged: 12, quarantined: 6, deleted: 1 });
    const all = await assignments();
    expect(all.find((a) => a.key === 'ozg:10160')).toBeUndefined();
    expect(all).toContainEqual({ key: 'ozg:10173', org: '66.02', procedure: 'FV-013', efa: true });
    expect(all).toContainEqual({ key: 'ozg:10119', org: '32.2', procedure: 'FV-001', efa: false });
  });

  it('never empties the assignment from a file without sound rows', async () => {
    const copy = changedCopy((text) => `${text.split('\r\n')[0]}\r\n19999;32.2;FV-001;nein;nur eine Fehlerzeile\r\n`);
    const before = await assignments();
    expect(await runSource(db.pool, copy, { log: db.log })).toMatchObject({ status: 'succeeded', loaded: 0, quarantined: 1, deleted: 0 });
    expect(await assignments()).toEqual(before);
  });
});

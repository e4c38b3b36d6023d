// Publishing by declaration (issue 6): the declared open datasets over the bundled samples, the
// steering KPIs as open data (public definitions only, small counts suppressed and marked), and
// metadata_modified moving exactly when an ETL run changes a dataset's data.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiCatalog, readDeclarations, syncCatalog, syncKpiDefinitions } from '@hro/api/domain';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSampleSources, loadSources, runSource, type SourceDefinition } from '@hro/etl';

let db: TestDatabase;
const tmp = mkdtempSync(join(tmpdir(), 'hro-publishing-'));
const sources = loadSources();
const source = (name: string) => {
  const s = sources.find((x) => x.name === name);
  if (!s) throw new Error(`source ${name} missing in sources.yaml`);
  return s;
};

beforeAll(async () => {
  db = await createTestDatabase();
  await syncCatalog(db.pool);
  await loadSampleSources(db.pool, 'always', db.log);
});
afterAll(async () => {
  await db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const count = async (relation: string) => (await db.pool.query<{ n: number }>(`select count(*)::int as n from ${relation}`)).rows[0]?.n;

describe('declared open datasets', () => {
  it('publishes the Vorhaben, the project list, the OZG services, the Stadtbereiche, the WFS layers and the KPIs', async () => {
    const { rows } = await db.pool.query<{ name: string; source_view: string; private: boolean; geo: boolean; resources: string[] }>(
      `select d.name, d.source_view, d.private, d.geo,
         array(select r.format from catalog.resource r where r.dataset_id = d.id order by r.position) as resources
       from catalog.dataset d order by d.name`,
    );
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(rows.map((r) => r.name).sort()).toEqual(
      readDeclarations()
        .datasets.map((d) => d.name)
        .sort(),
    );
    expect(byName['vorhaben-digitale-verwaltung-rostock-2030']).toMatchObject({ source_view: 'open.initiatives', private: false });
    expect(byName['digitalisierungsprojekte-informationsvorlage']).toMatchObject({ source_view: 'open.projects', private: false });
    expect(byName['ozg-leistungen']).toMatchObject({ source_view: 'open.services', private: false });
    expect(byName['stadtbereiche-rostock']).toMatchObject({ source_view: 'open.stadtbereiche', geo: true, resources: ['GeoJSON', 'CSV'] });
    expect(byName['parkscheinautomaten-rostock']).toMatchObject({ source_view: 'open.parkscheinautomaten', geo: true, private: false });
    expect(byName['bewohnerparkgebiete-rostock']).toMatchObject({ source_view: 'open.bewohnerparkgebiete', geo: true, private: false });
    expect(byName['steuerungskennzahlen-digitale-verwaltung']).toMatchObject({ source_view: 'open.kpi_values', private: false });

    expect(await count('open.initiatives')).toBe(33);
    expect(await count('open.projects')).toBe(10);
    expect(await count(`open.services where kind = 'ozg'`)).toBe(557);
    expect(await count('open.stadtbereiche where geometry is not null')).toBe(21);
  });

  it('gives each WFS layer its own dataset with the source properties as columns', async () => {
    const { rows: automaten } = await db.pool.query(
      `select uuid, nummer, bezeichnung, zone, tarif, normaltarif_gebuehren_pro_stunde, stellplaetze_pkw
       from open.parkscheinautomaten where nummer = 116`,
    );
    expect(automaten).toEqual([
      {
        uuid: '33588a98-32c9-11ea-b9f0-0050569946ac',
        nummer: 116,
        bezeichnung: 'Buchbinderstraße',
        zone: 'A',
        tarif: 'A1',
        normaltarif_gebuehren_pro_stunde: 2,
        stellplaetze_pkw: 28,
      },
    ]);
    // 12 recorded features, one planted bad one quarantined
    expect(await count('open.parkscheinautomaten')).toBe(11);
    expect(await count('open.bewohnerparkgebiete')).toBe(10);
    const { rows: gebiet } = await db.pool.query<{ bezeichnung: string; adressen: string }>(
      `select bezeichnung, adressen from open.bewohnerparkgebiete where uuid = 'f65139a6-ef51-11e5-b42b-0050569b7e95'`,
    );
    expect(gebiet[0]?.bezeichnung).toBe('A3 – Östliche Altstadt');
    expect(gebiet[0]?.adressen).toMatch(/^Alter Markt;Altschmiedestr\.;/);
  });
});

describe('the steering KPIs as open data (open.kpi_values)', () => {
  const internal = kpiCatalog.filter((k) => k.internal).map((k) => k.id);
  const publicKpis = kpiCatalog.filter((k) => !k.internal).map((k) => k.id);

  it('has a fixed column list without personal data', async () => {
    const { rows } = await db.pool.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'open' and table_name = 'kpi_values' order by ordinal_position`,
    );
    expect(rows.map((r) => r.column_name)).toEqual([
      'kpi_id',
      'kpi_title',
      'unit',
      'dimensions',
      'value',
      'numerator',
      'denominator',
      'suppressed',
      'run_id',
      'source',
      'computed_at',
    ]);
  });

  it('publishes every public KPI of every run and no internal one', async () => {
    expect(internal).toEqual(expect.arrayContaining(['procedures.cost', 'projects.overdue_milestones']));
    const { rows } = await db.pool.query<{ kpi_id: string; runs: number; all_runs: number }>(
      `select v.kpi_id, count(distinct v.run_id)::int as runs,
         (select count(distinct s.run_id)::int from core.kpi_snapshot s where s.kpi_id = v.kpi_id) as all_runs
       from open.kpi_values v group by v.kpi_id order by v.kpi_id`,
    );
    expect(rows.map((r) => r.kpi_id)).toEqual([...publicKpis].sort());
    // the whole time series: every run that snapshotted the KPI
    for (const r of rows) expect(r.runs, r.kpi_id).toBe(r.all_runs);
    expect(Math.max(...rows.map((r) => r.runs))).toBeGreaterThanOrEqual(9);
    // the internal KPIs exist in core, for the steering team
    expect(await count(`core.kpi_snapshot where kpi_id in ('procedures.cost', 'projects.overdue_milestones')`)).toBeGreaterThan(0);
  });

  it('withholds counts of 1 to 4 (and shares over them) and marks the row; everything else equals the snapshot', async () => {
    const { rows } = await db.pool.query<{
      kpi_id: string;
      unit: string;
      suppressed: boolean;
      value: number | null;
      numerator: number | null;
      denominator: number | null;
      raw_value: number | null;
      raw_numerator: number | null;
      raw_denominator: number | null;
    }>(
      `select v.kpi_id, v.unit, v.suppressed, v.value, v.numerator, v.denominator,
              s.value as raw_value, s.numerator as raw_numerator, s.denominator as raw_denominator
       from open.kpi_values v join core.kpi_snapshot s on s.kpi_id = v.kpi_id and s.run_id = v.run_id and s.dimensions = v.dimensions`,
    );
    expect(rows.length).toBe(await count('open.kpi_values'));
    const small = (x: number | null) => x !== null && Number(x) > 0 && Number(x) < 5;
    let suppressed = 0;
    for (const r of rows) {
      const counts =
        r.unit === 'count'
          ? [r.raw_value]
          : [
              r.raw_numerator,
              r.raw_denominator,
              r.raw_numerator === null || r.raw_denominator === null ? null : Number(r.raw_denominator) - Number(r.raw_numerator),
            ];
      const shouldHide = counts.some(small);
      expect(r.suppressed, `${r.kpi_id} ${JSON.stringify(r)}`).toBe(shouldHide);
      if (shouldHide) {
        suppressed++;
        expect([r.value, r.numerator, r.denominator]).toEqual([null, null, null]);
      } else expect([r.value, r.numerator, r.denominator]).toEqual([r.raw_value, r.raw_numerator, r.raw_denominator]);
    }
    // the samples do have small groups (Vorhaben per field and status) and rows that stay visible
    expect(suppressed).toBeGreaterThan(0);
    expect(rows.filter((r) => !r.suppressed).length).toBeGreaterThan(suppressed);
  });

  it('publishes a KPI only while its definition is public: flipped to internal or unknown, it disappears', async () => {
    const visible = async (id: string) => (await db.pool.query(`select 1 from open.kpi_values where kpi_id = $1`, [id])).rowCount ?? 0;
    expect(await visible('services.online')).toBeGreaterThan(0);
    await db.pool.query(`update core.kpi_definition set internal = true where id = 'services.online'`);
    expect(await visible('services.online')).toBe(0);
    await db.pool.query(`delete from core.kpi_definition where id = 'services.maturity'`);
    expect(await visible('services.maturity')).toBe(0);
    // the next sync (start or ETL run) restores the catalog's word
    await syncKpiDefinitions(db.pool);
    expect(await visible('services.online')).toBeGreaterThan(0);
    expect(await visible('services.maturity')).toBeGreaterThan(0);
  });
});

describe('metadata_modified follows the data', () => {
  type Stamp = { name: string; metadata_modified: Date; data_modified: Date | null; resources_modified: Date[] };
  const stamps = async () => {
    const { rows } = await db.pool.query<Stamp>(
      `select d.name, d.metadata_modified, d.data_modified,
         array(select r.last_modified from catalog.resource r where r.dataset_id = d.id order by r.position) as resources_modified
       from catalog.dataset d order by d.name`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, r]));
  };
  const changed = (before: Record<string, Stamp>, after: Record<string, Stamp>) =>
    Object.keys(after)
      .filter((n) => after[n]!.metadata_modified.getTime() !== before[n]?.metadata_modified.getTime())
      .sort();

  function stadtbereicheCopy(edit: (original: string) => string): SourceDefinition {
    const bundled = source('hro-stadtbereiche');
    const dir = mkdtempSync(join(tmp, 'sb-'));
    mkdirSync(join(dir, 'data/geo'), { recursive: true });
    const file = 'data/geo/hro_stadtbereiche_21_wgs84.geojson';
    writeFileSync(join(dir, file), edit(readFileSync(join(bundled.baseDir, file), 'utf8')));
    return { ...bundled, baseDir: dir };
  }

  it('every dataset loaded by the samples has its data time', async () => {
    const now = await stamps();
    for (const [name, s] of Object.entries(now)) expect(s.data_modified, name).not.toBeNull();
  });

  it('a run with the same data moves no dataset but the KPI series (a new snapshot is new data)', async () => {
    const before = await stamps();
    const run = await runSource(db.pool, source('strategy-catalog'), { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 0 });
    const after = await stamps();
    expect(changed(before, after)).toEqual(['steuerungskennzahlen-digitale-verwaltung']);
  });

  it('a run that changes one Stadtbereich moves that dataset (and its resources) only, in the run`s transaction', async () => {
    const before = await stamps();
    const edited = stadtbereicheCopy((original) => original.replace('"Lichtenhagen"', '"Lichtenhagen (geändert)"'));
    const run = await runSource(db.pool, edited, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 1 });
    const after = await stamps();
    // the WFS layers share core.geo_feature with the Stadtbereiche, yet their data did not change
    expect(changed(before, after)).toEqual(['stadtbereiche-rostock', 'steuerungskennzahlen-digitale-verwaltung']);
    const sb = after['stadtbereiche-rostock']!;
    expect(sb.data_modified?.getTime()).toBe(sb.metadata_modified.getTime());
    expect(sb.resources_modified.map((d) => d.getTime())).toEqual([sb.metadata_modified.getTime(), sb.metadata_modified.getTime()]);
    const { rows } = await db.pool.query<{ started_at: Date; finished_at: Date }>(
      `select started_at, finished_at from etl.run where id = $1`,
      [run.runId],
    );
    expect(sb.metadata_modified.getTime()).toBeGreaterThanOrEqual(rows[0]!.started_at.getTime());
    expect(sb.metadata_modified.getTime()).toBeLessThanOrEqual(rows[0]!.finished_at.getTime());
  });

  it('a dry run or a failed run moves nothing', async () => {
    const before = await stamps();
    const edited = stadtbereicheCopy((original) => original.replace('"Lütten Klein"', '"Lütten Klein (Probe)"'));
    const dry = await runSource(db.pool, edited, { log: db.log, dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(dry.loaded).toBeGreaterThan(0);
    expect(changed(before, await stamps())).toEqual([]);
    const failing = await runSource(db.pool, edited, {
      log: db.log,
      afterMerge: () => Promise.reject(new Error('planted failure after the merge')),
    });
    expect(failing.status).toBe('failed');
    expect(changed(before, await stamps())).toEqual([]);
  });

  it('a metadata change in a declaration moves metadata_modified at the next sync, an unchanged one does not', async () => {
    const dir = mkdtempSync(join(tmp, 'decl-'));
    const datasetsDir = join(import.meta.dirname, '../packages/api/datasets');
    for (const f of ['catalog.yaml', 'vorhaben.yaml', 'projekte.yaml'])
      writeFileSync(join(dir, f), readFileSync(join(datasetsDir, f), 'utf8'));
    let before = await stamps();
    await syncCatalog(db.pool, dir);
    expect(changed(before, await stamps())).toEqual([]);
    writeFileSync(
      join(dir, 'projekte.yaml'),
      readFileSync(join(datasetsDir, 'projekte.yaml'), 'utf8').replace('tags: [', 'tags: [Homeoffice, '),
    );
    before = await stamps();
    await syncCatalog(db.pool, dir);
    expect(changed(before, await stamps())).toEqual(['digitalisierungsprojekte-informationsvorlage']);
  });
});

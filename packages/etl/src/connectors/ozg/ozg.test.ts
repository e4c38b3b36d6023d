import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@hro/api';
import { createTestDatabase, type TestDatabase } from '@hro/api/testing';
import { loadSources, type SourceDefinition } from '../../sources/sources.js';
import { runSource } from '../../pipeline/run-source.js';
import { defaultFiles } from './index.js';
import { removeServiceTarget, setServiceTarget } from '@hro/api/domain';

const sharedDir = join(process.env.HRO_SHARED_DIR ?? join(repoRoot, '..', 'shared'), 'data', 'ozg');
const sources = loadSources();
const bundled = sources.find((s) => s.name === 'ozg-katalog') as SourceDefinition;
const strategy = sources.find((s) => s.name === 'strategy-catalog') as SourceDefinition;
/** The source over the real files in the shared folder (read only). */
const real: SourceDefinition = { ...bundled, config: { path: sharedDir }, baseDir: sharedDir };
const LEIKA = defaultFiles.leika;
/** A run over the real catalog takes about a second alone, far longer while the whole suite shares the cluster. */
const REAL_FILE_TIMEOUT = 120_000;

let db: TestDatabase;
const temps: string[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
  // the nine checklist questions come from the strategy source
  expect((await runSource(db.pool, strategy, { log: db.log })).status).toBe('succeeded');
});
afterAll(async () => {
  await db.close();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** The source over a private copy of the real files, which a test may change. */
function copied(maturity?: string): { source: SourceDefinition; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hro-ozg-'));
  temps.push(dir);
  for (const file of Object.values(defaultFiles)) cpSync(join(sharedDir, file), join(dir, file));
  const config: Record<string, unknown> = { path: dir };
  if (maturity !== undefined) {
    writeFileSync(join(dir, 'reifegrad.csv'), maturity);
    config.maturity = 'reifegrad.csv';
  }
  return { source: { ...bundled, config, baseDir: dir }, dir };
}

const edit = (dir: string, file: string, change: (text: string) => string) =>
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));

const count = async (sql: string, params: unknown[] = []) =>
  (await db.pool.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params)).rows[0]?.n;

const quarantine = async (runId: number) =>
  (
    await db.pool.query<{ position: string; reason_code: string; reason: string; title: string | null }>(
      // duplicates are quarantined from staging, as normalised records (title, not leistung)
      `select position, reason_code, reason, coalesce(raw->>'leistung', raw->>'title') as title from etl.quarantine where run_id = $1 order by id`,
      [runId],
    )
  ).rows;

const snapshot = async () =>
  (await db.pool.query<Record<string, unknown>>(`select key, title, parent_id, topic_id, last_run_id from core.service order by key`)).rows;

describe('OZG / LeiKa catalog on the real files', { timeout: REAL_FILE_TIMEOUT }, () => {
  it('bundles the shared files byte for byte, each with its provenance file', () => {
    const dataDir = join(bundled.baseDir, 'data', 'ozg');
    for (const file of Object.values(defaultFiles)) {
      expect(readFileSync(join(dataDir, file)).equals(readFileSync(join(sharedDir, file))), file).toBe(true);
      expect(readFileSync(join(dataDir, `${file}.src.txt`), 'utf8')).toBe(readFileSync(join(sharedDir, `${file}.src.txt`), 'utf8'));
    }
  });

  it('loads 557 OZG services, 14 Themenfelder, 58 Lebenslagen and every LeiKa row or its reason', async () => {
    const run = await runSource(db.pool, real, { log: db.log });
    expect(run.status).toBe('succeeded');
    expect(run.read).toBe(18 + 14 + 58 + 557 + 5251);
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    expect(await count(`core.service where kind = 'ozg'`)).toBe(557);
    expect(await count(`core.ozg_topic where kind = 'themenfeld'`)).toBe(14);
    expect(await count(`core.ozg_topic where kind = 'lebenslage'`)).toBe(58);
    expect(await count(`core.ozg_code`)).toBe(18);

    const leika = await count(`core.service where kind = 'leika'`);
    const rejected = await quarantine(run.runId);
    expect(run.quarantined).toBe(3);
    expect((leika ?? 0) + rejected.length).toBe(5251);
    expect(rejected).toEqual([
      {
        position: `${LEIKA}:5251`,
        reason_code: 'ROW_BAD_LEIKA_KEY',
        reason: 'leika_leistungsschluessel: "25323525" is neither a 14-digit LeiKa key (it has 8 digits) nor "nicht im LeiKa"',
        title: 'Test 124',
      },
      {
        position: `${LEIKA}:5252`,
        reason_code: 'ROW_BAD_LEIKA_KEY',
        reason: 'leika_leistungsschluessel: "3233" is neither a 14-digit LeiKa key (it has 4 digits) nor "nicht im LeiKa"',
        title: 'Test 4',
      },
      {
        position: `${LEIKA}:4547`,
        reason_code: 'ROW_DUPLICATE_KEY',
        reason: expect.stringContaining(`appears again at ${LEIKA}:4548`),
        title: 'Überwachung von Managementsystemen über zulassungspflichtige Versandstücke zur Beförderung radioaktiver Stoffe',
      },
    ]);
    // 4,813 keyed entries, 435 "nicht im LeiKa" kept under a local key (436 less the duplicate)
    expect(await count(`core.service where kind = 'leika' and leika_key is not null`)).toBe(4813);
    expect(await count(`core.service where kind = 'leika' and key like 'leika-local:%' and leika_key is null`)).toBe(435);
    expect(await count(`core.service where kind = 'leika' and parent_id is null`)).toBe(26);
    expect(await count(`core.service where topic_id is null`)).toBe(26);
    expect(await count('open.services')).toBe(557 + 5248);
    const { rows } = await db.pool.query<{ n: number }>(`select rows_read as n from etl.run where id = $1`, [run.runId]);
    expect(rows[0]?.n).toBe(run.read);
  });

  it('keeps the quirks visible, cleaned where a rule is sure', async () => {
    const topic = await db.pool.query(`select key, name from core.ozg_topic where key = 'themenfeld:10'`);
    expect(topic.rows).toEqual([{ key: 'themenfeld:10', name: 'Querschnitt' }]);
    const junk = await db.pool.query(
      `select name from core.ozg_topic where key in ('lebenslage:64', 'lebenslage:65', 'lebenslage:66') order by key`,
    );
    expect(junk.rows.map((r: { name: string }) => r.name)).toEqual(['aaaaaaaaaaaaaaaaa', 'aaaaabbbbb', 'aaabbbccc']);

    const { rows } = await db.pool.query(
      `select key, kind, ozg_id, title, description, topic_name, lebenslage, themenfeld, implementation_status, implementation_status_raw, online
       from open.services where key in ('ozg:10513', 'ozg:10569') order by key`,
    );
    expect(rows).toEqual([
      {
        key: 'ozg:10513',
        kind: 'ozg',
        ozg_id: '10513',
        title: 'Abbruchgenehmigung',
        description: null, // the seed's "Test"
        topic_name: 'Bauen & Immobilien',
        lebenslage: 'Bauen & Immobilien',
        themenfeld: 'Bauen & Wohnen',
        implementation_status: null, // "offen": not started
        implementation_status_raw: 'offen',
        online: null,
      },
      {
        key: 'ozg:10569',
        kind: 'ozg',
        ozg_id: '10569',
        title: 'Schuldnerverzeichnis',
        description: null,
        topic_name: 'Querschnitt Unternehmen',
        lebenslage: 'Querschnitt Unternehmen',
        themenfeld: 'Querschnitt',
        implementation_status: null,
        implementation_status_raw: 'offen',
        online: null,
      },
    ]);

    const leika = await db.pool.query(
      `select s.key, s.leika_key, s.leika_type, s.legal_basis, s.legal_basis_urls, s.law_name, s.law_abbreviation, p.key as parent
       from core.service s left join core.service p on p.id = s.parent_id where s.key in ('leika:99046029000000', 'leika:99001010000000') order by s.key`,
    );
    expect(leika.rows).toEqual([
      {
        key: 'leika:99001010000000',
        leika_key: '99001010000000',
        leika_type: '2/3',
        legal_basis: '§ 49 Kreislaufwirtschaftsgesetz, § 23 Nachweisverordnung, § 50 Kreislaufwirtschaftsgesetz, § 2 Nachweisverordnung',
        legal_basis_urls: [
          'http://www.gesetze-im-internet.de/krwg/__49.html',
          'http://www.gesetze-im-internet.de/nachwv_2007/__23.html',
          'http://www.gesetze-im-internet.de/krwg/__50.html',
          'http://www.gesetze-im-internet.de/nachwv_2007/__2.html',
        ],
        law_name: 'Nachweisverordnung, Kreislaufwirtschaftsgesetz',
        law_abbreviation: 'NachwV, KrWG',
        parent: 'ozg:10501',
      },
      {
        key: 'leika:99046029000000',
        leika_key: '99046029000000',
        leika_type: '2/3',
        legal_basis: '§ 882g Zivilprozessordnung (ZPO)',
        legal_basis_urls: ['http://www.gesetze-im-internet.de/zpo/__882g.html'],
        law_name: 'Zivilprozessordnung',
        law_abbreviation: 'ZPO',
        parent: 'ozg:10569',
      },
    ]);
    // no "[" link brackets left in any legal basis text; the scheme-less one got https://
    expect(await count(`core.service where legal_basis ~ '\\[(https?://|www\\.)'`)).toBe(0);
    expect(await count(`core.service where 'https://www.gesetze-im-internet.de/gbzugv_2011/' = any(legal_basis_urls)`)).toBeGreaterThan(0);
    // stray spaces collapsed; the local entry of row 1 keeps its junk law name (README: known quirk)
    expect(await count(`core.service where title ~ '(^\\s|\\s$|\\s{2})'`)).toBe(0);
    const local = await db.pool.query(
      `select key, law_name from core.service where title = '(Baumuster-) Prüfung von Gefahrengutverpackungen'`,
    );
    expect(local.rows).toEqual([{ key: expect.stringMatching(/^leika-local:10478:[0-9a-f]{12}$/), law_name: 'sdesf' }]);
  });

  it('changes nothing when the same input runs twice', async () => {
    const before = await snapshot();
    const run = await runSource(db.pool, real, { log: db.log });
    expect(run).toMatchObject({ status: 'succeeded', loaded: 0, deleted: 0, quarantined: 3 });
    expect(run.unchanged).toBe(run.read - 3);
    expect(await snapshot()).toEqual(before);
  });
});

describe('OZG / LeiKa catalog on broken variants', { timeout: REAL_FILE_TIMEOUT }, () => {
  const failsWith = async (source: SourceDefinition, message: RegExp, code = 'ETL_SOURCE_FILE') => {
    const before = await snapshot();
    const run = await runSource(db.pool, source, { log: db.log });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(message);
    const { rows } = await db.pool.query<{ error_code: string }>(`select error_code from etl.run where id = $1`, [run.runId]);
    expect(rows[0]?.error_code).toBe(code);
    expect(await snapshot()).toEqual(before);
  };

  it('fails a truncated file and leaves the data as it was', async () => {
    const { source, dir } = copied();
    edit(dir, LEIKA, (text) => text.slice(0, Math.floor(text.length / 2)));
    await failsWith(source, /kdn_nrw_leika_leistungen_5251\.csv: no line break after the last record; the file looks truncated/);
  });

  it('fails a file cut inside a quoted field', async () => {
    const { source, dir } = copied();
    edit(dir, LEIKA, (text) => text.slice(0, text.indexOf('"§ 49 Kreislaufwirtschaftsgesetz') + 20) + '\r\n');
    await failsWith(source, /kdn_nrw_leika_leistungen_5251\.csv: Quote Not Closed/);
  });

  it('fails a renamed header under the freeze drift policy', async () => {
    const { source, dir } = copied();
    edit(dir, defaultFiles.leistungen, (text) => text.replace(',beschreibung,', ',description,'));
    await failsWith(source, /schema drift in ozg_service: unknown description; missing beschreibung \(policy freeze\)/, 'ETL_SCHEMA_DRIFT');
  });

  it('fails a file in another encoding, an HTML page and an empty file', async () => {
    const latin = copied();
    writeFileSync(
      join(latin.dir, defaultFiles.themenfelder),
      Buffer.from('themenfeld_id,themenfeld\r\n7,Forschung & F\xf6rderung\r\n', 'latin1'),
    );
    await failsWith(latin.source, /kdn_nrw_ozg_themenfelder\.csv: not valid UTF-8/);

    const html = copied();
    writeFileSync(join(html.dir, defaultFiles.leistungen), '<!DOCTYPE html>\r\n<html><body>503 Service Unavailable</body></html>\r\n');
    await failsWith(html.source, /kdn_nrw_ozg_leistungen_557\.csv: the header lacks ozg_id/);

    const empty = copied();
    writeFileSync(join(empty.dir, defaultFiles.lebenslagen), '');
    await failsWith(empty.source, /kdn_nrw_ozg_lebenslagen\.csv: the file is empty/);
  });

  it('quarantines a row with a 13-digit key and one with a field too few, and loads the rest', async () => {
    // case numbers from another source for one of the two services
    await db.pool.query(
      `insert into core.service_metric (service_id, month, applications_online)
       select id, '2026-01-01', 7 from core.service where key = 'leika:99012001000000'`,
    );
    const { source, dir } = copied();
    edit(dir, LEIKA, (text) =>
      text
        .replace('\r\n2,99012001000000,Abbruchgenehmigung,4,', '\r\n2,9901200100000,Abbruchgenehmigung,4,')
        .replace('\r\n6,99088018000000,Abendgymnasium,4,10041,', '\r\n6,99088018000000,Abendgymnasium,10041,'),
    );
    const run = await runSource(db.pool, source, { log: db.log });
    expect(run.status).toBe('succeeded');
    expect(run.read).toBe(run.loaded + run.unchanged + run.quarantined);
    const rejected = await quarantine(run.runId);
    expect(rejected.slice(0, 2)).toEqual([
      {
        position: `${LEIKA}:3`,
        reason_code: 'ROW_BAD_LEIKA_KEY',
        reason: 'leika_leistungsschluessel: "9901200100000" is neither a 14-digit LeiKa key (it has 13 digits) nor "nicht im LeiKa"',
        title: 'Abbruchgenehmigung',
      },
      { position: `${LEIKA}:7`, reason_code: 'ROW_FIELD_COUNT', reason: 'row has 15 fields, the header 16', title: 'Abendgymnasium' },
    ]);
    expect(run.quarantined).toBe(5);
    // full refresh: the entries are no longer loadable; the one with case numbers stays, as local
    expect(run.deleted).toBe(1);
    expect(await count(`core.service where key = 'leika:99088018000000'`)).toBe(0);
    const kept = `core.service s join core.service_metric m on m.service_id = s.id where s.key = 'leika:99012001000000'`;
    expect(await count(`${kept} and s.kind = 'local' and s.parent_id is null`)).toBe(1);
    expect((await runSource(db.pool, real, { log: db.log })).loaded).toBe(2);
    expect(await count(`${kept} and s.kind = 'leika' and s.parent_id is not null`)).toBe(1);
  });
});

describe('maturity with history', { timeout: REAL_FILE_TIMEOUT }, () => {
  const level = async (key: string) =>
    (
      await db.pool.query<{ model: string; kind: string; level: number; valid_to: Date | null; run_id: number }>(
        `select m.model, m.kind, m.level, m.valid_to, m.run_id from core.service_maturity m join core.service s on s.id = m.service_id
         where s.key = $1 order by m.id`,
        [key],
      )
    ).rows;
  const checklist = async (key: string) =>
    Object.fromEntries(
      (
        await db.pool.query<{ question_key: string; fulfilled: boolean }>(
          `select c.question_key, c.fulfilled from core.service_checklist c join core.service s on s.id = c.service_id where s.key = $1`,
          [key],
        )
      ).rows.map((r) => [r.question_key, r.fulfilled]),
    );

  it('writes assessed levels, closes the current row when a level changes, and derives only implied checklist answers', async () => {
    const header = 'leistung,modell,art,reifegrad,zieldatum\r\n';
    const { source, dir } = copied(`${header}10513,1.1,IST,2,\r\n99012001000000,2.0,ist,5,\r\n10513,1.1,soll,4,31.12.2026\r\n`);
    const first = await runSource(db.pool, source, { log: db.log });
    expect(first).toMatchObject({ status: 'succeeded', quarantined: 3 });
    expect(await level('ozg:10513')).toEqual([
      { model: '1.1', kind: 'ist', level: 2, valid_to: null, run_id: first.runId },
      { model: '1.1', kind: 'soll', level: 4, valid_to: null, run_id: first.runId },
    ]);
    expect(await checklist('ozg:10513')).toEqual({ information_online: true, form_online: true, fillable: true, submittable: false });
    const view = await db.pool.query(
      `select key, maturity_1_1, maturity_2_0, online from open.services where key in ('ozg:10513', 'leika:99012001000000') order by key`,
    );
    expect(view.rows).toEqual([
      { key: 'leika:99012001000000', maturity_1_1: null, maturity_2_0: 5, online: null },
      { key: 'ozg:10513', maturity_1_1: 2, maturity_2_0: null, online: false },
    ]);

    writeFileSync(join(dir, 'reifegrad.csv'), `${header}10513,1.1,IST,3,\r\n99012001000000,2.0,ist,5,\r\n10513,1.1,soll,4,31.12.2026\r\n`);
    const second = await runSource(db.pool, source, { log: db.log });
    expect(second).toMatchObject({ status: 'succeeded', loaded: 1 });
    const history = await level('ozg:10513');
    expect(history.map((r) => [r.kind, r.level, r.valid_to === null])).toEqual([
      ['ist', 2, false],
      ['soll', 4, true],
      ['ist', 3, true],
    ]);
    expect(await checklist('ozg:10513')).toEqual({ information_online: true, form_online: true, fillable: true, submittable: true });
    expect((await db.pool.query(`select online from open.services where key = 'ozg:10513'`)).rows).toEqual([{ online: true }]);
    expect(await count(`open.service_maturity where service_key = 'ozg:10513'`)).toBe(3);

    const third = await runSource(db.pool, source, { log: db.log });
    expect(third).toMatchObject({ status: 'succeeded', loaded: 0 });
    expect(await level('ozg:10513')).toHaveLength(3);

    // levels the file no longer lists are closed, and the answers they implied go with them
    writeFileSync(join(dir, 'reifegrad.csv'), header);
    expect((await runSource(db.pool, source, { log: db.log })).status).toBe('succeeded');
    expect(await count(`core.service_maturity where valid_to is null`)).toBe(0);
    expect(await checklist('ozg:10513')).toEqual({});
  });

  it('leaves a target set or removed through the API until the file changes its own value', async () => {
    const header = 'leistung,modell,art,reifegrad,zieldatum\r\n';
    const { source, dir } = copied(`${header}10513,1.1,soll,4,31.12.2026\r\n`);
    expect((await runSource(db.pool, source, { log: db.log })).status).toBe('succeeded');
    const steering = { viewer: { role: 'steering' as const, subject: 'key-3' }, pool: db.pool, log: db.log };
    await setServiceTarget(steering, { serviceKey: 'ozg:10513', model: '1.1', level: 3, targetDate: '2027-06-30' });
    const current = async () =>
      (
        await db.pool.query<{ level: number; target_date: string; origin: string }>(
          `select m.level, m.target_date::text, m.origin from core.service_maturity m join core.service s on s.id = m.service_id
           where s.key = 'ozg:10513' and m.kind = 'soll' and m.valid_to is null`,
        )
      ).rows;
    // the file repeats the value it wrote: the steering team's newer decision stands
    expect(await runSource(db.pool, source, { log: db.log })).toMatchObject({ status: 'succeeded', loaded: 0 });
    expect(await current()).toEqual([{ level: 3, target_date: '2027-06-30', origin: 'api' }]);
    // the file's own value changes: that is the newer decision now
    writeFileSync(join(dir, 'reifegrad.csv'), `${header}10513,1.1,soll,4,30.06.2027\r\n`);
    expect(await runSource(db.pool, source, { log: db.log })).toMatchObject({ status: 'succeeded', loaded: 1 });
    expect(await current()).toEqual([{ level: 4, target_date: '2027-06-30', origin: 'source' }]);
    // removed through the API: stays removed while the file repeats itself, comes back when it changes
    expect(await removeServiceTarget(steering, { serviceKey: 'ozg:10513', model: '1.1' })).toBe(true);
    expect(await runSource(db.pool, source, { log: db.log })).toMatchObject({ status: 'succeeded', loaded: 0 });
    expect(await current()).toEqual([]);
    writeFileSync(join(dir, 'reifegrad.csv'), `${header}10513,1.1,soll,4,31.12.2027\r\n`);
    expect(await runSource(db.pool, source, { log: db.log })).toMatchObject({ status: 'succeeded', loaded: 1 });
    expect(await current()).toEqual([{ level: 4, target_date: '2027-12-31', origin: 'source' }]);
  });

  it('quarantines levels of unknown services and levels outside the model', async () => {
    const { source } = copied(
      'leistung,modell,art,reifegrad,zieldatum\r\n10999,1.1,ist,2,\r\n10513,1.1,ist,5,\r\n10513,3.0,ist,1,\r\n10513,1.1,ist,1,2026-01-01\r\n',
    );
    const run = await runSource(db.pool, source, { log: db.log });
    expect(run.status).toBe('succeeded');
    const rejected = (await quarantine(run.runId)).filter((r) => r.position.startsWith('reifegrad.csv'));
    expect(rejected.map((r) => [r.position, r.reason_code, r.reason])).toEqual([
      ['reifegrad.csv:2', 'ROW_UNKNOWN_SERVICE', 'leistung: "10999" is not a service of this catalog'],
      ['reifegrad.csv:3', 'ROW_INVALID_VALUE', 'reifegrad: "5" is not a level of model 1.1 (0–4)'],
      ['reifegrad.csv:4', 'ROW_INVALID_VALUE', 'modell: "3.0" is not a maturity model (1.1 or 2.0)'],
      ['reifegrad.csv:5', 'ROW_INVALID_VALUE', 'zieldatum: "2026-01-01": an IST level has no target date'],
    ]);
  });
});

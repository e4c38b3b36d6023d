// Checks the hand-transcribed reference data in packages/etl/data/strategy/
// against the two seed documents in <shared>/seeds/ (see data/strategy/README.md).
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { parse as parseCsv } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDir = dirname(fileURLToPath(import.meta.url));
const dataDir = fileURLToPath(new URL('../../../data/strategy/', import.meta.url));
// packages/etl/src/connectors/strategy -> repository root
const repoRoot = resolve(testDir, '..', '..', '..', '..', '..');
const seedsDir = join(process.env.HRO_SHARED_DIR ?? resolve(repoRoot, '../shared'), 'seeds');

const STRATEGY_SEED = 'strategie-digitale-verwaltung-rostock-2030.txt';
const COUNCIL_SEED = 'informationsvorlage-homeoffice-digitalisierungsprojekte.txt';

// ---------------------------------------------------------------- types

const INITIATIVE_KEYS = [
  'key',
  'section',
  'field',
  'title',
  'target_field_raw',
  'responsible_raw',
  'involved_raw',
  'prio_size_raw',
  'status_raw',
  'focus_points_raw',
  'benefits_raw',
] as const;
type Initiative = Record<(typeof INITIATIVE_KEYS)[number], string>;

const PROJECT_KEYS = ['key', 'title', 'title_raw', 'goals_raw', 'results_raw', 'status_raw'] as const;
type Project = Record<(typeof PROJECT_KEYS)[number], string>;

type CsvRow = Record<string, string>;

interface SeedVorhaben {
  section: string;
  line: number;
  headerLine: string;
  cells: string[];
  focus: string;
  benefits: string;
}

interface SeedProject {
  line: number;
  titleRaw: string;
  goalsRaw: string;
  resultsRaw: string;
  statusRaw: string;
}

// ---------------------------------------------------------------- helpers

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function stripHtml(s: string): string {
  return s
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;/g, ' ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toStringRecord<K extends string>(v: unknown, keys: readonly K[], where: string): Record<K, string> {
  if (!isRecord(v)) throw new Error(`${where}: expected a mapping`);
  const allowed: readonly string[] = keys;
  const extra = Object.keys(v).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new Error(`${where}: unexpected keys ${extra.join(', ')}`);
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const value = v[k];
    if (typeof value !== 'string') throw new Error(`${where}.${k}: expected a string, got ${typeof value}`);
    out[k] = value;
  }
  return out as Record<K, string>;
}

function loadYamlList<K extends string>(file: string, keys: readonly K[]): Record<K, string>[] {
  const doc: unknown = parse(readText(join(dataDir, file)));
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a YAML list`);
  const list: unknown[] = doc;
  return list.map((entry, i) => toStringRecord(entry, keys, `${file}[${i}]`));
}

function loadCsv(file: string, columns: readonly string[]): CsvRow[] {
  const rows = parseCsv(readText(join(dataDir, file)), { skip_empty_lines: true });
  const [header, ...body] = rows;
  expect(header, `${file} header`).toEqual(columns);
  return body.map((cells, i) => {
    expect(cells.length, `${file} row ${i + 2} cell count`).toBe(columns.length);
    const row: CsvRow = {};
    columns.forEach((c, k) => {
      row[c] = cells[k] ?? '';
    });
    return row;
  });
}

function col(row: CsvRow, column: string): string {
  const v = row[column];
  if (v === undefined) throw new Error(`missing column ${column}`);
  return v;
}

function tableCells(line: string): string[] {
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

const HEADER_ROW = /^\|\s*Vorhaben\s*\|/;
const SEPARATOR_ROW = /^\|[-|\s]+\|$/;
const APPENDIX_HEADING = /^6\. Anhang: Vorhaben\s*$/;

function appendixLines(strategy: string): { lines: string[]; start: number } {
  const lines = strategy.split('\n');
  const headings = lines.flatMap((l, i) => (APPENDIX_HEADING.test(l) ? [i] : []));
  expect(headings, 'exactly one "6. Anhang: Vorhaben" heading').toHaveLength(1);
  return { lines, start: headings[0] ?? 0 };
}

/** Independent re-parse of the appendix tables of the strategy seed. */
function parseAppendix(strategy: string): SeedVorhaben[] {
  const { lines, start } = appendixLines(strategy);
  const out: SeedVorhaben[] = [];
  let section = '';
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heading = /^(6\.\d) Feld /.exec(line);
    if (heading?.[1] !== undefined) section = heading[1];
    if (!HEADER_ROW.test(line)) continue;
    let j = i + 1;
    if (SEPARATOR_ROW.test(lines[j] ?? '')) j++;
    const cells = tableCells(lines[j] ?? '');
    let k = j + 1;
    while (k < lines.length && !(lines[k] ?? '').includes('Schwerpunkte') && !HEADER_ROW.test(lines[k] ?? '')) k++;
    const detail = tableCells(lines[k] ?? '').filter((c) => c !== '');
    expect(detail, `seed line ${k + 1}: Schwerpunkte + Nutzen cells`).toHaveLength(2);
    out.push({
      section,
      line: i + 1,
      headerLine: lines[j] ?? '',
      cells,
      focus: detail[0] ?? '',
      benefits: detail[1] ?? '',
    });
    i = k;
  }
  return out;
}

/** Independent re-parse of the Anlage table of the council paper, merging page-break continuation rows. */
function parseCouncilTable(council: string): SeedProject[] {
  const header = 'Projekt/Arbeitsauftrag\tZiele\tErgebnisse\tStatus';
  const lines = council.split('\n');
  const start = lines.indexOf(header);
  expect(start, 'Anlage table header').toBeGreaterThan(-1);
  const out: SeedProject[] = [];
  const append = (a: string, b: string): string => (b === '' ? a : a === '' ? b : `${a}\n${b}`);
  lines.slice(start).forEach((line, offset) => {
    if (line === header || line.trim() === '') return;
    const cells = line.split('\t');
    expect(cells, `seed line ${start + offset + 1}: 4 tab-separated cells`).toHaveLength(4);
    const [title = '', goals = '', results = '', status = ''] = cells;
    const prev = out.at(-1);
    if (title === '') {
      if (prev === undefined) throw new Error('continuation row without a project');
      prev.goalsRaw = append(prev.goalsRaw, goals);
      prev.resultsRaw = append(prev.resultsRaw, results);
      prev.statusRaw = append(prev.statusRaw, status);
    } else {
      out.push({ line: start + offset + 1, titleRaw: title, goalsRaw: goals, resultsRaw: results, statusRaw: status });
    }
  });
  return out;
}

/** Org unit codes in a Verantw./Beteiligt cell, normalised to a two-digit Amt ("6.3" -> "06.3"). */
function orgCodes(cell: string): string[] {
  return [...cell.matchAll(/(?<![\d.])(\d{1,2})(?:\.(\d{1,2}))?(?!\d)/g)].map((m) => {
    const amt = (m[1] ?? '').padStart(2, '0');
    return m[2] === undefined ? amt : `${amt}.${m[2]}`;
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------- data

const strategy = readText(join(seedsDir, STRATEGY_SEED));
const council = readText(join(seedsDir, COUNCIL_SEED));
const strategyFlat = collapse(strategy);
const councilFlat = collapse(council);

const initiatives: Initiative[] = loadYamlList('initiatives.yaml', INITIATIVE_KEYS);
const projects: Project[] = loadYamlList('projects.yaml', PROJECT_KEYS);

const EXPECTED_PROJECT_KEYS = [
  'P001/19',
  'P002/19',
  'P003/10',
  'P000/17',
  'P006/19',
  'P006/20',
  'A006/20',
  'A005/20',
  'P007/00',
  'P004/19',
];

// ---------------------------------------------------------------- tests

describe('strategy seed data: locations', () => {
  it('finds the data dir inside the repo and the seed dir', () => {
    expect(resolve(dataDir)).toBe(resolve(repoRoot, 'packages/etl/data/strategy'));
    expect(existsSync(join(repoRoot, 'packages', 'etl', 'package.json'))).toBe(true);
    expect(existsSync(join(seedsDir, STRATEGY_SEED))).toBe(true);
    expect(existsSync(join(seedsDir, COUNCIL_SEED))).toBe(true);
  });
});

describe('initiatives.yaml (strategy appendix "6. Anhang: Vorhaben")', () => {
  const seedRows = parseAppendix(strategy);

  it('has exactly 33 initiatives, as many as Vorhaben header rows in the appendix', () => {
    expect(initiatives).toHaveLength(33);
    const { lines, start } = appendixLines(strategy);
    const headerRows = lines.slice(start).filter((l) => HEADER_ROW.test(l));
    expect(headerRows).toHaveLength(initiatives.length);
    expect(seedRows).toHaveLength(initiatives.length);
  });

  it('uses unique keys V01..V33 in document order', () => {
    const expected = Array.from({ length: 33 }, (_, i) => `V${String(i + 1).padStart(2, '0')}`);
    expect(initiatives.map((i) => i.key)).toEqual(expected);
    expect(new Set(initiatives.map((i) => i.key)).size).toBe(33);
  });

  it('has every title in the strategy text', () => {
    for (const ini of initiatives) {
      expect(strategyFlat.includes(collapse(ini.title)), `${ini.key} title "${ini.title}"`).toBe(true);
    }
  });

  it('keeps each header row verbatim (title, Zielfeld, Verantw., Beteiligt, Prio/Größe, Status)', () => {
    initiatives.forEach((ini, n) => {
      const seed = seedRows[n];
      expect(seed, `${ini.key} seed row`).toBeDefined();
      if (seed === undefined) return;
      const cell = (v: string): RegExp => new RegExp(`\\|\\s*${escapeRegExp(v)}\\s*\\|`);
      expect(seed.headerLine, `${ini.key} responsible in seed row`).toMatch(cell(ini.responsible_raw));
      expect(seed.headerLine, `${ini.key} prio in seed row`).toMatch(cell(ini.prio_size_raw));
      expect(
        [ini.title, ini.target_field_raw, ini.responsible_raw, ini.involved_raw, ini.prio_size_raw, ini.status_raw],
        `${ini.key} (seed line ${seed.line})`,
      ).toEqual(seed.cells);
    });
  });

  it('keeps the Schwerpunkte and Nutzen cells verbatim, HTML remnants included', () => {
    initiatives.forEach((ini, n) => {
      const seed = seedRows[n];
      expect(ini.focus_points_raw, `${ini.key} focus`).toBe(seed?.focus);
      expect(ini.benefits_raw, `${ini.key} benefits`).toBe(seed?.benefits);
      expect(ini.focus_points_raw).toMatch(/^(<p>)?Schwerpunkte:/);
      expect(ini.benefits_raw).toMatch(/^(<p>)?Nutzen:/);
      expect(strategy.includes(ini.focus_points_raw)).toBe(true);
      expect(strategy.includes(ini.benefits_raw)).toBe(true);
    });
  });

  it('assigns section and navigator field as in the appendix', () => {
    const fields = loadCsv('navigator_fields.csv', ['key', 'name', 'appendix_section', 'pillar_key']);
    const fieldBySection = new Map(fields.map((f) => [col(f, 'appendix_section'), col(f, 'key')]));
    initiatives.forEach((ini, n) => {
      expect(ini.section, `${ini.key} section`).toBe(seedRows[n]?.section);
      expect(ini.field, `${ini.key} field`).toBe(fieldBySection.get(ini.section));
    });
  });

  it('references only known org units in Verantw./Beteiligt', () => {
    const units = loadCsv('org_units.csv', ['code', 'name', 'parent_code', 'source']);
    const codes = new Set(units.map((u) => col(u, 'code')));
    const nonCodeTokens = new Set(['?', 'ISB', 'ITSIB']);
    for (const ini of initiatives) {
      for (const cell of [ini.responsible_raw, ini.involved_raw]) {
        for (const token of cell.split(/[\s,/()]+/).filter((t) => t !== '')) {
          const isCode = /^\d{1,2}(\.\d{1,2})?$/.test(token);
          expect(isCode || nonCodeTokens.has(token), `${ini.key}: unexpected token "${token}"`).toBe(true);
        }
        for (const code of orgCodes(cell)) {
          expect(codes.has(code), `${ini.key}: org unit ${code} (from "${cell}") missing in org_units.csv`).toBe(true);
        }
      }
    }
  });

  it('keeps the quirks the seed really has', () => {
    const seedResponsible = seedRows.map((r) => r.cells[2]);
    const seedPrio = seedRows.map((r) => r.cells[4] ?? '');
    // the seed has them ...
    expect(seedResponsible).toContain('6.3');
    expect(seedResponsible).toContain('?');
    expect(seedPrio.some((p) => p.includes('('))).toBe(true);
    // ... and the data keeps them
    const responsible = initiatives.map((i) => i.responsible_raw);
    expect(responsible).toContain('6.3');
    expect(responsible).toContain('06.3');
    expect(responsible).toContain('?');
    expect(responsible).toContain('? (10/06)');
    expect(initiatives.some((i) => i.prio_size_raw.includes('('))).toBe(true);
    expect(initiatives.filter((i) => i.status_raw !== '').length).toBeGreaterThan(0);
    expect(initiatives.every((i) => i.focus_points_raw.includes('<ul style="list-style-type: none">'))).toBe(true);
  });
});

describe('projects.yaml (Anlage of the Informationsvorlage)', () => {
  const seedProjects = parseCouncilTable(council);
  const councilStripped = collapse(stripHtml(council));

  it('has exactly the 10 projects in table order', () => {
    expect(seedProjects).toHaveLength(10);
    expect(projects).toHaveLength(10);
    expect(projects.map((p) => p.key)).toEqual(EXPECTED_PROJECT_KEYS);
    expect(new Set(projects.map((p) => p.key)).size).toBe(10);
  });

  it('has two different projects numbered P006', () => {
    const p006 = projects.filter((p) => p.key.startsWith('P006/'));
    expect(p006).toHaveLength(2);
    expect(p006[0]?.key).not.toBe(p006[1]?.key);
    expect(p006[0]?.title).not.toBe(p006[1]?.title);
  });

  it('has every key and title in the seed text', () => {
    for (const p of projects) {
      expect(councilFlat.includes(p.key), `${p.key} key`).toBe(true);
      expect(p.title).toBe(collapse(p.title));
      expect(p.title).not.toMatch(/[<>]/);
      expect(councilStripped.includes(`${p.key} ${p.title}`), `${p.key} title "${p.title}"`).toBe(true);
    }
  });

  it('derives title from title_raw (HTML stripped, key removed, whitespace collapsed)', () => {
    for (const p of projects) {
      expect(collapse(stripHtml(p.title_raw)), p.key).toBe(`${p.key} ${p.title}`);
    }
  });

  it('keeps every cell verbatim, continuation rows merged with a newline', () => {
    projects.forEach((p, n) => {
      const seed = seedProjects[n];
      expect(seed, `${p.key} seed row`).toBeDefined();
      expect(
        { title_raw: p.title_raw, goals_raw: p.goals_raw, results_raw: p.results_raw, status_raw: p.status_raw },
        `${p.key} (seed line ${seed?.line ?? '?'})`,
      ).toEqual({
        title_raw: seed?.titleRaw,
        goals_raw: seed?.goalsRaw,
        results_raw: seed?.resultsRaw,
        status_raw: seed?.statusRaw,
      });
    });
    // page-broken rows really were merged
    const merged = projects.filter((p) => p.goals_raw.includes('\n'));
    expect(merged.map((p) => p.key)).toEqual(['P002/19', 'P006/20', 'A005/20']);
    expect(projects.some((p) => p.goals_raw.includes('&amp;'))).toBe(true);
  });
});

describe('pillars.csv, navigator_fields.csv, ozg_checklist.csv', () => {
  it('has the 4 pillars, names and descriptions verbatim from the strategy', () => {
    const pillars = loadCsv('pillars.csv', ['key', 'name', 'description']);
    expect(pillars.map((p) => col(p, 'key'))).toEqual(['service', 'organisation', 'personal', 'information']);
    expect(pillars.map((p) => col(p, 'name'))).toEqual([
      'Service-Management',
      'Organisations-Management',
      'Personal-Management',
      'Informations-Management',
    ]);
    for (const p of pillars) {
      expect(strategy.includes(`„${col(p, 'name')}“`), col(p, 'name')).toBe(true);
      expect(col(p, 'description')).not.toBe('');
      expect(strategyFlat.includes(collapse(col(p, 'description'))), `${col(p, 'key')} description`).toBe(true);
    }
  });

  it('has the 6 navigator fields in appendix order, each a "6.x Feld" heading of the strategy', () => {
    const fields = loadCsv('navigator_fields.csv', ['key', 'name', 'appendix_section', 'pillar_key']);
    const pillarKeys = new Set(loadCsv('pillars.csv', ['key', 'name', 'description']).map((p) => col(p, 'key')));
    expect(fields.map((f) => col(f, 'key'))).toEqual([
      'fachverfahren',
      'ozg',
      'dms',
      'data_management',
      'change_management',
      'kommunikation_kollaboration',
    ]);
    expect(fields.map((f) => col(f, 'appendix_section'))).toEqual(['6.1', '6.2', '6.3', '6.4', '6.5', '6.6']);
    const lines = strategy.split('\n');
    for (const f of fields) {
      expect(lines.includes(`${col(f, 'appendix_section')} Feld ${col(f, 'name')}`), col(f, 'name')).toBe(true);
      const pillar = col(f, 'pillar_key');
      expect(pillar === '' || pillarKeys.has(pillar), `${col(f, 'key')} pillar_key "${pillar}"`).toBe(true);
    }
  });

  it('has the 9 OZG checklist questions verbatim and in order', () => {
    const checklist = loadCsv('ozg_checklist.csv', ['position', 'key', 'question']);
    expect(checklist.map((q) => col(q, 'position'))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(checklist.map((q) => col(q, 'key'))).toEqual([
      'information_online',
      'form_online',
      'fillable',
      'submittable',
      'base_services_connected',
      'online_communication',
      'documents_later',
      'digital_notice',
      'end_to_end',
    ]);
    const lines = strategy.split('\n');
    const intro = lines.findIndex((l) => l.includes('folgende Fragen zu beantworten:'));
    expect(intro).toBeGreaterThan(-1);
    const seedQuestions: string[] = [];
    for (const l of lines.slice(intro + 1)) {
      if (l.startsWith('- ')) seedQuestions.push(l.slice(2));
      else if (seedQuestions.length > 0) break;
    }
    expect(checklist.map((q) => col(q, 'question'))).toEqual(seedQuestions);
    for (const q of checklist) expect(strategy.includes(col(q, 'question'))).toBe(true);
  });
});

describe('org_units.csv', () => {
  const units = loadCsv('org_units.csv', ['code', 'name', 'parent_code', 'source']);
  const byCode = new Map(units.map((u) => [col(u, 'code'), u]));
  const seedText: Record<string, string[]> = {
    strategie: [strategy],
    informationsvorlage: [council],
    both: [strategy, council],
  };

  it('has unique, well-formed codes and valid parents', () => {
    expect(byCode.size).toBe(units.length);
    for (const u of units) {
      const code = col(u, 'code');
      const parent = col(u, 'parent_code');
      expect(code, code).toMatch(/^(\d{2}(\.\d{1,2})?|[a-z][a-z0-9_]*)$/);
      const sub = /^(\d{2})\.\d{1,2}$/.exec(code);
      if (sub !== null) {
        // the parent is the closest listed unit above: 06.32 belongs to 06.3, 06.3 to 06
        const candidates = [code.slice(0, -1), sub[1] ?? ''].filter((c) => /^\d{2}(\.\d)?$/.test(c) && byCode.has(c));
        expect(parent, `${code} parent`).toBe(candidates[0]);
        expect(byCode.has(parent), `${code}: parent ${parent} has its own row`).toBe(true);
      } else if (/^\d{2}$/.test(code)) {
        expect(parent, `${code} is an Amt`).toBe('');
      } else {
        expect(parent === '' || byCode.has(parent), `${code} parent`).toBe(true);
      }
    }
  });

  it('only uses names and codes the seeds contain (source says where)', () => {
    for (const u of units) {
      const code = col(u, 'code');
      const name = col(u, 'name');
      const texts = seedText[col(u, 'source')];
      expect(texts, `${code} source "${col(u, 'source')}"`).toBeDefined();
      for (const text of texts ?? []) {
        if (/^(Amt|Bereich) \d/.test(name)) {
          expect([`Amt ${code}`, `Bereich ${code}`], `${code} generic name`).toContain(name);
          expect(new RegExp(`(?<![\\d.])${escapeRegExp(code)}(?!\\d)`).test(text), `${code} in its source`).toBe(true);
        } else {
          expect(text.includes(name), `"${name}" in its source`).toBe(true);
        }
      }
    }
  });

  it('covers the numbered units mentioned in the seeds and the named ones', () => {
    const mentioned = new Set<string>();
    for (const m of council.matchAll(/(?<![\d.])\d{2}\.\d{1,2}(?![\d.])/g)) mentioned.add(m[0]);
    for (const text of [strategy, council]) {
      for (const m of text.matchAll(/\b(?:Amt|Bereich(?:e|en|s)?) (\d{2})(?![\d.])/g)) mentioned.add(m[1] ?? '');
    }
    for (const row of parseAppendix(strategy)) {
      for (const cell of [row.cells[2] ?? '', row.cells[3] ?? '']) for (const c of orgCodes(cell)) mentioned.add(c);
    }
    expect(mentioned.size).toBeGreaterThan(10);
    for (const code of mentioned) expect(byCode.has(code), `org unit ${code} missing`).toBe(true);

    const names = new Set(units.map((u) => col(u, 'name')));
    for (const name of [
      'Amt für Digitalisierung und IT',
      'Hauptamt',
      'Stadtamt',
      'Kämmereiamt',
      'Stabstelle für Modernisierung und Digitalisierung',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    expect(col(byCode.get('06') ?? {}, 'name')).toBe('Amt für Digitalisierung und IT');
    expect(col(byCode.get('10') ?? {}, 'name')).toBe('Hauptamt');
  });
});

describe('personal_names.txt', () => {
  const names = readText(join(dataDir, 'personal_names.txt'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

  it('lists unique names that occur in the seeds', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(strategy.includes(n) || council.includes(n), n).toBe(true);
  });

  it('includes the signer, the responsible Senator and the project lead', () => {
    const lines = council.split('\n');
    const annex = lines.indexOf('**Anlagen**');
    const signer = lines
      .slice(0, annex)
      .filter((l) => l.trim() !== '')
      .at(-1);
    expect(signer).toBeDefined();
    expect(names).toContain(signer?.trim());
    const senator = /Senator\/-in: [^,]+, (?:Dr\. )?(.+?)\s{2,}/.exec(council)?.[1];
    expect(senator).toBeDefined();
    expect(names).toContain(senator);
    const impressum = strategy
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1);
    expect(names).toContain(impressum?.trim());
  });

  it('keeps personal names out of the other data files', () => {
    for (const file of [
      'initiatives.yaml',
      'projects.yaml',
      'org_units.csv',
      'pillars.csv',
      'navigator_fields.csv',
      'ozg_checklist.csv',
      'treiberprojekte.csv',
    ]) {
      const text = readText(join(dataDir, file));
      for (const n of names) expect(text.includes(n), `${n} in ${file}`).toBe(false);
    }
  });
});

describe('treiberprojekte.csv (strategy 4.2: the driver projects)', () => {
  const rows = loadCsv('treiberprojekte.csv', ['key', 'strategy_name']);
  // "Dies sind die IT-Bebauung, das OZG-Monitoring, … sowie - mit längerfristigem Blick - das Servicekonzept Stadtverwaltung."
  const sentence = /Treiberprojekte identifiziert\. Dies sind (.+?\.)(?: |$)/.exec(strategyFlat)?.[1] ?? '';

  it('names each driver project as the strategy writes it, in its order, and no other', () => {
    expect(sentence).toContain('IT-Bebauung');
    let from = 0;
    for (const row of rows) {
      const at = sentence.indexOf(col(row, 'strategy_name'), from);
      expect(at, col(row, 'strategy_name')).toBeGreaterThanOrEqual(0);
      from = at;
    }
    // the enumeration: "die A, das B, die C, die D … sowie … das E"
    const items = sentence.split(/, | sowie /).length;
    expect(rows).toHaveLength(items);
  });

  it('points at the Vorhaben of that name (the OZG-Monitoring is "Monitoring OZG-/ Online-Dienste")', () => {
    const titleOf = new Map(initiatives.map((i) => [i.key, i.title]));
    expect(rows.map((r) => [col(r, 'key'), titleOf.get(col(r, 'key'))])).toEqual([
      ['V01', 'IT-Bebauung IST & SOLL'],
      ['V10', 'Monitoring OZG-/ Online-Dienste'],
      ['V26', 'OZG-Multiplikatoren'],
      ['V27', 'Digitale Lotsen smart city (übergreifend & verbindend)*'],
      ['V08', 'Servicekonzept Stadtverwaltung'],
    ]);
  });
});

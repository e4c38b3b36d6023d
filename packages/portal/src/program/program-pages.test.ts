// The driver projects' pages over real HTTP (issue 9): "Geplantes und Erreichtes" (/programm and
// /programm/<YYYY-MM>) public for everyone and complete for a signed-in steering session, and the
// steering board's panels OZG-Monitoring, IT-Bebauung and program overview — on hand-made fixtures
// (program.fixture.ts, monitoring.fixture.ts and a small interface graph), with exact contents.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, currentMonth, monthName, todayInBerlin } from '@hro/api/domain';
import { createTestDatabase, loadMonitoringFixture, loadProgramFixture, type TestDatabase } from '@hro/api/testing';
import { createApp } from '../app.js';

interface Site {
  db: TestDatabase;
  app: FastifyInstance;
  url: string;
  steering: string;
  developer: string;
}

async function site(load: (db: TestDatabase) => Promise<void>): Promise<Site> {
  const db = await createTestDatabase();
  await load(db);
  const app = await createApp({ pool: db.pool, log: db.log, introspection: false, rateLimits: { anonymous: 100_000, key: 100_000 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return {
    db,
    app,
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    steering: (await createApiKey(db.pool, { name: 'Steuerung', role: 'steering' })).key,
    developer: (await createApiKey(db.pool, { name: 'Entwicklung', role: 'developer' })).key,
  };
}

const PLANTED = 'Vertraulicher Meilenstein 4711';
const month = currentMonth();
let program: Site;
let monitoring: Site;
let session: string;

beforeAll(async () => {
  program = await site(async (db) => {
    await loadProgramFixture(db.pool);
    // an internal value planted in March 2025 (a tool project's milestone, done on 25 March), and a
    // public change this month, so the feed has an entry whose page must exist
    await db.pool.query(`
      insert into core.milestone (project_id, key, title, due_date, done_date, is_closed, first_seen_at)
        select id, 'm5', '${PLANTED}', '2025-03-31', '2025-03-25', true, '2025-02-01 05:00+01' from core.project where key = 'OP-1';
      insert into core.project (key, title, source, status, status_raw, first_seen_at)
        values ('P009/26', 'Digitale Bauakte', 'council-paper', 'planned', 'geplant', now() - interval '1 second');`);
  });
  monitoring = await site(async (db) => {
    await loadMonitoringFixture(db.pool);
    // a small interface graph behind FV-1 (FV-1 → FV-A → FV-B → FV-A, a cycle) with a cost and an end of life
    await db.pool.query(`
      insert into core.procedure (key, name, lifecycle_phase, annual_cost, target_action, end_of_life_date) values
        ('FV-A', 'Parkraumbewirtschaftung', 'phase_out', 12345, 'replace', current_date + 100),
        ('FV-B', 'Sondernutzungen', 'operation', 5000, 'keep', null);
      insert into core.procedure_interface (from_procedure_id, to_procedure_id, kind, direction)
        select f.id, t.id, 'file', 'one_way' from (values ('FV-1', 'FV-A'), ('FV-A', 'FV-B'), ('FV-B', 'FV-A')) v(f, t)
        join core.procedure f on f.key = v.f join core.procedure t on t.key = v.t;
      insert into core.service (key, kind, title, procedure_id)
        select 'local:sondernutzung', 'local', 'Sondernutzungserlaubnis', id from core.procedure where key = 'FV-B';`);
  });
  const res = await fetch(`${program.url}/anmelden`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: program.steering, next: '/programm' }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  session = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(session).toMatch(/^hro_session=/);
}, 60_000);
afterAll(async () => {
  for (const s of [program, monitoring]) {
    await s?.app.close();
    await s?.db.close();
  }
});

async function get(s: Site, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}${path}`, { headers, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, flat: text.replace(/\s+/g, ' ') };
}

/** The text of a piece of markup: tags dropped, entities of the escaper undone, blanks collapsed. */
const textOf = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The list items under a heading `<h3>Title (n)</h3>`: [n, items]. */
function listUnder(flat: string, title: string): { count: number; items: string[] } {
  const match = new RegExp(`<h3>${title} \\((\\d+)\\)</h3>(.*?)(?=<h3>|</section>)`).exec(flat);
  if (!match) throw new Error(`no list ${title}`);
  return { count: Number(match[1]), items: [...(match[2] ?? '').matchAll(/<li>(.*?)<\/li>/g)].map((m) => textOf(m[1] ?? '')) };
}

/** The rows of the table with this caption, each as its cells' texts. */
function tableRows(flat: string, caption: string): string[][] {
  const start = flat.indexOf(`<caption> ${caption} </caption>`);
  if (start < 0) throw new Error(`no table ${caption}`);
  const body = flat.slice(flat.indexOf('<tbody>', start), flat.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((r) =>
    [...(r[1] ?? '').matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => textOf(c[1] ?? '')),
  );
}

describe('Geplantes und Erreichtes – the monthly page', () => {
  it('shows anonymous visitors the public changes of March 2025, exactly, with feed and dataset links', async () => {
    const page = await get(program, '/programm/2025-03');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.flat).toContain('<h1>Geplantes und Erreichtes – März 2025</h1>');
    expect(page.text).toContain(
      '<link rel="alternate" type="application/atom+xml" href="/programm/feed.atom" title="Geplantes und Erreichtes (Atom-Feed)" />',
    );
    expect(page.text).toContain('href="/dataset/geplantes-und-erreichtes"');
    expect(page.text).toContain('href="/dataset/ozg-monatsbericht"');
    expect(page.flat).toContain('aria-current="page">Geplantes und Erreichtes</a>');
    expect(tableRows(page.flat, 'Änderungen nach Kategorie')).toEqual([
      ['Erreicht', '1'],
      ['Geplant', '2'],
      ['Verzögert', '0'],
      ['Geändert', '1'],
    ]);
    expect(listUnder(page.flat, 'Erreicht')).toEqual({
      count: 1,
      items: ['10.03.2025, 12:00: Leistung „Bewohnerparkausweis“: Reifegrad (Reifegradmodell 1.1) 2 → 3'],
    });
    expect(listUnder(page.flat, 'Geplant').items).toEqual([
      '03.03.2025, 08:00: Neues Projekt „Bürgerportal“ (geplant)',
      '20.03.2025, 15:00: Leistung „Gewerbeanmeldung“: Ziel (Reifegradmodell 1.1) Stufe 3 bis 31.12.2025',
    ]);
    expect(listUnder(page.flat, 'Geändert').items).toEqual([
      '05.03.2025, 10:00: Vorhaben „Monitoring OZG-/ Online-Dienste“: Status geplant → laufend',
    ]);
    // KPI changes: the public KPI only
    expect(tableRows(page.flat, 'Kennzahlen: März 2025 gegenüber dem Vormonat')).toEqual([
      ['Online verfügbare Leistungen', 'gesamt', '30 %', '37,5 %', '+7,5 %'],
    ]);
    expect(tableRows(page.flat, 'Treiberprojekte der Strategie und ihre Projekte')).toEqual([
      ['V01', 'IT-Bebauung IST & SOLL', 'Treiberprojekt', 'offen', '–'],
      ['V10', 'Monitoring OZG-/ Online-Dienste', 'Treiberprojekt', 'in Umsetzung', 'E-Rechnung (in Umsetzung)'],
    ]);
    // every number explains itself: definition, source and Stichtag beside it
    expect(page.flat).toContain('<dt>Stichtag</dt> <dd><time datetime="2025-03-31">31. März 2025</time></dd>');
    expect(page.flat).toContain('Offener Datensatz „Geplantes und Erreichtes“ (open.program_changes).');
    // nothing internal: the planted milestone, the tool project, its milestones, the overdue list
    for (const internal of [PLANTED, 'DMS-Rollout Stadtamt', 'Ausschreibung', 'OP-1', 'Überfällige Meilensteine', 'badge-internal'])
      expect(page.flat, internal).not.toContain(internal);
  });

  it('shows a signed-in steering session the complete month, the planted internal value included', async () => {
    const page = await get(program, '/programm/2025-03', { cookie: session });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    expect(tableRows(page.flat, 'Änderungen nach Kategorie')).toEqual([
      ['Erreicht', '3'],
      ['Geplant', '4'],
      ['Verzögert', '1'],
      ['Geändert', '2'],
    ]);
    expect(listUnder(page.flat, 'Erreicht').items).toEqual([
      '05.03.2025, 00:00: Meilenstein „Konzept“ im Projekt OP-1 erreicht am 05.03.2025',
      '10.03.2025, 12:00: Leistung „Bewohnerparkausweis“: Reifegrad (Reifegradmodell 1.1) 2 → 3',
      `25.03.2025, 00:00: Meilenstein „${PLANTED}“ im Projekt OP-1 erreicht am 25.03.2025`,
    ]);
    expect(listUnder(page.flat, 'Verzögert').items).toEqual([
      '21.03.2025, 00:00: Meilenstein „Ausschreibung“ im Projekt OP-1 überfällig (fällig am 20.03.2025)',
    ]);
    expect(tableRows(page.flat, 'Überfällige Meilensteine am Stichtag, die ältesten zuerst')).toEqual([
      ['OP-1', 'Ausschreibung', '20. März 2025', '11'],
    ]);
    expect(tableRows(page.flat, 'Kennzahlen: März 2025 gegenüber dem Vormonat').map((r) => r[0])).toEqual([
      'Jahreskosten der Fachverfahren',
      'Projekte nach Status',
      'Online verfügbare Leistungen',
    ]);
    // the same with the key as a header
    expect((await get(program, '/programm/2025-03', { authorization: program.steering })).flat).toContain(PLANTED);
  });

  it('answers a month that has no page with 404 and a German message saying why', async () => {
    for (const bad of ['2025-13', '2025-3', 'maerz', '2999-01', '1999-12']) {
      const page = await get(program, `/programm/${bad}`);
      expect(page.status, bad).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.flat, bad).toContain(`„${bad}“ ist kein Monat mit einer Seite „Geplantes und Erreichtes“.`);
      expect(page.flat).toContain(`z. B. /programm/${month}`);
    }
  });

  it('has a page for every entry of the Atom feed', async () => {
    const feed = await (await fetch(`${program.url}/programm/feed.atom`)).text();
    const pages = [...feed.matchAll(/<link rel="alternate" type="text\/html" href="([^"]+)"\/>/g)].map((m) => new URL(m[1] ?? '').pathname);
    expect(pages).toEqual([`/programm/${month}`]);
    for (const path of pages) {
      const page = await get(program, path);
      expect(page.status, path).toBe(200);
      expect(page.flat).toContain(`Geplantes und Erreichtes – ${monthName(month)} (laufender Monat)`);
      expect(listUnder(page.flat, 'Geplant').items.map((i) => i.replace(/^.*?: /, ''))).toEqual([
        'Neues Projekt „Digitale Bauakte“ (geplant)',
      ]);
    }
  });
});

describe('Geplantes und Erreichtes – the index', () => {
  it('lists the months and the plan per pillar and field; internal projects only for the steering team', async () => {
    const page = await get(program, '/programm');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<link rel="alternate" type="application/atom+xml" href="/programm/feed.atom"');
    expect(tableRows(page.flat, 'Die letzten zwölf Monate')[0]).toEqual([`${monthName(month)} (laufend)`, '0', '1', '0', '0']);
    expect(page.text).toContain(`<a href="/programm/${month}">`);
    expect(tableRows(page.flat, 'Säulen der Strategie')).toEqual([
      ['Service-Management', 'OZG', '1', '1'],
      ['Organisations-Management', 'DMS', '1', '0'],
    ]);
    expect(tableRows(page.flat, 'Vorhaben im Navigator-Feld DMS')).toEqual([['V12', 'Einführung DMS - Sachakte', '–', 'geplant', '–']]);
    expect(tableRows(page.flat, 'Vorhaben im Navigator-Feld Fachverfahren')).toEqual([
      ['V01', 'IT-Bebauung IST & SOLL', 'Treiberprojekt', 'offen', '–'],
    ]);
    expect(page.flat).not.toContain('DMS-Rollout Stadtamt');

    const complete = await get(program, '/programm', { cookie: session });
    expect(tableRows(complete.flat, 'Vorhaben im Navigator-Feld DMS')).toEqual([
      ['V12', 'Einführung DMS - Sachakte', '–', 'geplant', 'DMS-Rollout Stadtamt (in Umsetzung)', '1'],
    ]);
  });
});

describe('the steering board panels', () => {
  const panels = ['/steuerung/ozg', '/steuerung/it-bebauung', '/steuerung/programm'];

  it('are the steering team`s: anonymous to the sign-in, developers 403, and linked from the board', async () => {
    for (const path of panels) {
      const anonymous = await get(monitoring, path);
      expect(anonymous.status, path).toBe(303);
      expect(anonymous.headers.get('location')).toBe(`/anmelden?next=${encodeURIComponent(path)}`);
      expect((await get(monitoring, path, { authorization: monitoring.developer })).status, path).toBe(403);
      expect((await get(monitoring, path, { authorization: monitoring.steering })).status, path).toBe(200);
    }
    const board = await get(monitoring, '/steuerung', { authorization: monitoring.steering });
    for (const path of panels) expect(board.text).toContain(`<a href="${path}">`);
  });

  it('OZG-Monitoring: status counts, gap list with org unit and procedure, forecast with method and limits, report downloads', async () => {
    const page = await get(monitoring, '/steuerung/ozg', { authorization: monitoring.steering });
    const today = todayInBerlin();
    const days = (from: string) => Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
    expect(tableRows(page.flat, 'Beobachtete Leistungen nach Umsetzungsstatus')).toEqual([
      ['Ende-zu-Ende', '1'],
      ['online', '1'],
      ['in Umsetzung', '0'],
      ['geplant', '1'],
      ['nicht geplant', '2'],
      ['alle beobachteten Leistungen', '5'],
      ['mit Ziel (SOLL)', '3'],
      ['Ziel verfehlt', '2'],
    ]);
    expect(
      tableRows(
        page.flat,
        'Leistungen, deren Zieldatum verstrichen ist, ohne dass die Zielstufe erreicht ist – am längsten überfällig zuerst',
      ),
    ).toEqual([
      ['ozg:10003', 'Wohngeld', '–', '–', '–', '4 → –', '5 → 6 bis 15.03.2025', String(days('2025-03-15'))],
      ['ozg:10002', 'Gewerbeanmeldung', '32', '–', 'nein', '1 → 3 bis 30.09.2025', '–', String(days('2025-09-30'))],
    ]);
    expect(page.flat).toContain(
      '<strong>Im Tempo der letzten 6 Monate (Trend: 2,46 Leistungen je Monat) wären alle 40 OZG-Leistungen im Februar 2026 online; offen sind 18.</strong>',
    );
    expect(page.flat).toContain('Lineare Regression (kleinste Quadrate)');
    expect(page.flat).toContain('<strong>Grenzen:</strong> Setzt voraus, dass das Tempo der letzten Monate anhält');
    expect(tableRows(page.flat, 'OZG-Leistungen online je Monat')[0]).toEqual([
      'Juni 2025',
      '22',
      '40',
      '55 %',
      '#107',
      '15.06.2025, 04:01',
    ]);
    expect(page.text).toContain(`<a href="/berichte/ozg/${month}.xlsx" download>`);
    expect(page.text).toContain(`<a href="/berichte/ozg/${month}.csv" download>`);
    expect(page.flat).toContain(`<dt>Stichtag</dt> <dd><time datetime="${today}">`);
    // the download it links is there for the steering team
    const csv = await fetch(`${monitoring.url}/berichte/ozg/2025-03.csv`, { headers: { authorization: monitoring.steering } });
    expect(csv.status).toBe(200);
  });

  it('IT-Bebauung: end of life with cost and services, ranking, and the impact of replacing a chosen procedure (with a cycle)', async () => {
    const page = await get(monitoring, '/steuerung/it-bebauung?verfahren=fv-1', { authorization: monitoring.steering });
    expect(page.status).toBe(200);
    const ending = tableRows(page.flat, 'Fachverfahren, deren Nutzung in den nächsten 24 Monaten endet, nach Datum');
    expect(ending).toHaveLength(1);
    expect(ending[0]?.[0]).toBe('FV-A');
    expect(ending[0]?.slice(3)).toEqual(['geplantes Nutzungsende', 'ablösen', '–', '12.345 €', '–']);
    expect(tableRows(page.flat, 'Die 3 Fachverfahren, von denen am meisten abhängt').map((r) => r.slice(0, 4))).toEqual([
      ['1', 'FV-1', 'Bewohnerparken', '2'],
      ['2', 'FV-A', 'Parkraumbewirtschaftung', '1'],
      ['3', 'FV-B', 'Sondernutzungen', '1'],
    ]);
    expect(page.flat).toContain('<option value="FV-1" selected>FV-1 Bewohnerparken</option>');
    expect(tableRows(page.flat, 'Über Schnittstellen erreichbare Fachverfahren von FV-1')).toEqual([
      ['FV-A', 'Parkraumbewirtschaftung', '1', 'FV-1 → FV-A', 'abwärts'],
      ['FV-B', 'Sondernutzungen', '2', 'FV-1 → FV-A → FV-B', 'abwärts'],
    ]);
    expect(tableRows(page.flat, 'Betroffene Leistungen bei Ablösung von FV-1')).toEqual([
      ['ozg:10001', 'Bewohnerparkausweis', 'FV-1', '0'],
      ['local:sondernutzung', 'Sondernutzungserlaubnis', 'FV-B', '2'],
    ]);
    expect(page.flat).toContain('Kreise im Schnittstellengraphen (der Weg endet dort): FV-A → FV-B → FV-A.');

    const unknown = await get(monitoring, '/steuerung/it-bebauung?verfahren=FV-404', { authorization: monitoring.steering });
    expect(unknown.status).toBe(200);
    expect(unknown.flat).toContain('Das Fachverfahren „FV-404“ gibt es im Verfahrensinventar nicht.');
  });

  it('program overview: overdue milestones and the changes since last month', async () => {
    const page = await get(program, '/steuerung/programm', { cookie: session });
    expect(page.status).toBe(200);
    const today = todayInBerlin();
    const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse('2025-03-20T00:00:00Z')) / 86_400_000);
    expect(tableRows(page.flat, 'Überfällige Meilensteine der Projekte, die ältesten zuerst')).toEqual([
      ['OP-1', 'Ausschreibung', '20. März 2025', String(days)],
    ]);
    expect(listUnder(page.flat, 'Geplant').items.map((i) => i.replace(/^.*?: /, ''))).toEqual([
      'Neues Projekt „Digitale Bauakte“ (geplant)',
    ]);
    expect(page.text).toContain(`<a href="/programm/${month}">`);
  });
});

import {
  addMonths,
  currentMonth,
  monthName,
  programFeed,
  programOverview,
  programPageData,
  seesCompleteProgram,
  STATUS_LABELS,
  type DomainContext,
  type KpiDeltaRow,
  type OverdueMilestoneRow,
  type ProgramChangeRow,
  type ProgramInitiativeRow,
  type ProgramOverviewRow,
} from '@hro/api/domain';
import { dataTable } from '../pages/components.js';
import { explain, statusWord } from '../pages/explain.js';
import { dimensionLabel, dimensionValue, formatDateTime, formatDay, formatInteger, formatValue } from '../pages/format.js';
import { html, type SafeHtml } from '../pages/html.js';
import { layout } from '../pages/layout.js';

/**
 * The public program pages "Geplantes und Erreichtes" (strategy, recommendation 6): /programm
 * (the months and the plan per navigator field and pillar) and /programm/<YYYY-MM> (what changed
 * in a month), rendered from the program's domain functions — the public part for everyone, the
 * complete one (internal projects, milestones) for the steering team.
 */

export const FEED = { href: '/programm/feed.atom', type: 'application/atom+xml', title: 'Geplantes und Erreichtes (Atom-Feed)' };
export const CHANGES_DATASET = '/dataset/geplantes-und-erreichtes';
export const REPORT_DATASET = '/dataset/ozg-monatsbericht';

/** A month of a page address: YYYY-MM, not after the current month (later months have no data). */
export function pageMonth(value: string): string | undefined {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value) || value < '2000-01') return undefined;
  return value <= currentMonth() ? value : undefined;
}

const CATEGORIES: [ProgramChangeRow['category'], string][] = [
  ['erreicht', 'Erreicht'],
  ['geplant', 'Geplant'],
  ['verzögert', 'Verzögert'],
  ['geändert', 'Geändert'],
];

const scopeNote = (complete: boolean) =>
  complete
    ? html`<p class="notice">
        <span class="badge badge-internal">Intern</span> Vollständige Fassung für das Steuerungsteam: mit den Projekten des Projekttools,
        Meilensteinen und dem Statusverlauf der Projekte.
      </p>`
    : html`<p class="hint">
        Öffentlicher Teil: Vorhaben der Strategie, die öffentliche Projektliste und die OZG-Leistungen. Interne Angaben (Projekte des
        Projekttools, Meilensteine) sieht das Steuerungsteam nach der <a href="/anmelden">Anmeldung</a>.
      </p>`;

const openDataLinks = html`<ul class="inline-list">
  <li><a href="${FEED.href}" type="${FEED.type}">Atom-Feed „Geplantes und Erreichtes“</a></li>
  <li><a href="${CHANGES_DATASET}">Offener Datensatz: Änderungen im Programm</a></li>
  <li><a href="${REPORT_DATASET}">Offener Datensatz: OZG-Monatsbericht</a></li>
</ul>`;

function initiativeRows(initiatives: ProgramInitiativeRow[], complete: boolean): (string | SafeHtml)[][] {
  return initiatives.map((i) => {
    const overdue = i.projects.reduce((n, p) => n + (p.overdueMilestones?.length ?? 0), 0);
    return [
      i.key,
      i.title,
      i.driverProject ? html`<span class="badge">Treiberprojekt</span>` : '–',
      statusWord(i.status),
      i.projects.length === 0 ? '–' : html`${i.projects.map((p, n) => html`${n > 0 ? ', ' : ''}${p.title} (${statusWord(p.status)})`)}`,
      ...(complete ? [formatInteger(overdue)] : []),
    ];
  });
}

/** The plan per pillar and navigator field: Vorhaben with driver-project flag, status and projects. */
export function overviewSection(overview: ProgramOverviewRow, complete: boolean, headingId = 'plan'): SafeHtml {
  const headers = ['Vorhaben', 'Titel', 'Treiberprojekt', 'Status', 'Projekte', ...(complete ? ['Überfällige Meilensteine'] : [])];
  const numeric = complete ? [5] : [];
  const fieldsOutside = overview.fields.filter((f) => f.pillarKey === null);
  const fieldBlock = (f: ProgramOverviewRow['fields'][number]) =>
    html`<h4>${f.name}</h4>
      <p>
        ${formatInteger(f.initiatives.length)} Vorhaben –
        ${f.initiativesByStatus.map((s, n) => html`${n > 0 ? ', ' : ''}${formatInteger(s.count)} ${statusWord(s.status)}`)}.
      </p>
      ${dataTable(`Vorhaben im Navigator-Feld ${f.name}`, headers, initiativeRows(f.initiatives, complete), { numeric })}`;
  return html`<section id="${headingId}" aria-labelledby="${headingId}-titel">
    <h2 id="${headingId}-titel">Vorhaben nach Säule und Navigator-Feld</h2>
    ${explain({
      definition:
        'Die Vorhaben der Strategie mit ihrem Status (offen, wo die Quelle keinen nennt) und den Projekten darunter; Treiberprojekte nach Kapitel 4.2 der Strategie sind markiert.',
      source: complete
        ? 'Strategiekatalog (Quelle strategy-catalog), Projektliste der Informationsvorlage und Projekttool (OpenProject).'
        : 'Strategiekatalog (Quelle strategy-catalog) und Projektliste der Informationsvorlage (offene Datensätze „Vorhaben“ und „Projekte“).',
      stichtag: overview.stichtag,
    })}
    ${dataTable(
      'Säulen der Strategie',
      ['Säule', 'Navigator-Felder', 'Vorhaben', 'davon Treiberprojekte'],
      overview.pillars.map((p) => [
        p.name,
        p.fieldKeys.map((k) => overview.fields.find((f) => f.key === k)?.name ?? k).join(', ') || '–',
        formatInteger(p.initiatives),
        formatInteger(p.driverProjects),
      ]),
      { numeric: [2, 3] },
    )}
    ${overview.pillars.map(
      (p) =>
        html`<h3>Säule ${p.name}</h3>
          ${p.fieldKeys.length === 0 ? html`<p>Keine Navigator-Felder.</p>` : ''}
          ${overview.fields.filter((f) => f.pillarKey === p.key).map(fieldBlock)}`,
    )}
    ${
      fieldsOutside.length > 0 &&
      html`<h3>Navigator-Felder ohne Säule</h3>
        ${fieldsOutside.map(fieldBlock)}`
    }
    ${
      overview.projectsWithoutInitiative.length > 0 &&
      html`<h3>Projekte ohne Vorhaben</h3>
        ${dataTable(
          'Projekte, die keinem Vorhaben zugeordnet sind',
          ['Projekt', 'Titel', 'Status'],
          overview.projectsWithoutInitiative.map((p) => [p.key, p.title, statusWord(p.status)]),
        )}`
    }
  </section>`;
}

const deltaValue = (d: KpiDeltaRow, v: number | null) =>
  d.suppressed ? 'zurückgehalten' : formatValue(v, (['count', 'share', 'EUR'].includes(d.unit) ? d.unit : 'count') as 'count');
const cutOf = (d: KpiDeltaRow) =>
  Object.entries(d.dimensions)
    .map(([k, v]) => `${dimensionLabel[k] ?? k}: ${dimensionValue(k, v)}`)
    .join(', ') || 'gesamt';

export function changesSection(changes: ProgramChangeRow[], counts: Record<ProgramChangeRow['category'], number>): SafeHtml {
  return html`${dataTable(
    'Änderungen nach Kategorie',
    ['Kategorie', 'Anzahl'],
    CATEGORIES.map(([c, title]) => [title, formatInteger(counts[c])]),
    { numeric: [1] },
  )}
  ${CATEGORIES.map(([category, title]) => {
    const items = changes.filter((c) => c.category === category);
    return html`<h3>${title} (${formatInteger(items.length)})</h3>
      ${
        items.length === 0
          ? html`<p>Keine Änderungen.</p>`
          : html`<ul>
              ${items.map((c) => html`<li><time datetime="${c.occurredAt.toISOString()}">${formatDateTime(c.occurredAt)}</time>: ${c.text}</li>`)}
            </ul>`
      }`;
  })}`;
}

export function kpiDeltaTable(deltas: KpiDeltaRow[], caption: string): SafeHtml {
  return dataTable(
    caption,
    ['Kennzahl', 'Ausprägung', 'Vormonat', 'Monat', 'Änderung'],
    deltas.map((d) => [
      d.title,
      cutOf(d),
      deltaValue(d, d.previous),
      deltaValue(d, d.current),
      d.suppressed || d.delta === null ? '–' : `${d.delta > 0 ? '+' : ''}${deltaValue(d, d.delta)}`,
    ]),
    { numeric: [2, 3, 4] },
  );
}

export function overdueTable(rows: OverdueMilestoneRow[], caption: string): SafeHtml {
  return dataTable(
    caption,
    ['Projekt', 'Meilenstein', 'Fällig am', 'Tage überfällig'],
    rows.map((m) => [m.projectKey, m.title, formatDay(m.dueDate), formatInteger(m.daysOverdue)]),
    { numeric: [3] },
  );
}

/** /programm: the months, the plan as of today, links to feed and open data. */
export async function programIndexPage(ctx: DomainContext): Promise<string> {
  const complete = seesCompleteProgram(ctx);
  const [overview, entries] = await Promise.all([programOverview(ctx, {}), programFeed(ctx, { months: 12 })]);
  const now = currentMonth();
  const months = Array.from({ length: 12 }, (_, i) => addMonths(now, -i));
  const withChanges = new Map(entries.map((e) => [e.month, e]));
  const main = html`<h1>Geplantes und Erreichtes</h1>
    <p class="lead">
      Was im Programm <cite>Digitale Verwaltung Rostock 2030</cite> geplant ist und was erreicht wurde – jeden Monat aus den Daten der
      Plattform erzeugt, ohne handgeschriebenen Text (Empfehlung 6 der Strategie).
    </p>
    ${scopeNote(complete)} ${openDataLinks}
    <section aria-labelledby="monate-titel">
      <h2 id="monate-titel">Monatsberichte</h2>
      ${dataTable(
        'Die letzten zwölf Monate',
        ['Monat', 'Erreicht', 'Geplant', 'Verzögert', 'Geändert'],
        months.map((m) => {
          const e = withChanges.get(m);
          const n = (c: ProgramChangeRow['category']) => formatInteger(e?.summary.counts[c] ?? 0);
          return [
            html`<a href="/programm/${m}">${monthName(m)}</a>${m === now ? ' (laufend)' : ''}`,
            n('erreicht'),
            n('geplant'),
            n('verzögert'),
            n('geändert'),
          ];
        }),
        { numeric: [1, 2, 3, 4] },
      )}
      <p class="hint">
        Ältere Monate: <code>/programm/JJJJ-MM</code>, z. B.
        <a href="/programm/${addMonths(now, -12)}">${monthName(addMonths(now, -12))}</a>.
      </p>
    </section>
    ${overviewSection(overview, complete)}`;
  return layout({
    title: 'Geplantes und Erreichtes',
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Geplantes und Erreichtes' }],
    section: 'programm',
    alternates: [FEED],
  });
}

/** /programm/<YYYY-MM>: the month's page, from programPageData. The caller has checked the month (pageMonth). */
export async function programMonthPage(ctx: DomainContext, month: string): Promise<string> {
  const data = await programPageData(ctx, { month });
  const { month: summary, ozg } = data;
  const o = ozg.overview;
  const f = ozg.forecast;
  const note = summary.preliminary ? 'vorläufig: laufender Monat, Stand heute' : undefined;
  const main = html`<h1>${summary.title}</h1>
    <p class="lead">
      Stichtag <time datetime="${summary.stichtag}">${formatDay(summary.stichtag)}</time>${summary.preliminary ? ' (vorläufig)' : ''}:
      ${formatInteger(summary.counts.erreicht)} erreicht, ${formatInteger(summary.counts.geplant)} geplant,
      ${formatInteger(summary.counts.verzögert)} verzögert, ${formatInteger(summary.counts.geändert)} geändert.
    </p>
    <nav class="pager" aria-label="Andere Monate">
      <ul>
        <li><a href="/programm/${data.previousMonth}" rel="prev">Vormonat: ${monthName(data.previousMonth)}</a></li>
        ${data.nextMonth && html`<li><a href="/programm/${data.nextMonth}" rel="next">Folgemonat: ${monthName(data.nextMonth)}</a></li>`}
        <li><a href="/programm">Alle Monate</a></li>
      </ul>
    </nav>
    ${scopeNote(data.complete)} ${openDataLinks}
    <section aria-labelledby="aenderungen-titel">
      <h2 id="aenderungen-titel">Was sich im Monat geändert hat</h2>
      ${explain({
        definition:
          'Änderungen im Kalendermonat (Europe/Berlin): Statuswechsel von Vorhaben und Projekten, neue Projekte und Meilensteine, erreichte und überfällige Meilensteine, geänderte OZG-Reifegrade und Umsetzungsziele. Erreicht: abgeschlossen, Meilenstein erreicht oder Reifegrad gestiegen; geplant: neu aufgenommen oder Ziel gesetzt; verzögert: pausiert, abgebrochen oder überfällig; sonst geändert.',
        source: data.complete
          ? 'Änderungsprotokoll der Plattform (core.program_change) aus Strategiekatalog, Projektliste, Projekttool und OZG-Monitoring.'
          : 'Offener Datensatz „Geplantes und Erreichtes“ (open.program_changes).',
        stichtag: summary.stichtag,
        note,
      })}
      ${changesSection(summary.changes, summary.counts)}
    </section>
    <section aria-labelledby="kennzahlen-titel">
      <h2 id="kennzahlen-titel">Kennzahlen im Monat</h2>
      ${explain({
        definition:
          'Je Kennzahl der letzte Stand vor Monatsbeginn und der letzte Stand im Monat; Kennzahlen ohne Schnitt immer, geschnittene nur, wo sich ein Wert geändert hat. Zahlen von 1 bis 4 werden außerhalb der Steuerung zurückgehalten.',
        source: html`Kennzahlen-Schnappschüsse der ETL-Läufe (<a href="/kennzahlen">Digitale Verwaltung in Zahlen</a>).`,
        stichtag: summary.stichtag,
        note,
      })}
      ${kpiDeltaTable(summary.kpiDeltas, `Kennzahlen: ${monthName(summary.month)} gegenüber dem Vormonat`)}
    </section>
    <section aria-labelledby="treiber-titel">
      <h2 id="treiber-titel">Treiberprojekte</h2>
      ${dataTable(
        'Treiberprojekte der Strategie und ihre Projekte',
        ['Vorhaben', 'Titel', 'Treiberprojekt', 'Status', 'Projekte', ...(data.complete ? ['Überfällige Meilensteine'] : [])],
        initiativeRows(summary.driverProjects, data.complete),
        { numeric: data.complete ? [5] : [] },
      )}
    </section>
    ${
      data.complete &&
      summary.overdueMilestones &&
      html`<section aria-labelledby="ueberfaellig-titel">
        <h2 id="ueberfaellig-titel">Überfällige Meilensteine am Monatsende <span class="badge badge-internal">Intern</span></h2>
        ${explain({
          definition:
            'Fällig vor dem Stichtag und bis dahin nicht erledigt; ein ohne Erledigungsdatum geschlossener Meilenstein gilt als entfallen, nicht als verpasst.',
          source: 'Projekttool (OpenProject), Meilensteine der Projekte.',
          stichtag: summary.stichtag,
          note,
        })}
        ${overdueTable(summary.overdueMilestones, 'Überfällige Meilensteine am Stichtag, die ältesten zuerst')}
      </section>`
    }
    <section aria-labelledby="ozg-titel">
      <h2 id="ozg-titel">OZG-Umsetzung zum Stichtag</h2>
      ${explain({ definition: o.statusDefinition, source: 'OZG-Monitoring (Reifegrade der Leistungen, Quelle ozg-katalog).', stichtag: o.stichtag, note })}
      ${dataTable(
        'Leistungen nach Umsetzungsstatus',
        ['Umsetzungsstatus', 'Leistungen'],
        [
          [STATUS_LABELS.end_to_end, formatInteger(o.endToEnd)],
          [STATUS_LABELS.online, formatInteger(o.online)],
          [STATUS_LABELS.in_progress, formatInteger(o.inProgress)],
          [STATUS_LABELS.planned, formatInteger(o.planned)],
          ['nicht geplant', formatInteger(o.notPlanned)],
          ['alle beobachteten Leistungen', formatInteger(o.services)],
          ['mit Ziel (SOLL)', formatInteger(o.withTarget)],
          ['Ziel verfehlt', formatInteger(o.targetsMissed)],
        ],
        { numeric: [1] },
      )}
      <h3>Prognose</h3>
      <p>${forecastSentence(f)}</p>
      ${explain({ definition: `${f.method} Grenzen: ${f.limits}`, source: 'Kennzahl services.online je Monat.', stichtag: o.stichtag, note })}
    </section>`;
  return layout({
    title: summary.title,
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Geplantes und Erreichtes', href: '/programm' }, { label: monthName(summary.month) }],
    section: 'programm',
    alternates: [FEED],
  });
}

/** The forecast in one German sentence (the method and its limits stand beside it). */
export function forecastSentence(f: {
  reachMonth: string | null;
  reason: string | null;
  open: number | null;
  total: number | null;
  slopePerMonth: number | null;
  points: unknown[];
}): string {
  const pace =
    f.slopePerMonth === null ? '' : ` (Trend: ${formatValue(Math.round(f.slopePerMonth * 100) / 100, 'count')} Leistungen je Monat)`;
  if (f.reason === 'reached') return `Alle ${formatInteger(f.total ?? 0)} OZG-Leistungen sind online (Stufe 3 oder höher).`;
  if (f.reason === 'too_few_months')
    return `Keine Prognose: Es gibt erst ${f.points.length === 1 ? 'einen Monat' : `${formatInteger(f.points.length)} Monate`} mit Daten, nötig sind mindestens drei.`;
  if (f.reason === 'flat_or_falling') return `Keine Prognose: Die Zahl der online verfügbaren Leistungen steigt nicht${pace}.`;
  if (!f.reachMonth) return 'Keine Prognose.';
  return `Im Tempo der letzten ${formatInteger(f.points.length)} Monate${pace} wären alle ${formatInteger(f.total ?? 0)} OZG-Leistungen im ${monthName(f.reachMonth)} online; offen sind ${formatInteger(f.open ?? 0)}.`;
}

/** The 404 text for a month address that names no month with a page. */
export function monthNotFound(value: string): string {
  return `„${value}“ ist kein Monat mit einer Seite „Geplantes und Erreichtes“. Monatsseiten gibt es unter /programm/JJJJ-MM für jeden Monat bis zum laufenden (${monthName(currentMonth())}), z. B. /programm/${currentMonth()}.`;
}

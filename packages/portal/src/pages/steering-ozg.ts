import {
  addMonths,
  currentMonth,
  GAP_DEFINITION,
  monthName,
  ozgForecast,
  ozgGaps,
  ozgOverview,
  ozgProgress,
  STATUS_LABELS,
  type DataStand,
  type DomainContext,
} from '@hro/api/domain';
import { forecastSentence, REPORT_DATASET } from '../program/pages.js';
import { lineChart } from './charts.js';
import { dataTable } from './components.js';
import { explain, yesNo } from './explain.js';
import { formatDateTime, formatDay, formatInteger, formatValue } from './format.js';
import { html } from './html.js';
import { layout } from './layout.js';

/**
 * The steering board's OZG-Monitoring (driver project V10, steering team): the services by
 * implementation status, progress over the months, the gap list, the forecast with its method
 * and limits, and the monthly report's downloads. Read through the monitoring domain functions;
 * every figure names its definition, source and Stichtag.
 */

export const dataStandText = (stand: DataStand[]): string =>
  stand.length === 0
    ? 'noch kein erfolgreicher ETL-Lauf'
    : stand.map((s) => `${s.source} (Lauf #${s.runId}, ${formatDateTime(s.finishedAt)})`).join(', ');

const level = (n: number | null) => (n === null ? '–' : String(n));
/** "1 → 3 bis 30.09.2025": IST, and SOLL with its date */
const target = (ist: number | null, soll: number | null, date: string | null) =>
  soll === null && ist === null
    ? '–'
    : `${level(ist)} → ${level(soll)}${date ? ` bis ${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}` : ''}`;

export async function ozgBoardPage(ctx: DomainContext): Promise<string> {
  const [overview, progress, gaps, forecast] = await Promise.all([
    ozgOverview(ctx, {}),
    ozgProgress(ctx, { months: 24 }),
    ozgGaps(ctx, {}),
    ozgForecast(ctx, {}),
  ]);
  const stichtag = overview.stichtag;
  const source = `Reifegrade und Ziele der Leistungen (Quellen ozg-katalog, ozg-leistungszuordnung; Ziele auch vom Steuerungsteam über die API). Datenstand: ${dataStandText(overview.dataAsOf)}.`;
  const now = currentMonth();
  const reportMonths = Array.from({ length: 12 }, (_, i) => addMonths(now, -i));

  const progressChart = lineChart(
    'OZG-Leistungen online je Monat',
    progress.map((p) => p.month),
    [
      { name: 'online (Stufe 1.1 ab 3)', values: progress.map((p) => p.online) },
      { name: 'alle OZG-Leistungen', values: progress.map((p) => p.total) },
    ],
    (n) => formatValue(n, 'count'),
    { legend: true },
  );

  const main = html`<h1>OZG-Monitoring</h1>
    <p class="lead">
      Treiberprojekt „Monitoring OZG-/ Online-Dienste“ (V10): Fortschritt, Status und Reifegrad IST/SOLL der Verwaltungsleistungen, Stichtag
      <time datetime="${stichtag}">${formatDay(stichtag)}</time>.
    </p>
    <nav class="toc" aria-labelledby="ozg-inhalt">
      <h2 id="ozg-inhalt">Inhalt</h2>
      <ul>
        <li><a href="#status">Leistungen nach Umsetzungsstatus</a></li>
        <li><a href="#fortschritt">Fortschritt über die Monate</a></li>
        <li><a href="#luecken">Lückenliste (${formatInteger(gaps.length)})</a></li>
        <li><a href="#prognose">Prognose</a></li>
        <li><a href="#berichte">Monatsberichte zum Herunterladen</a></li>
      </ul>
    </nav>
    <section id="status" aria-labelledby="status-titel">
      <h2 id="status-titel">Leistungen nach Umsetzungsstatus</h2>
      ${dataTable(
        'Beobachtete Leistungen nach Umsetzungsstatus',
        ['Umsetzungsstatus', 'Leistungen'],
        [
          [STATUS_LABELS.end_to_end, formatInteger(overview.endToEnd)],
          [STATUS_LABELS.online, formatInteger(overview.online)],
          [STATUS_LABELS.in_progress, formatInteger(overview.inProgress)],
          [STATUS_LABELS.planned, formatInteger(overview.planned)],
          ['nicht geplant', formatInteger(overview.notPlanned)],
          ['alle beobachteten Leistungen', formatInteger(overview.services)],
          ['mit Ziel (SOLL)', formatInteger(overview.withTarget)],
          ['Ziel verfehlt', html`<a href="#luecken">${formatInteger(overview.targetsMissed)}</a>`],
        ],
        { numeric: [1] },
      )}
      ${explain({
        definition: `${overview.statusDefinition} Beobachtet werden alle OZG-Leistungen und jede weitere Leistung mit Reifegrad.`,
        source,
        stichtag,
      })}
    </section>
    <section id="fortschritt" aria-labelledby="fortschritt-titel">
      <h2 id="fortschritt-titel">Fortschritt über die Monate</h2>
      <figure class="chart-figure">
        ${progressChart}
        <figcaption>Je Monat der letzte Stand; die Tabelle nennt ETL-Lauf und Zeitpunkt.</figcaption>
      </figure>
      ${dataTable(
        'OZG-Leistungen online je Monat',
        ['Monat', 'online', 'alle', 'Anteil', 'ETL-Lauf', 'Zeitpunkt'],
        progress
          .slice()
          .reverse()
          .map((p) => [
            monthName(p.month),
            p.online === null ? 'zurückgehalten' : formatInteger(p.online),
            p.total === null ? '–' : formatInteger(p.total),
            p.online === null || !p.total ? '–' : formatValue(p.online / p.total, 'share'),
            `#${p.runId}`,
            formatDateTime(p.computedAt),
          ]),
        { numeric: [1, 2, 3] },
      )}
      ${explain({
        definition:
          'Je Kalendermonat der letzte Schnappschuss der Kennzahl services.online: OZG-Leistungen mit IST-Reifegrad 1.1 ab Stufe 3 (Zähler) von allen OZG-Leistungen (Nenner); nur erfolgreiche ETL-Läufe. Ein Monat ohne Lauf fehlt.',
        source: 'Kennzahlen-Schnappschüsse der ETL-Läufe (core.kpi_snapshot).',
        stichtag,
      })}
    </section>
    <section id="luecken" aria-labelledby="luecken-titel">
      <h2 id="luecken-titel">Lückenliste: Ziel verfehlt</h2>
      ${dataTable(
        'Leistungen, deren Zieldatum verstrichen ist, ohne dass die Zielstufe erreicht ist – am längsten überfällig zuerst',
        ['Leistung', 'Titel', 'Zuständig', 'Verfahren', 'EfA', 'Modell 1.1: IST → SOLL', 'Modell 2.0: IST → SOLL', 'Tage seit Ziel'],
        gaps.map((g) => [
          g.serviceKey,
          g.title,
          g.orgUnit ?? '–',
          g.procedureKey ? html`<a href="/steuerung/it-bebauung?verfahren=${g.procedureKey}#auswirkung">${g.procedureKey}</a>` : '–',
          yesNo(g.efa),
          target(g.ist11, g.soll11, g.targetDate11),
          target(g.ist20, g.soll20, g.targetDate20),
          g.daysSinceTarget === null ? '–' : formatInteger(g.daysSinceTarget),
        ]),
        { numeric: [7] },
      )}
      ${explain({ definition: GAP_DEFINITION, source, stichtag })}
    </section>
    <section id="prognose" aria-labelledby="prognose-titel">
      <h2 id="prognose-titel">Prognose: wann alle OZG-Leistungen online sind</h2>
      <p><strong>${forecastSentence(forecast)}</strong></p>
      ${dataTable(
        'Monate, an die der Trend angepasst ist',
        ['Monat', 'online', 'alle'],
        forecast.points.map((p) => [monthName(p.month), formatInteger(p.online ?? 0), p.total === null ? '–' : formatInteger(p.total)]),
        { numeric: [1, 2] },
      )}
      ${explain({ definition: html`${forecast.method} <strong>Grenzen:</strong> ${forecast.limits}`, source: 'Kennzahl services.online je Monat (wie oben).', stichtag })}
    </section>
    <section id="berichte" aria-labelledby="berichte-titel">
      <h2 id="berichte-titel">Monatsberichte zum Herunterladen</h2>
      <p>
        Der Standardbericht für Land und Bürgerschaft: eine Zeile je beobachteter Leistung mit fester Spaltenfolge, je Monat reproduzierbar
        (Stand am Monatsende; der laufende Monat vorläufig). Der öffentliche Teil ohne Zuständigkeit, Fachverfahren und EfA-Nachnutzung ist
        der offene Datensatz <a href="${REPORT_DATASET}">OZG-Monatsbericht</a>.
      </p>
      ${dataTable(
        'Monatsberichte der letzten zwölf Monate',
        ['Monat', 'CSV', 'XLSX'],
        reportMonths.map((m) => [
          `${monthName(m)}${m === now ? ' (vorläufig)' : ''}`,
          html`<a href="/berichte/ozg/${m}.csv" download>CSV<span class="visually-hidden"> ${monthName(m)}</span></a>`,
          html`<a href="/berichte/ozg/${m}.xlsx" download>XLSX<span class="visually-hidden"> ${monthName(m)}</span></a>`,
        ]),
      )}
    </section>`;
  return layout({
    title: 'OZG-Monitoring',
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Steuerung', href: '/steuerung' }, { label: 'OZG-Monitoring' }],
    section: 'steuerung',
  });
}

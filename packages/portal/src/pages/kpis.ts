import {
  kpiSeries,
  kpiValues,
  listKpis,
  SUPPRESSION_THRESHOLD,
  type DomainContext,
  type KpiDefinition,
  type KpiValueRow,
} from '@hro/api/domain';
import { neutralise } from '../downloads/formula.js';
import { barChart, lineChart } from './charts.js';
import { dataTable } from './components.js';
import { dimensionLabel, dimensionValue, formatDateTime, formatValue, unitLabel } from './format.js';
import { href, html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

/**
 * "Digitale Verwaltung in Zahlen": the KPIs as charts with their written definitions, read
 * through the KPI domain functions — so the access policy decides which KPIs appear (internal
 * ones only for the steering team) and small counts are withheld from everyone else.
 */

/** The cut each KPI is charted by (its dimensions when it has one, else the first). */
const chartCut: Record<string, string[]> = {
  'services.online_share_of_cases': ['month'],
  'initiatives.progress': ['field'],
};
export const chartDimensions = (kpi: KpiDefinition): string[] => chartCut[kpi.id] ?? kpi.dimensions.slice(0, 1);

/** How many ETL runs a time series shows. */
const SERIES_RUNS = 30;

export const kpiAnchor = (id: string) => `kpi-${id.replace(/[^a-z0-9]+/gi, '-')}`;
export const csvUrl = (id: string, kind: 'werte' | 'zeitreihe', groupBy?: string[]) =>
  href('/kennzahlen/daten.csv', { kpi: id, art: kind, nach: groupBy && groupBy.length > 0 ? groupBy.join(',') : undefined });

const rowLabel = (dims: string[], row: { dimensions: Record<string, string> }) =>
  dims.length === 0 ? 'Gesamt' : dims.map((d) => dimensionValue(d, row.dimensions[d])).join(' · ');

const shown = (kpi: KpiDefinition, row: Pick<KpiValueRow, 'value' | 'suppressed'>) =>
  row.suppressed ? 'unterdrückt' : formatValue(row.value, kpi.unit);

export interface KpiBlockOptions {
  /** the dimensions to cut by (default: the chart cut) */
  groupBy?: string[];
  /** where each value's rows can be seen (steering board); undefined: no link */
  rowsLink?: (dimensions: Record<string, string>) => string | undefined;
  heading?: 2 | 3;
  /** show the time series across ETL runs */
  series?: boolean;
}

/** One KPI: definition, chart of its current values with the table beside, time series, downloads. */
export async function kpiBlock(ctx: DomainContext, kpi: KpiDefinition, options: KpiBlockOptions = {}): Promise<SafeHtml> {
  const groupBy = options.groupBy ?? chartDimensions(kpi);
  const [current, series] = await Promise.all([
    kpiValues(ctx, { id: kpi.id, groupBy }),
    options.series === false ? Promise.resolve([]) : kpiSeries(ctx, { id: kpi.id, groupBy: [], limit: SERIES_RUNS }),
  ]);
  const id = kpiAnchor(kpi.id);
  const rows = current.values;
  const cell = (row: KpiValueRow): SafeHtml | string => {
    const text = shown(kpi, row);
    const link = options.rowsLink?.(row.dimensions);
    return link && !row.suppressed ? html`<a href="${link}">${text}</a>` : text;
  };
  const share = kpi.unit === 'share';
  const headers = [
    groupBy.length === 0 ? 'Ausprägung' : groupBy.map((d) => dimensionLabel[d] ?? d).join(' · '),
    unitLabel[kpi.unit],
    ...(share ? ['Zähler', 'Nenner'] : []),
  ];
  const table = dataTable(
    `Werte: ${kpi.title}${current.computedAt ? ` (Stand ${formatDateTime(current.computedAt)})` : ''}`,
    headers,
    rows.map((r) => [
      rowLabel(groupBy, r),
      cell(r),
      ...(share ? [r.suppressed ? '–' : formatValue(r.numerator, 'count'), r.suppressed ? '–' : formatValue(r.denominator, 'count')] : []),
    ]),
    { numeric: share ? [1, 2, 3] : [1] },
  );
  const chart = barChart(
    `${kpi.title}${groupBy.length ? ` nach ${groupBy.map((d) => dimensionLabel[d] ?? d).join(' und ')}` : ''}`,
    rows.map((r) => ({ label: rowLabel(groupBy, r), value: r.suppressed ? null : r.value, display: shown(kpi, r) })),
    share ? 1 : undefined,
  );
  const h = (level: 2 | 3, text: string) =>
    level === 2 ? html`<h2 id="${id}-titel">${text}</h2>` : html`<h3 id="${id}-titel">${text}</h3>`;
  const sub = (text: string) => ((options.heading ?? 2) === 2 ? html`<h3>${text}</h3>` : html`<h4>${text}</h4>`);
  const xLabels = series.map((p) => `#${p.runId}`);
  const seriesBlock =
    options.series === false
      ? html``
      : html`${sub('Verlauf über die ETL-Läufe')}
          <figure class="chart-figure">
            ${lineChart(
              `${kpi.title}: Verlauf über die letzten ETL-Läufe`,
              xLabels,
              [{ name: kpi.title, values: series.map((p) => (p.suppressed ? null : p.value)) }],
              (n) => formatValue(n, kpi.unit),
            )}
            <figcaption>Jeder Punkt ist ein ETL-Lauf (Nummer auf der Achse); die Tabelle nennt Zeitpunkt und Quelle.</figcaption>
          </figure>
          <details>
            <summary>Verlauf als Tabelle</summary>
            ${dataTable(
              `Verlauf: ${kpi.title}`,
              ['ETL-Lauf', 'Zeitpunkt', 'Quelle', unitLabel[kpi.unit]],
              series.map((p) => [
                `#${p.runId}`,
                formatDateTime(p.computedAt),
                p.source,
                p.suppressed ? 'unterdrückt' : formatValue(p.value, kpi.unit),
              ]),
              { numeric: [3] },
            )}
          </details>`;
  return html`<section class="kpi" id="${id}" aria-labelledby="${id}-titel">
    ${h(options.heading ?? 2, kpi.title)}
    <dl class="meta meta-wide">
      <dt>Definition</dt>
      <dd>${kpi.definition}</dd>
      <dt>Zähler</dt>
      <dd>${kpi.numerator}</dd>
      ${
        kpi.denominator &&
        html`<dt>Nenner</dt>
          <dd>${kpi.denominator}</dd>`
      }
      <dt>Einheit</dt>
      <dd>${unitLabel[kpi.unit]}</dd>
      <dt>Quelle</dt>
      <dd>${kpi.source}</dd>
      <dt>Kennung</dt>
      <dd><code>${kpi.id}</code></dd>
    </dl>
    ${sub('Aktueller Stand')}
    <div class="chart-with-table">
      <figure class="chart-figure">${chart}</figure>
      ${table}
    </div>
    ${seriesBlock}
    <p class="downloads-line">
      Daten herunterladen:
      <a href="${csvUrl(kpi.id, 'werte', groupBy)}" download>aktuelle Werte (CSV)<span class="visually-hidden">: ${kpi.title}</span></a>
      ${
        options.series !== false &&
        html`· <a href="${csvUrl(kpi.id, 'zeitreihe')}" download>Verlauf (CSV)<span class="visually-hidden">: ${kpi.title}</span></a>`
      }
    </p>
  </section>`;
}

/** The public KPI page. */
export async function kpiPage(ctx: DomainContext): Promise<string> {
  const kpis = (await listKpis(ctx)).filter((k) => !k.internal);
  const blocks = await Promise.all(kpis.map((k) => kpiBlock(ctx, k)));
  const main = html`<h1>Digitale Verwaltung in Zahlen</h1>
    <p class="lead">
      Mit diesen Kennzahlen steuert die Stadtverwaltung die Strategie <cite>Digitale Verwaltung Rostock 2030</cite>. Jede Kennzahl nennt
      ihre Definition; nach jeder Aktualisierung der Daten (ETL-Lauf) wird sie neu berechnet, so entsteht der Verlauf.
    </p>
    <p>
      Zum Schutz Einzelner sind Anzahlen von 1 bis ${SUPPRESSION_THRESHOLD - 1} – und Anteile an Gruppen dieser Größe – unterdrückt
      („unterdrückt“). Alle Werte gibt es auch als offenen Datensatz
      <a href="/dataset/steuerungskennzahlen-digitale-verwaltung">Steuerungskennzahlen der Digitalen Verwaltung Rostock 2030</a>.
    </p>
    <nav class="toc" aria-labelledby="inhalt-titel">
      <h2 id="inhalt-titel">Kennzahlen</h2>
      <ul>
        ${kpis.map((k) => html`<li><a href="#${kpiAnchor(k.id)}">${k.title}</a></li>`)}
      </ul>
    </nav>
    ${blocks}`;
  return layout({
    title: 'Digitale Verwaltung in Zahlen',
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Digitale Verwaltung in Zahlen' }],
    section: 'kennzahlen',
  });
}

function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? neutralise(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const csvLine = (cells: (string | number | boolean | null | undefined)[]) => `${cells.map(csvField).join(',')}\r\n`;

/**
 * A KPI's data as CSV (UTF-8, comma): its current values cut as charted, or its series across
 * ETL runs. Through the same domain functions as the charts, so the same values are withheld.
 */
export async function kpiCsv(
  ctx: DomainContext,
  id: string,
  kind: 'werte' | 'zeitreihe',
  groupBy?: string[],
): Promise<{ filename: string; body: string }> {
  const kpis = await listKpis(ctx);
  const kpi = kpis.find((k) => k.id === id);
  if (kind === 'zeitreihe') {
    const points = await kpiSeries(ctx, { id, groupBy: [], limit: 1000 });
    const body =
      csvLine(['kpi', 'run_id', 'source', 'computed_at', 'value', 'suppressed']) +
      points.map((p) => csvLine([id, p.runId, p.source, p.computedAt.toISOString(), p.value, p.suppressed])).join('');
    return { filename: `${id}-zeitreihe.csv`, body };
  }
  const dims = groupBy ?? (kpi ? chartDimensions(kpi) : []);
  const values = await kpiValues(ctx, { id, groupBy: dims });
  const body =
    csvLine(['kpi', 'run_id', ...dims, 'value', 'numerator', 'denominator', 'suppressed']) +
    values.values
      .map((v) => csvLine([id, values.runId, ...dims.map((d) => v.dimensions[d]), v.value, v.numerator, v.denominator, v.suppressed]))
      .join('');
  return { filename: `${id}-werte.csv`, body };
}

import { html, type SafeHtml } from './html.js';

/**
 * Server-side SVG charts: no chart library and no script. Each chart is an image (`role="img"`)
 * with a title and a description that states every value in words — the text alternative — and
 * the pages put the data table right beside it. Colours come from portal.css classes (the CSP
 * forbids inline styles); series differ by dash pattern and marker too, not by colour alone.
 */

export interface Bar {
  label: string;
  value: number | null;
  /** the value as text (unit applied); shown at the bar's end and in the description */
  display: string;
}

export interface Series {
  name: string;
  values: (number | null)[];
}

const WIDTH = 720;
const round = (n: number) => Math.round(n * 10) / 10;

let chartSeq = 0;
const nextId = (prefix: string) => `${prefix}-${(chartSeq = (chartSeq + 1) % 1_000_000)}`;

function frame(title: string, description: string, height: number, body: SafeHtml, idPrefix: string): SafeHtml {
  const id = nextId(idPrefix);
  return html`<svg
    class="chart"
    role="img"
    aria-labelledby="${id}-t"
    aria-describedby="${id}-d"
    viewBox="0 0 ${WIDTH} ${height}"
    width="100%"
    preserveAspectRatio="xMinYMin meet"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="${id}-t">${title}</title>
    <desc id="${id}-d">${description}</desc>
    ${body}
  </svg>`;
}

/**
 * Horizontal bars, one per label; a withheld value (null) is drawn as no bar with its text.
 * `max` fixes the scale (1 for shares), else the largest value spans the width.
 */
export function barChart(title: string, bars: Bar[], max?: number): SafeHtml {
  const rowHeight = 30;
  const labelWidth = 230;
  const valueWidth = 110;
  const plot = WIDTH - labelWidth - valueWidth;
  const scale = max ?? Math.max(0, ...bars.map((b) => b.value ?? 0));
  const height = Math.max(1, bars.length) * rowHeight + 10;
  const description = bars.length === 0 ? 'Keine Werte vorhanden.' : `${bars.map((b) => `${b.label}: ${b.display}`).join('; ')}.`;
  const rows = bars.map((b, i) => {
    const y = 5 + i * rowHeight;
    const w = b.value !== null && scale > 0 ? round((Math.min(b.value, scale) / scale) * plot) : 0;
    const label = b.label.length > 32 ? `${b.label.slice(0, 31)}…` : b.label;
    return html`<g>
      <text class="chart-label" x="${labelWidth - 8}" y="${y + 19}" text-anchor="end">${label}</text>
      <rect
        class="chart-bar"
        x="${labelWidth}"
        y="${y + 4}"
        width="${Math.max(w, b.value === 0 ? 1 : 0)}"
        height="${rowHeight - 10}"
      ></rect>
      <text class="chart-value" x="${labelWidth + w + 6}" y="${y + 19}">${b.display}</text>
    </g>`;
  });
  return frame(title, description, height, html`${rows}`, 'balken');
}

/**
 * Lines over a common x axis (e.g. the ETL runs), with value axis from 0 to the largest value.
 * Gaps (null) break a line. `format` writes a value for the axis and the description.
 */
export function lineChart(
  title: string,
  xLabels: string[],
  series: Series[],
  format: (n: number) => string,
  options: { legend?: boolean } = {},
): SafeHtml {
  const withLegend = options.legend ?? series.length > 1;
  const height = 260;
  const left = 90;
  const right = 20;
  const top = 20;
  const legendRows = withLegend ? Math.ceil(series.length / 3) : 0;
  const plotW = WIDTH - left - right;
  const plotH = height - top - 60;
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = values.length ? Math.max(...values) : 0;
  const top0 = max > 0 ? max : 1;
  const x = (i: number) => round(left + (xLabels.length <= 1 ? plotW / 2 : (i / (xLabels.length - 1)) * plotW));
  const y = (v: number) => round(top + plotH - (v / top0) * plotH);
  const ticks = [0, 0.5, 1].map((f) => f * top0);
  const description =
    xLabels.length === 0
      ? 'Noch keine Werte vorhanden.'
      : series
          .map(
            (s) =>
              `${s.name}: ${s.values.map((v, i) => `${xLabels[i] ?? ''} ${v === null ? 'unterdrückt oder ohne Wert' : format(v)}`).join(', ')}`,
          )
          .join('. ') + '.';
  const every = Math.max(1, Math.ceil(xLabels.length / 8));
  const axis = html`<g class="chart-axis">
    <line x1="${left}" y1="${top + plotH}" x2="${WIDTH - right}" y2="${top + plotH}"></line>
    ${ticks.map(
      (t) =>
        html`<line class="chart-grid" x1="${left}" y1="${y(t)}" x2="${WIDTH - right}" y2="${y(t)}"></line>
          <text class="chart-label" x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${format(t)}</text>`,
    )}
    ${xLabels.map((label, i) =>
      i % every === 0 || i === xLabels.length - 1
        ? html`<text class="chart-label" x="${x(i)}" y="${top + plotH + 18}" text-anchor="middle">${label}</text>`
        : '',
    )}
  </g>`;
  const lines = series.map((s, n) => {
    const segments: string[] = [];
    let current = '';
    s.values.forEach((v, i) => {
      if (v === null) {
        if (current) segments.push(current);
        current = '';
        return;
      }
      current += `${current ? ' L' : 'M'}${x(i)},${y(v)}`;
    });
    if (current) segments.push(current);
    const style = `chart-series chart-series-${n % 6}`;
    return html`<g class="${style}">
      ${segments.map((d) => html`<path d="${d}"></path>`)}
      ${s.values.map((v, i) => (v === null ? '' : html`<circle cx="${x(i)}" cy="${y(v)}" r="3.5"></circle>`))}
    </g>`;
  });
  const legend = withLegend
    ? html`<g class="chart-legend">
        ${series.map((s, n) => {
          const lx = left + (n % 3) * 210;
          const ly = top + plotH + 40 + Math.floor(n / 3) * 20;
          return html`<g class="chart-series chart-series-${n % 6}">
            <path d="M${lx},${ly - 4} L${lx + 24},${ly - 4}"></path>
            <text class="chart-label" x="${lx + 30}" y="${ly}">${s.name.length > 28 ? `${s.name.slice(0, 27)}…` : s.name}</text>
          </g>`;
        })}
      </g>`
    : '';
  return frame(title, description, height - 20 + legendRows * 20, html`${axis}${lines}${legend}`, 'verlauf');
}

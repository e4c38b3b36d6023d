import {
  interfacesOf,
  kpiCatalog,
  kpiSeries,
  kpiValues,
  listKpis,
  listProcedures,
  listProjects,
  milestonesOf,
  type DomainContext,
  type KpiDefinition,
  type MilestoneRow,
  type ProcedureInterfaceRow,
  type ProcedureRow,
} from '@hro/api/domain';
import { lineChart } from './charts.js';
import { dataTable } from './components.js';
import { dimensionValue, formatDateTime, formatDay, formatInteger, formatValue } from './format.js';
import { href, html, type SafeHtml } from './html.js';
import { kpiAnchor, kpiBlock } from './kpis.js';
import { layout } from './layout.js';

/**
 * The steering board (steering team and admins): the internal KPIs and the KPIs cut by org unit
 * and navigator field, overdue milestones, projects by status over time, the procedures'
 * interface graph and the services by maturity. Every number links to the rows behind it — the
 * lists under /steuerung/… (steering-rows.ts), read through the same domain functions.
 */

const kpi = (id: string): KpiDefinition => {
  const found = kpiCatalog.find((k) => k.id === id);
  if (!found) throw new Error(`unknown KPI ${id}`);
  return found;
};

/** Where the rows behind a KPI value are listed, per KPI and its dimensions. */
export function rowsLinkOf(id: string): ((dims: Record<string, string>) => string | undefined) | undefined {
  switch (id) {
    case 'services.online_share_of_cases':
      return (d) => href('/steuerung/fallzahlen', { amt: d.org_unit, monat: d.month });
    case 'initiatives.progress':
      return (d) => href('/steuerung/vorhaben', { feld: d.field, status: d.status });
    case 'projects.by_status':
      return (d) => href('/steuerung/projekte', { status: d.status });
    case 'projects.overdue_milestones':
      return () => '/steuerung/meilensteine';
    case 'procedures.cost':
      return (d) => href('/steuerung/fachverfahren', { phase: d.lifecycle_phase });
    case 'procedures.dms_connected':
      return (d) => href('/steuerung/fachverfahren', { dms: d.dms_connection });
    case 'procedures.ozg_ready':
      return () => href('/steuerung/fachverfahren', { ozg: 'ja' });
    case 'dms.eakte_rollout':
      return () => href('/steuerung/fachverfahren', { dms: 'two_way' });
    case 'services.maturity':
      return (d) => href('/steuerung/leistungen', { reifegrad: d.level });
    case 'services.online':
      return () => href('/steuerung/leistungen', { online: 'ja' });
    default:
      return undefined;
  }
}

/** Initiatives per field and status as a matrix: each count links to its Vorhaben. */
async function fieldMatrix(ctx: DomainContext): Promise<SafeHtml> {
  const { values } = await kpiValues(ctx, { id: 'initiatives.progress', groupBy: ['field', 'status'] });
  const fields = [...new Set(values.map((v) => v.dimensions.field ?? ''))].sort();
  const statuses = [...new Set(values.map((v) => v.dimensions.status ?? ''))].sort();
  const count = (f: string, s: string) => values.find((v) => v.dimensions.field === f && v.dimensions.status === s)?.value ?? 0;
  return dataTable(
    'Vorhaben je Navigator-Feld und Status',
    ['Navigator-Feld', ...statuses.map((s) => dimensionValue('status', s)), 'Summe'],
    fields.map((f) => [
      dimensionValue('field', f),
      ...statuses.map((s) => {
        const n = count(f, s);
        return n === 0 ? '0' : html`<a href="${href('/steuerung/vorhaben', { feld: f, status: s })}">${formatInteger(n)}</a>`;
      }),
      html`<a href="${href('/steuerung/vorhaben', { feld: f })}">${formatInteger(statuses.reduce((sum, s) => sum + count(f, s), 0))}</a>`,
    ]),
    { numeric: statuses.map((_, i) => i + 1).concat(statuses.length + 1) },
  );
}

/** Overdue milestones of all projects (the first 100 projects with any). */
export async function overdueMilestones(ctx: DomainContext): Promise<(MilestoneRow & { projectTitle: string })[]> {
  const projects = await listProjects(ctx, {}, { first: 100 }, { where: { milestones: { overdue: { eq: true } } } });
  if (projects.nodes.length === 0) return [];
  const titles = new Map(projects.nodes.map((p) => [p.key, p.title]));
  const milestones = await milestonesOf(
    ctx,
    projects.nodes.map((p) => p.key),
  );
  return milestones.filter((m) => m.overdue).map((m) => ({ ...m, projectTitle: titles.get(m.projectKey) ?? m.projectKey }));
}

export function milestoneTable(rows: (MilestoneRow & { projectTitle: string })[], caption: string): SafeHtml {
  const today = Date.now();
  return dataTable(
    caption,
    ['Meilenstein', 'Projekt', 'Fällig am', 'Tage überfällig'],
    rows.map((m) => [
      m.title,
      html`<a href="${href('/steuerung/projekte', { schluessel: m.projectKey })}">${m.projectKey}</a> ${m.projectTitle}`,
      m.dueDate ? formatDay(m.dueDate) : '–',
      m.dueDate ? formatInteger(Math.floor((today - new Date(`${m.dueDate}T00:00:00Z`).getTime()) / 86_400_000)) : '–',
    ]),
    { numeric: [3] },
  );
}

/** Projects per status across the ETL runs: one line per status, and the table. */
async function projectsOverTime(ctx: DomainContext): Promise<SafeHtml> {
  const points = await kpiSeries(ctx, { id: 'projects.by_status', groupBy: ['status'], limit: 300 });
  const runs = [...new Set(points.map((p) => p.runId))].sort((a, b) => a - b).slice(-30);
  const statuses = [...new Set(points.map((p) => p.dimensions.status ?? 'unknown'))].sort();
  const valueOf = (run: number, status: string) => points.find((p) => p.runId === run && p.dimensions.status === status)?.value ?? null;
  const when = new Map(points.map((p) => [p.runId, p.computedAt]));
  const chart = lineChart(
    'Projekte je Status über die ETL-Läufe',
    runs.map((r) => `#${r}`),
    statuses.map((s) => ({ name: dimensionValue('status', s), values: runs.map((r) => valueOf(r, s) ?? 0) })),
    (n) => formatValue(n, 'count'),
    { legend: true },
  );
  const table = dataTable(
    'Projekte je Status und ETL-Lauf',
    ['ETL-Lauf', 'Zeitpunkt', ...statuses.map((s) => dimensionValue('status', s))],
    runs
      .slice()
      .reverse()
      .map((r, i) => [
        `#${r}`,
        when.get(r) ? formatDateTime(when.get(r) as Date) : '–',
        ...statuses.map((s) => {
          const n = valueOf(r, s) ?? 0;
          // only the latest run's rows still exist: older counts are history
          return i === 0 && n > 0
            ? html`<a href="${href('/steuerung/projekte', { status: s })}">${formatInteger(n)}</a>`
            : formatInteger(n);
        }),
      ]),
    { numeric: statuses.map((_, i) => i + 2) },
  );
  return html`<figure class="chart-figure">${chart}</figure>
    <details>
      <summary>Verlauf als Tabelle</summary>
      ${table}
    </details>`;
}

/**
 * The interface graph: procedures on a circle, interfaces as arrows (both heads for two-way);
 * the table below is its text alternative.
 */
export function interfaceGraph(procedures: ProcedureRow[], edges: ProcedureInterfaceRow[]): SafeHtml {
  const keys = [...new Set(edges.flatMap((e) => [e.fromKey, e.toKey]))].sort();
  const names = new Map(procedures.map((p) => [p.key, p.name]));
  const size = 640;
  const c = size / 2;
  const radius = c - 90;
  const pos = new Map(
    keys.map((k, i) => {
      const a = (2 * Math.PI * i) / Math.max(1, keys.length) - Math.PI / 2;
      return [k, { x: Math.round(c + radius * Math.cos(a)), y: Math.round(c + radius * Math.sin(a)), a }];
    }),
  );
  const lines = edges.map((e) => {
    const from = pos.get(e.fromKey);
    const to = pos.get(e.toKey);
    if (!from || !to) return html``;
    // stop short of the node circles so the arrow heads stay visible
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const len = Math.max(1, Math.hypot(dx, dy));
    const cut = 12 / len;
    return html`<line
      class="graph-edge graph-edge-${e.direction === 'two_way' ? 'two' : 'one'}"
      x1="${Math.round(from.x + dx * cut)}"
      y1="${Math.round(from.y + dy * cut)}"
      x2="${Math.round(to.x - dx * cut)}"
      y2="${Math.round(to.y - dy * cut)}"
      marker-end="url(#pfeil)"
      ${e.direction === 'two_way' ? html`marker-start="url(#pfeil-zurueck)"` : ''}
    ></line>`;
  });
  const nodes = keys.map((k) => {
    const p = pos.get(k) ?? { x: c, y: c, a: 0 };
    const lx = Math.round(c + (radius + 16) * Math.cos(p.a));
    const ly = Math.round(c + (radius + 16) * Math.sin(p.a));
    const anchor = Math.abs(Math.cos(p.a)) < 0.2 ? 'middle' : Math.cos(p.a) > 0 ? 'start' : 'end';
    return html`<g class="graph-node">
      <circle cx="${p.x}" cy="${p.y}" r="8"></circle>
      <text class="chart-label" x="${lx}" y="${ly + 4}" text-anchor="${anchor}">${k}</text>
    </g>`;
  });
  const description = `${formatInteger(edges.length)} Schnittstellen zwischen ${formatInteger(keys.length)} Fachverfahren. ${edges
    .map((e) => `${e.fromKey} ${e.direction === 'two_way' ? 'tauscht mit' : 'liefert an'} ${e.toKey} (${e.kind})`)
    .join('; ')}.`;
  return html`<figure class="chart-figure">
      <svg
        class="chart graph"
        role="img"
        aria-labelledby="graph-t"
        aria-describedby="graph-d"
        viewBox="0 0 ${size} ${size}"
        width="100%"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="graph-t">Schnittstellen zwischen den Fachverfahren</title>
        <desc id="graph-d">${description}</desc>
        <defs>
          <marker id="pfeil" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path class="graph-arrow" d="M0,0 L10,5 L0,10 z"></path>
          </marker>
          <marker id="pfeil-zurueck" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path class="graph-arrow" d="M10,0 L0,5 L10,10 z"></path>
          </marker>
        </defs>
        ${lines} ${nodes}
      </svg>
      <figcaption>Pfeile zeigen die Richtung der Daten; Linien mit zwei Spitzen tauschen in beide Richtungen.</figcaption>
    </figure>
    <details>
      <summary>Schnittstellen als Tabelle (${formatInteger(edges.length)})</summary>
      ${dataTable(
        'Schnittstellen der Fachverfahren',
        ['Von', 'Nach', 'Art', 'Richtung', 'Beschreibung'],
        edges.map((e) => [
          html`<a href="${href('/steuerung/fachverfahren', { schluessel: e.fromKey })}">${e.fromKey}</a> ${names.get(e.fromKey) ?? ''}`,
          html`<a href="${href('/steuerung/fachverfahren', { schluessel: e.toKey })}">${e.toKey}</a> ${names.get(e.toKey) ?? ''}`,
          e.kind,
          e.direction === 'two_way' ? 'beidseitig' : 'einseitig',
          e.description ?? '',
        ]),
      )}
    </details>`;
}

/** All procedures (keyset pages of 100) and the interfaces among them. */
export async function procedureGraph(ctx: DomainContext): Promise<{ procedures: ProcedureRow[]; edges: ProcedureInterfaceRow[] }> {
  const procedures: ProcedureRow[] = [];
  let after: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await listProcedures(ctx, {}, { first: 100, after });
    procedures.push(...page.nodes);
    if (!page.hasNextPage) break;
    after = page.cursors.at(-1);
  }
  const edges = procedures.length
    ? await interfacesOf(
        ctx,
        procedures.map((p) => p.key),
      )
    : [];
  return { procedures, edges };
}

/** The board. The caller has checked the viewer may read core (policy `core.read`). */
export async function steeringPage(ctx: DomainContext): Promise<string> {
  const readable = new Set((await listKpis(ctx)).map((k) => k.id));
  const block = (id: string, options: Parameters<typeof kpiBlock>[2] = {}) =>
    readable.has(id) ? kpiBlock(ctx, kpi(id), { heading: 3, rowsLink: rowsLinkOf(id), ...options }) : Promise.resolve(html``);
  const [cost, overdueKpi, byOrgUnit, byField, matrix, milestones, projects, graph, maturity, online] = await Promise.all([
    block('procedures.cost', { series: false }),
    block('projects.overdue_milestones'),
    block('services.online_share_of_cases', { groupBy: ['org_unit'], series: false }),
    block('initiatives.progress', { groupBy: ['field'], series: false }),
    fieldMatrix(ctx),
    overdueMilestones(ctx),
    projectsOverTime(ctx),
    procedureGraph(ctx),
    block('services.maturity', { series: false }),
    block('services.online', { series: false }),
  ]);
  const main = html`<h1>Steuerungsboard</h1>
    <p class="lead">
      Interne Kennzahlen der Strategie <cite>Digitale Verwaltung Rostock 2030</cite> – ohne Unterdrückung kleiner Werte. Jede Zahl führt zu
      den Zeilen dahinter.
    </p>
    <nav aria-labelledby="treiber-titel">
      <h2 id="treiber-titel">Treiberprojekte</h2>
      <ul class="inline-list">
        <li><a href="/steuerung/ozg">OZG-Monitoring</a></li>
        <li><a href="/steuerung/it-bebauung">IT-Bebauung</a></li>
        <li><a href="/steuerung/programm">Programmübersicht</a></li>
      </ul>
    </nav>
    <nav class="toc" aria-labelledby="board-inhalt">
      <h2 id="board-inhalt">Inhalt</h2>
      <ul>
        <li><a href="#intern">Interne Kennzahlen</a></li>
        <li><a href="#organisation">Nach Organisationseinheit und Feld</a></li>
        <li><a href="#meilensteine">Überfällige Meilensteine (${formatInteger(milestones.length)})</a></li>
        <li><a href="#projekte">Projekte nach Status im Zeitverlauf</a></li>
        <li><a href="#schnittstellen">Schnittstellen der Fachverfahren</a></li>
        <li><a href="#reifegrad">Leistungen nach Reifegrad</a></li>
      </ul>
    </nav>
    <section id="intern" aria-labelledby="intern-titel">
      <h2 id="intern-titel">Interne Kennzahlen</h2>
      ${cost} ${overdueKpi}
    </section>
    <section id="organisation" aria-labelledby="organisation-titel">
      <h2 id="organisation-titel">Nach Organisationseinheit und Feld</h2>
      ${byOrgUnit} ${byField}
      <h3>Vorhaben je Feld und Status</h3>
      ${matrix}
    </section>
    <section id="meilensteine" aria-labelledby="meilensteine-titel">
      <h2 id="meilensteine-titel">Liste der überfälligen Meilensteine</h2>
      <p>
        <a href="/steuerung/meilensteine">${formatInteger(milestones.length)} überfällige Meilensteine</a> (fällig vor heute, weder erledigt
        noch geschlossen).
      </p>
      ${milestoneTable(milestones.slice(0, 10), 'Überfällige Meilensteine, die ältesten zuerst')}
    </section>
    <section id="projekte" aria-labelledby="projekte-titel">
      <h2 id="projekte-titel">Projekte nach Status im Zeitverlauf</h2>
      <p>
        Je ETL-Lauf die Zahl der Projekte je Status (Kennzahl
        <a href="/kennzahlen#${kpiAnchor('projects.by_status')}">Projekte nach Status</a>).
      </p>
      ${projects}
    </section>
    <section id="schnittstellen" aria-labelledby="schnittstellen-titel">
      <h2 id="schnittstellen-titel">Schnittstellen der Fachverfahren</h2>
      <p>
        ${formatInteger(graph.edges.length)} Schnittstellen zwischen den
        <a href="/steuerung/fachverfahren">${formatInteger(graph.procedures.length)} Fachverfahren</a>.
      </p>
      ${interfaceGraph(graph.procedures, graph.edges)}
    </section>
    <section id="reifegrad" aria-labelledby="reifegrad-titel">
      <h2 id="reifegrad-titel">Leistungen nach Reifegrad</h2>
      ${maturity} ${online}
    </section>
    <p class="hint">
      Die Daten dieser Seite gibt es auch über die <a href="/graphql">GraphQL-API</a> (Abfragen <code>kpi</code>, <code>kpiSeries</code>,
      <code>projects</code>, <code>procedures</code>) mit Ihrem API-Schlüssel.
    </p>`;
  return layout({ title: 'Steuerungsboard', main, viewer: ctx.viewer, breadcrumb: [{ label: 'Steuerung' }], section: 'steuerung' });
}

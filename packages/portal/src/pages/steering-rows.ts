import {
  aggregate,
  listInitiatives,
  listProcedures,
  listProjects,
  listServices,
  type DomainContext,
  type EntityFilter,
  type Page,
} from '@hro/api/domain';
import { cursorPager, dataTable } from './components.js';
import { dimensionValue, formatInteger, formatValue } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { milestoneTable, overdueMilestones } from './steering.js';

/**
 * The rows behind the steering board's numbers: filtered lists of projects, milestones,
 * Vorhaben, procedures, services and case numbers, each read through its domain list function
 * (keyset pages of 50) and shown with the GraphQL query that returns the same rows.
 */
const PAGE = 50;

type Query = Record<string, unknown>;
const param = (query: Query, name: string): string | undefined => {
  const v = query[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined;
};

interface RowsPage {
  title: string;
  intro: SafeHtml | string;
  table: SafeHtml;
  graphql?: string;
  pager?: SafeHtml;
}

function render(ctx: DomainContext, page: RowsPage): string {
  const main = html`<h1>${page.title}</h1>
    <p>${page.intro}</p>
    ${page.table} ${page.pager}
    ${
      page.graphql &&
      html`<h2>Dieselben Zeilen über GraphQL</h2>
        <pre><code class="graphql-query">${page.graphql}</code></pre>`
    }
    <p><a href="/steuerung">Zurück zum Steuerungsboard</a></p>`;
  return layout({
    title: page.title,
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Steuerung', href: '/steuerung' }, { label: page.title }],
    section: 'steuerung',
  });
}

const filterText = (parts: (string | undefined | false)[]) => parts.filter(Boolean).join(', ') || 'alle';

async function paged<T extends Record<string, unknown>>(
  load: (args: { first: number; after?: string }) => Promise<Page<T>>,
  after: string | undefined,
): Promise<{ page: Page<T>; total: number; next?: string }> {
  const page = await load({ first: PAGE, after });
  return { page, total: await page.totalCount(), next: page.hasNextPage ? page.cursors.at(-1) : undefined };
}

/** `null` stands for "no value" in the KPIs' cuts (unknown, open). */
const isNullWhen = (field: string, value: string | undefined, nullValue: string): EntityFilter | undefined =>
  value === nullValue ? { [field]: { isNull: true } } : undefined;

export async function projectRows(ctx: DomainContext, query: Query, path: string): Promise<string> {
  const status = param(query, 'status');
  const key = param(query, 'schluessel');
  const where: EntityFilter[] = [];
  const nullStatus = isNullWhen('status', status, 'unknown');
  if (nullStatus) where.push(nullStatus);
  if (key) where.push({ key: { eq: key } });
  const { page, total, next } = await paged(
    (args) => listProjects(ctx, { status: nullStatus ? null : status }, args, { where: where.length ? { and: where } : null }),
    param(query, 'nach'),
  );
  return render(ctx, {
    title: 'Projekte',
    intro: `${formatInteger(total)} Projekte – Filter: ${filterText([status && `Status ${dimensionValue('status', status)}`, key && `Schlüssel ${key}`])}. Die Kennzahl „Projekte nach Status“ zählt ein Projekt des Projekttools, das den Schlüssel eines Projekts der Informationsvorlage trägt, nur einmal.`,
    table: dataTable(
      'Projekte',
      ['Schlüssel', 'Titel', 'Status', 'Organisationseinheit', 'Beginn', 'Ende'],
      page.nodes.map((p) => [
        p.key,
        p.title,
        p.status ? dimensionValue('status', p.status) : p.statusRaw || '–',
        p.orgUnit ?? '–',
        p.startDate ?? '–',
        p.dueDate ?? '–',
      ]),
    ),
    pager: cursorPager(
      'Seiten der Projektliste',
      path,
      { status, schluessel: key, nach: param(query, 'nach') },
      { after: param(query, 'nach'), next },
    ),
    graphql: `{ projects(first: ${PAGE}${status && !nullStatus && /^[a-z_]+$/.test(status) ? `, status: ${status}` : ''}) { totalCount nodes { key title status orgUnit { code } startDate dueDate } } }`,
  });
}

export async function milestoneRows(ctx: DomainContext): Promise<string> {
  const rows = await overdueMilestones(ctx);
  return render(ctx, {
    title: 'Überfällige Meilensteine',
    intro: `${formatInteger(rows.length)} Meilensteine sind fällig gewesen und weder erledigt noch geschlossen.`,
    table: milestoneTable(rows, 'Überfällige Meilensteine, die ältesten zuerst'),
    graphql:
      '{ projects(first: 100, filter: { milestones: { overdue: { eq: true } } }) { nodes { key title milestones { key title dueDate overdue } } } }',
  });
}

export async function initiativeRows(ctx: DomainContext, query: Query, path: string): Promise<string> {
  const field = param(query, 'feld');
  const status = param(query, 'status');
  const nullStatus = isNullWhen('status', status, 'open');
  const { page, total, next } = await paged(
    (args) => listInitiatives(ctx, { fieldKey: field, status: nullStatus ? null : status }, args, { where: nullStatus ?? null }),
    param(query, 'nach'),
  );
  return render(ctx, {
    title: 'Vorhaben',
    intro: `${formatInteger(total)} Vorhaben – Filter: ${filterText([field && `Feld ${dimensionValue('field', field)}`, status && `Status ${dimensionValue('status', status)}`])}.`,
    table: dataTable(
      'Vorhaben der Strategie',
      ['Schlüssel', 'Titel', 'Feld', 'Status', 'Verantwortlich', 'Priorität'],
      page.nodes.map((i) => [
        i.key,
        i.title,
        dimensionValue('field', i.fieldKey),
        i.status ? dimensionValue('status', i.status) : 'offen',
        i.responsibleOrgUnit ?? i.responsibleRaw,
        i.priority ?? '–',
      ]),
    ),
    pager: cursorPager(
      'Seiten der Vorhabenliste',
      path,
      { feld: field, status, nach: param(query, 'nach') },
      { after: param(query, 'nach'), next },
    ),
    graphql: `{ initiatives(first: ${PAGE}${field ? `, filter: { field: { key: { eq: ${JSON.stringify(field)} } } }` : ''}) { totalCount nodes { key title status field { name } } } }`,
  });
}

export async function procedureRows(ctx: DomainContext, query: Query, path: string): Promise<string> {
  const phase = param(query, 'phase');
  const dms = param(query, 'dms');
  const ozg = param(query, 'ozg') === 'ja';
  const key = param(query, 'schluessel');
  const where: EntityFilter[] = [];
  const nullPhase = isNullWhen('lifecyclePhase', phase, 'unknown');
  if (nullPhase) where.push(nullPhase);
  if (ozg) where.push({ ozgReady: { eq: true } });
  if (key) where.push({ key: { eq: key } });
  const { page, total, next } = await paged(
    (args) =>
      listProcedures(ctx, { lifecyclePhase: nullPhase ? null : phase, dmsConnection: dms }, args, {
        where: where.length ? { and: where } : null,
      }),
    param(query, 'nach'),
  );
  return render(ctx, {
    title: 'Fachverfahren',
    intro: `${formatInteger(total)} Fachverfahren – Filter: ${filterText([
      phase && `Phase ${dimensionValue('lifecycle_phase', phase)}`,
      dms && `DMS-Anbindung ${dimensionValue('dms_connection', dms)}`,
      ozg && 'OZG-fähig',
      key && `Schlüssel ${key}`,
    ])}.`,
    table: dataTable(
      'Fachverfahren',
      ['Schlüssel', 'Name', 'Hersteller', 'Phase', 'DMS-Anbindung', 'OZG-fähig', 'Jahreskosten', 'Nutzende'],
      page.nodes.map((p) => [
        p.key,
        p.name,
        p.vendor ?? '–',
        p.lifecyclePhase ? dimensionValue('lifecycle_phase', p.lifecyclePhase) : '–',
        p.dmsConnection ? dimensionValue('dms_connection', p.dmsConnection) : '–',
        p.ozgReady === null ? '–' : p.ozgReady ? 'ja' : 'nein',
        p.annualCost === undefined || p.annualCost === null ? '–' : formatValue(p.annualCost, 'EUR'),
        p.users === undefined || p.users === null ? '–' : formatInteger(p.users),
      ]),
      { numeric: [6, 7] },
    ),
    pager: cursorPager(
      'Seiten der Verfahrensliste',
      path,
      { phase, dms, ozg: ozg ? 'ja' : undefined, nach: param(query, 'nach') },
      { after: param(query, 'nach'), next },
    ),
    graphql: `{ procedures(first: ${PAGE}${phase && !nullPhase ? `, lifecyclePhase: ${JSON.stringify(phase)}` : ''}${dms ? `, dmsConnection: ${JSON.stringify(dms)}` : ''}) { totalCount nodes { key name vendor lifecyclePhase dmsConnection ozgReady annualCost users } } }`,
  });
}

export async function serviceRows(ctx: DomainContext, query: Query, path: string): Promise<string> {
  const level = param(query, 'reifegrad');
  const online = param(query, 'online') === 'ja';
  const where: EntityFilter | null =
    level === undefined
      ? null
      : level === 'unbekannt'
        ? { maturity11: { isNull: true } }
        : /^\d$/.test(level)
          ? { maturity11: { eq: Number(level) } }
          : null;
  const { page, total, next } = await paged(
    (args) => listServices(ctx, { kind: 'ozg', online: online ? true : null }, args, { where }),
    param(query, 'nach'),
  );
  return render(ctx, {
    title: 'OZG-Leistungen',
    intro: `${formatInteger(total)} OZG-Leistungen – Filter: ${filterText([level && `Reifegrad (Modell 1.1) ${dimensionValue('level', level)}`, online && 'online (Reifegrad ≥ 3)'])}.`,
    table: dataTable(
      'OZG-Leistungen',
      ['Schlüssel', 'Titel', 'Themenfeld', 'Online', 'Umsetzungsstatus'],
      page.nodes.map((s) => [
        s.key,
        s.title,
        s.themenfeld ?? '–',
        s.online === null ? '–' : s.online ? 'ja' : 'nein',
        s.implementationStatusRaw ?? '–',
      ]),
    ),
    pager: cursorPager(
      'Seiten der Leistungsliste',
      path,
      { reifegrad: level, online: online ? 'ja' : undefined, nach: param(query, 'nach') },
      { after: param(query, 'nach'), next },
    ),
    graphql: `{ services(first: ${PAGE}, kind: ozg${where ? `, filter: { maturity11: ${level === 'unbekannt' ? '{ isNull: true }' : `{ eq: ${Number(level)} }`} }` : ''}${online ? ', online: true' : ''}) { totalCount nodes { key title online } } }`,
  });
}

/** Monthly online and offline applications of an org unit: the rows behind its online share. */
export async function caseRows(ctx: DomainContext, query: Query): Promise<string> {
  const orgUnit = param(query, 'amt');
  const month = param(query, 'monat');
  const groups = await aggregate(ctx, {
    entity: 'service_metrics',
    groupBy: ['org_unit', 'month'],
    measures: [
      { fn: 'sum', field: 'applications_online' },
      { fn: 'sum', field: 'applications_offline' },
    ],
    limit: 10_000,
  });
  const orgOf = (g: (typeof groups)[number]) => (typeof g.key.org_unit === 'string' ? g.key.org_unit : 'unknown');
  const rows = groups.filter((g) => (!orgUnit || orgOf(g) === orgUnit) && (!month || g.key.month === month));
  return render(ctx, {
    title: 'Fallzahlen',
    intro: `Online und offline gestellte Anträge je Monat – Filter: ${filterText([orgUnit && `Organisationseinheit ${dimensionValue('org_unit', orgUnit)}`, month && `Monat ${month}`])}.`,
    table: dataTable(
      'Anträge je Organisationseinheit und Monat',
      ['Monat', 'Organisationseinheit', 'Online', 'Offline', 'Online-Anteil'],
      rows.map((g) => {
        const [on = 0, off = 0] = g.values.map((v) => v ?? 0);
        return [
          String(g.key.month),
          dimensionValue('org_unit', orgOf(g)),
          formatInteger(on),
          formatInteger(off),
          on + off > 0 ? formatValue(on / (on + off), 'share') : '–',
        ];
      }),
      { numeric: [2, 3, 4] },
    ),
    graphql:
      '{ aggregate(entity: service_metrics, groupBy: ["org_unit", "month"], measures: [{ fn: sum, field: "applications_online" }, { fn: sum, field: "applications_offline" }]) { key values } }',
  });
}

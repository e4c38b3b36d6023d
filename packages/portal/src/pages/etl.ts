import { listEtlRuns, listQuarantine, showEtlRun, type DomainContext, type EtlRunRow } from '@hro/api/domain';
import { cursorPager, dataTable } from './components.js';
import { formatDateTime, formatDuration, formatInteger } from './format.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** ETL status for admins: the runs with counts and durations, and each run's quarantined rows. */
const PAGE = 50;

const statusLabel: Record<string, string> = {
  running: 'läuft',
  succeeded: 'erfolgreich',
  failed: 'fehlgeschlagen',
  abandoned: 'abgebrochen',
  queued: 'wartet',
};

const duration = (r: EtlRunRow) => (r.finishedAt ? formatDuration(r.finishedAt.getTime() - r.startedAt.getTime()) : 'läuft noch');
const status = (r: EtlRunRow) => `${statusLabel[r.status] ?? r.status}${r.dryRun ? ' (Probelauf)' : ''}`;

export async function etlPage(ctx: DomainContext, query: Record<string, unknown>): Promise<string> {
  const after = typeof query.nach === 'string' && query.nach ? query.nach : undefined;
  const source = typeof query.quelle === 'string' && query.quelle ? query.quelle.slice(0, 100) : undefined;
  const page = await listEtlRuns(ctx, { source }, { first: PAGE, after });
  const total = await page.totalCount();
  const main = html`<h1>ETL-Status</h1>
    <p>
      ${formatInteger(total)} Läufe${source ? ` der Quelle ${source}` : ''}, die neuesten zuerst. Es gilt: gelesen = geladen + unverändert +
      in Quarantäne. Ein Klick auf die Laufnummer zeigt die Zeilen in Quarantäne mit ihren Gründen.
    </p>
    ${dataTable(
      'ETL-Läufe',
      ['Lauf', 'Quelle', 'Status', 'Beginn', 'Dauer', 'Gelesen', 'Geladen', 'Unverändert', 'Quarantäne', 'Gelöscht', 'Fehler'],
      page.nodes.map((r) => [
        html`<a href="/etl/${r.id}">#${r.id}</a>`,
        html`<a href="/etl?quelle=${encodeURIComponent(r.source)}">${r.source}</a>`,
        status(r),
        formatDateTime(r.startedAt),
        duration(r),
        formatInteger(r.rowsRead),
        formatInteger(r.rowsLoaded),
        formatInteger(r.rowsUnchanged),
        r.rowsQuarantined > 0 ? html`<a href="/etl/${r.id}">${formatInteger(r.rowsQuarantined)}</a>` : '0',
        formatInteger(r.rowsDeleted),
        r.errorCode ? `${r.errorCode}: ${r.errorMessage ?? ''}` : '–',
      ]),
      { numeric: [5, 6, 7, 8, 9] },
    )}
    ${cursorPager('Seiten der Laufliste', '/etl', { quelle: source }, { after, next: page.hasNextPage ? page.cursors.at(-1) : undefined })}`;
  return layout({ title: 'ETL-Status', main, viewer: ctx.viewer, breadcrumb: [{ label: 'ETL-Status' }], section: 'etl' });
}

function rawText(raw: Record<string, unknown>): string {
  const text = JSON.stringify(raw);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

export async function etlRunPage(ctx: DomainContext, id: number, query: Record<string, unknown>): Promise<string> {
  const after = typeof query.nach === 'string' && query.nach ? query.nach : undefined;
  const run = await showEtlRun(ctx, id);
  const page = await listQuarantine(ctx, id, { first: PAGE, after });
  const total = await page.totalCount();
  const main = html`<h1>ETL-Lauf #${run.id}: ${run.source}</h1>
    <dl class="meta meta-wide">
      <dt>Status</dt>
      <dd>${status(run)}</dd>
      <dt>Beginn</dt>
      <dd>${formatDateTime(run.startedAt)}</dd>
      <dt>Dauer</dt>
      <dd>${duration(run)}</dd>
      <dt>Zeilen</dt>
      <dd>
        ${formatInteger(run.rowsRead)} gelesen, ${formatInteger(run.rowsLoaded)} geladen, ${formatInteger(run.rowsUnchanged)} unverändert,
        ${formatInteger(run.rowsQuarantined)} in Quarantäne, ${formatInteger(run.rowsDeleted)} gelöscht
      </dd>
      ${
        run.errorCode &&
        html`<dt>Fehler</dt>
          <dd><code>${run.errorCode}</code> ${run.errorMessage}</dd>`
      }
      ${
        run.schemaDrift &&
        html`<dt>Schemaänderung</dt>
          <dd><code>${JSON.stringify(run.schemaDrift)}</code></dd>`
      }
    </dl>
    <h2>Zeilen in Quarantäne (${formatInteger(total)})</h2>
    ${dataTable(
      `Zeilen in Quarantäne von Lauf #${run.id}`,
      ['Position', 'Grund', 'Erläuterung', 'Rohdaten'],
      page.nodes.map((q) => [q.position, html`<code>${q.reasonCode}</code>`, q.reason, html`<code class="raw">${rawText(q.raw)}</code>`]),
    )}
    ${cursorPager('Seiten der Quarantäne', `/etl/${run.id}`, {}, { after, next: page.hasNextPage ? page.cursors.at(-1) : undefined })}`;
  return layout({
    title: `ETL-Lauf #${run.id}`,
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'ETL-Status', href: '/etl' }, { label: `Lauf #${run.id}` }],
    section: 'etl',
  });
}

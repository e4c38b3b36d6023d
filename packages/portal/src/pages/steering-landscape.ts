import {
  endOfLifeOutlook,
  landscapeSummary,
  rankProcedures,
  replacementImpact,
  todayInBerlin,
  type DependencyRow,
  type DomainContext,
  type ImpactDirection,
  type LandscapeGroupRow,
} from '@hro/api/domain';
import { dataTable } from './components.js';
import { explain } from './explain.js';
import { formatDay, formatInteger, formatValue } from './format.js';
import { href, html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

/**
 * The steering board's IT-Bebauung (driver project V01, steering team): what reaches its end of
 * life in the next 24 months with cost and services, the procedures ranked by what depends on
 * them, the impact of replacing a procedure (a form: choose a procedure, see every procedure and
 * service reachable through interfaces), and the procedures by org unit and lifecycle phase.
 */

const DIRECTIONS: Record<ImpactDirection, string> = {
  downstream: 'abwärts: Verfahren, die Daten von ihm erhalten',
  upstream: 'aufwärts: Verfahren, die ihm Daten liefern',
  both: 'beide Richtungen',
};
const TARGET_ACTIONS: Record<string, string> = { keep: 'behalten', replace: 'ablösen', retire: 'abschalten', consolidate: 'konsolidieren' };
const euro = (n: number | null | undefined) => (n === null || n === undefined ? '–' : formatValue(n, 'EUR'));
const SOURCE = 'Verfahrensinventar und Schnittstellen der Fachverfahren (Quellen fachverfahren-inventar, fachverfahren-schnittstellen)';
const SERVICES_SOURCE = 'Leistungen je Verfahren aus der Leistungszuordnung (Quelle ozg-leistungszuordnung)';

type Query = Record<string, unknown>;
const param = (query: Query, name: string): string | undefined => {
  const v = query[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 60) : undefined;
};

/** Two narrow tables per grouping (the counts, then services and cost): one wide table would scroll. */
function groupTables(rows: LandscapeGroupRow[], caption: string, first: string): SafeHtml {
  return html`${dataTable(
    `${caption}: Anzahlen`,
    [first, 'Verfahren', 'OZG-fähig', 'DMS-angebunden'],
    rows.map((r) => [r.label, formatInteger(r.procedures), formatInteger(r.ozgReady), formatInteger(r.dmsConnected)]),
    { numeric: [1, 2, 3] },
  )}
  ${dataTable(
    `${caption}: Leistungen und Kosten`,
    [first, 'Leistungen', 'Jahreskosten', 'Ende in 24 Monaten', 'deren Kosten'],
    rows.map((r) => [
      r.label,
      formatInteger(r.services ?? 0),
      euro(r.annualCost),
      formatInteger(r.endingWithin24Months ?? 0),
      euro(r.costEndingWithin24Months),
    ]),
    { numeric: [1, 2, 3, 4] },
  )}`;
}

async function impactSection(ctx: DomainContext, all: DependencyRow[], query: Query): Promise<SafeHtml> {
  const chosen = param(query, 'verfahren')?.toUpperCase();
  const wanted = param(query, 'richtung');
  const direction: ImpactDirection = wanted === 'upstream' || wanted === 'both' ? wanted : 'downstream';
  const known = chosen !== undefined && all.some((p) => p.key === chosen);
  const form = html`<form class="search-form" method="get" action="/steuerung/it-bebauung">
    <div class="search-row">
      <label for="verfahren">Fachverfahren</label>
      <select id="verfahren" name="verfahren">
        ${all
          .slice()
          .sort((a, b) => a.key.localeCompare(b.key))
          .map((p) => html`<option value="${p.key}" ${p.key === chosen ? html`selected` : ''}>${p.key} ${p.name}</option>`)}
      </select>
    </div>
    <div class="search-row">
      <label for="richtung">Richtung</label>
      <select id="richtung" name="richtung">
        ${(Object.keys(DIRECTIONS) as ImpactDirection[]).map(
          (d) => html`<option value="${d}" ${d === direction ? html`selected` : ''}>${DIRECTIONS[d]}</option>`,
        )}
      </select>
    </div>
    <button type="submit">Auswirkung zeigen</button>
  </form>`;
  let result: SafeHtml = html`<p>Wählen Sie ein Fachverfahren, um zu sehen, was seine Ablösung berührt.</p>`;
  if (chosen !== undefined && !known)
    result = html`<p class="error-summary" role="alert">Das Fachverfahren „${chosen}“ gibt es im Verfahrensinventar nicht.</p>`;
  else if (chosen !== undefined) {
    const impact = await replacementImpact(ctx, { key: chosen, direction });
    const name = all.find((p) => p.key === chosen)?.name ?? chosen;
    result = html`<h3>Ablösung von ${chosen} ${name}</h3>
      <p>
        ${formatInteger(impact.procedures.length)} erreichbare Fachverfahren und ${formatInteger(impact.services.length)} Leistungen
        (${DIRECTIONS[direction]}).${impact.truncated ? ' Die Suche wurde begrenzt; die Liste ist unvollständig.' : ''}
      </p>
      ${dataTable(
        `Über Schnittstellen erreichbare Fachverfahren von ${chosen}`,
        ['Fachverfahren', 'Name', 'Schritte', 'Kürzester Weg', 'Richtung'],
        impact.procedures.map((p) => [
          html`<a href="${href('/steuerung/it-bebauung', { verfahren: p.key, richtung: direction })}#auswirkung">${p.key}</a>`,
          p.name,
          formatInteger(p.depth),
          p.path.join(' → '),
          p.via === 'upstream' ? 'aufwärts' : 'abwärts',
        ]),
        { numeric: [2] },
      )}
      ${dataTable(
        `Betroffene Leistungen bei Ablösung von ${chosen}`,
        ['Leistung', 'Titel', 'bearbeitet mit', 'Schritte'],
        impact.services.map((s) => [s.serviceKey, s.title, s.procedureKey, formatInteger(s.depth)]),
        { numeric: [3] },
      )}
      ${
        impact.cycles.length > 0 &&
        html`<p>
          Kreise im Schnittstellengraphen (der Weg endet dort): ${impact.cycles.map((c, i) => html`${i > 0 ? '; ' : ''}${c.join(' → ')}`)}.
        </p>`
      }`;
  }
  return html`${form} ${result}`;
}

export async function landscapeBoardPage(ctx: DomainContext, query: Query): Promise<string> {
  const stichtag = todayInBerlin();
  const [ending, ranking, byOrg, byPhase] = await Promise.all([
    endOfLifeOutlook(ctx, { months: 24 }),
    rankProcedures(ctx, { limit: 1000 }),
    landscapeSummary(ctx, { by: 'org_unit' }),
    landscapeSummary(ctx, { by: 'lifecycle' }),
  ]);
  const impact = await impactSection(ctx, ranking, query);
  const main = html`<h1>IT-Bebauung</h1>
    <p class="lead">
      Treiberprojekt „IT-Bebauung IST &amp; SOLL“ (V01): die Fachverfahren mit IST und SOLL, ihre Schnittstellen und was von ihnen abhängt,
      Stichtag <time datetime="${stichtag}">${formatDay(stichtag)}</time>.
    </p>
    <nav class="toc" aria-labelledby="bebauung-inhalt">
      <h2 id="bebauung-inhalt">Inhalt</h2>
      <ul>
        <li><a href="#lebensende">Lebensende in den nächsten 24 Monaten (${formatInteger(ending.procedures.length)})</a></li>
        <li><a href="#rangfolge">Rangfolge nach Abhängigkeiten</a></li>
        <li><a href="#auswirkung">Auswirkung einer Ablösung</a></li>
        <li><a href="#gruppen">Nach Organisationseinheit und Lebenszyklus</a></li>
      </ul>
    </nav>
    <section id="lebensende" aria-labelledby="lebensende-titel">
      <h2 id="lebensende-titel">Lebensende in den nächsten 24 Monaten</h2>
      <p>
        ${formatInteger(ending.procedures.length)} Fachverfahren enden bis ${formatDay(ending.until)} oder sind über ihr Ende hinaus in
        Betrieb; zusammen ${euro(ending.annualCost)} Jahreskosten und ${formatInteger(ending.services)} Leistungen.
      </p>
      ${dataTable(
        'Fachverfahren, deren Nutzung in den nächsten 24 Monaten endet, nach Datum',
        ['Fachverfahren', 'Name', 'Ende', 'Grundlage', 'SOLL', 'Ämter', 'Jahreskosten', 'Leistungen'],
        ending.procedures.map((p) => [
          html`<a href="${href('/steuerung/it-bebauung', { verfahren: p.key })}#auswirkung">${p.key}</a>`,
          p.name,
          html`${formatDay(p.endOfLife)}${p.overdue ? html` <span class="badge badge-internal">überschritten</span>` : ''}`,
          p.basis === 'end_of_life_date' ? 'geplantes Nutzungsende' : 'Zieldatum der SOLL-Maßnahme',
          p.targetAction ? (TARGET_ACTIONS[p.targetAction] ?? p.targetAction) : '–',
          p.ownerOrgUnits.join(', ') || '–',
          euro(p.annualCost),
          p.services.length === 0 ? '–' : p.services.map((s) => `${s.title} (${s.serviceKey})`).join('; '),
        ]),
        { numeric: [6] },
      )}
      ${explain({
        definition:
          'Lebensende ist das geplante Ende der Nutzung, sonst das Zieldatum einer SOLL-Maßnahme, die das Verfahren beendet (ablösen, abschalten, konsolidieren). Gezeigt wird, was innerhalb von 24 Monaten nach dem Stichtag endet, und was sein Ende überschritten hat, aber nicht abgelöst ist. Jahreskosten laut Inventar.',
        source: `${SOURCE}; ${SERVICES_SOURCE}.`,
        stichtag: ending.stichtag,
      })}
    </section>
    <section id="rangfolge" aria-labelledby="rangfolge-titel">
      <h2 id="rangfolge-titel">Rangfolge nach Abhängigkeiten</h2>
      ${dataTable(
        `Die ${formatInteger(Math.min(15, ranking.length))} Fachverfahren, von denen am meisten abhängt`,
        ['Rang', 'Fachverfahren', 'Name', 'abhängige Leistungen', 'Schnittstellen', 'abhängige Verfahren', 'eigene Leistungen'],
        ranking
          .slice(0, 15)
          .map((r) => [
            formatInteger(r.rank),
            html`<a href="${href('/steuerung/it-bebauung', { verfahren: r.key })}#auswirkung">${r.key}</a>`,
            r.name,
            formatInteger(r.dependentServices),
            formatInteger(r.interfaces),
            formatInteger(r.dependentProcedures),
            formatInteger(r.services),
          ]),
        { numeric: [0, 3, 4, 5, 6] },
      )}
      ${explain({
        definition:
          'Rangfolge nach den Leistungen, die das Verfahren selbst oder ein Verfahren abwärts von ihm (das seine Daten direkt oder weiter erhält) bearbeitet; dann nach Schnittstellen von und zu ihm, dann nach abhängigen Verfahren; bei Gleichstand nach Kennung.',
        source: `${SOURCE}; ${SERVICES_SOURCE}.`,
        stichtag,
      })}
    </section>
    <section id="auswirkung" aria-labelledby="auswirkung-titel">
      <h2 id="auswirkung-titel">Auswirkung einer Ablösung</h2>
      ${impact}
      ${explain({
        definition:
          'Alle über Schnittstellen erreichbaren Fachverfahren, jedes einmal mit seinem kürzesten Weg, und alle Leistungen, die das Verfahren selbst oder ein erreichtes bearbeitet. Abwärts: Verfahren, die seine Daten erhalten und ihre Versorgung verlieren; aufwärts: Verfahren, die ihm liefern und umgestellt werden müssen. Eine beidseitige Schnittstelle zählt in beide Richtungen; Kreise werden erkannt und beendet.',
        source: `${SOURCE}; ${SERVICES_SOURCE}.`,
        stichtag,
      })}
    </section>
    <section id="gruppen" aria-labelledby="gruppen-titel">
      <h2 id="gruppen-titel">Nach Organisationseinheit und Lebenszyklus</h2>
      ${groupTables(byOrg, 'Fachverfahren nach zuständiger Organisationseinheit', 'Organisationseinheit')}
      ${groupTables(byPhase, 'Fachverfahren nach Lebenszyklusphase', 'Lebenszyklusphase')}
      ${explain({
        definition:
          'Ein Verfahren mit zwei zuständigen Ämtern zählt bei beiden, eines ohne unter „ohne zuständiges Amt“. DMS-angebunden: einseitig oder beidseitig. Die Anzahlen je Gruppe sind öffentlich (Datensatz Fachverfahren der Stadtverwaltung); Leistungen, Kosten und Lebensende sind intern.',
        source: html`${SOURCE} (öffentlicher Teil:
          <a href="/dataset/fachverfahren-stadtverwaltung-rostock">Fachverfahren der Stadtverwaltung Rostock</a>).`,
        stichtag,
      })}
    </section>`;
  return layout({
    title: 'IT-Bebauung',
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Steuerung', href: '/steuerung' }, { label: 'IT-Bebauung' }],
    section: 'steuerung',
  });
}

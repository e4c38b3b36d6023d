import { addMonths, currentMonth, monthName, programMonth, programOverview, type DomainContext } from '@hro/api/domain';
import { changesSection, kpiDeltaTable, overdueTable, overviewSection } from '../program/pages.js';
import { explain } from './explain.js';
import { formatDay, formatInteger } from './format.js';
import { html } from './html.js';
import { layout } from './layout.js';

/**
 * The steering board's program overview (steering team): Vorhaben and projects per pillar and
 * navigator field with the driver-project flag and status, the overdue milestones, and what
 * changed since the last month — the complete "Geplantes und Erreichtes" of the running month.
 */
export async function programBoardPage(ctx: DomainContext): Promise<string> {
  const month = currentMonth();
  const [overview, summary] = await Promise.all([programOverview(ctx, {}), programMonth(ctx, { month, driverProjects: false })]);
  const overdue = overview.fields
    .flatMap((f) => f.initiatives.flatMap((i) => i.projects))
    .concat(overview.projectsWithoutInitiative)
    .flatMap((p) => p.overdueMilestones ?? [])
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.projectKey.localeCompare(b.projectKey));
  const previous = addMonths(month, -1);
  const main = html`<h1>Programmübersicht</h1>
    <p class="lead">
      Vorhaben und Projekte der Strategie nach Säule und Navigator-Feld, überfällige Meilensteine und was sich seit dem Vormonat geändert
      hat, Stichtag <time datetime="${overview.stichtag}">${formatDay(overview.stichtag)}</time>.
    </p>
    <nav class="toc" aria-labelledby="programm-inhalt">
      <h2 id="programm-inhalt">Inhalt</h2>
      <ul>
        <li><a href="#ueberfaellig">Überfällige Meilensteine (${formatInteger(overdue.length)})</a></li>
        <li><a href="#seit-vormonat">Änderungen seit dem Vormonat (${formatInteger(summary.changes.length)})</a></li>
        <li><a href="#plan">Vorhaben nach Säule und Navigator-Feld</a></li>
      </ul>
    </nav>
    <p>
      Der Monatsbericht „Geplantes und Erreichtes“: <a href="/programm/${month}">${monthName(month)}</a> (laufend),
      <a href="/programm/${previous}">${monthName(previous)}</a>, <a href="/programm">alle Monate</a>,
      <a href="/programm/feed.atom" type="application/atom+xml">Atom-Feed</a>.
    </p>
    <section id="ueberfaellig" aria-labelledby="ueberfaellig-titel">
      <h2 id="ueberfaellig-titel">Überfällige Meilensteine</h2>
      ${overdueTable(overdue, 'Überfällige Meilensteine der Projekte, die ältesten zuerst')}
      ${explain({
        definition:
          'Fällig vor dem Stichtag und bis dahin nicht erledigt (wie die Kennzahl „Überfällige Meilensteine“); ein ohne Erledigungsdatum geschlossener Meilenstein gilt als entfallen. Tage überfällig: vom Fälligkeitstag bis zum Stichtag.',
        source:
          'Projekttool (OpenProject), Meilensteine; ein Projekt des Projekttools mit dem Schlüssel eines Projekts der Informationsvorlage zählt einmal.',
        stichtag: overview.stichtag,
      })}
    </section>
    <section id="seit-vormonat" aria-labelledby="seit-vormonat-titel">
      <h2 id="seit-vormonat-titel">Änderungen seit dem Vormonat</h2>
      <p>
        Alles, was sich seit dem 1. ${monthName(month)} geändert hat; den Vormonat zeigt
        <a href="/programm/${previous}">seine Monatsseite</a>.
      </p>
      ${changesSection(summary.changes, summary.counts)}
      <h3>Kennzahlen gegenüber dem Vormonat</h3>
      ${kpiDeltaTable(summary.kpiDeltas, `Kennzahlen: ${monthName(month)} gegenüber dem Stand vor Monatsbeginn`)}
      ${explain({
        definition:
          'Änderungen im laufenden Kalendermonat (Europe/Berlin) bis heute; Kennzahlen: letzter Stand vor Monatsbeginn gegenüber dem letzten Stand im Monat.',
        source: 'Änderungsprotokoll der Plattform (core.program_change) und Kennzahlen-Schnappschüsse der ETL-Läufe.',
        stichtag: summary.stichtag,
        note: 'vorläufig: laufender Monat',
      })}
    </section>
    ${overviewSection(overview, true)}`;
  return layout({
    title: 'Programmübersicht',
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Steuerung', href: '/steuerung' }, { label: 'Programmübersicht' }],
    section: 'steuerung',
  });
}

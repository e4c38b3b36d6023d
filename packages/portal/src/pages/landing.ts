import type { DatasetRow } from '@hro/api/domain';
import { html } from './html.js';
import { layout } from './layout.js';

const dateFormat = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'Europe/Berlin' });

/** The start page: what the portal is, and every published dataset. */
export function landingPage(datasets: DatasetRow[]): string {
  const items = datasets.map(
    (d) =>
      html`<li class="dataset">
        <h3>${d.title}</h3>
        <p>${d.notes}</p>
        <dl class="meta">
          <dt>Herausgeber</dt>
          <dd>${d.organizationTitle ?? '–'}</dd>
          <dt>Lizenz</dt>
          <dd>${d.licenseTitle ?? d.licenseId ?? '–'}</dd>
          <dt>Aktualisiert</dt>
          <dd><time datetime="${d.metadataModified.toISOString()}">${dateFormat.format(d.metadataModified)}</time></dd>
          <dt>Kennung</dt>
          <dd><code>${d.name}</code></dd>
        </dl>
      </li>`,
  );
  return layout(
    'Offene Daten',
    html`<h1>Offene Daten der Digitalen Verwaltung Rostock</h1>
      <p>
        Die HRO Datenplattform veröffentlicht die Daten der Strategie <cite>Digitale Verwaltung Rostock 2030</cite> und weitere offene
        Datensätze der Stadtverwaltung – zum Herunterladen und über offene Schnittstellen.
      </p>
      <section aria-labelledby="datensaetze">
        <h2 id="datensaetze">Veröffentlichte Datensätze (${datasets.length})</h2>
        ${
          datasets.length === 0
            ? html`<p>Noch keine Datensätze veröffentlicht.</p>`
            : html`<ul class="datasets">
                ${items}
              </ul>`
        }
      </section>
      <section aria-labelledby="schnittstellen">
        <h2 id="schnittstellen">Schnittstellen</h2>
        <ul>
          <li><a href="/graphql">GraphQL-API</a> für Entwicklerinnen und Entwickler</li>
          <li><a href="/api/3/action/package_list">CKAN-kompatible Action-API</a> für Harvester und CKAN-Clients</li>
        </ul>
      </section>`,
  );
}

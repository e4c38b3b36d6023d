import type { DatasetRecord, DatasetSearchResult, DomainContext, FacetValue } from '@hro/api/domain';
import { runSearch } from './catalog-search.js';
import { datasetItem } from './components.js';
import { formatInteger } from './format.js';
import { href, html } from './html.js';
import { layout } from './layout.js';
import type { UsageCounter } from './usage.js';

const SHOWN = 5;

/** The most used datasets as this process counted them, filled up with the newest. */
async function mostUsed(ctx: DomainContext, usage: UsageCounter, newest: DatasetRecord[]): Promise<{ d: DatasetRecord; uses: number }[]> {
  const top = usage.top(SHOWN * 4);
  let used: DatasetRecord[] = [];
  if (top.length > 0) {
    const refs = top.map(([r]) => r);
    const found = await runSearch(
      ctx,
      {
        q: '',
        filters: { organization: [], groups: [], tags: [], res_format: [], license_id: [] },
        sort: 'geaendert',
        rows: refs.length,
        start: 0,
      },
      [],
      [
        {
          op: 'or',
          clauses: refs.flatMap((value) => [{ op: 'term', field: 'name', value } as const, { op: 'term', field: 'id', value } as const]),
        },
      ],
    );
    used = found.results;
  }
  const ranked = used
    .map((d) => ({ d, uses: usage.of(d.name, d.id) }))
    .sort((a, b) => b.uses - a.uses || a.d.title.localeCompare(b.d.title, 'de'));
  for (const d of newest) if (ranked.length < SHOWN && !ranked.some((r) => r.d.id === d.id)) ranked.push({ d, uses: 0 });
  return ranked.slice(0, SHOWN);
}

function facetList(values: FacetValue[], param: 'groups' | 'organization'): ReturnType<typeof html> {
  if (values.length === 0) return html`<p>Keine Einträge.</p>`;
  return html`<ul class="facet-links">
    ${values
      .slice()
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'de'))
      .map(
        (v) =>
          html`<li>
            <a href="${href('/dataset', { [param]: v.name })}">${v.displayName}</a>
            <span class="count">(${formatInteger(v.count)} Datensätze)</span>
          </li>`,
      )}
  </ul>`;
}

/** The start page: search, newest and most used datasets, topics (groups) and publishers. */
export async function startPage(ctx: DomainContext, usage: UsageCounter): Promise<string> {
  const all: DatasetSearchResult = await runSearch(
    ctx,
    {
      q: '',
      filters: { organization: [], groups: [], tags: [], res_format: [], license_id: [] },
      sort: 'geaendert',
      rows: SHOWN,
      start: 0,
    },
    ['groups', 'organization'],
  );
  const popular = await mostUsed(ctx, usage, all.results);
  const main = html`<h1>Offene Daten der Digitalen Verwaltung Rostock</h1>
    <p class="lead">
      Die HRO Datenplattform veröffentlicht die Daten der Strategie <cite>Digitale Verwaltung Rostock 2030</cite> und weitere offene
      Datensätze der Stadtverwaltung – zum Herunterladen, als Vorschau und über offene Schnittstellen.
    </p>
    <form class="search-box" role="search" method="get" action="/dataset" aria-label="Datensatzsuche">
      <label for="start-suche">Suchbegriff</label>
      <div class="search-row">
        <input id="start-suche" type="search" name="q" autocomplete="off" />
        <button type="submit">Datensätze suchen</button>
      </div>
      <p class="hint"><a href="/dataset">Alle ${formatInteger(all.count)} Datensätze anzeigen</a></p>
    </form>
    <div class="columns">
      <section aria-labelledby="neueste">
        <h2 id="neueste">Neueste Datensätze</h2>
        <ul class="datasets">
          ${all.results.map((d) => datasetItem(d))}
        </ul>
      </section>
      <section aria-labelledby="meistgenutzt">
        <h2 id="meistgenutzt">Meistgenutzte Datensätze</h2>
        <p class="hint">Aufrufe der Datensatzseiten und Downloads seit dem letzten Start des Portals.</p>
        <ul class="datasets">
          ${popular.map(({ d, uses }) =>
            datasetItem(
              d,
              3,
              html`<dt>Nutzung</dt>
                <dd>${formatInteger(uses)} ${uses === 1 ? 'Abruf' : 'Abrufe'}</dd>`,
            ),
          )}
        </ul>
      </section>
    </div>
    <div class="columns">
      <section aria-labelledby="themen">
        <h2 id="themen">Themen</h2>
        ${facetList(all.facets.groups ?? [], 'groups')}
      </section>
      <section aria-labelledby="herausgeber">
        <h2 id="herausgeber">Herausgeber</h2>
        ${facetList(all.facets.organization ?? [], 'organization')}
      </section>
    </div>
    <section aria-labelledby="zahlen">
      <h2 id="zahlen">Digitale Verwaltung in Zahlen</h2>
      <p>
        Wie weit ist die Digitalisierung der Stadtverwaltung? Die <a href="/kennzahlen">Kennzahlen der Strategie</a> – online verfügbare
        Leistungen, Projekte, Anbindung der Fachverfahren – mit Definitionen, Zeitreihen und Daten zum Herunterladen.
      </p>
    </section>
    <section aria-labelledby="schnittstellen">
      <h2 id="schnittstellen">Schnittstellen</h2>
      <ul>
        <li><a href="/graphql">GraphQL-API</a> für Entwicklerinnen und Entwickler</li>
        <li><a href="/api/3/action/package_list">CKAN-kompatible Action-API</a> für Harvester und CKAN-Clients</li>
        <li>
          <a href="/catalog.ttl">DCAT-AP.de-Katalog</a> (Turtle; auch <a href="/catalog.rdf">RDF/XML</a> und
          <a href="/catalog.jsonld">JSON-LD</a>)
        </li>
      </ul>
    </section>`;
  return layout({ title: 'Offene Daten', main, viewer: ctx.viewer });
}

import type { DomainContext, FacetValue } from '@hro/api/domain';
import { facetParams, facetTitles, PAGE_SIZE, runSearch, sortOptions, type FacetParam, type SearchForm } from './catalog-search.js';
import { datasetItem, pager } from './components.js';
import { formatInteger } from './format.js';
import { href, html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

/** The search's URL with some parameters changed (paging keeps the filters, filters reset the page). */
function searchUrl(form: SearchForm, change: Partial<Pick<SearchForm, 'page' | 'filters' | 'sort' | 'q'>>): string {
  const next = { ...form, ...change };
  return href('/dataset', {
    q: next.q,
    ...Object.fromEntries(facetParams.map((f) => [f, next.filters[f]])),
    sort: next.sort === (next.q ? 'relevanz' : 'geaendert') ? undefined : next.sort,
    page: next.page > 1 ? next.page : undefined,
  });
}

/** A facet as a checkbox list inside the search form: keyboard-usable without any script. */
function facetFieldset(field: FacetParam, values: FacetValue[], selected: string[]): SafeHtml {
  // selected values stay visible (and uncheckable) even when the current results have none
  const shown = [...values];
  for (const s of selected) if (!shown.some((v) => v.name === s)) shown.push({ name: s, displayName: s, count: 0 });
  if (shown.length === 0) return html``;
  return html`<fieldset class="facet">
    <legend>${facetTitles[field]}</legend>
    <ul>
      ${shown.map((v, i) => {
        const id = `f-${field}-${i}`;
        return html`<li>
          <input type="checkbox" id="${id}" name="${field}" value="${v.name}" ${selected.includes(v.name) ? html`checked` : ''} />
          <label for="${id}">${v.displayName} <span class="count">(${formatInteger(v.count)})</span></label>
        </li>`;
      })}
    </ul>
  </fieldset>`;
}

/** The dataset search: full text, facets, sorting and paging — package_search's search. */
export async function searchPage(ctx: DomainContext, form: SearchForm): Promise<string> {
  const found = await runSearch(ctx, { ...form, rows: PAGE_SIZE, start: (form.page - 1) * PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(found.count / PAGE_SIZE));
  const active = facetParams.flatMap((f) => form.filters[f].map((value) => ({ field: f, value })));
  const displayOf = (field: FacetParam, value: string) => found.facets[field]?.find((v) => v.name === value)?.displayName ?? value;
  const first = (form.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(found.count, form.page * PAGE_SIZE);

  const main = html`<h1>Datensätze</h1>
    <form class="search-form" method="get" action="/dataset" aria-label="Datensatzsuche mit Filtern">
      <div class="search-row">
        <label for="suche-q" class="visually-hidden">Suchbegriff</label>
        <input id="suche-q" type="search" name="q" value="${form.q}" autocomplete="off" />
        <button type="submit">Suchen</button>
      </div>
      <div class="search-layout">
        <div class="facets" role="group" aria-labelledby="filter-titel">
          <h2 id="filter-titel">Filter</h2>
          ${facetParams.map((f) => facetFieldset(f, found.facets[f] ?? [], form.filters[f]))}
          <button type="submit">Filter anwenden</button>
        </div>
        <div class="results">
          <div class="results-head">
            <h2 id="ergebnisse" aria-live="polite">
              ${
                found.count === 0
                  ? 'Keine Datensätze gefunden'
                  : html`${formatInteger(found.count)} ${found.count === 1 ? 'Datensatz' : 'Datensätze'}
                    gefunden${pages > 1 ? html`, ${first}–${last} angezeigt` : ''}`
              }
            </h2>
            <div class="sort">
              <label for="sortierung">Sortieren nach</label>
              <select id="sortierung" name="sort">
                ${Object.entries(sortOptions).map(
                  ([value, o]) => html`<option value="${value}" ${value === form.sort ? html`selected` : ''}>${o.label}</option>`,
                )}
              </select>
              <button type="submit">Sortieren</button>
            </div>
          </div>
          ${found.fuzzy && html`<p class="notice">Keine genauen Treffer für „${form.q}“ – ähnliche Datensätze:</p>`}
          ${
            active.length > 0 &&
            html`<div class="active-filters">
              <h3>Aktive Filter</h3>
              <ul>
                ${active.map(
                  ({ field, value }) =>
                    html`<li>
                      <a
                        href="${searchUrl(form, { page: 1, filters: { ...form.filters, [field]: form.filters[field].filter((v) => v !== value) } })}"
                        >${facetTitles[field]}: ${displayOf(field, value)} <span class="visually-hidden">(Filter entfernen)</span
                        ><span aria-hidden="true"> ×</span></a
                      >
                    </li>`,
                )}
                <li>
                  <a
                    href="${searchUrl(form, { page: 1, filters: { organization: [], groups: [], tags: [], res_format: [], license_id: [] } })}"
                    >Alle Filter entfernen</a
                  >
                </li>
              </ul>
            </div>`
          }
          <ul class="datasets">
            ${found.results.map((d) =>
              datasetItem(
                d,
                3,
                d.private
                  ? html`<dt>Sichtbarkeit</dt>
                      <dd><span class="badge badge-internal">Intern</span></dd>`
                  : undefined,
              ),
            )}
          </ul>
          ${pager('Seiten der Suchergebnisse', form.page, pages, (page) => searchUrl(form, { page }))}
        </div>
      </div>
    </form>`;
  return layout({
    title: form.q ? `Suche: ${form.q}` : 'Datensätze',
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Datensätze' }],
    query: form.q,
    section: 'datensaetze',
  });
}

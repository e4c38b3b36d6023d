import {
  dcatDataset,
  dcatVocabulary,
  labelsOfDatasets,
  resourceDownloadPath,
  showDataset,
  type DatasetRecord,
  type DcatDatasetRow,
  type DomainContext,
  type ResourceRecord,
} from '@hro/api/domain';
import { datasetPath } from './components.js';
import { formatDate, formatDay, frequencyLabel, isoOf } from './format.js';
import { href, html, safeUrl, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { isGeoDataset, MAP_SCRIPTS, MAP_STYLES, mapSection } from './map.js';
import { previewFields, previewSection, type PreviewState } from './preview.js';

/** Download variants of a resource: the download route's formats, CSV also for Excel. */
function downloads(
  dataset: DatasetRecord,
  r: ResourceRecord,
  geo: boolean,
): { label: string; query: Record<string, string>; hint?: string }[] {
  const out: { label: string; query: Record<string, string>; hint?: string }[] = [
    { label: 'CSV', query: { format: 'csv' } },
    { label: 'CSV für Excel', query: { format: 'csv', sep: ';', bom: '1' }, hint: 'Semikolon, Dezimalkomma' },
    { label: 'JSON', query: { format: 'json' } },
    { label: 'XLSX', query: { format: 'xlsx' } },
  ];
  if (geo) out.splice(3, 0, { label: 'GeoJSON', query: { format: 'geojson' } });
  // the resource's own format first
  const own = out.findIndex((o) => o.label.toLowerCase() === r.format.toLowerCase());
  if (own > 0) out.unshift(...out.splice(own, 1));
  void dataset;
  return out;
}

function resourcesSection(dataset: DatasetRecord): SafeHtml {
  const geo = isGeoDataset(dataset);
  return html`<section aria-labelledby="daten-titel">
    <h2 id="daten-titel">Daten und Downloads</h2>
    <ul class="resources">
      ${dataset.resources.map((r) => {
        const path = resourceDownloadPath(dataset.name, r.id);
        const external = safeUrl(r.url);
        return html`<li class="resource">
          <h3>${r.name} <span class="badge">${r.format}</span></h3>
          ${r.description && html`<p>${r.description}</p>`}
          <ul class="downloads" aria-label="Downloads: ${r.name}">
            ${
              external
                ? html`<li>
                    <a class="button" href="${external}">Zur Quelle<span class="visually-hidden">: ${r.name}</span></a>
                  </li>`
                : downloads(dataset, r, geo).map(
                    (d) =>
                      html`<li>
                        <a class="button" href="${href(path, d.query)}" download
                          >${d.label}<span class="visually-hidden"> herunterladen: ${r.name}</span></a
                        >${d.hint && html` <span class="hint">(${d.hint})</span>`}
                      </li>`,
                  )
            }
          </ul>
        </li>`;
      })}
    </ul>
  </section>`;
}

const spatialLabel = (uri: string) =>
  uri === dcatVocabulary.ROSTOCK_SPATIAL_URI ? 'Hanse- und Universitätsstadt Rostock (Gemeindeschlüssel 13003000)' : uri;

function metadataSection(d: DatasetRecord, dcat: DcatDatasetRow): SafeHtml {
  const licenseUrl = safeUrl(d.license?.url);
  const attribution =
    dcat.licenseUri && dcatVocabulary.licenseRequiresAttribution(dcat.licenseUri)
      ? (dcat.licenseAttribution ?? dcat.organization?.title)
      : undefined;
  const temporal =
    d.temporalStart || d.temporalEnd
      ? `${d.temporalStart ? formatDay(d.temporalStart) : 'offen'} bis ${d.temporalEnd ? formatDay(d.temporalEnd) : 'heute'}`
      : undefined;
  const bbox = d.spatialBbox;
  const row = (term: string, value: SafeHtml | SafeHtml[] | string | undefined | null | false) =>
    value &&
    html`<dt>${term}</dt>
      <dd>${value}</dd>`;
  return html`<section aria-labelledby="metadaten-titel">
    <h2 id="metadaten-titel">Metadaten</h2>
    <dl class="meta meta-wide">
      ${row(
        'Herausgeber',
        d.organization && html`<a href="${href('/dataset', { organization: d.organization.name })}">${d.organization.title}</a>`,
      )}
      ${row('Kontakt', dcat.organization?.email && html`<a href="mailto:${dcat.organization.email}">${dcat.organization.email}</a>`)}
      ${row('Lizenz', d.license ? (licenseUrl ? html`<a href="${licenseUrl}">${d.license.title}</a>` : d.license.title) : d.licenseId)}
      ${row('Namensnennung', attribution && html`<span class="attribution">${attribution}</span>`)} ${row('Zeitliche Abdeckung', temporal)}
      ${row('Räumliche Abdeckung', d.spatialUri && spatialLabel(d.spatialUri))}
      ${row(
        'Ausdehnung',
        bbox && bbox.length === 4 && `${bbox[1]}° bis ${bbox[3]}° nördl. Breite, ${bbox[0]}° bis ${bbox[2]}° östl. Länge (WGS84)`,
      )}
      ${row('Aktualisierung', d.updateFrequency && (frequencyLabel[d.updateFrequency] ?? d.updateFrequency))}
      ${row('Metadaten geändert', html`<time datetime="${isoOf(d.metadataModified)}">${formatDate(d.metadataModified)}</time>`)}
      ${row('Daten geändert', dcat.dataModified && html`<time datetime="${isoOf(dcat.dataModified)}">${formatDate(dcat.dataModified)}</time>`)}
      ${row('Veröffentlicht', html`<time datetime="${isoOf(d.metadataCreated)}">${formatDate(d.metadataCreated)}</time>`)}
      ${row('Themen', d.groups.length > 0 && d.groups.map((g, i) => html`${i > 0 ? ', ' : ''}<a href="${href('/dataset', { groups: g.name })}">${g.title}</a>`))}
      ${row('Schlagwörter', d.tags.length > 0 && d.tags.map((t, i) => html`${i > 0 ? ', ' : ''}<a href="${href('/dataset', { tags: t.name })}">${t.name}</a>`))}
      ${row('Kennung', html`<code>${d.name}</code>`)}
    </dl>
    ${
      attribution &&
      html`<p class="attribution-note">
        Bitte nennen Sie bei einer Weiterverwendung die Quelle: <q>${attribution}, ${d.title}</q>${d.license ? `, ${d.license.title}` : ''}.
      </p>`
    }
  </section>`;
}

/** GraphQL queries for the data of the views that have their own GraphQL types. */
const dataQueries: Record<string, string> = {
  'open.initiatives': '{ initiatives(first: 10) { totalCount nodes { key title field { name } status } } }',
  'open.projects': '{ projects(first: 10) { totalCount nodes { key title status } } }',
  'open.services': '{ services(first: 10) { totalCount nodes { key title kind online } } }',
  'open.procedures': '{ procedures(first: 10) { totalCount nodes { key name vendor lifecyclePhase dmsConnection } } }',
};

function apiSection(d: DatasetRecord, baseUrl: string, view: string | undefined, preview: ResourceRecord | undefined): SafeHtml {
  const metadataQuery = `{ datasets(filter: { name: { eq: ${JSON.stringify(d.name)} } }) { nodes { name title licenseTitle organizationTitle metadataModified tags groups } } }`;
  const dataQuery = view ? dataQueries[view] : undefined;
  const graphqlCurl = (query: string) =>
    `curl -s ${baseUrl}/graphql -H 'content-type: application/json' \\\n  -d '${JSON.stringify({ query }).replace(/'/g, "'\\''")}'`;
  return html`<section aria-labelledby="api-titel">
    <h2 id="api-titel">Schnittstellen</h2>
    <h3>CKAN-API</h3>
    <p>Die Metadaten wie bei CKAN (<code>package_show</code>):</p>
    <pre><code>curl -s '${baseUrl}/api/3/action/package_show?id=${d.name}'</code></pre>
    ${
      preview &&
      html`<p>Die Daten über die DataStore-API (<code>datastore_search</code>):</p>
        <pre><code>curl -s '${baseUrl}/api/3/action/datastore_search?resource_id=${preview.id}&amp;limit=5'</code></pre>`
    }
    <h3>GraphQL</h3>
    <pre><code class="graphql-query">${metadataQuery}</code></pre>
    <pre><code>${graphqlCurl(metadataQuery)}</code></pre>
    ${
      dataQuery &&
      html`<p>Die Daten selbst:</p>
        <pre><code class="graphql-query">${dataQuery}</code></pre>`
    }
    <h3>DCAT-AP.de</h3>
    <ul class="inline-list">
      <li><a href="${datasetPath(d.name)}.ttl">Turtle</a></li>
      <li><a href="${datasetPath(d.name)}.rdf">RDF/XML</a></li>
      <li><a href="${datasetPath(d.name)}.jsonld">JSON-LD</a></li>
    </ul>
  </section>`;
}

/**
 * A dataset's page: what it is (metadata as DCAT states it), its files, a table preview, a map
 * for geo datasets, and how to reach it through the APIs. Internal datasets only for those who
 * may read them; everyone else gets "not found" (the domain's NOT_FOUND / FORBIDDEN).
 */
export async function datasetPage(
  ctx: DomainContext,
  name: string,
  options: { preview: PreviewState; baseUrl: string; tileUrl?: string },
): Promise<string> {
  const [dataset, dcat, labels] = await Promise.all([showDataset(ctx, name), dcatDataset(ctx, name), labelsOfDatasets(ctx, [name])]);
  const path = datasetPath(dataset.name);
  const tabular = await previewFields(ctx, dataset);
  const [preview, map] = tabular
    ? await Promise.all([
        previewSection(ctx, dataset, tabular, options.preview, path),
        isGeoDataset(dataset)
          ? mapSection(
              ctx,
              dataset,
              tabular.fields.map((f) => f.id),
              options.tileUrl,
            )
          : undefined,
      ])
    : [undefined, undefined];
  const view = labels[0]?.view ?? undefined;
  const main = html`<article class="dataset-page">
    <h1>${dataset.title} ${dataset.private && html`<span class="badge badge-internal">Intern</span>`}</h1>
    <div class="notes">
      ${dataset.notes
        .split(/\n\s*\n/)
        .filter((p) => p.trim())
        .map((p) => html`<p>${p}</p>`)}
    </div>
    ${resourcesSection(dataset)} ${preview} ${map} ${metadataSection(dataset, dcat)}
    ${apiSection(dataset, options.baseUrl, view, tabular?.resource)}
  </article>`;
  return layout({
    title: dataset.title,
    main,
    viewer: ctx.viewer,
    breadcrumb: [{ label: 'Datensätze', href: '/dataset' }, { label: dataset.title }],
    section: 'datensaetze',
    scripts: map ? MAP_SCRIPTS : [],
    styles: map ? MAP_STYLES : [],
  });
}

import { datastoreInfo, datastoreSearch, type DatasetRecord, type DomainContext, type ResourceRecord } from '@hro/api/domain';
import { pager } from './components.js';
import { formatInteger } from './format.js';
import { href, html, type SafeHtml } from './html.js';

/**
 * The table preview of a dataset page: one page of its tabular resource, read through the
 * DataStore's domain search (datastore_search: the resource's open view, the viewer's access),
 * sorted by any column the DataStore sorts by, paged by links — no script needed.
 */
export const PREVIEW_ROWS = 10;

export interface PreviewState {
  page: number;
  /** column to sort by, checked against the resource's columns */
  sort?: string;
  dir: 'asc' | 'desc';
}

export function readPreviewState(query: Record<string, unknown>): PreviewState {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const page = Number(text(query.vorschau_seite) ?? '1');
  return {
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    sort: text(query.vorschau_sortierung)?.slice(0, 100),
    dir: text(query.vorschau_richtung) === 'ab' ? 'desc' : 'asc',
  };
}

export interface Field {
  id: string;
  type: string;
}

/** Columns a preview leaves out: the geometry (the map shows it) and its bounding box. */
const hidden = (f: Field) => (f.id === 'geometry' && f.type === 'json') || /^bbox_(min|max)_(lon|lat)$/.test(f.id);

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

// A view's columns change only with a migration: remembered per resource for a while, which
// saves the dataset page one read transaction (the access decision is still made on every read).
const FIELDS_TTL_MS = 5 * 60_000;
const fieldCache = new Map<string, { fields: Field[]; until: number }>();

async function fieldsOf(ctx: DomainContext, resourceId: string): Promise<Field[]> {
  const cached = fieldCache.get(resourceId);
  if (cached && cached.until > Date.now()) return cached.fields;
  const info = (await datastoreInfo(ctx, { id: resourceId, include_meta: false, include_fields_schema: false })) as { fields: Field[] };
  if (fieldCache.size > 1000) fieldCache.clear();
  fieldCache.set(resourceId, { fields: info.fields, until: Date.now() + FIELDS_TTL_MS });
  return info.fields;
}

/** The columns a preview shows of the dataset's tabular resource (none: no such resource). */
export async function previewFields(
  ctx: DomainContext,
  dataset: DatasetRecord,
): Promise<{ resource: ResourceRecord; fields: Field[] } | undefined> {
  const resource = dataset.resources.find((r) => r.datastoreActive);
  if (!resource) return undefined;
  return { resource, fields: (await fieldsOf(ctx, resource.id)).filter((f) => !hidden(f)) };
}

/** The preview section of a tabular resource with its shown columns. */
export async function previewSection(
  ctx: DomainContext,
  dataset: DatasetRecord,
  { resource, fields: shown }: { resource: ResourceRecord; fields: Field[] },
  state: PreviewState,
  pagePath: string,
): Promise<SafeHtml> {
  const fields = shown.map((f) => f.id);
  // JSON columns do not sort in the DataStore
  const sortable = new Set(shown.filter((f) => f.type !== 'json').map((f) => f.id));
  const sort = state.sort && sortable.has(state.sort) ? state.sort : undefined;
  const { result } = await datastoreSearch(ctx, {
    resource_id: resource.id,
    fields,
    limit: PREVIEW_ROWS,
    offset: (state.page - 1) * PREVIEW_ROWS,
    ...(sort ? { sort: [`"${sort}" ${state.dir}`] } : {}),
  });
  const records = result.records as Record<string, unknown>[];
  const total = Number(result.total ?? 0);
  const pages = Math.max(1, Math.ceil(total / PREVIEW_ROWS));
  const link = (next: Partial<PreviewState>) => {
    const s = { ...state, sort, ...next };
    return `${href(pagePath, {
      vorschau_seite: s.page > 1 ? s.page : undefined,
      vorschau_sortierung: s.sort,
      vorschau_richtung: s.sort && s.dir === 'desc' ? 'ab' : undefined,
    })}#vorschau`;
  };
  const header = (id: string) => {
    if (!sortable.has(id)) return html`<th scope="col">${id}</th>`;
    const current = sort === id;
    const nextDir = current && state.dir === 'asc' ? 'desc' : 'asc';
    const label = current ? (state.dir === 'asc' ? 'aufsteigend sortiert' : 'absteigend sortiert') : 'nicht sortiert';
    return html`<th scope="col" ${current ? html`aria-sort="${state.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}>
      <a href="${link({ sort: id, dir: nextDir, page: 1 })}"
        >${id}<span class="visually-hidden"> (${label}; ${nextDir === 'asc' ? 'aufsteigend' : 'absteigend'} sortieren)</span
        ><span class="sort-mark" aria-hidden="true">${current ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span></a
      >
    </th>`;
  };
  const first = total === 0 ? 0 : (state.page - 1) * PREVIEW_ROWS + 1;
  const last = Math.min(total, state.page * PREVIEW_ROWS);
  const section = html`<section id="vorschau" aria-labelledby="vorschau-titel" tabindex="-1">
    <h2 id="vorschau-titel">Vorschau</h2>
    <p>
      Zeilen ${formatInteger(first)}–${formatInteger(last)} von ${formatInteger(total)} aus „${resource.name}“. Ein Klick auf eine
      Spaltenüberschrift sortiert die Tabelle.
    </p>
    <div class="table-wrap" role="region" aria-label="Vorschautabelle, seitlich verschiebbar" tabindex="0">
      <table class="preview">
        <caption class="visually-hidden">
          Vorschau von ${dataset.title}, Seite ${state.page} von ${pages}
        </caption>
        <thead>
          <tr>
            ${fields.map(header)}
          </tr>
        </thead>
        <tbody>
          ${
            records.length === 0
              ? html`<tr>
                  <td colspan="${fields.length}">Keine Zeilen auf dieser Seite.</td>
                </tr>`
              : records.map(
                  (r) =>
                    html`<tr>
                      ${fields.map((f) => html`<td>${cell(r[f])}</td>`)}
                    </tr>`,
                )
          }
        </tbody>
      </table>
    </div>
    ${pager('Seiten der Vorschau', Math.min(state.page, pages), pages, (page) => link({ page }))}
  </section>`;
  return section;
}

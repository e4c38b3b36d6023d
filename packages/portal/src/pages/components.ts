import type { DatasetRecord } from '@hro/api/domain';
import { formatDate, isoOf } from './format.js';
import { href, html, type SafeHtml } from './html.js';

/** A page's text cut to a length at a word boundary. */
export function excerpt(text: string, length = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), length - 30))} …`;
}

export const datasetPath = (name: string) => `/dataset/${encodeURIComponent(name)}`;

/** The distinct formats of a dataset's resources. */
export const formatsOf = (d: DatasetRecord) => [...new Set(d.resources.map((r) => r.format).filter(Boolean))];

/** One dataset in a result list: title as link, excerpt, publisher, formats, modified. */
export function datasetItem(d: DatasetRecord, headingLevel: 2 | 3 = 3, extra?: SafeHtml): SafeHtml {
  const title = html`<a href="${datasetPath(d.name)}">${d.title}</a>`;
  return html`<li class="dataset">
    ${headingLevel === 2 ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}
    <p>${excerpt(d.notes)}</p>
    <dl class="meta">
      <dt>Herausgeber</dt>
      <dd>${d.organization?.title ?? '–'}</dd>
      <dt>Formate</dt>
      <dd>${formatsOf(d).map((f) => html`<span class="badge">${f}</span> `)}</dd>
      <dt>Aktualisiert</dt>
      <dd><time datetime="${isoOf(d.metadataModified)}">${formatDate(d.metadataModified)}</time></dd>
      ${extra}
    </dl>
  </li>`;
}

/**
 * Page links (1-based), with the current page marked; `link(page)` builds each URL. Shows the
 * first, last and two neighbours of the current page.
 */
export function pager(label: string, current: number, pages: number, link: (page: number) => string): SafeHtml {
  if (pages <= 1) return html``;
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  const items: SafeHtml[] = [];
  if (current > 1)
    items.push(
      html`<li>
        <a href="${link(current - 1)}" rel="prev">Zurück<span class="visually-hidden"> zur Seite ${current - 1}</span></a>
      </li>`,
    );
  shown.forEach((p, i) => {
    if (i > 0 && p - (shown[i - 1] ?? p) > 1) items.push(html`<li aria-hidden="true">…</li>`);
    items.push(
      p === current
        ? html`<li>
            <a href="${link(p)}" aria-current="page"><span class="visually-hidden">Seite </span>${p}</a>
          </li>`
        : html`<li>
            <a href="${link(p)}"><span class="visually-hidden">Seite </span>${p}</a>
          </li>`,
    );
  });
  if (current < pages)
    items.push(
      html`<li>
        <a href="${link(current + 1)}" rel="next">Weiter<span class="visually-hidden"> zur Seite ${current + 1}</span></a>
      </li>`,
    );
  return html`<nav class="pager" aria-label="${label}">
    <ul>
      ${items}
    </ul>
  </nav>`;
}

/** Keyset paging (cursors) for the steering and ETL lists: previous/next only. */
export function cursorPager(
  label: string,
  path: string,
  params: Record<string, string | undefined>,
  page: { after?: string; next?: string },
): SafeHtml {
  if (!page.after && !page.next) return html``;
  return html`<nav class="pager" aria-label="${label}">
    <ul>
      ${page.after && html`<li><a href="${href(path, { ...params, nach: undefined })}">Zum Anfang</a></li>`}
      ${page.next && html`<li><a href="${href(path, { ...params, nach: page.next })}" rel="next">Weiter</a></li>`}
    </ul>
  </nav>`;
}

/** A simple data table: caption, header cells with scope, rows of cells (already rendered). */
export function dataTable(
  caption: string | SafeHtml,
  headers: string[],
  rows: (string | number | SafeHtml)[][],
  options: { numeric?: number[] } = {},
): SafeHtml {
  const numeric = new Set(options.numeric ?? []);
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${headers.map((h, i) => html`<th scope="col" ${numeric.has(i) ? html`class="num"` : ''}>${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${
          rows.length === 0
            ? html`<tr>
                <td colspan="${headers.length}">Keine Einträge.</td>
              </tr>`
            : rows.map(
                (row) =>
                  html`<tr>
                    ${row.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td ${numeric.has(i) ? html`class="num"` : ''}>${cell}</td>`))}
                  </tr>`,
              )
        }
      </tbody>
    </table>
  </div>`;
}

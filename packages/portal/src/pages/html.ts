/**
 * The pages' templating: a tagged template whose every interpolation is escaped unless it is
 * already `SafeHtml` (the result of another `html` template, or text explicitly marked with
 * `trusted`). Nothing else produces SafeHtml, so data from the catalog, the database or the
 * request cannot reach the markup unescaped.
 */

/** Escapes text for HTML element content and (double-quoted) attribute values. */
export function escapeHtml(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- takes any interpolated value by design; SafeHtml has its own toString
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Markup that is safe to insert as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  // absent parts of a template (`${cond && html`…`}`) render as nothing
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Marks text as markup. Only for constants of our own source (never for data): the one explicit
 * way around escaping, so a review finds every use by its name.
 */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A URL for an href: relative paths and http(s) only (no `javascript:` from metadata). */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const text = url.trim();
  if (text.startsWith('/') && !text.startsWith('//')) return text;
  return /^https?:\/\//i.test(text) ? text : undefined;
}

/** A path with query parameters; empty and undefined values are left out. */
export function href(path: string, params: Record<string, string | number | readonly string[] | undefined | null> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) search.append(key, v);
    else search.append(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

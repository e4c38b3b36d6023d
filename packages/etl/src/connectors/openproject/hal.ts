// Reading OpenProject's HAL+JSON: links are `{ href, title }` objects under `_links` whose href is
// relative (`/api/v3/projects/5`), absolute, `null` (`{ href: null }` = "not set") or points at a
// text/html page; related resources may be embedded under `_embedded`.

/** A HAL link as OpenProject sends it; every part may be absent or null. */
export interface HalLink {
  href?: string | null;
  title?: string | null;
  type?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The link `name` of a resource's `_links`, or undefined. */
export function link(resource: Record<string, unknown>, name: string): HalLink | undefined {
  const links = resource._links;
  if (!isRecord(links)) return undefined;
  const value = links[name];
  return isRecord(value) ? value : undefined;
}

/** The embedded resource `name` of `_embedded`, or undefined. */
export function embedded(resource: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = isRecord(resource._embedded) ? resource._embedded[name] : undefined;
  return isRecord(value) ? value : undefined;
}

// Projects, programs and portfolios are all "workspaces" of one id space (API v3, OpenProject 17).
const workspaceKinds = ['projects', 'programs', 'portfolios', 'workspaces'];

/**
 * The id at the end of an API v3 resource href of one of the given collections:
 * `/api/v3/projects/5` → "5" (relative or absolute, with or without a query). `{ href: null }`,
 * text/html links (`/work_packages/2/move/new`) and hrefs of other collections give null.
 */
export function idFromHref(href: string | null | undefined, collections: readonly string[]): string | null {
  if (!href) return null;
  let path: string;
  try {
    path = new URL(href, 'http://relative.invalid').pathname;
  } catch {
    return null;
  }
  const match = /\/api\/v3\/([a-z_]+)\/([^/]+)\/?$/.exec(path);
  if (!match?.[1] || !match[2] || !collections.includes(match[1])) return null;
  return decodeURIComponent(match[2]);
}

/** The workspace (project) id an href points to: `/api/v3/projects/5` → "5". */
export const workspaceId = (href: string | null | undefined): string | null => idFromHref(href, workspaceKinds);

/**
 * Custom fields of a resource: properties `customFieldN` (values) and links `_links.customFieldN`
 * (list options, versions: `{ href, title }`), kept as they come under their field name — except
 * links to users, which name people.
 */
export function customFields(resource: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resource)) if (/^customField\d+$/.test(name)) fields[name] = value;
  const links = isRecord(resource._links) ? resource._links : {};
  for (const [name, value] of Object.entries(links)) {
    if (!/^customField\d+$/.test(name)) continue;
    const list = Array.isArray(value) ? value : [value];
    // custom fields of type user name people: not kept (no personal data in core)
    const items = list
      .filter(isRecord)
      .filter((l) => typeof l.href !== 'string' || !/\/(users|placeholder_users)\//.test(l.href))
      .map((l) => ({ href: l.href ?? null, title: l.title ?? null }));
    if (items.length === 0 && list.some((l) => isRecord(l) && typeof l.href === 'string')) continue;
    fields[name] = Array.isArray(value) ? items : (items[0] ?? null);
  }
  return fields;
}

// ISO-8601 duration as OpenProject writes estimatedTime/duration: P1337D, PT2H, P370DT13H, PT0.5H.
const durationPattern = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

/** True for an ISO-8601 duration PostgreSQL reads as an interval (`PT2H`, `P1DT4H30M`). */
export const isIsoDuration = (value: string): boolean => durationPattern.test(value);

/** Hours as an ISO-8601 duration: 2.5 → "PT2H30M". */
export function hoursToDuration(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h > 0 || m === 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}`;
}

/** True when `value` is a real calendar date YYYY-MM-DD (no 2024-02-31). */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A steering key (Steuerungsschlüssel) such as P001/19 in a text: the council paper's scheme of
 * a letter, three digits, a slash and two digits. In OpenProject identifiers, where a slash is not
 * allowed, it appears as `p001-19` or `p001_19`.
 */
export function steeringKeyIn(text: string | null | undefined): string | null {
  if (!text) return null;
  const match = /(?:^|[^A-Za-z0-9])([A-Za-z])(\d{3})[/_-](\d{2})(?![0-9])/.exec(text);
  return match ? `${(match[1] ?? '').toUpperCase()}${match[2] ?? ''}/${match[3] ?? ''}` : null;
}

/** A project key made from a name: "P004/19 Bau-Antrag online" → "p004-19-bau-antrag-online" (at most 48 characters). */
export function slug(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (base.length <= 48) return base;
  const cut = base.slice(0, 48);
  return cut.includes('-') ? cut.slice(0, cut.lastIndexOf('-')) : cut;
}

// Cells of the KDN OZG-Datenbank export, turned into clean values. Every rule here is written down
// in packages/etl/data/ozg/README.md; what the export says is kept, nothing is guessed.
import { createHash } from 'node:crypto';

/** Collapses runs of whitespace (the export has double and trailing spaces) and trims. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The placeholder of LeiKa entries that have no key (436 rows of the 2019 catalogue). */
export const NOT_IN_LEIKA = 'nicht im LeiKa';

export const isLeikaKey = (value: string) => /^\d{14}$/.test(value);
export const isOzgId = (value: string) => /^\d{5}$/.test(value);

/**
 * Our natural key of a LeiKa entry: `leika:<14-digit key>`; for an entry marked "nicht im LeiKa"
 * `leika-local:<OZG id or "ohne-ozg">:<12 hex digits of the SHA-256 of its collapsed title>` —
 * stable across exports and reorderings, unchanged by whitespace fixes of the title. Two such
 * entries with the same title under the same OZG service are one service listed twice.
 * Returns null for a key that is neither (the row is quarantined).
 */
export function leikaServiceKey(rawKey: string, ozgId: string, title: string): string | null {
  const key = rawKey.trim();
  if (isLeikaKey(key)) return `leika:${key}`;
  if (key.toLowerCase() !== NOT_IN_LEIKA.toLowerCase()) return null;
  const hash = createHash('sha256').update(collapse(title), 'utf8').digest('hex').slice(0, 12);
  return `leika-local:${ozgId.trim() || 'ohne-ozg'}:${hash}`;
}

/** A maturity row's `leistung`: an OZG id, a LeiKa key, or a service key as the API shows it. */
export function serviceRef(value: string): string | null {
  const v = value.trim();
  if (isOzgId(v)) return `ozg:${v}`;
  if (isLeikaKey(v)) return `leika:${v}`;
  if (/^(ozg:\d{5}|leika:\d{14}|leika-local:[^:\s]+:[0-9a-f]{12})$/.test(v)) return v;
  return null;
}

export type ImplementationStatus = 'planned' | 'in_progress' | 'online' | 'end_to_end';

// The KDN status code list, mapped once. "offen" (not started) has no counterpart in the model's
// statuses and stays null, as does any text not in the list; the text is stored beside it.
const statusWords: Record<string, ImplementationStatus | null> = {
  offen: null,
  'in planung': 'planned',
  'in bearbeitung': 'in_progress',
  umgesetzt: 'online',
};

export function implementationStatus(raw: string): ImplementationStatus | null {
  return statusWords[collapse(raw).toLowerCase()] ?? null;
}

/** A description that only says "Test" (seed junk on OZG 10513) is no description. */
export function description(raw: string): string | null {
  const text = collapse(raw);
  return text === '' || /^test$/i.test(text) ? null : text;
}

export interface LegalBasis {
  text: string | null;
  urls: string[];
}

const URL_IN_BRACKETS = /\s*\[\s*((?:https?:\/\/|www\.)[^\]\s]+)\s*\]/g;
const BARE_URL = /(?:https?:\/\/|www\.)[^\s[\]]+/g;

/**
 * "www.x.de/…" (one bracket of the catalogue lacks the scheme) → "https://www.x.de/…"; a bare
 * link loses the punctuation that ends its sentence.
 */
function normaliseUrl(url: string, bare: boolean): string {
  const trimmed = bare ? url.replace(/[.,;)]+$/, '') : url;
  return /^www\./i.test(trimmed) ? `https://${trimmed}` : trimmed;
}

/**
 * Splits a Rechtsgrundlage into its text and its links: the export appends each law's link in
 * brackets ("§ 6 Paßgesetz (PaßG) [http://…]"), once also bare. Brackets holding anything but a
 * link stay in the text.
 */
export function legalBasis(raw: string): LegalBasis {
  const urls: string[] = [];
  const take = (url: string, bare: boolean) => {
    const clean = normaliseUrl(url, bare);
    if (!urls.includes(clean)) urls.push(clean);
    return '';
  };
  const text = collapse(raw.replace(URL_IN_BRACKETS, (_whole, url: string) => take(url, false)).replace(BARE_URL, (url) => take(url, true)))
    .replace(/\s+,/g, ',')
    .replace(/,{2,}/g, ',')
    .replace(/^[,\s]+|[,\s]+$/g, '');
  return { text: text === '' ? null : text, urls };
}

/** An empty cell is null; any other text is kept, whitespace collapsed. */
export function optional(raw: string): string | null {
  const text = collapse(raw);
  return text === '' ? null : text;
}

// Parsing of the strategy's and the council paper's table cells. The documents are kept as they
// are (see data/strategy/README.md); these functions turn their quirks into structured values
// while the raw cells stay stored beside them.

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Removes HTML tags, decodes the common entities and collapses whitespace. */
export function stripHtml(raw: string): string {
  return raw
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => entities[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A list cell ("Schwerpunkte: • a • b", "Nutzen: + a + b") as its items, label and HTML removed. */
export function splitBullets(raw: string, marker: '•' | '+'): string[] {
  const text = stripHtml(raw).replace(/^(Schwerpunkte|Nutzen)\s*:\s*/i, '');
  const separator = marker === '•' ? /\s*•\s*/ : /(?:^|\s)\+\s+/;
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * Items of a council-paper cell: paragraphs, list items, and runs of two spaces (where the
 * export lost its list structure) separate them; "o " is a lost sub-bullet.
 */
export function splitParagraphs(raw: string): string[] {
  return raw
    .replace(/<\/?(p|li|ul|ol|br)\b[^>]*>/gi, '\n')
    .split(/\n| {2,}|\t/)
    .map((item) => stripHtml(item).replace(/^o\s+/, ''))
    .filter((item) => item.length > 0);
}

/** Org-unit codes in a cell: "6.3" → "06.3", "06/" → "06"; other tokens (ISB, ?) are not codes. */
export function orgUnitCodes(raw: string): string[] {
  const codes: string[] = [];
  for (const match of raw.matchAll(/(?<![\d.])(\d{1,2})(?:\.(\d{1,2}))?(?![\d])/g)) {
    const amt = (match[1] ?? '').padStart(2, '0');
    const code = match[2] === undefined ? amt : `${amt}.${match[2]}`;
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** "?" anywhere in the cell means the document left the responsibility open. */
export function responsibleCodes(raw: string): string[] {
  return raw.includes('?') ? [] : orgUnitCodes(raw);
}

export interface PrioSize {
  priority: number | null;
  size: 'A' | 'B' | 'C' | null;
  sizeAlternative: 'A' | 'B' | 'C' | null;
}

/** "1/A", "2/A(B)", "3/B/(C)", "x/A" (no priority) → priority and size, with the alternative size. */
export function parsePrioSize(raw: string): PrioSize {
  const match = /^\s*([1-3]|x|\?)?\s*\/\s*([ABC])\s*\/?\s*(?:\(\s*([ABC])\s*\))?\s*$/i.exec(raw);
  if (!match) return { priority: null, size: null, sizeAlternative: null };
  const priority = match[1] !== undefined && /^[1-3]$/.test(match[1]) ? Number(match[1]) : null;
  return {
    priority,
    size: (match[2]?.toUpperCase() as PrioSize['size']) ?? null,
    sizeAlternative: (match[3]?.toUpperCase() as PrioSize['size']) ?? null,
  };
}

export type WorkStatus = 'planned' | 'in_progress' | 'done';

// Free-text statuses seen in the documents, mapped once. Unknown text keeps status null; the raw
// text is stored either way.
const statusWords: [RegExp, WorkStatus][] = [
  [/nicht begonnen|geplant|in planung/i, 'planned'],
  [/umgesetzt|abgeschlossen|erledigt|fertig/i, 'done'],
  [/laufend|begonnen|in arbeit|in umsetzung|im abschluss/i, 'in_progress'],
];

export function normalizeStatus(raw: string): WorkStatus | null {
  const text = stripHtml(raw);
  if (text === '') return null;
  for (const [pattern, status] of statusWords) if (pattern.test(text)) return status;
  return null;
}

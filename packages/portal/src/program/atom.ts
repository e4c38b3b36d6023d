import type { FeedEntryRow, KpiDeltaRow, ProgramChangeRow } from '@hro/api/domain';

/** Atom 1.0 (RFC 4287) of the program's monthly "Geplantes und Erreichtes", generated from the data. */

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
// XML 1.0 allows no control characters but tab and line breaks: a title from a source file could carry one
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
const esc = (text: string) => escapeXml(clean(text));

const CATEGORY_TITLES: [ProgramChangeRow['category'], string][] = [
  ['erreicht', 'Erreicht'],
  ['geplant', 'Geplant'],
  ['verzögert', 'Verzögert'],
  ['geändert', 'Geändert'],
];

const number = (n: number) => n.toLocaleString('de-DE', { maximumFractionDigits: 4 });

function deltaText(d: KpiDeltaRow): string {
  const cut = Object.entries(d.dimensions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const name = `${d.title}${cut ? ` (${cut})` : ''}`;
  if (d.suppressed) return `${name}: zum Schutz Einzelner nicht ausgewiesen`;
  const value = (v: number | null) =>
    v === null ? '–' : d.unit === 'share' ? `${number(v * 100)} %` : d.unit === 'EUR' ? `${number(v)} €` : number(v);
  return `${name}: ${value(d.previous)} → ${value(d.current)}`;
}

/** The entry's content: the changes by category and the KPI changes, as (escaped) HTML. */
function entryHtml(entry: FeedEntryRow): string {
  const parts: string[] = [];
  for (const [category, title] of CATEGORY_TITLES) {
    const items = entry.summary.changes.filter((c) => c.category === category);
    if (items.length === 0) continue;
    parts.push(`<h3>${esc(title)}</h3><ul>${items.map((c) => `<li>${esc(c.text)}</li>`).join('')}</ul>`);
  }
  const deltas = entry.summary.kpiDeltas.filter((d) => d.delta !== 0);
  if (deltas.length > 0) parts.push(`<h3>Kennzahlen</h3><ul>${deltas.map((d) => `<li>${esc(deltaText(d))}</li>`).join('')}</ul>`);
  return parts.join('');
}

function summaryText(entry: FeedEntryRow): string {
  const counts = CATEGORY_TITLES.map(([category, title]) => `${entry.summary.counts[category]} ${title.toLowerCase()}`).join(', ');
  return `${counts}; ${entry.summary.kpiDeltas.length} Kennzahlen`;
}

export interface AtomFeedOptions {
  baseUrl: string;
  /** the feed's own path */
  selfPath: string;
  /** where a month's page is (the entry's alternate link) */
  pagePath: (month: string) => string;
  /** complete entries (steering team) get their own ids: they are other entries than the public ones */
  complete: boolean;
  /** when the feed was last modified if it has no entries */
  fallbackUpdated: Date;
}

export function programAtom(entries: FeedEntryRow[], options: AtomFeedOptions): string {
  const { baseUrl } = options;
  const self = `${baseUrl}${options.selfPath}`;
  const updated = entries.reduce(
    (latest, e) => (e.updated > latest ? e.updated : latest),
    entries.length > 0 ? new Date(0) : options.fallbackUpdated,
  );
  const scope = options.complete ? 'vollständig' : 'öffentlich';
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">',
    `  <id>${esc(options.complete ? `${self}#intern` : self)}</id>`,
    `  <title>Geplantes und Erreichtes – Digitale Verwaltung Rostock 2030</title>`,
    `  <subtitle>Monatlich aus den Daten der HRO Datenplattform erzeugt (${scope})</subtitle>`,
    `  <updated>${updated.toISOString()}</updated>`,
    '  <author><name>Hanse- und Universitätsstadt Rostock</name></author>',
    `  <link rel="self" type="application/atom+xml" href="${esc(self)}"/>`,
    '  <generator>HRO Datenplattform</generator>',
  ];
  for (const entry of entries) {
    const page = `${baseUrl}${options.pagePath(entry.month)}`;
    lines.push(
      '  <entry>',
      `    <id>${esc(`${page}${options.complete ? '#intern' : ''}`)}</id>`,
      `    <title>${esc(entry.title)}</title>`,
      `    <updated>${entry.updated.toISOString()}</updated>`,
      `    <link rel="alternate" type="text/html" href="${esc(page)}"/>`,
      `    <summary>${esc(summaryText(entry))}</summary>`,
      `    <content type="html">${escapeXml(entryHtml(entry))}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>');
  return `${lines.join('\n')}\n`;
}

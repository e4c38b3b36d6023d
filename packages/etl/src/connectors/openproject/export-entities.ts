// What a valid row of OpenProject's work-package export (CSV or XLSX) is. Headers are those of a
// German-language OpenProject ("ID", "Typ", "Thema", "Status", "Projekt", "Startdatum",
// "Endtermin", "Aktualisiert am" …); the English ones are accepted as aliases.
import { z } from 'zod';
import type { EntitySpec } from '../connector.js';
import { workPackageColumns } from './entities.js';
import { hoursToDuration, isIsoDate, isIsoDuration, slug, steeringKeyIn } from './hal.js';
import { isClosedStatus, knownWorkPackageStatus, milestoneTypeNames } from './status.js';

/** Canonical (German) column → the header spellings accepted for it. */
export const exportColumns = {
  ID: ['ID', '#', 'Id'],
  Typ: ['Typ', 'Type'],
  Thema: ['Thema', 'Subject', 'Titel'],
  Status: ['Status'],
  Projekt: ['Projekt', 'Project'],
  Startdatum: ['Startdatum', 'Start date', 'Beginn'],
  Endtermin: ['Endtermin', 'Finish date', 'Due date', 'Enddatum', 'Fälligkeitsdatum'],
  Datum: ['Datum', 'Date'],
  'Aktualisiert am': ['Aktualisiert am', 'Aktualisiert', 'Updated on', 'Updated at'],
  'Erstellt am': ['Erstellt am', 'Created on', 'Created at'],
  'Übergeordnetes Arbeitspaket': ['Übergeordnetes Arbeitspaket', 'Übergeordnet', 'Parent'],
  'Geschätzter Aufwand': ['Geschätzter Aufwand', 'Arbeit', 'Estimated time', 'Work'],
  'Fortschritt (%)': ['Fortschritt (%)', '% erledigt', '% abgeschlossen', '% Complete', 'Progress (%)'],
} as const;
type Column = keyof typeof exportColumns;

/** Columns an export must have to be read at all (else the file is not a work-package export). */
export const requiredColumns: Column[] = ['ID', 'Typ', 'Thema', 'Status', 'Projekt'];

/**
 * Columns that are neither mapped nor kept as custom fields: standard attributes the steering
 * model does not use, and the ones naming people (no personal data in core).
 */
const ignoredColumns = new Set(
  [
    'Priorität',
    'Priority',
    'Version',
    'Kategorie',
    'Category',
    'Beschreibung',
    'Description',
    'Zugewiesen an',
    'Assignee',
    'Autor',
    'Author',
    'Verantwortlich',
    'Accountable',
    'Beobachter',
    'Watchers',
    'Aufgewendete Zeit',
    'Spent time',
  ].map((c) => c.toLowerCase()),
);

const normalizeHeader = (header: string) => header.trim().replace(/\s+/g, ' ').toLowerCase();
const aliasToColumn = new Map<string, Column>();
for (const [column, aliases] of Object.entries(exportColumns) as [Column, readonly string[]][]) {
  for (const alias of aliases) aliasToColumn.set(normalizeHeader(alias), column);
}

/** The canonical column a header names, or null for other columns. */
export const columnOf = (header: string): Column | null => aliasToColumn.get(normalizeHeader(header)) ?? null;

/** The header row's problems: required columns it lacks (an empty list: fine). */
export function missingColumns(headers: readonly string[]): Column[] {
  const present = new Set(headers.map(columnOf));
  return requiredColumns.filter((c) => !present.has(c));
}

/** "15.01.2022", "2022-01-15" → "2022-01-15"; anything else (31.02.2024 too) → null. */
export function parseExportDate(value: string): string | null {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const iso = german ? `${german[3] ?? ''}-${(german[2] ?? '').padStart(2, '0')}-${(german[1] ?? '').padStart(2, '0')}` : value;
  return isIsoDate(iso) ? iso : null;
}

const berlin = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Berlin',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

// Offsets change only at whole UTC hours: one Intl call per hour of the calendar, not per cell.
const offsetByHour = new Map<number, number>();

/** How far Berlin's wall clock is ahead of UTC at an instant (1 or 2 hours). */
function berlinOffsetMs(instant: number): number {
  const hour = Math.floor(instant / 3_600_000);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  if (offsetByHour.size > 100_000) offsetByHour.clear();
  const offset = computeBerlinOffsetMs(hour * 3_600_000);
  offsetByHour.set(hour, offset);
  return offset;
}

function computeBerlinOffsetMs(instant: number): number {
  const parts = Object.fromEntries(berlin.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * "12.01.2022 09:53", "2022-01-12 09:53:00", "2022-01-12T09:53:00" (wall-clock time in Rostock:
 * an export writes the exporting user's local time) or a timestamp with zone → ISO 8601 in UTC.
 */
export function parseExportTimestamp(value: string): string | null {
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value) && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  const p = german ? [german[3], german[2], german[1], german[4], german[5], german[6]] : iso ? iso.slice(1, 7) : null;
  if (!p) return null;
  const [y, mo, d, h, mi, s] = p.map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const date = parseExportDate(`${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  if (!date || h > 23 || mi > 59 || s > 59) return null;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  let instant = guess - berlinOffsetMs(guess);
  instant = guess - berlinOffsetMs(instant);
  return new Date(instant).toISOString();
}

/** "2,5 h", "2.5", "3 Std." (hours) or an ISO-8601 duration → ISO duration; else null. */
export function parseExportDuration(value: string): string | null {
  if (isIsoDuration(value)) return value;
  const hours = /^(\d+(?:[.,]\d+)?)\s*(h|std\.?|stunden)?$/i.exec(value);
  return hours ? hoursToDuration(Number((hours[1] ?? '').replace(',', '.'))) : null;
}

/** The row with canonical column names; empty cells become absent, other columns custom fields. */
function canonicalRow(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const row: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  for (const [header, value] of Object.entries(raw as Record<string, unknown>)) {
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
    const column = columnOf(header);
    if (column) {
      if (text !== '') row[column] = text;
    } else if (text !== '' && !ignoredColumns.has(normalizeHeader(header))) custom[header.trim()] = text;
  }
  row.custom_fields = custom;
  return row;
}

/** A column's value checked by a parser; the message names the value ("\"31.02.2024\" is not a date"). */
const parsed = (parse: (v: string) => string | null, what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return null;
      const value = parse(v); // once per cell: the parsers are the hot path of a large export
      if (value === null) ctx.issues.push({ code: 'custom', message: `${JSON.stringify(v)} is not ${what}`, input: v });
      return value;
    });

const exportRow = z.preprocess(
  canonicalRow,
  z
    .object({
      ID: z.string().regex(/^#?\d+$/, { error: (issue) => `${JSON.stringify(issue.input)} is not a work-package number` }),
      Typ: z.string(),
      Thema: z.string(),
      Status: z.string().refine((v) => knownWorkPackageStatus(v) !== null, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a known OpenProject status (the vocabulary is in connectors/openproject/status.ts)`,
      }),
      Projekt: z.string(),
      Startdatum: parsed(parseExportDate, 'a date (TT.MM.JJJJ or YYYY-MM-DD)'),
      Endtermin: parsed(parseExportDate, 'a date (TT.MM.JJJJ or YYYY-MM-DD)'),
      Datum: parsed(parseExportDate, 'a date (TT.MM.JJJJ or YYYY-MM-DD)'),
      'Aktualisiert am': parsed(parseExportTimestamp, 'a time (TT.MM.JJJJ HH:MM)'),
      'Erstellt am': parsed(parseExportTimestamp, 'a time (TT.MM.JJJJ HH:MM)'),
      'Übergeordnetes Arbeitspaket': z
        .string()
        .optional()
        .transform((v) => (v ? (/#?(\d+)/.exec(v)?.[1] ?? null) : null)),
      'Geschätzter Aufwand': parsed(parseExportDuration, 'a duration (hours such as "2,5 h" or ISO 8601 such as PT2H)'),
      'Fortschritt (%)': parsed((v) => {
        const n = /^(\d{1,3})\s*%?$/.exec(v);
        return n && Number(n[1]) <= 100 ? String(Number(n[1])) : null;
      }, 'a percentage 0–100'),
      custom_fields: z.record(z.string(), z.string()),
    })
    .transform((r) => {
      const status = knownWorkPackageStatus(r.Status) ?? 'in_progress';
      const isMilestone = milestoneTypeNames.includes(r.Typ.trim().toLowerCase());
      return {
        external_id: r.ID.replace('#', ''),
        subject: r.Thema,
        type: r.Typ,
        is_milestone: isMilestone,
        status,
        status_raw: r.Status,
        is_closed: isClosedStatus(status),
        start_date: r.Startdatum ?? r.Datum,
        due_date: r.Endtermin ?? r.Datum,
        estimated_time: r['Geschätzter Aufwand'],
        percentage_done: r['Fortschritt (%)'] === null ? null : Number(r['Fortschritt (%)']),
        custom_fields: r.custom_fields,
        source_created_at: r['Erstellt am'],
        source_updated_at: r['Aktualisiert am'],
        project_external_id: r.Projekt,
        parent_external_id: r['Übergeordnetes Arbeitspaket'],
        project_key: `OPX-${slug(r.Projekt)}`,
        project_steering_key: steeringKeyIn(r.Projekt),
      };
    }),
);

/** The header of the bundled sample export: an export with these columns shows no schema drift. */
export const sampleExportHeader = [
  'ID',
  'Typ',
  'Thema',
  'Status',
  'Priorität',
  'Projekt',
  'Startdatum',
  'Endtermin',
  'Geschätzter Aufwand',
  '% abgeschlossen',
  'Übergeordnetes Arbeitspaket',
  'Fachverfahren',
  'Erstellt am',
  'Aktualisiert am',
];

export const exportEntities = {
  work_package: {
    schema: exportRow,
    key: ['external_id'],
    expectedFields: sampleExportHeader,
    columns: { ...workPackageColumns, project_key: 'text', project_steering_key: 'text' },
  },
} satisfies Record<string, EntitySpec>;

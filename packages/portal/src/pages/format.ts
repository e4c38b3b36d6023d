/** German formatting of dates, numbers and the platform's codes, for the pages. */

const zone = 'Europe/Berlin';
const dateFormat = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: zone });
const dateTimeFormat = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
const integer = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('de-DE', { style: 'percent', maximumFractionDigits: 1 });
const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

/** A timestamp: a Date, or the catalog's naive UTC text (`2024-01-31T12:34:56.123456`). */
export function toDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
}

export const formatDate = (value: Date | string): string => dateFormat.format(toDate(value));
export const formatDateTime = (value: Date | string): string => dateTimeFormat.format(toDate(value));
/** A calendar day `YYYY-MM-DD` as German text (no time zone shift). */
export const formatDay = (day: string): string => dateFormat.format(new Date(`${day}T12:00:00Z`));
export const isoOf = (value: Date | string): string => toDate(value).toISOString();
export const formatInteger = (n: number): string => integer.format(n);
export const formatDecimal = (n: number): string => decimal.format(n);

/** A KPI value in its unit. */
export function formatValue(value: number | null, unit: 'count' | 'share' | 'EUR'): string {
  if (value === null) return '–';
  if (unit === 'share') return percent.format(value);
  if (unit === 'EUR') return euro.format(value);
  return decimal.format(value);
}

export const unitLabel: Record<'count' | 'share' | 'EUR', string> = { count: 'Anzahl', share: 'Anteil', EUR: 'Euro' };

/** A duration in milliseconds as "1,2 s" / "3 min 4 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${integer.format(ms)} ms`;
  if (ms < 60_000) return `${decimal.format(Math.round(ms / 100) / 10)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** EU authority table "frequency", German labels (publications.europa.eu). */
export const frequencyLabel: Record<string, string> = {
  HOURLY: 'stündlich',
  DAILY: 'täglich',
  WEEKLY: 'wöchentlich',
  BIWEEKLY: 'zweiwöchentlich',
  MONTHLY: 'monatlich',
  BIMONTHLY: 'zweimonatlich',
  QUARTERLY: 'vierteljährlich',
  ANNUAL: 'jährlich',
  ANNUAL_2: 'halbjährlich',
  ANNUAL_3: 'dreimal jährlich',
  BIENNIAL: 'alle zwei Jahre',
  TRIENNIAL: 'alle drei Jahre',
  CONT: 'kontinuierlich',
  UPDATE_CONT: 'laufend aktualisiert',
  IRREG: 'unregelmäßig',
  NEVER: 'nie',
  UNKNOWN: 'unbekannt',
  OTHER: 'sonstige',
};

/** German names of the dimension values the KPIs are cut by (codes as the database keeps them). */
const dimensionValueLabels: Record<string, Record<string, string>> = {
  status: {
    planned: 'geplant',
    in_progress: 'in Umsetzung',
    paused: 'pausiert',
    on_hold: 'pausiert',
    done: 'abgeschlossen',
    cancelled: 'abgebrochen',
    open: 'offen',
    unknown: 'unbekannt',
  },
  field: {
    fachverfahren: 'Fachverfahren',
    ozg: 'OZG',
    dms: 'DMS',
    data_management: 'Data Management',
    change_management: 'Change Management',
    kommunikation_kollaboration: 'Kommunikation & Kollaboration',
  },
  dms_connection: { none: 'keine', one_way: 'einseitig', two_way: 'beidseitig' },
  lifecycle_phase: {
    planning: 'Planung',
    introduction: 'Einführung',
    operation: 'Betrieb',
    phase_out: 'Auslaufend',
    retired: 'Abgelöst',
    unknown: 'unbekannt',
  },
  level: { unbekannt: 'unbekannt' },
  org_unit: { unknown: 'ohne Angabe' },
};

export const dimensionLabel: Record<string, string> = {
  status: 'Status',
  field: 'Navigator-Feld',
  dms_connection: 'DMS-Anbindung',
  lifecycle_phase: 'Lebenszyklusphase',
  level: 'Reifegrad',
  org_unit: 'Organisationseinheit',
  month: 'Monat',
};

export function dimensionValue(dimension: string, value: string | undefined): string {
  if (value === undefined) return '–';
  if (dimension === 'level' && /^\d$/.test(value)) return `Stufe ${value}`;
  return dimensionValueLabels[dimension]?.[value] ?? value;
}

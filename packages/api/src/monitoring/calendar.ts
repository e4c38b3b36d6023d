import { ValidationError } from '../errors/index.js';

/**
 * Days and months as the city counts them: calendar dates in Europe/Berlin, written YYYY-MM-DD and
 * YYYY-MM. A Stichtag means the end of that day; a month's Stichtag is its last day.
 */
const BERLIN_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Europe/Berlin. */
export function todayInBerlin(now = new Date()): string {
  return BERLIN_DAY.format(now);
}

export function currentMonth(now = new Date()): string {
  return todayInBerlin(now).slice(0, 7);
}

/** A calendar date YYYY-MM-DD that exists (no 31 February), or a ValidationError naming `field`. */
export function parseDay(value: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw ValidationError.of(field, `"${value}" is not a date (YYYY-MM-DD)`);
  }
  return value;
}

/** A month YYYY-MM, or a ValidationError naming `field`. */
export function parseMonth(value: string, field: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw ValidationError.of(field, `"${value}" is not a month (YYYY-MM)`);
  return value;
}

/** Months since year 0: consecutive months differ by one (for trends and month arithmetic). */
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthFromIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function addMonths(month: string, n: number): string {
  return monthFromIndex(monthIndex(month) + n);
}

export function lastDayOfMonth(month: string): string {
  const next = addMonths(month, 1);
  const date = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, 1) - 86_400_000);
  return date.toISOString().slice(0, 10);
}

/**
 * The Stichtag of a month: its last day, or today while the month runs (a preliminary report).
 * A month after the current one has no data yet and is refused.
 */
export function stichtagOfMonth(month: string, field: string, now = new Date()): { stichtag: string; preliminary: boolean } {
  const current = currentMonth(now);
  if (monthIndex(month) > monthIndex(current)) throw ValidationError.of(field, `${month} lies in the future (current month: ${current})`);
  return month === current ? { stichtag: todayInBerlin(now), preliminary: true } : { stichtag: lastDayOfMonth(month), preliminary: false };
}

/** A given Stichtag (not after today), or today. */
export function stichtagOf(value: string | null | undefined, field: string, now = new Date()): string {
  const today = todayInBerlin(now);
  if (value === null || value === undefined) return today;
  const day = parseDay(value, field);
  if (day > today) throw ValidationError.of(field, `${day} lies in the future (today: ${today})`);
  return day;
}

/** SQL for the instant a Stichtag ends (the next day's midnight in Europe/Berlin), over a date parameter. */
export const endOfDaySql = (param: string) => `((${param}::date + 1)::timestamp at time zone 'Europe/Berlin')`;

const MONTH_NAMES = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

/** "November 2026" */
export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(0, 4)}`;
}

// Cell parsers for German administrative CSV exports, as zod schemas: each takes the raw cell text
// (or undefined when a short row lacks the column) and yields the normalised value, or an issue
// whose message quotes the value — zod adds the column as the path, so a quarantine reason reads
// `Zieldatum: "31.02.2024" is not a date (expected DD.MM.YYYY)`.
import { z } from 'zod';

/** Cell texts that mean "no value" in these exports ("." is the statistics offices' missing mark). */
export const missingMarks: ReadonlySet<string> = new Set(['', '.']);

/** How numbers and dates are written in one export (configured per source). */
export interface ValueFormat {
  /** decimal separator; the other of `,` and `.` is the thousands separator */
  decimal: ',' | '.';
  /** the export's date format; ISO dates (YYYY-MM-DD) are accepted in either case */
  dateFormat: 'DD.MM.YYYY' | 'YYYY-MM-DD';
}

export const germanFormat: ValueFormat = { decimal: ',', dateFormat: 'DD.MM.YYYY' };

interface CellOptions {
  /** a missing value is an error (default: it becomes null) */
  required?: boolean;
}

/** What a cell parser makes of a cell's text: its value, or an error naming the value (with an own reason code). */
export type CellResult<T> = { value: T } | { error: string; code?: string };

type Parsed<T> = { value: T } | { error: string };

/**
 * A cell schema: a zod schema (string | undefined → value) that also exposes its parser as
 * `read`, so csvRecord can parse a whole row in one zod step — a zod schema per cell costs more
 * than the parsing itself on million-row exports.
 */
export type CellSchema<T> = z.ZodType<T, string | undefined> & { read(raw: string | undefined): CellResult<T> };

const quote = (raw: string) => JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}…` : raw);

/** The zod issue of a cell parser's error (a stable reason code travels in params.reasonCode). */
export function cellIssue(error: { error: string; code?: string }, input: unknown, path: PropertyKey[] = []) {
  return { code: 'custom' as const, message: error.error, input, path, ...(error.code ? { params: { reasonCode: error.code } } : {}) };
}

/** A cell schema from a read function. */
export function cellSchema<T>(read: (raw: string | undefined) => CellResult<T>): CellSchema<T> {
  const schema = z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const result = read(raw);
      if ('value' in result) return result.value;
      ctx.addIssue(cellIssue(result, raw));
      return z.NEVER;
    });
  return Object.assign(schema, { read });
}

/**
 * A cell schema from a parse function: trims the text, maps missing marks to null (or to an error
 * when `required`), and turns a parse error into a message naming the value.
 */
function cell<T>(parse: (text: string) => Parsed<T>, options: CellOptions = {}): CellSchema<T | null> {
  return cellSchema<T | null>((raw) => {
    const text = raw?.trim() ?? '';
    if (missingMarks.has(text)) {
      if (!options.required) return { value: null };
      return { error: raw === undefined ? 'missing column' : 'missing value', code: 'ROW_MISSING_VALUE' };
    }
    return parse(text);
  });
}

/** The same cell without null in its type (for cells built with `required: true`). */
function required<T>(schema: CellSchema<T | null>): CellSchema<T> {
  return schema as CellSchema<T>;
}

const numberPatterns = {
  ',': { grouped: /^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/, plain: /^[+-]?\d+(?:,\d+)?$/, example: '1.234,5' },
  '.': { grouped: /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/, plain: /^[+-]?\d+(?:\.\d+)?$/, example: '1,234.5' },
} as const;

/** Parses "2.124,3", "357385,7", "-3,7" (decimal comma) or "1,234.5" (decimal point) strictly. */
export function parseDecimal(text: string, decimal: ',' | '.' = ','): number | undefined {
  // most cells of a statistics export are plain counts
  if (/^\d{1,15}$/.test(text)) return Number(text);
  const p = numberPatterns[decimal];
  if (!p.plain.test(text) && !p.grouped.test(text)) return undefined;
  const thousands = decimal === ',' ? '.' : ',';
  return Number(text.split(thousands).join('').replace(decimal, '.'));
}

export interface NumberOptions extends CellOptions {
  decimal?: ',' | '.';
  /** smallest allowed value (e.g. 0 for costs and counts) */
  min?: number;
  /** largest allowed value (e.g. what the column's SQL type holds) */
  max?: number;
  /** whole numbers only */
  integer?: boolean;
}

/** A number cell in the given format; null when missing. */
export function decimalNumber(options: NumberOptions & { required: true }): CellSchema<number>;
export function decimalNumber(options?: NumberOptions): CellSchema<number | null>;
export function decimalNumber(options: NumberOptions = {}): CellSchema<number | null> {
  const decimal = options.decimal ?? ',';
  const schema = cell<number>((text) => {
    const value = parseDecimal(text, decimal);
    if (value === undefined) {
      const example = options.integer ? numberPatterns[decimal].example.slice(0, 5) : numberPatterns[decimal].example;
      return { error: `${quote(text)} is not a number (expected e.g. ${example})` };
    }
    if (options.integer && !Number.isInteger(value)) return { error: `${quote(text)} is not a whole number` };
    if (options.min !== undefined && value < options.min) {
      return { error: `${quote(text)} is ${options.min === 0 ? 'negative' : `below ${options.min}`}` };
    }
    if (options.max !== undefined && value > options.max) return { error: `${quote(text)} is above ${options.max}` };
    return { value };
  }, options);
  return options.required ? required(schema) : schema;
}

/** A number with decimal comma and thousands dots ("2.124,3"); null when missing. */
export function germanNumber(options: Omit<NumberOptions, 'decimal'> = {}): CellSchema<number | null> {
  return decimalNumber({ ...options, decimal: ',' });
}

/** A whole number ≥ 0 (case counts, users), thousands dots allowed ("1.204"); null when missing. */
export function germanCount(options: CellOptions & { decimal?: ',' | '.' } = {}): CellSchema<number | null> {
  return decimalNumber({ ...options, integer: true, min: 0 });
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "31.12.2024", "1.2.2024" or "2024-12-31" → "2024-12-31"; undefined when it is no calendar date. */
export function parseDate(text: string, format: ValueFormat['dateFormat'] = 'DD.MM.YYYY'): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  if (format !== 'DD.MM.YYYY') return undefined;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  return german ? isoDate(Number(german[3]), Number(german[2]), Number(german[1])) : undefined;
}

/** A date cell (DD.MM.YYYY or ISO) as "YYYY-MM-DD"; null when missing. */
export function calendarDate(options: CellOptions & { format?: ValueFormat['dateFormat'] } = {}) {
  const format = options.format ?? 'DD.MM.YYYY';
  return cell<string>((text) => {
    const value = parseDate(text, format);
    return value === undefined ? { error: `${quote(text)} is not a date (expected ${format})` } : { value };
  }, options);
}

/** A German date cell ("31.12.2024", ISO also accepted) as "YYYY-MM-DD"; null when missing. */
export function germanDate(options: CellOptions = {}) {
  return calendarDate({ ...options, format: 'DD.MM.YYYY' });
}

/** A month cell ("03.2024", "3/2024" or "2024-03") as the first day of the month, "2024-03-01". */
export function yearMonth(options: CellOptions = {}) {
  return cell<string>((text) => {
    const german = /^(\d{1,2})[./](\d{4})$/.exec(text);
    const iso = /^(\d{4})-(\d{1,2})$/.exec(text);
    const [year, month] = german ? [Number(german[2]), Number(german[1])] : iso ? [Number(iso[1]), Number(iso[2])] : [0, 0];
    const value = year > 0 ? isoDate(year, month, 1) : undefined;
    return value === undefined ? { error: `${quote(text)} is not a month (expected MM.YYYY or YYYY-MM)` } : { value };
  }, options);
}

const yes = new Set(['ja', 'j', 'yes', 'y', 'x', 'true', 'wahr', '1']);
const no = new Set(['nein', 'n', 'no', 'false', 'falsch', '0']);

/** ja/nein (also j/n, x, 1/0, true/false) as a boolean; null when missing. */
export function yesNo(options: CellOptions = {}) {
  return cell<boolean>((text) => {
    const word = text.toLowerCase();
    if (yes.has(word)) return { value: true };
    if (no.has(word)) return { value: false };
    return { error: `${quote(text)} is neither ja nor nein` };
  }, options);
}

/**
 * A code-list cell: the export's words (matched case-insensitively, ignoring surrounding blanks)
 * mapped onto the model's values; the message lists the allowed words.
 */
export function oneOf<T extends string>(words: Readonly<Record<string, T>>, options: CellOptions = {}) {
  const lookup = new Map(Object.entries(words).map(([word, value]) => [word.toLowerCase(), value]));
  const allowed = Object.keys(words).join(', ');
  return cell<T>((text) => {
    const value = lookup.get(text.toLowerCase().replace(/\s+/g, ' '));
    return value === undefined ? { error: `${quote(text)} is not one of: ${allowed}` } : { value };
  }, options);
}

/** Unix epoch milliseconds ("1740651467085") as an ISO timestamp; null when missing. */
export function epochMillis(options: CellOptions = {}) {
  return cell<string>((text) => {
    if (!/^\d{10,13}$/.test(text)) return { error: `${quote(text)} is not a timestamp in epoch milliseconds` };
    return { value: new Date(Number(text.length === 10 ? `${text}000` : text)).toISOString() };
  }, options);
}

/** Text with blanks trimmed; missing marks become null (or an issue when `required`). */
export function text(options: CellOptions & { max?: number } = {}) {
  const max = options.max ?? 10_000;
  return cell<string>((value) => (value.length > max ? { error: `${quote(value)} is longer than ${max} characters` } : { value }), options);
}

/** Required text: the type says so (no null). */
export function requiredText(options: { max?: number } = {}): CellSchema<string> {
  return required(text({ ...options, required: true }));
}

type Shape = Record<string, z.ZodType>;

/** Distinct cell texts remembered per column; a column with more starts afresh (a bound, not an LRU). */
const MEMO_LIMIT = 4096;

/**
 * A cell reader that remembers its results by cell text. Exports repeat their cells (the same
 * service key on 120 monthly rows, the same month on thousands, counts below 1,000): on a
 * million-row export most cells are read once and looked up after. Cell readers are pure, and
 * their results are read, never changed, so sharing them between rows is safe.
 */
function memoized<T>(read: (raw: string | undefined) => CellResult<T>): (raw: string | undefined) => CellResult<T> {
  const memo = new Map<string, CellResult<T>>();
  let missing: CellResult<T> | undefined;
  return (raw) => {
    if (raw === undefined) return (missing ??= read(undefined));
    let result = memo.get(raw);
    if (result === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      const text = detached(raw);
      result = read(text);
      memo.set(text, result);
    }
    return result;
  };
}

/**
 * A copy of a string that does not hold on to the text it was cut from. V8 keeps a substring of 13
 * or more characters as a slice of its parent — a cell of a line of a 256 KB chunk of the file —
 * so a remembered cell text would keep its whole chunk alive: 4,096 of them per column pinned
 * tens of megabytes and made every garbage collection of a million-row run slower. Concatenating
 * and slicing forces V8 to flatten the string into a fresh one.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * A row schema from cell schemas, parsed in one zod step: each CellSchema's `read` runs directly
 * (other schemas through safeParse), every failing cell adds an issue with its column as path,
 * and columns outside the shape are dropped (as z.object does).
 */
export function csvRecord<S extends Shape>(shape: S): z.ZodType<{ [K in keyof S]: z.output<S[K]> }> {
  const fields = Object.entries(shape).map(([name, schema]) => {
    const cell = 'read' in schema && typeof schema.read === 'function' ? (schema as CellSchema<unknown>) : undefined;
    return { name, schema, read: cell ? memoized((raw) => cell.read(raw)) : undefined };
  });
  return z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null, 'expected a record')
    .transform((row, ctx) => {
      const out: Record<string, unknown> = {};
      let failed = false;
      for (const { name, schema, read } of fields) {
        const raw = row[name];
        if (read && (raw === undefined || typeof raw === 'string')) {
          const result = read(raw);
          if ('value' in result) out[name] = result.value;
          else {
            failed = true;
            ctx.addIssue(cellIssue(result, raw, [name]));
          }
          continue;
        }
        const result = schema.safeParse(raw);
        if (result.success) out[name] = result.data;
        else {
          failed = true;
          for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: [name, ...issue.path] });
        }
      }
      return failed ? z.NEVER : (out as { [K in keyof S]: z.output<S[K]> });
    });
}

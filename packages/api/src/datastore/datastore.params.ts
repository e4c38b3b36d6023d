import { ValidationError } from '../errors/index.js';

// CKAN's validators for the DataStore parameters (ckan/logic/validators.py and
// ckanext/datastore/logic/schema.py, CKAN 2.11), with CKAN's messages: a GET sends every value
// as a string, a POST sends JSON, and both must mean the same.

export type RecordsFormat = 'objects' | 'lists' | 'csv' | 'tsv';
export const recordsFormats: readonly RecordsFormat[] = ['objects', 'lists', 'csv', 'tsv'];

/** The rows a search returns when `limit` is not given, and the most it returns (CKAN's defaults). */
export const ROWS_DEFAULT = 100;
export const ROWS_MAX = 32_000;

export class ParamErrors {
  readonly errors: Record<string, string[]> = {};
  add(key: string, message: string): void {
    (this.errors[key] ??= []).push(message);
  }
  get any(): boolean {
    return Object.keys(this.errors).length > 0;
  }
  throwIfAny(): void {
    if (this.any) throw new ValidationError(this.errors);
  }
}

const missing = (v: unknown) => v === undefined || v === null;

/** A parameter value as text: strings as they are, anything else as JSON. */
export function asText(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
}

/** boolean_validator: true for true, "true", "yes", "t", "y", "1" (any case); false for anything else. */
export function boolParam(value: unknown, fallback: boolean): boolean {
  if (missing(value)) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return ['true', 'yes', 't', 'y', '1'].includes(asText(value).toLowerCase());
}

/** int_validator: whole numbers, also as strings; blank is missing. */
export function intParam(value: unknown, key: string, errors: ParamErrors): number | undefined {
  if (missing(value) || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    errors.add(key, 'Invalid integer');
    return undefined;
  }
  return n;
}

/** natural_number_validator */
export function naturalParam(value: unknown, key: string, errors: ParamErrors): number | undefined {
  const n = intParam(value, key, errors);
  if (n !== undefined && n < 0) {
    errors.add(key, 'Must be a natural number');
    return undefined;
  }
  return n;
}

/** json_validator: objects and lists as they are, strings parsed. */
export function jsonParam(value: unknown, key: string, errors: ParamErrors): unknown {
  if (missing(value)) return undefined;
  if (typeof value === 'object') return value;
  try {
    return JSON.parse(asText(value)) as unknown;
  } catch {
    errors.add(key, 'Cannot parse JSON');
    return undefined;
  }
}

/** unicode_or_json_validator: a JSON object when the value is one, otherwise the value as a string. */
export function textOrObjectParam(value: unknown): string | Record<string, unknown> | undefined {
  if (missing(value)) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // not JSON: a plain query
    }
    return value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** list_of_strings_or_string, then get_list: "a, b" and ["a", "b"] both give ["a", "b"]. */
export function listParam(value: unknown, key: string, errors: ParamErrors, options: { unquote: boolean }): string[] | undefined {
  if (missing(value)) return undefined;
  let items: unknown[];
  if (typeof value === 'string') items = value === '' ? [] : value.split(',');
  else if (Array.isArray(value)) items = value;
  else {
    errors.add(key, 'Not a list');
    return undefined;
  }
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') {
      errors.add(key, `Neither a string nor a list: ${JSON.stringify(item)}`);
      return undefined;
    }
    let s = item.trim();
    if (options.unquote && s.length > 1 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
    out.push(s);
  }
  return out;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, key: string, errors: ParamErrors): T {
  if (missing(value) || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  // Python's repr of the list, as CKAN's one_of writes it
  errors.add(key, `Value must be one of [${allowed.map((a) => `'${a}'`).join(', ')}]`);
  return fallback;
}

/** The parameters of a search over one resource, as datastore_search and the dump take them. */
export interface SearchParams {
  resourceId: string;
  filters?: Record<string, unknown>;
  q?: string | Record<string, unknown>;
  plain: boolean;
  language?: string;
  /** undefined: no limit (the dump) */
  limit?: number;
  offset: number;
  fields?: string[];
  sort?: string[];
  distinct: boolean;
}

/** The filters as an object (CKAN reads them with `.keys()`; anything else is refused here). */
export function filtersParam(value: unknown, errors: ParamErrors): Record<string, unknown> | undefined {
  const parsed = jsonParam(value, 'filters', errors);
  if (parsed === undefined) return undefined;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    errors.add('filters', 'Not a JSON object');
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

/** A language for full-text search: a PostgreSQL text search configuration name. */
export function languageParam(value: unknown, errors: ParamErrors): string | undefined {
  if (missing(value)) return undefined;
  if (typeof value !== 'string' || !/^[a-z_][a-z0-9_]*$/i.test(value)) {
    errors.add('language', `invalid value "${asText(value)}"`);
    return undefined;
  }
  return value;
}

export type DumpFormat = 'csv' | 'tsv' | 'json' | 'xml';
export const dumpFormats: readonly DumpFormat[] = ['csv', 'tsv', 'json', 'xml'];

/** The query of CKAN's dump (ckanext/datastore/blueprint.py dump_schema): a search without a page limit. */
export function dumpParams(resourceId: string, raw: Record<string, unknown>): { params: SearchParams; format: DumpFormat; bom: boolean } {
  const errors = new ParamErrors();
  const offset = intParam(raw.offset, 'offset', errors) ?? 0;
  const limit = intParam(raw.limit, 'limit', errors);
  const format = oneOf<DumpFormat>(raw.format, dumpFormats, 'csv', 'format', errors);
  const filters = filtersParam(raw.filters, errors);
  const language = languageParam(raw.language, errors);
  const fields = listParam(raw.fields, 'fields', errors, { unquote: true });
  const sort = listParam(raw.sort ?? '_id', 'sort', errors, { unquote: false });
  if (limit !== undefined && limit < 0) errors.add('limit', 'Must be a natural number');
  errors.throwIfAny();
  return {
    format,
    bom: boolParam(raw.bom, false),
    params: {
      resourceId,
      filters,
      q: textOrObjectParam(raw.q),
      plain: boolParam(raw.plain, true),
      language,
      limit,
      offset,
      fields,
      sort,
      distinct: boolParam(raw.distinct, false),
    },
  };
}

import { validationError } from './errors.js';

/**
 * CKAN's parameter validators (ckan/lib/navl, ckan/logic/validators.py) with their messages. A
 * schema's errors are collected per field and thrown together as one 409 Validation Error.
 */
export type Params = Record<string, unknown>;

export class ParamErrors {
  private readonly errors: Record<string, string[]> = {};

  add(field: string, message: string): undefined {
    (this.errors[field] ??= []).push(message);
    return undefined;
  }

  /** Throws the collected errors, if any. */
  check(): void {
    if (Object.keys(this.errors).length > 0) throw validationError(this.errors);
  }
}

/** A parameter that was not given (or null, which CKAN's ignore_missing treats alike). */
export const isMissing = (value: unknown) => value === undefined || value === null;

/** int_validator: whole numbers (also "10" and 10.0); empty text counts as not given. */
export function intParam(params: Params, field: string, errors: ParamErrors): number | undefined {
  const value = params[field];
  if (isMissing(value) || (typeof value === 'string' && value.trim() === '')) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return errors.add(field, 'Invalid integer');
}

/** natural_number_validator: an int_validator value ≥ 0. */
export function naturalParam(params: Params, field: string, errors: ParamErrors): number | undefined {
  const n = intParam(params, field, errors);
  if (n !== undefined && n < 0) return errors.add(field, 'Must be a natural number');
  return n;
}

/** is_positive_integer: an int_validator value ≥ 1. */
export function positiveParam(params: Params, field: string, errors: ParamErrors): number | undefined {
  const n = intParam(params, field, errors);
  if (n !== undefined && n < 1) return errors.add(field, 'Must be a positive integer');
  return n;
}

/** Validates the pagination parameters (default_pagination_schema) and throws their errors. */
export function pagination(params: Params): { limit?: number; offset?: number } {
  const errors = new ParamErrors();
  const limit = naturalParam(params, 'limit', errors);
  const offset = naturalParam(params, 'offset', errors);
  errors.check();
  return { limit, offset };
}

/** get_or_bust: the parameter, or 409 `{field: ["Missing value"]}`. */
export function required(params: Params, field: string): unknown {
  if (params[field] === undefined) throw validationError({ [field]: ['Missing value'] });
  return params[field];
}

const truthy = new Set(['true', 'yes', 'on', 'y', 't', '1']);
const falsy = new Set(['false', 'no', 'off', 'n', 'f', '0']);

/** asbool as CKAN uses it; a value that is no boolean throws `invalid`. */
export function boolParam(params: Params, field: string, fallback: boolean, invalid: () => Error): boolean {
  const value = params[field];
  if (isMissing(value)) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).trim().toLowerCase();
  if (truthy.has(text)) return true;
  if (falsy.has(text)) return false;
  throw invalid();
}

/** A parameter given once or repeated (GET `?x=a&x=b`, or a JSON list): always a list of strings. */
export function listParam(value: unknown): string[] {
  if (isMissing(value)) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/** A text parameter: strings as given, other JSON values as text (CKAN's unicode_safe). */
export function textParam(value: unknown): string | undefined {
  if (isMissing(value)) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => textParam(v) ?? '').join(' ');
  return JSON.stringify(value);
}

/**
 * JSON as text PostgreSQL wrote, for answers that only write it out again: `jsonb` objects as
 * stored (core.geo_feature.geometry_text …) and lists written for an answer's selection
 * (jsonListSql). Parsing a page of GeoJSON in Node and serialising it once more was about a fifth
 * of what a bbox page cost the server (bench/graphql); stringifyWithRawJson writes the text as it
 * came. jsonb's text is the same JSON value with a space after `:` and `,` and keys in jsonb's order.
 */

/**
 * A JSON value as text PostgreSQL wrote: an object (a jsonb column) or a list written for an
 * answer's selection. stringifyWithRawJson writes the text; any other JSON.stringify writes the
 * parsed value. Not for answers that callers read as objects.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * A field of a list that PostgreSQL writes as the answer's JSON text (graphql/lookahead.ts'
 * rawListSelection): the key in the answer (the alias, if any) and the field's name.
 */
export interface RawListField {
  key: string;
  name: string;
}

const graphqlName = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * SQL of a correlated subquery that writes the rows of `from` as the answer's JSON text for these
 * fields: `[{"key":value,…},…]` in `order`, `[]` for none. `fieldText` holds, per field name, an
 * SQL expression of the value's JSON text as the executor would write it (to_json(text) for
 * strings, `coalesce(n::text, 'null')` for numbers …). Undefined when a field is not there: the
 * list is then read as rows. Keys are GraphQL names (letters, digits, _), safe in SQL and JSON.
 */
export function jsonListSql(
  fields: readonly RawListField[],
  fieldText: Record<string, string>,
  from: string,
  order: string,
): string | undefined {
  if (fields.length === 0 || !fields.every((f) => Object.hasOwn(fieldText, f.name) && graphqlName.test(f.key))) return undefined;
  const object = fields.map((f, i) => `'${i === 0 ? '{' : ','}"${f.key}":' || ${fieldText[f.name] as string}`).join(' || ');
  return `(select coalesce('[' || string_agg(${object} || '}', ',' order by ${order}) || ']', '[]') from ${from})`;
}

/**
 * A jsonb value read as its text (e.g. core.geo_feature.geometry_text): an object stays text
 * (RawJson); null, arrays and scalars are parsed, so that whatever checks them (e.g. GraphQL's
 * JSONObject) sees them as before.
 */
export function rawJson(text: string): unknown {
  return text.charCodeAt(0) === 0x7b /* { */ ? new RawJson(text) : JSON.parse(text);
}

/**
 * Answers (their `data`) known to hold RawJson values: the planned executor marks those it met
 * (graphql/fast-execute.ts). Only these are walked by stringifyAnswer; JSON.stringify is two to
 * three times faster than the walk on answers without them (a page of projects, a service's metrics).
 */
const answersWithRawJson = new WeakSet<object>();

export function markRawJsonAnswer(data: object): void {
  answersWithRawJson.add(data);
}

/** Whether a RawJson is anywhere in a value (plain objects and arrays, as an answer is made of). */
export function containsRawJson(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof RawJson) return true;
  if (Array.isArray(value)) return value.some(containsRawJson);
  for (const key in value) if (containsRawJson((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * An answer `{ data, errors?, extensions? }` as JSON: with the RawJson values as their text where
 * its `data` was marked, by JSON.stringify (which parses them) otherwise.
 */
export function stringifyAnswer(answer: { data?: unknown }): string {
  const { data } = answer;
  return typeof data === 'object' && data !== null && answersWithRawJson.has(data) ? stringifyWithRawJson(answer) : JSON.stringify(answer);
}

/**
 * JSON.stringify with the RawJson values written as their text, and everything else by
 * JSON.stringify's rules: toJSON called with its key; boxed primitives unwrapped; own enumerable
 * keys in order; undefined, functions and symbols left out of objects and null in arrays;
 * non-finite numbers null; a BigInt refused with a TypeError. (A cycle ends in a RangeError
 * rather than JSON.stringify's TypeError.) JSON.rawJSON cannot do this — it takes primitives only
 * — and JSON.stringify with a marker per raw value, replaced afterwards, took twice as long on a
 * bbox page (bench/graphql).
 */
export function stringifyWithRawJson(value: unknown): string {
  return write(value, '') as string;
}

function write(value: unknown, key: string | number): string | undefined {
  if (typeof value === 'object' && value !== null) {
    if (value instanceof RawJson) return value.text;
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, String(key)) as unknown;
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value); // throws, as JSON.stringify does
    case 'object':
      return value === null ? 'null' : writeObject(value);
    default:
      return undefined;
  }
}

function writeObject(value: object): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${write(value[i], i) ?? 'null'}`;
    return `${out}]`;
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return JSON.stringify(value);
  const proto: unknown = Object.getPrototypeOf(value);
  let out = '{';
  const add = (key: string) => {
    const text = write((value as Record<string, unknown>)[key], key);
    if (text !== undefined) out += `${out.length === 1 ? '' : ','}${quotedKey(key)}:${text}`;
  };
  // a plain object's own keys, as JSON.stringify takes them: for…in (faster than Object.keys)
  if (proto === Object.prototype || proto === null) for (const key in value) add(key);
  else for (const key of Object.keys(value)) add(key);
  return `${out}}`;
}

/** An answer's keys are few and repeat on every node: quoted once (a third of the walk's time). */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

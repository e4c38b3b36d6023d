import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * `jsonb` objects kept as the text PostgreSQL sent, for answers that only write them out again.
 * Parsing a page of GeoJSON in Node and serialising it once more was about a fifth of what a bbox
 * page cost the server (bench/graphql); stringifyWithRawJson writes the text as it came.
 * The text is PostgreSQL's jsonb output: the same JSON value, with a space after `:` and `,`, and
 * keys in jsonb's order.
 */

const JSONB_OID = 3802;
const keepText = (value: string) => value;
const parserOf = (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
  oid === JSONB_OID && format !== 'binary' ? keepText : (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown);

/** pg's per-query `types`: `jsonb` columns arrive as text, everything else as the pool parses it. */
export const jsonbAsText: pg.CustomTypesConfig = { getTypeParser: parserOf as pg.CustomTypesConfig['getTypeParser'] };

// a NUL (which neither PostgreSQL's text nor its jsonb can hold) and a nonce of this process
const marker = `\u0000hro-raw-json-${randomBytes(12).toString('hex')}`;
const markerInJson = JSON.stringify(marker);
/** The texts of the raw values one stringifyWithRawJson call met, in the order it wrote them. */
let collecting: string[] | undefined;

/**
 * A JSON object as PostgreSQL's text. stringifyWithRawJson writes the text; any other JSON.stringify
 * writes the parsed object. Not for answers that callers read as objects.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    if (collecting === undefined) return JSON.parse(this.text);
    collecting.push(this.text);
    return marker;
  }
}

/**
 * A value of a jsonb column read with jsonbAsText: an object stays text (RawJson); null, arrays and
 * scalars are parsed, so that whatever checks them (e.g. GraphQL's JSONObject) sees them as before.
 */
export function rawJson(text: string): unknown {
  return text.charCodeAt(0) === 0x7b /* { */ ? new RawJson(text) : JSON.parse(text);
}

/**
 * JSON.stringify with the RawJson values written as their text: JSON.stringify puts a marker where
 * each one goes, in order, and the markers are then replaced. Should the markers not match the
 * values one for one, the value is serialised the ordinary way.
 */
export function stringifyWithRawJson(value: unknown): string {
  const texts: string[] = [];
  let json: string;
  collecting = texts;
  try {
    json = JSON.stringify(value);
  } finally {
    collecting = undefined;
  }
  if (texts.length === 0) return json;
  const parts = json.split(markerInJson);
  if (parts.length !== texts.length + 1) return JSON.stringify(value);
  let out = parts[0] ?? '';
  for (let i = 0; i < texts.length; i++) out += (texts[i] as string) + (parts[i + 1] as string);
  return out;
}

import { randomBytes } from 'node:crypto';

/** While a response is serialised by stringifyWithRaw: the texts spliced in, by placeholder number. */
let splicing: string[] | undefined;
const marker = `hro-raw-${randomBytes(9).toString('hex')}:`;
const placeholders = new RegExp(`"${marker}(\\d+)"`, 'g');

/**
 * A JSON object from the database (a jsonb column read as text) that is parsed only when someone
 * reads it: an API answer serialised by stringifyWithRaw carries the text as it came, so GeoJSON
 * geometries and attribute objects cost neither JSON.parse nor JSON.stringify on the hot path. Any
 * other reader (resolvers, tests, JSON.stringify) sees an ordinary object.
 */
export function rawJson(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  // objects only (GeoJSON, attributes); anything else is parsed at once
  if (!text.trimStart().startsWith('{')) return JSON.parse(text) as Record<string, unknown>;
  let parsed: Record<string, unknown> | undefined;
  const value = (): Record<string, unknown> => (parsed ??= JSON.parse(text) as Record<string, unknown>);
  // a JSON object has no 'then' unless its text has the key: promise checks need no parse
  const mayHaveThen = text.includes('"then"');
  const proxy = new Proxy<Record<string, unknown>>(
    {},
    {
      get: (_, key) => {
        if (key === 'toJSON' && splicing) return () => `${marker}${splicing?.push(text) ?? 0}`;
        if (key === 'then' && !parsed && !mayHaveThen) return undefined;
        return Reflect.get(value(), key) as unknown;
      },
      has: (_, key) => Reflect.has(value(), key),
      ownKeys: () => Reflect.ownKeys(value()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(value(), key);
        return d && { ...d, configurable: true };
      },
      // a parsed JSON object is a plain object: instanceof checks need no parse
      getPrototypeOf: () => Object.prototype,
    },
  );
  return proxy;
}

/** JSON.stringify that writes lazy values (rawJson) as their original text. */
export function stringifyWithRaw(value: unknown): string {
  const spliced: string[] = [];
  splicing = spliced;
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    splicing = undefined;
  }
  // placeholders are numbered from 1 (the length after push)
  return spliced.length === 0 ? json : json.replace(placeholders, (_, n: string) => spliced[Number(n) - 1] ?? 'null');
}

/**
 * CKAN's errors as its Action API sends them (ckan/views/api.py): HTTP status and the `error`
 * object of the envelope — or, for bad requests, a bare JSON string instead of an envelope.
 * Where CKAN prints a Python value (`%r`), these helpers print it the way Python does, so clients
 * that match on the text see the same text.
 */
export class CkanError extends Error {
  constructor(
    readonly status: number,
    /** the envelope's `error` object; for 400 Bad Request the whole body is a string instead */
    readonly error: Record<string, unknown> | string,
  ) {
    super(typeof error === 'string' ? error : String(error.message ?? error.__type));
    this.name = 'CkanError';
  }
}

/** Python's repr() of a string. */
export function pyRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** Python's repr() of the values CKAN prints: strings, numbers, booleans, None, lists, dicts. */
export function pyValueRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyRepr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(pyValueRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyRepr(k)}: ${pyValueRepr(v)}`)
      .join(', ')}}`;
  }
  return pyRepr(JSON.stringify(value) ?? '');
}

/** 404 Not Found Error: "Not found", with CKAN's detail after a colon when it gives one. */
export const notFound = (detail?: string) =>
  new CkanError(404, { message: detail ? `Not found: ${detail}` : 'Not found', __type: 'Not Found Error' });

/** 403 Authorization Error: "Access denied", with the auth function's message. */
export const notAuthorized = (detail?: string) =>
  new CkanError(403, { message: detail ? `Access denied: ${detail}` : 'Access denied', __type: 'Authorization Error' });

/**
 * 409 Validation Error keyed by field. A field's errors are a list where CKAN's validators speak
 * (`{"rows": ["Invalid integer"]}`), a bare string where an action raises one itself
 * (resource_search's `{"query": "Missing value"}`), and `message` for a plain error text.
 */
export const validationError = (errors: Record<string, string[] | string>) => new CkanError(409, { ...errors, __type: 'Validation Error' });

/** 400 Search Query Error (e.g. unknown search parameters, a sort without direction). */
export const searchQueryError = (reason: string) =>
  new CkanError(400, { message: `Search Query is invalid: (${pyRepr(reason)},)`, __type: 'Search Query Error' });

/** 409 Search Error (the query could not be run, e.g. it does not parse). */
export const searchError = (reason: string) =>
  new CkanError(409, { message: `Search error: (${pyRepr(reason)},)`, __type: 'Search Error' });

/** 400 with a bare JSON string body, as CKAN answers unknown actions and unreadable request data. */
export const badRequest = (detail: string) => new CkanError(400, `Bad request - ${detail}`);

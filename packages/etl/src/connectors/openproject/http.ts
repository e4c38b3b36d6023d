import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@hro/api';

/** A failure of the project tool's API; `code` lands in etl.run.error_code. */
export class OpenProjectError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** worth another attempt (5xx, 429, network, timeout) */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'OpenProjectError';
  }
}

export interface HttpSettings {
  /** aborted when the run is cancelled */
  signal: AbortSignal;
  /** per request, headers to the last byte of the body */
  timeoutMs: number;
  /** attempts per request before the run fails (1 = no retry) */
  maxAttempts: number;
  /** first backoff delay; doubles with each attempt */
  retryBaseMs: number;
  /** a longer Retry-After than this fails the run instead of waiting */
  maxRetryAfterMs: number;
  headers: Record<string, string>;
  /** the environment variable holding the token, named in the 401 message */
  tokenEnv: string | undefined;
  log: Logger;
  addBytes(n: number): void;
}

export interface JsonResponse {
  body: unknown;
  /** the server's clock (Date header) when it answered, else null */
  serverDate: Date | null;
}

/** `GET /api/v3/work_packages (offset 2)`: where a message points, without the long filter JSON. */
export function describeRequest(url: URL): string {
  const offset = url.searchParams.get('offset');
  return `GET ${url.pathname}${offset ? ` (page ${offset})` : ''}`;
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The message of an OpenProject error body (`{ _type: "Error", message }`), if the body is one. */
function errorMessage(text: string): string | null {
  try {
    const body = JSON.parse(text) as { _type?: unknown; message?: unknown };
    return body._type === 'Error' && typeof body.message === 'string' ? body.message : null;
  } catch {
    return null;
  }
}

/** The start of an HTML page, for a message: its <title>, else its first characters. */
function htmlHint(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  return title ? `"${title}"` : JSON.stringify(text.trim().slice(0, 80));
}

/** Reads a 2xx response's body and parses it as JSON; HTML or other text fails the run. */
async function readJson(response: Response, where: string, settings: HttpSettings): Promise<unknown> {
  // A connection that breaks mid-body rejects here (undici: "terminated") and is retried.
  const text = await response.text().catch((e: unknown) => {
    // a timeout or a cancelled run is told apart by the caller; anything else is a broken connection
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) throw e;
    throw new OpenProjectError('OP_CONNECTION', `${where}: the connection broke while reading the answer (${causeText(e)})`, true);
  });
  settings.addBytes(Buffer.byteLength(text));
  const type = response.headers.get('content-type') ?? '';
  const looksHtml = /html/i.test(type) || /^\s*</.test(text);
  if (looksHtml) {
    throw new OpenProjectError(
      'OP_NOT_JSON',
      `${where}: expected HAL+JSON from the OpenProject API but got an HTML page (${type || 'no content type'}) ${htmlHint(text)} — is baseUrl the API v3 root (…/api/v3)?`,
    );
  }
  if (text.trim() === '') throw new OpenProjectError('OP_NOT_JSON', `${where}: the server answered with an empty body instead of HAL+JSON`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new OpenProjectError('OP_NOT_JSON', `${where}: the answer is not valid JSON (${type || 'no content type'}): ${causeText(e)}`);
  }
}

function causeText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}`;
}

/** A 429 answer and how long the server asked to wait (null: it did not say). */
class RateLimited extends OpenProjectError {
  constructor(
    message: string,
    readonly waitMs: number | null,
  ) {
    super('OP_RATE_LIMITED', message, true);
  }
}

/**
 * GET a JSON resource of the OpenProject API, with the robustness a nightly load needs: 401/403
 * fail the run at once (naming the token's variable), 429 waits for Retry-After, 5xx and broken
 * or silent connections are retried with exponential backoff (bounded), an HTML page or other
 * non-JSON answer fails the run. Each attempt has its own timeout covering headers and body.
 */
export async function getJson(url: URL, settings: HttpSettings): Promise<JsonResponse> {
  const where = describeRequest(url);
  for (let attempt = 1; ; attempt++) {
    let wait: number;
    try {
      return await attemptOnce(url, where, settings);
    } catch (thrown) {
      if (settings.signal.aborted)
        throw settings.signal.reason instanceof Error ? settings.signal.reason : toOpenProjectError(thrown, where, settings);
      const error = toOpenProjectError(thrown, where, settings);
      if (!error.retryable) throw error;
      if (attempt >= settings.maxAttempts) {
        throw new OpenProjectError(error.code, `${error.message} — gave up after ${attempt} attempts`);
      }
      const asked = error instanceof RateLimited ? error.waitMs : null;
      if (asked !== null && asked > settings.maxRetryAfterMs) {
        throw new OpenProjectError(
          'OP_RATE_LIMITED',
          `${where}: the server asks to wait ${Math.round(asked / 1000)} s (Retry-After), longer than the configured maxRetryAfterSeconds`,
        );
      }
      const backoff = settings.retryBaseMs * 2 ** (attempt - 1);
      wait = asked ?? Math.round(backoff * (1 + Math.random() * 0.2));
      settings.log.warn({ url: where, attempt, waitMs: wait, reason: error.message }, 'OpenProject request failed; retrying');
    }
    await sleep(wait, undefined, { signal: settings.signal });
  }
}

async function attemptOnce(url: URL, where: string, settings: HttpSettings): Promise<JsonResponse> {
  const signal = AbortSignal.any([settings.signal, AbortSignal.timeout(settings.timeoutMs)]);
  const response = await fetch(url, { headers: { accept: 'application/hal+json, application/json', ...settings.headers }, signal });
  const serverDate = response.headers.get('date') ? new Date(response.headers.get('date') ?? '') : null;
  if (response.ok) {
    const body = await readJson(response, where, settings);
    return { body, serverDate: serverDate && !Number.isNaN(serverDate.getTime()) ? serverDate : null };
  }
  const text = await response.text().catch(() => '');
  settings.addBytes(Buffer.byteLength(text));
  const detail = errorMessage(text);
  const said = detail ? `: ${detail}` : '';
  if (response.status === 401) {
    throw new OpenProjectError(
      'OP_UNAUTHORIZED',
      settings.tokenEnv
        ? `${where}: OpenProject rejected the API token (HTTP 401${said}) — check the token in the environment variable ${settings.tokenEnv}`
        : `${where}: OpenProject requires authentication (HTTP 401${said}) — set tokenEnv in the source's config and put an API token into that environment variable`,
    );
  }
  if (response.status === 403) {
    throw new OpenProjectError(
      'OP_FORBIDDEN',
      `${where}: the token in ${settings.tokenEnv ?? '(no token)'} may not read this resource (HTTP 403${said})`,
    );
  }
  if (response.status === 429) {
    throw new RateLimited(`${where}: too many requests (HTTP 429)`, retryAfterMs(response.headers.get('retry-after')));
  }
  if (response.status >= 500) {
    throw new OpenProjectError('OP_SERVER_ERROR', `${where}: server error HTTP ${response.status}${said}`, true);
  }
  throw new OpenProjectError('OP_HTTP', `${where}: HTTP ${response.status}${said}`);
}

/** Any failure of one attempt as an OpenProjectError, deciding whether it is worth a retry. */
function toOpenProjectError(thrown: unknown, where: string, settings: HttpSettings): OpenProjectError {
  if (thrown instanceof OpenProjectError) return thrown;
  const name = thrown instanceof Error ? thrown.name : '';
  if (name === 'TimeoutError') {
    return new OpenProjectError('OP_TIMEOUT', `${where}: no complete answer within ${settings.timeoutMs} ms`, true);
  }
  // fetch rejects with a TypeError ("fetch failed") for refused, reset or broken connections
  return new OpenProjectError('OP_UNREACHABLE', `${where}: ${causeText(thrown)}`, true);
}

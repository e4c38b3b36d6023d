import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@hro/api';
import type { HttpConfig } from './config.js';
import { HttpError } from './errors.js';
import { parseExceptionReport } from './exception-report.js';

export interface HttpContext extends HttpConfig {
  signal: AbortSignal;
  log: Logger;
}

export interface OpenedResponse {
  url: string;
  status: number;
  contentType: string;
  /** the body; fails with a retryable HttpError when the connection breaks or stalls */
  body: AsyncIterable<Uint8Array>;
}

const retryableStatus = (s: number) => s === 429 || s === 408 || (s >= 500 && s <= 599);

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Waits before attempt `attempt` (1, 2, …): the server's Retry-After, else doubling back-off (max 30 s). */
export async function backoff(ctx: HttpContext, attempt: number, error: HttpError): Promise<void> {
  const wait = error.retryAfterMs ?? Math.min(ctx.retryDelayMs * 2 ** (attempt - 1), 30_000);
  ctx.log.warn({ attempt, waitMs: wait, err: error.message }, 'geo: Anfrage fehlgeschlagen, neuer Versuch');
  await sleep(wait, undefined, { signal: ctx.signal });
}

/**
 * One GET with an idle timeout (no byte for `timeoutMs`, headers or body) and `ctx.signal`.
 * Throws HttpError (retryable for 5xx/429/timeouts/network), or the server's ExceptionReport.
 */
async function getOnce(url: string, ctx: HttpContext): Promise<OpenedResponse> {
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), ctx.timeoutMs);
  };
  const signal = AbortSignal.any([ctx.signal, idle.signal]);
  const failure = (e: unknown, during: string): Error => {
    clearTimeout(timer);
    if (ctx.signal.aborted) return ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('abgebrochen');
    if (idle.signal.aborted) return new HttpError(`${url}: keine Daten seit ${ctx.timeoutMs} ms (${during})`, undefined, true);
    return new HttpError(`${url}: Verbindung unterbrochen (${during}): ${(e as Error).message}`, undefined, true);
  };
  arm();
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: '*/*', 'user-agent': 'hro-datenplattform-etl' } });
  } catch (e) {
    throw failure(e, 'Verbindungsaufbau');
  }
  if (!res.ok) {
    let text = '';
    try {
      text = (await res.text()).slice(0, 4000);
    } catch {
      // the status says enough
    }
    clearTimeout(timer);
    if (!retryableStatus(res.status) && /ExceptionReport/.test(text)) throw parseExceptionReport(text);
    const detail = text
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    throw new HttpError(
      `${url}: HTTP ${res.status}${detail ? ` – ${detail}` : ''}`,
      res.status,
      retryableStatus(res.status),
      retryAfter(res.headers.get('retry-after')),
    );
  }
  const body = res.body;
  async function* stream(): AsyncGenerator<Uint8Array> {
    if (!body) return;
    const reader = body.getReader();
    let done = false;
    try {
      for (;;) {
        arm();
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (e) {
          throw failure(e, 'Antwort lesen');
        }
        if (step.done) {
          done = true;
          break;
        }
        yield step.value;
      }
    } finally {
      clearTimeout(timer);
      // a consumer that stops early (or an error) must not leave the connection open
      if (!done) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  return { url, status: res.status, contentType: res.headers.get('content-type') ?? '', body: stream() };
}

/** GET with retries (back-off) for the request itself; a body that breaks later is the caller's to retry. */
export async function httpGet(url: string, ctx: HttpContext): Promise<OpenedResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await getOnce(url, ctx);
    } catch (e) {
      if (!(e instanceof HttpError) || !e.retryable) throw e;
      if (attempt > ctx.retries) {
        throw new HttpError(`${e.message} (nach ${attempt} Versuchen aufgegeben)`, e.status, false);
      }
      await backoff(ctx, attempt, e);
    }
  }
}

import type { ExtractContext, RawRecord } from '../connector.js';
import { OpenProjectClient } from './client.js';
import type { OpenProjectConfig } from './config.js';
import { embedded, link } from './hal.js';
import { OpenProjectError } from './http.js';
import { milestoneTypeNames } from './status.js';

/**
 * How far before the server's clock at the start of the listing the next run starts reading: a
 * change committed while a page was being answered may carry an updatedAt a little before the
 * Date header of that answer. Re-reading a minute of changes costs only "unchanged" rows.
 */
const cursorOverlapMs = 60_000;

/** Upper end of the updatedAt window: far enough that nothing changed during the run falls out of it. */
const windowEndMs = 7 * 24 * 3600 * 1000;

/** A client for one run: Basic auth `apikey:<token>` from the variable the config names. */
function clientFor(config: OpenProjectConfig, ctx: ExtractContext): OpenProjectClient {
  const headers: Record<string, string> = {};
  if (config.tokenEnv) {
    const token = ctx.env[config.tokenEnv];
    if (!token) {
      throw new OpenProjectError(
        'OP_TOKEN_MISSING',
        `the environment variable ${config.tokenEnv} (tokenEnv of this source) is not set: it must hold an OpenProject API token`,
      );
    }
    headers.authorization = `Basic ${Buffer.from(`apikey:${token}`).toString('base64')}`;
  }
  return new OpenProjectClient(config.baseUrl, {
    signal: ctx.signal,
    timeoutMs: config.requestTimeoutMs,
    maxAttempts: config.maxAttempts,
    retryBaseMs: config.retryBaseMs,
    maxRetryAfterMs: config.maxRetryAfterSeconds * 1000,
    headers,
    tokenEnv: config.tokenEnv,
    log: ctx.log,
    addBytes: (n) => ctx.addBytes(n),
  });
}

/** Resources of a small lookup collection by their self href. */
async function lookup(client: OpenProjectClient, path: string): Promise<Map<string, Record<string, unknown>>> {
  const byHref = new Map<string, Record<string, unknown>>();
  for (const element of await client.all(path)) {
    const href = link(element, 'self')?.href;
    if (href) byHref.set(new URL(href, 'http://h').pathname, element);
  }
  return byHref;
}

/** The path of an href (relative or absolute), to match links against lookups. */
const pathOf = (href: string | null | undefined): string | null => (href ? new URL(href, 'http://h').pathname : null);

/**
 * Work packages link their status and type by href only (unless the server embeds them); what
 * the merge needs of them — is the status closed, is the type a milestone — comes from the
 * statuses and types collections and is embedded the HAL way, under `_embedded`.
 */
function embedFacts(
  element: Record<string, unknown>,
  statuses: Map<string, Record<string, unknown>>,
  types: Map<string, Record<string, unknown>>,
): Record<string, unknown> {
  const status = embedded(element, 'status') ?? statuses.get(pathOf(link(element, 'status')?.href) ?? '');
  const typeLink = link(element, 'type');
  const type = embedded(element, 'type') ??
    types.get(pathOf(typeLink?.href) ?? '') ?? {
      // a type the lookup does not know (no permission): its name decides
      name: typeLink?.title ?? null,
      isMilestone: milestoneTypeNames.includes((typeLink?.title ?? '').toLowerCase()),
    };
  const existing = typeof element._embedded === 'object' && element._embedded !== null ? element._embedded : {};
  return { ...element, _embedded: { ...existing, ...(status ? { status } : {}), type } };
}

/**
 * Lists projects, then work packages — all of them on the first run, in `full` mode and when no
 * cursor exists; else only those whose updatedAt lies at or after the cursor. `filters=[]` is
 * always sent: without it the API applies a default filter (open work packages only).
 *
 * The cursor committed with the run is the newest updatedAt read, but never later than the
 * server's clock at the start of the listing (minus an overlap): a work package changed while the
 * listing ran may have been read before its change, and must be read again next time.
 */
export async function* extractApi(config: OpenProjectConfig, ctx: ExtractContext): AsyncIterable<RawRecord> {
  const client = clientFor(config, ctx);
  const incremental = config.mode === 'incremental' && ctx.cursor !== null;
  const sync = incremental ? 'changes' : 'full';
  const statuses = await lookup(client, 'statuses');
  const types = await lookup(client, 'types');
  const sortById = JSON.stringify([['id', 'asc']]);
  const pageSize = String(config.pageSize);

  const projectsUrl = client.url('projects', { filters: '[]', sortBy: sortById, offset: '1', pageSize });
  yield* listing(client, projectsUrl, config, 'projects', sync, (element) => ({ entity: 'project', data: { ...element, _sync: sync } }));

  const filters = incremental
    ? JSON.stringify([{ updatedAt: { operator: '<>d', values: [ctx.cursor, new Date(Date.now() + windowEndMs).toISOString()] } }])
    : '[]';
  const wpUrl = client.url('work_packages', { filters, sortBy: sortById, offset: '1', pageSize });
  const seen: { newest: { value: string; time: number } | null; listingStart: number | null } = { newest: null, listingStart: null };
  const changed = yield* listing(
    client,
    wpUrl,
    config,
    'work_packages',
    sync,
    (element) => {
      const updatedAt = typeof element.updatedAt === 'string' ? element.updatedAt : null;
      const time = updatedAt ? Date.parse(updatedAt) : Number.NaN;
      if (updatedAt && !Number.isNaN(time) && (!seen.newest || time > seen.newest.time)) seen.newest = { value: updatedAt, time };
      return { entity: 'work_package', data: { ...embedFacts(element, statuses, types), _sync: sync } };
    },
    (serverDate) => {
      seen.listingStart ??= (serverDate ?? new Date()).getTime() - cursorOverlapMs;
    },
  );

  const cursorTime = ctx.cursor ? Date.parse(ctx.cursor) : Number.NEGATIVE_INFINITY;
  if (changed) {
    ctx.log.warn('the work-package listing changed while it was read; the cursor stays, the next run reads the same window again');
  } else if (seen.newest && seen.listingStart !== null) {
    const next = seen.newest.time <= seen.listingStart ? seen.newest.value : new Date(seen.listingStart).toISOString();
    if (Date.parse(next) > cursorTime) ctx.advanceCursor(next);
  }
}

/**
 * Yields a collection's elements as records positioned `<collection> page <n> #<i> (id <id>)`.
 * Returns whether the collection's total changed between pages (elements removed while paging
 * shift the later pages, so one may have been skipped). A complete listing (`full`) that changed
 * fails the run: its deletes would remove what was only skipped.
 */
async function* listing(
  client: OpenProjectClient,
  first: URL,
  config: OpenProjectConfig,
  name: string,
  sync: 'full' | 'changes',
  toRecord: (element: Record<string, unknown>) => Omit<RawRecord, 'position'>,
  onPage?: (serverDate: Date | null) => void,
): AsyncGenerator<RawRecord, boolean> {
  let firstTotal: number | null | undefined;
  let changed = false;
  for await (const page of client.pages(first, config.pageSize)) {
    onPage?.(page.serverDate);
    if (firstTotal === undefined) firstTotal = page.total;
    else if (page.total !== firstTotal) changed = true;
    let index = 0;
    for (const element of page.elements) {
      index++;
      yield {
        ...toRecord(element),
        position: `${name} page ${page.page} #${index} (id ${typeof element.id === 'number' || typeof element.id === 'string' ? element.id : '?'})`,
      };
    }
  }
  if (changed && sync === 'full') {
    throw new OpenProjectError(
      'OP_LISTING_CHANGED',
      `the ${name} listing changed while it was read (total ${String(firstTotal)} at first); a complete load must not miss elements — run again`,
    );
  }
  return changed;
}

import { getJson, OpenProjectError, describeRequest, type HttpSettings } from './http.js';

/** One page of an API v3 collection. */
export interface CollectionPage {
  /** 1-based page number (the collection's `offset`) */
  page: number;
  elements: Record<string, unknown>[];
  /** the collection's `total` at the time of this page, if it says */
  total: number | null;
  serverDate: Date | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

interface ParsedCollection {
  elements: Record<string, unknown>[];
  total: number | null;
  pageSize: number | null;
  offset: number | null;
  next: string | null;
}

/** Checks that a body is a HAL Collection (`_type: "Collection"`, `_embedded.elements`). */
function parseCollection(body: unknown, where: string): ParsedCollection {
  if (!isRecord(body)) throw new OpenProjectError('OP_NOT_COLLECTION', `${where}: expected a HAL Collection, got ${typeof body}`);
  if (body._type === 'Error') {
    throw new OpenProjectError(
      'OP_API_ERROR',
      `${where}: OpenProject answered with an error: ${typeof body.message === 'string' ? body.message : '(no message)'}`,
    );
  }
  if (body._type !== 'Collection') {
    throw new OpenProjectError('OP_NOT_COLLECTION', `${where}: expected a HAL Collection, got _type ${JSON.stringify(body._type ?? null)}`);
  }
  const elements = isRecord(body._embedded) ? body._embedded.elements : undefined;
  if (!Array.isArray(elements) || !elements.every(isRecord)) {
    throw new OpenProjectError('OP_NOT_COLLECTION', `${where}: the Collection has no _embedded.elements list`);
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const links = isRecord(body._links) ? body._links : {};
  const next = isRecord(links.nextByOffset) && typeof links.nextByOffset.href === 'string' ? links.nextByOffset.href : null;
  return { elements, total: num(body.total), pageSize: num(body.pageSize), offset: num(body.offset), next };
}

/**
 * A client of the OpenProject API v3 below `baseUrl` (…/api/v3): reads collections page by page.
 * Authentication, retries and timeouts are in the HttpSettings (see http.ts).
 */
export class OpenProjectClient {
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly settings: HttpSettings,
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  /** The URL of a collection below the API root, e.g. `work_packages`, with query parameters. */
  url(path: string, params: Record<string, string> = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url;
  }

  /**
   * The pages of a collection. `offset` is a 1-based page number; the next page is the one
   * `_links.nextByOffset` names. Paging stops when that link is absent, on a short page (fewer
   * elements than the page size the server applied) and when `total` elements have arrived.
   */
  async *pages(first: URL, pageSize: number | null): AsyncGenerator<CollectionPage> {
    let url = first;
    let counter = 1;
    let received = 0;
    const requested = new Set<string>();
    for (;;) {
      requested.add(url.href);
      const where = describeRequest(url);
      const { body, serverDate } = await getJson(url, this.settings);
      const collection = parseCollection(body, where);
      const page = collection.offset ?? counter;
      yield { page, elements: collection.elements, total: collection.total, serverDate };
      received += collection.elements.length;
      const applied = collection.pageSize ?? pageSize;
      if (!collection.next || collection.elements.length === 0) return;
      if (applied !== null && collection.elements.length < applied) return;
      if (collection.total !== null && received >= collection.total) return;
      const next = new URL(collection.next, url);
      // The token goes with every request: never follow a link to another server.
      if (next.origin !== this.base.origin) {
        throw new OpenProjectError('OP_BAD_LINK', `${where}: nextByOffset points to another server (${next.origin}); not following it`);
      }
      if (requested.has(next.href)) {
        throw new OpenProjectError('OP_BAD_LINK', `${where}: nextByOffset points back to a page already read; stopping a loop`);
      }
      url = next;
      counter++;
    }
  }

  /** All elements of a small, unpaged collection (statuses, types). */
  async all(path: string): Promise<Record<string, unknown>[]> {
    const elements: Record<string, unknown>[] = [];
    for await (const page of this.pages(this.url(path), null)) elements.push(...page.elements);
    return elements;
  }
}

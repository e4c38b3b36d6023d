// Test stand-in for an OpenProject server (node:http on 127.0.0.1, port 0): serves the real
// recorded payloads of shared/data/openproject/ as API v3 collections — paged by `offset` (a
// 1-based page number) and `pageSize`, with `_links.nextByOffset`, Basic auth with user `apikey`,
// the default filter applied when `filters` is absent, the updatedAt `<>d` filter — and injects
// the faults a real server shows (401, 429 with Retry-After, 5xx, a connection cut mid-body, an
// HTML page, silence). Used by the tests only.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '@hro/api';

/** shared/data/openproject, where the recorded payloads lie. */
export const recordedDir = join(process.env.HRO_SHARED_DIR ?? join(repoRoot, '..', 'shared'), 'data', 'openproject');

type Resource = Record<string, unknown>;

const readJson = (file: string): unknown => JSON.parse(readFileSync(join(recordedDir, file), 'utf8'));

/** The recorded resources, as the server will hold them (copies: a test may change them). */
export function recordedResources(): { projects: Resource[]; workPackages: Resource[]; statuses: Resource[]; types: Resource[] } {
  // 7 projects keyed by id, descending: unwrapped and put in id order, as the API lists them
  const projects = Object.values(readJson('op_real_projects_by_id.json') as Record<string, Resource>).sort(
    (a, b) => Number(a.id) - Number(b.id),
  );
  // 3 captured work packages (a bare array) and the spec's full WorkPackage example (custom fields, PT2H)
  const examples = readJson('openproject_api_v3_examples_extracted.json') as Record<string, Resource>;
  const workPackages = [...(readJson('op_real_work_packages_elements.json') as Resource[])];
  const example = examples['components.schemas.WorkPackageModel.example'];
  if (example) workPackages.push(example);
  workPackages.sort((a, b) => Number(a.id) - Number(b.id));
  // statuses (isClosed) and types (isMilestone) from the captured work-package form's schema
  const form = readJson('op_real_work_package_form.json') as { schema: Record<string, { _embedded: { allowedValues: Resource[] } }> };
  return {
    projects,
    workPackages,
    statuses: form.schema.status?._embedded.allowedValues ?? [],
    types: form.schema.type?._embedded.allowedValues ?? [],
  };
}

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'html' }
  | { kind: 'cut' }
  | { kind: 'silence' };

interface ArmedFault {
  path: string;
  page: number | null;
  times: number;
  fault: Fault;
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body, null, '\t');
  res.writeHead(status, { 'content-type': 'application/hal+json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
};

/** A local OpenProject API v3 replaying recorded payloads. */
export class ReplayServer {
  readonly requests: RecordedRequest[] = [];
  projects: Resource[];
  workPackages: Resource[];
  statuses: Resource[];
  types: Resource[];
  /** also send nextByOffset on the last page and leave out `total` (a careless server): the client must stop on the short page */
  careless = false;
  /** called after a page of a collection was answered (a test may change the data mid-listing) */
  afterPage: ((path: string, page: number) => void) | null = null;
  private faults: ArmedFault[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();
  url = '';

  constructor(readonly token: string) {
    const recorded = recordedResources();
    this.projects = recorded.projects;
    this.workPackages = recorded.workPackages;
    this.statuses = recorded.statuses;
    this.types = recorded.types;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/v3`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Forgets recorded requests and armed faults (the data stays as the tests changed it). */
  reset(): void {
    this.requests.length = 0;
    this.faults = [];
    this.careless = false;
    this.afterPage = null;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  /** The next `times` requests of a collection (one page, or any page) answer with a fault. */
  fail(path: string, fault: Fault, options: { page?: number; times?: number } = {}): void {
    this.faults.push({ path, page: options.page ?? null, times: options.times ?? 1, fault });
  }

  /** Requests of one collection, e.g. `work_packages`. */
  requestsOf(collection: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === `/api/v3/${collection}`);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    const page = Number(url.searchParams.get('offset') ?? '1');
    const armed = this.faults.find((f) => f.times > 0 && f.path === url.pathname && (f.page === null || f.page === page));
    if (armed) {
      armed.times--;
      this.inject(armed.fault, res);
      return;
    }
    const expected = `Basic ${Buffer.from(`apikey:${this.token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      json(res, 401, {
        _type: 'Error',
        errorIdentifier: 'urn:openproject-org:api:v3:errors:Unauthenticated',
        message: 'You need to be authenticated to access this resource.',
      });
      return;
    }
    const collections: Record<string, () => Resource[]> = {
      '/api/v3/statuses': () => this.statuses,
      '/api/v3/types': () => this.types,
      '/api/v3/projects': () => this.projects,
      '/api/v3/work_packages': () => this.filteredWorkPackages(url.searchParams.get('filters')),
    };
    const elements = collections[url.pathname];
    if (!elements) {
      json(res, 404, {
        _type: 'Error',
        errorIdentifier: 'urn:openproject-org:api:v3:errors:NotFound',
        message: 'The requested resource could not be found.',
      });
      return;
    }
    const paged = url.pathname === '/api/v3/projects' || url.pathname === '/api/v3/work_packages';
    if (paged) res.on('finish', () => this.afterPage?.(url.pathname, page));
    json(
      res,
      200,
      paged
        ? this.collectionPage(url, elements())
        : { _type: 'Collection', total: elements().length, count: elements().length, _embedded: { elements: elements() } },
    );
  }

  private inject(fault: Fault, res: ServerResponse): void {
    if (fault.kind === 'status') {
      const body = fault.body ?? JSON.stringify({ _type: 'Error', message: `replayed HTTP ${fault.status}` });
      res.writeHead(fault.status, { 'content-type': 'application/hal+json', ...fault.headers });
      res.end(body);
    } else if (fault.kind === 'html') {
      const body =
        '<!DOCTYPE html>\n<html><head><title>Wartungsarbeiten</title></head><body><h1>OpenProject wird gewartet</h1></body></html>';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    } else if (fault.kind === 'cut') {
      // a page that breaks off: headers promise the whole body, half of it comes, then the socket dies
      const body = JSON.stringify({ _type: 'Collection', total: 1, count: 1, _embedded: { elements: this.projects } });
      res.writeHead(200, { 'content-type': 'application/hal+json', 'content-length': Buffer.byteLength(body) });
      res.write(body.slice(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    } else {
      this.hanging.add(res);
    }
  }

  /** Work packages as the API filters them: without `filters` only open ones (the default filter). */
  private filteredWorkPackages(filters: string | null): Resource[] {
    const closed = new Set(this.statuses.filter((s) => s.isClosed === true).map((s) => (s._links as { self: { href: string } }).self.href));
    if (filters === null) return this.workPackages.filter((w) => !closed.has((w._links as { status: { href: string } }).status.href));
    const parsed = JSON.parse(filters) as Record<string, { operator: string; values: string[] }>[];
    return this.workPackages.filter((w) =>
      parsed.every((f) => {
        const updated = f.updatedAt;
        if (!updated) return true;
        if (updated.operator !== '<>d') throw new Error(`replay server: unsupported operator ${updated.operator}`);
        const t = Date.parse(String(w.updatedAt));
        const [from, to] = updated.values;
        return (!from || t >= Date.parse(from)) && (!to || t <= Date.parse(to));
      }),
    );
  }

  private collectionPage(url: URL, all: Resource[]): Resource {
    const offset = Math.max(1, Number(url.searchParams.get('offset') ?? '1'));
    const pageSize = Math.min(1000, Number(url.searchParams.get('pageSize') ?? '20'));
    const elements = all.slice((offset - 1) * pageSize, offset * pageSize);
    const at = (n: number | string) => {
      const q = new URLSearchParams(url.searchParams);
      q.set('offset', String(n));
      q.delete('replayNext');
      return `${url.pathname}?${q.toString().replace(/%7B/gi, '{').replace(/%7D/gi, '}')}`;
    };
    const links: Record<string, unknown> = {
      self: { href: at(offset) },
      jumpTo: { href: at('{offset}'), templated: true },
      changeSize: { href: at(offset).replace(/pageSize=\d+/, 'pageSize={size}'), templated: true },
    };
    // the marker shows that the client followed this link rather than building its own URL
    if (offset * pageSize < all.length || this.careless) links.nextByOffset = { href: `${at(offset + 1)}&replayNext=1` };
    if (offset > 1) links.previousByOffset = { href: at(offset - 1) };
    return {
      _type: 'Collection',
      ...(this.careless ? {} : { total: all.length }),
      count: elements.length,
      pageSize,
      offset,
      _embedded: { elements },
      _links: links,
    };
  }
}

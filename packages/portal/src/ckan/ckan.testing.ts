import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { readDeclarations, type DatasetDeclaration } from '@hro/api/domain';
import type { TestDatabase } from '@hro/api/testing';
import { createApp } from '../app.js';

/**
 * Helpers of the CKAN API tests: the real app on a loopback port, calls over HTTP, and a
 * normalisation that makes whole responses comparable — every uuid becomes a readable label of
 * what it identifies (`dataset:<name>`, `resource:<dataset>:<position>`, `org:<name>`,
 * `group:<name>`, `tag:<name>`), the site URL `<site>`, and each timestamp `<ts>` after its format
 * has been checked (CKAN's naive UTC ISO text with microseconds, or Solr's with Z).
 */

export interface Served {
  app: FastifyInstance;
  site: string;
}

export async function serve(db: TestDatabase): Promise<Served> {
  const app = await createApp({ pool: db.pool, log: db.log, introspection: true, rateLimits: { anonymous: 100_000, key: 100_000 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { app, site: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  /** API key (sent as Authorization) */
  key?: string;
  /** a JSON body (POST) */
  json?: unknown;
  /** a raw body with its content type (POST) */
  raw?: { body: string; type?: string };
  /** the action path prefix */
  prefix?: '/api/3/action' | '/api/action';
}

export interface Answer {
  status: number;
  type: string | null;
  text: string;
  body: unknown;
}

/** Calls an action; GET parameters are encoded as a query (lists repeat the key). */
export async function call(site: string, action: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<Answer> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) query.append(k, typeof item === 'string' ? item : JSON.stringify(item));
  }
  const qs = query.toString();
  const url = `${site}${options.prefix ?? '/api/3/action'}/${action}${qs ? `?${qs}` : ''}`;
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = options.key;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.raw) {
    if (options.raw.type) headers['content-type'] = options.raw.type;
    body = options.raw.body;
  }
  const res = await fetch(url, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type'), text, body: parsed };
}

/** uuid → label of what it identifies, read from the catalog. */
export async function idLabels(pool: Pool): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; label: string }>(`
    select id::text, 'dataset:' || name as label from catalog.dataset
    union all select id::text, 'org:' || name from catalog.organization
    union all select id::text, 'group:' || name from catalog."group"
    union all select id::text, 'tag:' || name from catalog.tag
    union all select r.id::text, 'resource:' || d.name || ':' || r.position from catalog.resource r join catalog.dataset d on d.id = r.dataset_id`);
  return new Map(rows.map((r) => [r.id, r.label]));
}

const CKAN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/;
const SOLR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const TIME_KEYS = new Set(['metadata_created', 'metadata_modified', 'created', 'last_modified']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The normalised copy of a response (see the module comment); a malformed timestamp throws. */
export function normalise(value: unknown, labels: Map<string, string>, site: string, key?: string): unknown {
  if (typeof value === 'string') {
    if (key && TIME_KEYS.has(key)) {
      if (!CKAN_TIME.test(value) && !SOLR_TIME.test(value)) throw new Error(`${key}: not a CKAN timestamp: ${value}`);
      return '<ts>';
    }
    return value
      .split(site)
      .join('<site>')
      .replace(UUID, (id) => labels.get(id) ?? `<unknown ${id}>`);
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, labels, site));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, labels, site, k)]));
  }
  return value;
}

export const declarations = readDeclarations();
export const published: DatasetDeclaration[] = declarations.datasets.filter((d) => !d.private);
export const declaredOrg = (name: string) => {
  const org = declarations.catalog.organizations.find((o) => o.name === name);
  if (!org) throw new Error(`organization ${name} is not declared`);
  return org;
};
export const declaredGroup = (name: string) => {
  const group = declarations.catalog.groups.find((g) => g.name === name);
  if (!group) throw new Error(`group ${name} is not declared`);
  return group;
};
export const declaredLicense = (id: string) => {
  const license = declarations.catalog.licenses.find((l) => l.id === id);
  if (!license) throw new Error(`licence ${id} is not declared`);
  return license;
};
/** Code-point order, as Python sorts strings. */
export const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An internal dataset with a word, a tag and a resource format nothing else has, so every
 * action can be asked whether it lets any of it through.
 */
export const INTERNAL = { name: 'interne-steuerungsvorlage', word: 'Geheimvorlage', tag: 'Intern-Vertraulich', format: 'ODS' };

export async function insertInternalDataset(pool: Pool): Promise<{ id: string; resourceId: string }> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into catalog.dataset (name, title, notes, license_id, organization_id, private)
     values ($1, $2, 'Nur für die Steuerungsgruppe.', 'dl-by-de/2.0', (select id from catalog.organization where name = 'hro-digitalisierung'), true)
     returning id`,
    [INTERNAL.name, `Interne ${INTERNAL.word} der Steuerung`],
  );
  const id = rows[0]?.id ?? '';
  await pool.query(`insert into catalog.tag (name) values ($1) on conflict do nothing`, [INTERNAL.tag]);
  await pool.query(`insert into catalog.dataset_tag (dataset_id, tag_id) select $1, id from catalog.tag where name = $2`, [
    id,
    INTERNAL.tag,
  ]);
  await pool.query(`insert into catalog.dataset_group (dataset_id, group_id) select $1, id from catalog."group" where name = 'gove'`, [id]);
  const { rows: res } = await pool.query<{ id: string }>(
    `insert into catalog.resource (dataset_id, name, format, position) values ($1, $2, $3, 0) returning id`,
    [id, `${INTERNAL.word} (Tabelle)`, INTERNAL.format],
  );
  return { id, resourceId: res[0]?.id ?? '' };
}

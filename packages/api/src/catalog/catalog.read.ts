import { authorize, can, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { AppError, NotFoundError } from '../errors/index.js';
import {
  datasetJson,
  groupJson,
  groupRelation,
  isUuid,
  resourceJson,
  type DatasetRecord,
  type LicenseRecord,
  type OrganizationRecord,
  type ResourceRecord,
} from './catalog.record.js';

/**
 * Reads of the catalog for the CKAN Action API and the portal: one dataset, one resource, the
 * organizations, groups, tags, licences, and the small searches behind autocompletion. Every read
 * decides access here: internal (private) datasets — and anything that would reveal them, such as
 * their tags or their share of a group's count — only for viewers with catalog.read_private.
 */

/** Refused: the dataset exists but is internal (or not active) and the viewer may not read it. */
export class CatalogForbiddenError extends AppError {
  constructor(
    readonly what: 'dataset' | 'resource',
    readonly id: string,
  ) {
    super('FORBIDDEN', `Not allowed to read ${what} ${id}`, { action: 'catalog.read_private', what, id });
    this.name = 'CatalogForbiddenError';
  }
}

/** SQL condition (over `d`) for the datasets the viewer may see, for lists and counts. */
function visibleDatasets(ctx: DomainContext): string {
  authorize(ctx, 'catalog.read');
  return can(ctx.viewer, 'catalog.read_private') ? `d.state = 'active'` : `d.state = 'active' and not d.private`;
}

/** Lookup of a dataset (alias d) by id or name, as CKAN's Package.get. */
const byReference = (reference: string) => (isUuid(reference) ? 'd.id = $1::uuid' : 'd.name = $1');

/**
 * One dataset by id or name. Unknown: NOT_FOUND. Internal (or draft/deleted) and the viewer may
 * not read internal datasets: FORBIDDEN — CKAN's package_show answers so, and the transport
 * decides what it tells.
 */
export function showDataset(ctx: DomainContext, reference: string): Promise<DatasetRecord> {
  return runAction(ctx, 'dataset.show', async (c) => {
    authorize(c, 'catalog.read');
    const { rows } = await c.pool.query<{ record: DatasetRecord }>(
      `select ${datasetJson('d')} as record from catalog.dataset d where ${byReference(reference)}`,
      [reference],
    );
    const record = rows[0]?.record;
    if (!record) throw new NotFoundError('Dataset', reference);
    if ((record.private || record.state !== 'active') && !can(c.viewer, 'catalog.read_private')) {
      throw new CatalogForbiddenError('dataset', record.id);
    }
    return record;
  });
}

/** One resource with its dataset; access as the dataset's. */
export function showResource(ctx: DomainContext, id: string): Promise<{ dataset: DatasetRecord; resource: ResourceRecord }> {
  return runAction(ctx, 'resource.show', async (c) => {
    authorize(c, 'catalog.read');
    if (!isUuid(id)) throw new NotFoundError('Resource', id);
    const { rows } = await c.pool.query<{ record: DatasetRecord }>(
      `select ${datasetJson('d')} as record from catalog.resource r join catalog.dataset d on d.id = r.dataset_id where r.id = $1::uuid`,
      [id],
    );
    const dataset = rows[0]?.record;
    const resource = dataset?.resources.find((r) => r.id === id.toLowerCase());
    if (!dataset || !resource) throw new NotFoundError('Resource', id);
    if ((dataset.private || dataset.state !== 'active') && !can(c.viewer, 'catalog.read_private')) {
      throw new CatalogForbiddenError('resource', resource.id);
    }
    return { dataset, resource };
  });
}

/** Names of the public datasets, by name — internal ones are never listed here (as CKAN's package_list). */
export function publicDatasetNames(ctx: DomainContext, page: { limit?: number; offset?: number }): Promise<string[]> {
  return runAction(ctx, 'dataset.names', async (c) => {
    authorize(c, 'catalog.read');
    const { rows } = await c.pool.query<{ name: string }>(
      `select d.name from catalog.dataset d where d.state = 'active' and not d.private order by d.name collate "C" limit $1 offset $2`,
      [page.limit ?? null, page.offset ?? 0],
    );
    return rows.map((r) => r.name);
  });
}

export type GroupKind = 'organization' | 'group';

export interface GroupListOptions {
  /** only these names */
  names?: string[];
  /** contained in name, title or description (case-insensitive) */
  q?: string;
  sort: { field: 'name' | 'title' | 'package_count'; dir: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

/** How many datasets the viewer may see in each organization or group (alias g). */
function packageCount(kind: GroupKind, visible: string): string {
  return kind === 'organization'
    ? `(select count(*) from catalog.dataset d where d.organization_id = g.id and ${visible})`
    : `(select count(*) from catalog.dataset_group dg join catalog.dataset d on d.id = dg.dataset_id where dg.group_id = g.id and ${visible})`;
}

export type GroupRecordWithCount = OrganizationRecord & { packageCount: number };

/**
 * Organizations or groups with the number of datasets the viewer may see in each (internal
 * datasets count only for viewers who may read them).
 */
export function listGroups(ctx: DomainContext, kind: GroupKind, options: GroupListOptions): Promise<GroupRecordWithCount[]> {
  return runAction(ctx, `${kind}.list`, async (c) => {
    const visible = visibleDatasets(c);
    const params: unknown[] = [];
    const where: string[] = [];
    if (options.names) {
      params.push(options.names);
      where.push(`g.name = any($${params.length}::text[])`);
    }
    if (options.q) {
      params.push(`%${options.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      where.push(`(g.name ilike $${params.length} or g.title ilike $${params.length} or g.description ilike $${params.length})`);
    }
    const count = packageCount(kind, visible);
    const order = { name: 'g.name collate "C"', title: 'g.title', package_count: count }[options.sort.field];
    params.push(options.limit, options.offset);
    const { rows } = await c.pool.query<{ record: OrganizationRecord; count: string }>(
      `select ${groupJson('g')} as record, ${count} as count from ${groupRelation(kind)} g
       ${where.length ? `where ${where.join(' and ')}` : ''}
       order by ${order} ${options.sort.dir}, g.name collate "C" limit $${params.length - 1} offset $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...r.record, packageCount: Number(r.count) }));
  });
}

/** One organization or group by id or name, with the number of datasets the viewer may see in it. */
export function showGroup(ctx: DomainContext, kind: GroupKind, reference: string): Promise<GroupRecordWithCount> {
  return runAction(ctx, `${kind}.show`, async (c) => {
    const visible = visibleDatasets(c);
    const { rows } = await c.pool.query<{ record: OrganizationRecord; count: string }>(
      `select ${groupJson('g')} as record, ${packageCount(kind, visible)} as count from ${groupRelation(kind)} g
       where ${isUuid(reference) ? 'g.id = $1::uuid' : 'g.name = $1'}`,
      [reference],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError(kind === 'organization' ? 'Organization' : 'Group', reference);
    return { ...row.record, packageCount: Number(row.count) };
  });
}

/**
 * Tags of the datasets the viewer may see, by name; with terms, only tags containing every term
 * (case-insensitive), paged.
 */
export function listTags(
  ctx: DomainContext,
  options: { terms?: string[]; limit?: number; offset?: number } = {},
): Promise<{ id: string; name: string }[]> {
  return runAction(ctx, 'tag.list', async (c) => {
    const visible = visibleDatasets(c);
    const terms = (options.terms ?? []).map((t) => `%${t.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    const { rows } = await c.pool.query<{ id: string; name: string }>(
      `select t.id, t.name from catalog.tag t
       where exists (select 1 from catalog.dataset_tag dt join catalog.dataset d on d.id = dt.dataset_id where dt.tag_id = t.id and ${visible})
         and (select bool_and(t.name ilike term) from unnest($1::text[]) term) is not false
       order by t.name collate "C" limit $2 offset $3`,
      [terms, options.limit ?? null, options.offset ?? 0],
    );
    return rows;
  });
}

/** The licences of the catalog, by id. */
export function listLicenses(ctx: DomainContext): Promise<LicenseRecord[]> {
  return runAction(ctx, 'license.list', async (c) => {
    authorize(c, 'catalog.read');
    const { rows } = await c.pool.query<LicenseRecord>(
      `select id, title, url, od_conformance as "odConformance" from catalog.license order by id`,
    );
    return rows;
  });
}

/**
 * Datasets whose name or title contains the text (accents and case ignored): names that start
 * with it first, then other name matches, then titles.
 */
export function autocompleteDatasets(ctx: DomainContext, text: string, limit: number): Promise<{ name: string; title: string }[]> {
  return runAction(ctx, 'dataset.autocomplete', async (c) => {
    const visible = visibleDatasets(c);
    if (text.trim() === '' || limit === 0) return [];
    const pattern = `%${text.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const { rows } = await c.pool.query<{ name: string; title: string }>(
      `select d.name, d.title from catalog.dataset d
       where ${visible} and (d.name ilike $1 or core.immutable_unaccent(d.title) ilike core.immutable_unaccent($1))
       order by (d.name ilike $2) desc, (d.name ilike $1) desc, d.name
       limit $3`,
      [pattern, `${text.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`, limit],
    );
    return rows;
  });
}

/** Formats of the resources of the datasets the viewer may see that contain the text, most used first. */
export function autocompleteFormats(ctx: DomainContext, text: string, limit: number): Promise<string[]> {
  return runAction(ctx, 'format.autocomplete', async (c) => {
    const visible = visibleDatasets(c);
    const { rows } = await c.pool.query<{ format: string }>(
      `select r.format from catalog.resource r join catalog.dataset d on d.id = r.dataset_id
       where ${visible} and r.format ilike $1
       group by r.format order by count(*) desc, r.format limit $2`,
      [`%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`, limit],
    );
    return rows.map((r) => r.format);
  });
}

/** Resource attributes resource_search can match (CKAN's resource columns). */
export const resourceSearchFields = [
  'url',
  'format',
  'description',
  'hash',
  'name',
  'resource_type',
  'mimetype',
  'mimetype_inner',
  'size',
  'created',
  'last_modified',
  'metadata_modified',
  'cache_url',
  'cache_last_updated',
  'url_type',
] as const;
export type ResourceSearchField = (typeof resourceSearchFields)[number];

/** Attributes resource_search can order by. */
export const resourceOrderFields = [...resourceSearchFields, 'id', 'package_id', 'position', 'state'] as const;
export type ResourceOrderField = (typeof resourceOrderFields)[number];

/**
 * Each attribute as the value CKAN's resource dict shows: the platform's own download URL when
 * a resource has none, '' for the hash, NULL for what we do not keep (sizes, caches, inner types).
 */
function resourceColumn(field: ResourceOrderField, siteUrl: () => string): { sql: string; kind: 'text' | 'prefix' | 'exact' | 'time' } {
  switch (field) {
    case 'url':
      return {
        sql: `coalesce(r.url, ${siteUrl()}::text || '/dataset/' || r.dataset_id || '/resource/' || r.id || '/download')`,
        kind: 'text',
      };
    case 'format':
      return { sql: 'r.format', kind: 'text' };
    case 'description':
      return { sql: 'r.description', kind: 'text' };
    case 'name':
      return { sql: 'r.name', kind: 'text' };
    case 'mimetype':
      return { sql: 'r.mimetype', kind: 'text' };
    case 'hash':
      return { sql: `''`, kind: 'prefix' };
    case 'created':
      return { sql: 'r.created', kind: 'time' };
    case 'last_modified':
      return { sql: 'r.last_modified', kind: 'time' };
    case 'metadata_modified':
      return { sql: 'coalesce(r.last_modified, r.created)', kind: 'time' };
    case 'id':
      return { sql: 'r.id', kind: 'exact' };
    case 'package_id':
      return { sql: 'r.dataset_id', kind: 'exact' };
    case 'position':
      return { sql: 'r.position', kind: 'exact' };
    case 'state':
      return { sql: `'active'`, kind: 'exact' };
    default:
      return { sql: 'null::text', kind: 'text' };
  }
}

export interface ResourceSearch {
  /** attribute and terms; every term must match (text attributes: contained, case-insensitive) */
  conditions: { field: ResourceSearchField; terms: string[] }[];
  orderBy?: ResourceOrderField;
  limit?: number;
  offset?: number;
  /** the site's base URL, so `url:` matches the download URLs the API shows */
  siteUrl: string;
}

/**
 * Resources of public datasets (internal ones never, whoever asks — as CKAN's resource_search)
 * matching every condition, with the total count.
 */
export function searchResources(ctx: DomainContext, search: ResourceSearch): Promise<{ count: number; results: ResourceRecord[] }> {
  return runAction(ctx, 'resource.search', async (c) => {
    authorize(c, 'catalog.read');
    const params: unknown[] = [];
    const add = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    let siteUrl: string | undefined;
    const site = () => (siteUrl ??= add(search.siteUrl));
    const where = [`d.state = 'active'`, 'not d.private'];
    for (const { field, terms } of search.conditions) {
      const column = resourceColumn(field, site);
      for (const term of terms) {
        const escaped = term.replace(/[\\%_]/g, (ch) => `\\${ch}`);
        if (column.kind === 'text') where.push(`${column.sql} ilike ${add(`%${escaped}%`)}`);
        else if (column.kind === 'prefix') where.push(`${column.sql} ilike ${add(`${escaped}%`)}`);
        // CKAN compares the timestamp with the value; text that is no timestamp matches nothing
        else if (column.kind === 'time')
          where.push(isoTimestamp.test(term) ? `${column.sql} = ${add(term)}::timestamp at time zone 'UTC'` : 'false');
        else where.push(`${column.sql}::text = ${add(term)}`);
      }
    }
    const filter = where.join(' and ');
    const filterParams = [...params];
    const order = search.orderBy ? `${resourceColumn(search.orderBy, site).sql}, r.created, r.id` : 'r.created, r.id';
    const page = `limit ${add(search.limit ?? null)} offset ${add(search.offset ?? 0)}`;
    const { rows } = await c.pool.query<{ record: ResourceRecord; total: string }>(
      `select ${resourceJson('r')} as record, count(*) over () as total
       from catalog.resource r join catalog.dataset d on d.id = r.dataset_id
       where ${filter} order by ${order} ${page}`,
      params,
    );
    let count = Number(rows[0]?.total ?? 0);
    if (rows.length === 0 && (search.offset ?? 0) > 0) {
      // a page past the end: count separately (the window counted no rows)
      const { rows: counted } = await c.pool.query<{ total: string }>(
        `select count(*) as total from catalog.resource r join catalog.dataset d on d.id = r.dataset_id
         where ${filter}`,
        filterParams,
      );
      count = Number(counted[0]?.total ?? 0);
    }
    return { count, results: rows.map((r) => r.record) };
  });
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$/;

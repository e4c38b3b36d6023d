import { authorize, can, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { readDeclarations, type CatalogDeclaration } from './catalog.declaration.js';

/** Datasets per page of the DCAT catalog (ckanext-dcat's default). */
export const DCAT_PAGE_SIZE = 100;

export interface DcatAgent {
  id: string;
  name: string;
  title: string;
  email: string | null;
  contributorId: string | null;
}

export interface DcatResourceRow {
  id: string;
  name: string;
  format: string;
  mimetype: string | null;
  position: number;
  created: Date;
  lastModified: Date | null;
}

/** Everything the DCAT-AP.de serialisation of one dataset needs, as plain values. */
export interface DcatDatasetRow {
  id: string;
  name: string;
  title: string;
  notes: string;
  private: boolean;
  metadataCreated: Date;
  metadataModified: Date;
  dataModified: Date | null;
  licenseId: string | null;
  licenseUri: string | null;
  licenseAttribution: string | null;
  organization: DcatAgent | null;
  themes: string[];
  tags: string[];
  temporalStart: string | null;
  temporalEnd: string | null;
  spatialUri: string | null;
  spatialBbox: number[] | null;
  updateFrequency: string | null;
  resources: DcatResourceRow[];
}

export interface DcatCatalogMeta {
  title: string;
  description: string;
  language: string;
  homepage: string | null;
  publisher: DcatAgent | null;
  /** the newest metadata_modified of the published datasets */
  modified: Date | null;
}

export interface DcatCatalogPage {
  catalog: DcatCatalogMeta;
  datasets: DcatDatasetRow[];
  /** datasets matching (all pages) */
  total: number;
  page: number;
  pageSize: number;
}

const datasetSelect = `
  select d.id, d.name, d.title, d.notes, d.private, d.metadata_created as "metadataCreated", d.metadata_modified as "metadataModified",
    d.data_modified as "dataModified", d.license_id as "licenseId", l.dcat_uri as "licenseUri", d.license_attribution as "licenseAttribution",
    case when o.id is null then null else json_build_object('id', o.id, 'name', o.name, 'title', o.title, 'email', o.email,
      'contributorId', o.contributor_id) end as organization,
    array(select g.dcat_theme from catalog.dataset_group dg join catalog."group" g on g.id = dg.group_id
          where dg.dataset_id = d.id and g.dcat_theme is not null order by g.dcat_theme) as themes,
    array(select t.name from catalog.dataset_tag dt join catalog.tag t on t.id = dt.tag_id where dt.dataset_id = d.id order by t.name) as tags,
    to_char(d.temporal_start, 'YYYY-MM-DD') as "temporalStart", to_char(d.temporal_end, 'YYYY-MM-DD') as "temporalEnd",
    d.spatial_uri as "spatialUri", d.spatial_bbox as "spatialBbox", d.update_frequency as "updateFrequency",
    coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name, 'format', r.format, 'mimetype', r.mimetype,
                'position', r.position, 'created', r.created, 'lastModified', r.last_modified) order by r.position)
              from catalog.resource r where r.dataset_id = d.id), '[]') as resources
  from catalog.dataset d
  left join catalog.license l on l.id = d.license_id
  left join catalog.organization o on o.id = d.organization_id`;

interface RawRow extends Omit<DcatDatasetRow, 'resources'> {
  resources: (Omit<DcatResourceRow, 'created' | 'lastModified'> & { created: string; lastModified: string | null })[];
}

const shape = (r: RawRow): DcatDatasetRow => ({
  ...r,
  resources: r.resources.map((res) => ({
    ...res,
    created: new Date(res.created),
    lastModified: res.lastModified === null ? null : new Date(res.lastModified),
  })),
});

let catalogDeclaration: CatalogDeclaration | undefined;
const declared = (): CatalogDeclaration => (catalogDeclaration ??= readDeclarations().catalog);

/**
 * Parses `modified_since` as ckanext-dcat does: an ISO 8601 date or date-time, UTC when it has no
 * zone. Anything else is refused with ckanext-dcat's message.
 */
export function parseModifiedSince(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(value.trim());
  if (m) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = m;
    const offset = !zone || zone === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${offset}`);
    // Date rolls 2024-02-31 over into March: the calendar day must come back unchanged
    const day = new Date(`${y}-${mo}-${d}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(`${y}-${mo}-${d}`)) return date;
  }
  throw ValidationError.of('modified_since', 'Wrong modified date format. Use ISO-8601 format');
}

/**
 * One page of the DCAT catalog: the published datasets, newest metadata first (as ckanext-dcat
 * sorts), optionally only those modified since a time. Internal (private) datasets are never
 * part of it, whoever asks — as ckanext-dcat, whose catalog searches without include_private:
 * the catalog is what harvesters such as GovData copy, and internal data must not travel with an
 * authorised user's harvest. Authorised users reach an internal dataset's DCAT on its own URL.
 */
export function dcatCatalogPage(
  ctx: DomainContext,
  options: { page?: number; modifiedSince?: Date | null } = {},
): Promise<DcatCatalogPage> {
  return runAction(ctx, 'dcat.catalog', async (c) => {
    authorize(c, 'catalog.read');
    const page = options.page ?? 1;
    // beyond 10^9 pages the offset would leave bigint's range: refused like a malformed page
    if (!Number.isInteger(page) || page < 1 || page > 1e9)
      throw ValidationError.of('page', 'Page param must be a positive integer starting in 1');
    const where = `d.state = 'active' and not d.private and ($1::timestamptz is null or d.metadata_modified >= $1)`;
    const since = options.modifiedSince ?? null;
    const [{ rows: datasets }, { rows: totals }, publisher] = await Promise.all([
      c.pool.query<RawRow>(`${datasetSelect} where ${where} order by d.metadata_modified desc, d.name limit $2 offset $3`, [
        since,
        DCAT_PAGE_SIZE,
        (page - 1) * DCAT_PAGE_SIZE,
      ]),
      c.pool.query<{ total: number; modified: Date | null }>(
        `select count(*) filter (where ${where})::int as total, max(d.metadata_modified) as modified
         from catalog.dataset d where d.state = 'active' and not d.private`,
        [since],
      ),
      c.pool.query<DcatAgent>(
        `select id, name, title, email, contributor_id as "contributorId" from catalog.organization where name = $1`,
        [declared().catalog?.publisher ?? null],
      ),
    ]);
    const meta = declared().catalog;
    return {
      catalog: {
        title: meta?.title ?? 'Offene Daten',
        description: meta?.description ?? '',
        language: meta?.language ?? 'DEU',
        homepage: meta?.homepage ?? null,
        publisher: publisher.rows[0] ?? null,
        modified: totals[0]?.modified ?? null,
      },
      datasets: datasets.map(shape),
      total: totals[0]?.total ?? 0,
      page,
      pageSize: DCAT_PAGE_SIZE,
    };
  });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One dataset's DCAT, by name or id. An internal dataset only for those who may read internal
 * catalog rows; everyone else gets "not found", so its existence is not revealed either.
 */
export function dcatDataset(ctx: DomainContext, nameOrId: string): Promise<DcatDatasetRow> {
  return runAction(ctx, 'dcat.dataset', async (c) => {
    authorize(c, 'catalog.read');
    const privateToo = can(c.viewer, 'catalog.read_private');
    const byId = uuidPattern.test(nameOrId);
    const { rows } = await c.pool.query<RawRow>(
      `${datasetSelect} where ${byId ? 'd.id = $1::uuid' : 'd.name = $1'} and d.state = 'active' and ($2 or not d.private)`,
      [nameOrId, privateToo],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('Dataset', nameOrId);
    return shape(row);
  });
}

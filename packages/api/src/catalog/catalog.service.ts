import { authorize, can, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { FilterCompiler, type EntityFilter } from '../domain/filter.js';
import { sortFor } from '../domain/order.js';
import { datasetFilterSpec, datasetOrders, type DatasetOrderBy } from './catalog.filter.js';

export interface DatasetRow {
  __typename: 'Dataset';
  id: string;
  name: string;
  title: string;
  notes: string;
  licenseId: string | null;
  licenseTitle: string | null;
  organizationName: string | null;
  organizationTitle: string | null;
  private: boolean;
  metadataCreated: Date;
  metadataModified: Date;
  numResources: number;
}

const relation = `(select d.id, d.name, d.title, d.notes, d.private, d.state, d.metadata_created, d.metadata_modified,
    d.license_id, l.title as license_title, o.name as organization_name, o.title as organization_title,
    (select count(*)::int from catalog.resource r where r.dataset_id = d.id) as num_resources
  from catalog.dataset d
  left join catalog.license l on l.id = d.license_id
  left join catalog.organization o on o.id = d.organization_id) as dataset`;

const select = `'Dataset' as "__typename", id, name, title, notes, private, license_id as "licenseId", license_title as "licenseTitle",
  organization_name as "organizationName", organization_title as "organizationTitle", metadata_created as "metadataCreated",
  metadata_modified as "metadataModified", num_resources as "numResources"`;

/** Visibility of catalog rows: internal (private) datasets only for those who may read them. */
function visible(ctx: DomainContext): string[] {
  authorize(ctx, 'catalog.read');
  return can(ctx.viewer, 'catalog.read_private') ? [`state = 'active'`] : [`state = 'active'`, 'not private'];
}

/** The visible datasets by name (or another order), with operator filters. */
export function listDatasets(
  ctx: DomainContext,
  page: PageArgs,
  options: { where?: EntityFilter | null; orderBy?: DatasetOrderBy | null } = {},
): Promise<Page<DatasetRow & Record<string, unknown>>> {
  return runAction(ctx, 'dataset.list', async (c) => {
    const where = visible(c);
    const params: unknown[] = [];
    if (options.where) where.push(new FilterCompiler(params, c).compile(options.where, datasetFilterSpec, 'dataset'));
    const sort = sortFor(c, datasetOrders, options.orderBy);
    return paginate<DatasetRow & Record<string, unknown>>(c.pool, { relation, orderBy: 'name', select, where, params, sort }, page);
  });
}

/** Names of all visible datasets, as CKAN's package_list returns them. */
export function datasetNames(ctx: DomainContext, options: { limit?: number; offset?: number } = {}): Promise<string[]> {
  return runAction(ctx, 'dataset.names', async (c) => {
    const where = visible(c).join(' and ');
    const { rows } = await c.pool.query<{ name: string }>(`select name from ${relation} where ${where} order by name limit $1 offset $2`, [
      options.limit ?? null,
      options.offset ?? 0,
    ]);
    return rows.map((r) => r.name);
  });
}

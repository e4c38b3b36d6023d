import type { Pool, PoolClient } from 'pg';
import { authorize, can } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { readColumns, type DatastoreColumn } from './datastore.columns.js';

/** A catalog resource with the view that backs it. */
export interface DatastoreResource {
  id: string;
  name: string;
  format: string;
  datastoreActive: boolean;
  lastModified: Date | null;
  dataset: { id: string; name: string; title: string; private: boolean; geo: boolean };
  view: { schema: string; name: string };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const qualifiedView = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$/;

const select = `select r.id, r.name, r.format, r.datastore_active, r.view_name, r.last_modified,
    d.id as dataset_id, d.name as dataset_name, d.title as dataset_title, d.private, d.geo
  from catalog.resource r join catalog.dataset d on d.id = r.dataset_id
  where d.state = 'active' and r.id = $1::uuid`;

interface ResourceRow {
  id: string;
  name: string;
  format: string;
  datastore_active: boolean;
  view_name: string | null;
  last_modified: Date | null;
  dataset_id: string;
  dataset_name: string;
  dataset_title: string;
  private: boolean;
  geo: boolean;
}

function toResource(row: ResourceRow | undefined): DatastoreResource | undefined {
  if (!row) return undefined;
  const view = qualifiedView.exec(row.view_name ?? '');
  // An open dataset is served from the `open` schema only; an internal one (private, steering and
  // admin only) may be backed by any view. Anything else is a misdeclaration and not served.
  if (!view?.[1] || !view[2] || (!row.private && view[1] !== 'open')) return undefined;
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    datastoreActive: row.datastore_active,
    lastModified: row.last_modified,
    dataset: { id: row.dataset_id, name: row.dataset_name, title: row.dataset_title, private: row.private, geo: row.geo },
    view: { schema: view[1], name: view[2] },
  };
}

/** The resource with this id, or undefined (also for ids that are no uuid). */
export async function findResource(db: Pool | PoolClient, resourceId: string): Promise<DatastoreResource | undefined> {
  if (!uuid.test(resourceId)) return undefined;
  const { rows } = await db.query<ResourceRow>(select, [resourceId]);
  return toResource(rows[0]);
}

/** The resource with this id in the dataset with this id or name, or undefined. */
export async function findDatasetResource(
  db: Pool | PoolClient,
  dataset: string,
  resourceId: string,
): Promise<DatastoreResource | undefined> {
  if (!uuid.test(resourceId)) return undefined;
  const { rows } = await db.query<ResourceRow>(`${select} and (d.name = $2 or d.id::text = $2)`, [resourceId, dataset]);
  return toResource(rows[0]);
}

/**
 * Whether the viewer may read the resource: open datasets everyone, internal (private) ones the
 * steering team and admins (policy `catalog.read_private`). Records the access decision.
 */
export function mayRead(ctx: DomainContext, resource: DatastoreResource): boolean {
  authorize(ctx, 'catalog.read');
  return !resource.dataset.private || can(ctx.viewer, 'catalog.read_private');
}

export async function resourceColumns(db: Pick<PoolClient, 'query'>, resource: DatastoreResource): Promise<DatastoreColumn[]> {
  return readColumns(db, resource.view.schema, resource.view.name);
}

import type { Pool, PoolClient } from 'pg';

/**
 * Columns that record where a row came from, not what it says: a row that only moved within the
 * source file (source_position) or was re-stamped (last_run_id) is no change of the data.
 */
const lineageColumns = new Set(['last_run_id', 'source_position']);

interface Candidate {
  id: string;
  name: string;
  view: string;
  geo: boolean;
  fingerprint: string | null;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteRelation = (relation: string) => relation.split('.').map(quoteIdent).join('.');

/**
 * Datasets whose source view reads (directly or through other views) a table that the current
 * transaction has written: pg_stat_xact_user_tables counts this transaction's inserts, updates
 * and deletes per table, pg_depend/pg_rewrite give each view's tables. A cheap, coarse filter —
 * the fingerprint decides.
 */
const writtenByThisTransaction = `
  with recursive ds as (
    select d.id, d.name, d.source_view, d.geo, d.data_fingerprint, to_regclass(d.source_view)::oid as view_oid
    from catalog.dataset d where d.source_view is not null
  ), deps (dataset_id, rel) as (
    select ds.id, ds.view_oid from ds where ds.view_oid is not null
    union
    select deps.dataset_id, dep.refobjid
    from deps
    join pg_rewrite rw on rw.ev_class = deps.rel
    join pg_depend dep on dep.classid = 'pg_rewrite'::regclass and dep.objid = rw.oid
      and dep.refclassid = 'pg_class'::regclass and dep.refobjid <> deps.rel
  )
  select distinct ds.id, ds.name, ds.source_view as view, ds.geo, ds.data_fingerprint as fingerprint
  from ds
  join deps on deps.dataset_id = ds.id
  join pg_stat_xact_user_tables t on t.relid = deps.rel
  where t.n_tup_ins + t.n_tup_upd + t.n_tup_del > 0
  order by ds.name`;

const everyDataset = `
  select d.id, d.name, d.source_view as view, d.geo, d.data_fingerprint as fingerprint
  from catalog.dataset d where d.source_view is not null and to_regclass(d.source_view) is not null
  order by d.name`;

/**
 * The fingerprint of a view's data — row count and the sum of a 64-bit hash of each row over all
 * columns but the lineage ones (order-independent, one scan, nothing sent to Node) — and, for geo
 * datasets, the extent of its features' bboxes.
 */
async function fingerprintOf(
  client: Pool | PoolClient,
  view: string,
  geo: boolean,
): Promise<{ fingerprint: string; bbox: number[] | null }> {
  const { rows: columns } = await client.query<{ name: string }>(
    `select attname as name from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped order by attnum`,
    [view],
  );
  const names = columns.map((c) => c.name);
  const data = names.filter((n) => !lineageColumns.has(n));
  const hasBbox = geo && ['bbox_min_lon', 'bbox_min_lat', 'bbox_max_lon', 'bbox_max_lat'].every((c) => names.includes(c));
  const { rows } = await client.query<{ n: string; h: string; bbox: number[] | null }>(
    `select count(*)::text as n,
            coalesce(sum(hashtextextended(row(${data.map((c) => `v.${quoteIdent(c)}`).join(', ')})::text, 0)), 0)::text as h,
            ${
              hasBbox
                ? `case when count(v.bbox_min_lon) = 0 then null
                     else array[min(v.bbox_min_lon), min(v.bbox_min_lat), max(v.bbox_max_lon), max(v.bbox_max_lat)]::float8[] end`
                : 'null::float8[]'
            } as bbox
     from ${quoteRelation(view)} v`,
  );
  const row = rows[0];
  return { fingerprint: `${row?.n ?? 0}:${row?.h ?? 0}`, bbox: row?.bbox ?? null };
}

/**
 * Called inside an ETL run's merge transaction, after the merge and the KPI snapshots: every
 * dataset whose view now shows other data than when it was last seen gets metadata_modified,
 * data_modified and its resources' last_modified set to the transaction's time — committed (or
 * rolled back) with the data. Returns the names of the datasets it touched.
 *
 * Two runs committing at the same time each compare against the fingerprint the other has not yet
 * committed; that can cost one extra touch later, never a missed one.
 */
export async function touchChangedDatasets(tx: PoolClient): Promise<string[]> {
  // without table statistics there is no coarse filter: fingerprint every dataset
  const { rows: settings } = await tx.query<{ on: boolean }>(`select current_setting('track_counts')::boolean as on`);
  const { rows: candidates } = await tx.query<Candidate>(settings[0]?.on ? writtenByThisTransaction : everyDataset);
  const touched: string[] = [];
  for (const c of candidates) {
    const { fingerprint, bbox } = await fingerprintOf(tx, c.view, c.geo);
    if (fingerprint === c.fingerprint) continue;
    await tx.query(
      `update catalog.dataset set data_fingerprint = $2, spatial_bbox = $3, data_modified = now(), metadata_modified = now() where id = $1`,
      [c.id, fingerprint, bbox],
    );
    await tx.query(`update catalog.resource set last_modified = now() where dataset_id = $1`, [c.id]);
    touched.push(c.name);
  }
  return touched;
}

/**
 * At catalog sync: records the fingerprint (and extent) of datasets that have none yet — a newly
 * declared dataset over data that is already loaded — without moving any timestamp.
 */
export async function fingerprintNewDatasets(client: PoolClient): Promise<void> {
  const { rows } = await client.query<Candidate>(everyDataset);
  for (const c of rows.filter((r) => r.fingerprint === null)) {
    const { fingerprint, bbox } = await fingerprintOf(client, c.view, c.geo);
    await client.query(`update catalog.dataset set data_fingerprint = $2, spatial_bbox = $3 where id = $1`, [c.id, fingerprint, bbox]);
  }
}

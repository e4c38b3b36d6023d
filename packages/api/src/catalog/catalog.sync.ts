import type { Pool } from 'pg';
import { syncKpiDefinitions } from '../kpis/kpi.definitions.js';
import { readDeclarations, type DatasetDeclaration } from './catalog.declaration.js';
import { fingerprintNewDatasets } from './catalog.modified.js';

/** The resources a dataset offers (also for datasets registered through the API, catalog.write.ts). */
export const resourceFormats = (d: Pick<DatasetDeclaration, 'geo'>) =>
  d.geo
    ? [
        { format: 'GeoJSON', mimetype: 'application/geo+json' },
        { format: 'CSV', mimetype: 'text/csv' },
      ]
    : [
        { format: 'CSV', mimetype: 'text/csv' },
        { format: 'JSON', mimetype: 'application/json' },
      ];

/**
 * Registers the declared datasets (packages/api/datasets/*.yaml) in the catalog, idempotently, in
 * one transaction. A declaration whose view does not exist fails the sync with its file named.
 */
export async function syncCatalog(pool: Pool, dir?: string): Promise<{ datasets: number }> {
  const { catalog, datasets } = readDeclarations(dir);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into catalog.organization (name, title, description, contributor_id, email)
       select name, title, coalesce(description, ''), contributor_id, email from jsonb_to_recordset($1::jsonb)
         as r(name text, title text, description text, contributor_id text, email text)
       on conflict (name) do update set title = excluded.title, description = excluded.description,
         contributor_id = excluded.contributor_id, email = excluded.email`,
      [JSON.stringify(catalog.organizations)],
    );
    await client.query(
      `insert into catalog.license (id, title, url, dcat_uri)
       select id, title, url, dcat_uri from jsonb_to_recordset($1::jsonb) as r(id text, title text, url text, dcat_uri text)
       on conflict (id) do update set title = excluded.title, url = excluded.url, dcat_uri = excluded.dcat_uri`,
      [JSON.stringify(catalog.licenses)],
    );
    await client.query(
      `insert into catalog."group" (name, title, description, dcat_theme)
       select name, title, coalesce(description, ''), dcat_theme from jsonb_to_recordset($1::jsonb)
         as r(name text, title text, description text, dcat_theme text)
       on conflict (name) do update set title = excluded.title, description = excluded.description, dcat_theme = excluded.dcat_theme`,
      [JSON.stringify(catalog.groups)],
    );
    for (const d of datasets) {
      const [schema, view] = d.view.split('.');
      const { rows: exists } = await client.query(`select 1 from information_schema.views where table_schema = $1 and table_name = $2`, [
        schema,
        view,
      ]);
      if (exists.length === 0) throw new Error(`dataset ${d.name}: view ${d.view} does not exist`);
      // groups and tags are rewritten below; a change of them is a change of the metadata too
      const { rows: before } = await client.query<{ same: boolean }>(
        `select array(select g.name from catalog.dataset_group dg join catalog."group" g on g.id = dg.group_id
                      where dg.dataset_id = d.id order by 1) = array(select unnest($2::text[]) order by 1)
            and array(select t.name from catalog.dataset_tag dt join catalog.tag t on t.id = dt.tag_id
                      where dt.dataset_id = d.id order by 1) = array(select distinct unnest($3::text[]) order by 1) as same
         from catalog.dataset d where d.name = $1`,
        [d.name, d.groups, d.tags],
      );
      const { rows } = await client.query<{ id: string }>(
        `insert into catalog.dataset (name, title, notes, license_id, organization_id, private, source_view, geo,
           temporal_start, temporal_end, spatial_uri, update_frequency, license_attribution)
         values ($1, $2, $3, $4, (select id from catalog.organization where name = $5), $6, $7, $8, $9, $10,
           'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/13003000', $11, $12)
         on conflict (name) do update set title = excluded.title, notes = excluded.notes, license_id = excluded.license_id,
           organization_id = excluded.organization_id, private = excluded.private, source_view = excluded.source_view,
           geo = excluded.geo, temporal_start = excluded.temporal_start, temporal_end = excluded.temporal_end,
           update_frequency = excluded.update_frequency, license_attribution = excluded.license_attribution,
           metadata_modified = case when not $13::boolean
             or (catalog.dataset.title, catalog.dataset.notes, catalog.dataset.license_id, catalog.dataset.private,
                 catalog.dataset.organization_id, catalog.dataset.source_view, catalog.dataset.geo, catalog.dataset.temporal_start,
                 catalog.dataset.temporal_end, catalog.dataset.update_frequency, catalog.dataset.license_attribution)
             is distinct from (excluded.title, excluded.notes, excluded.license_id, excluded.private, excluded.organization_id,
                 excluded.source_view, excluded.geo, excluded.temporal_start, excluded.temporal_end, excluded.update_frequency,
                 excluded.license_attribution)
             then now() else catalog.dataset.metadata_modified end
         returning id`,
        [
          d.name,
          d.title,
          d.notes,
          d.license,
          d.organization,
          d.private,
          d.view,
          d.geo,
          d.temporal_start ?? null,
          d.temporal_end ?? null,
          d.update_frequency ?? null,
          d.attribution ?? null,
          before[0]?.same ?? true,
        ],
      );
      const id = rows[0]?.id;
      await client.query(`delete from catalog.dataset_group where dataset_id = $1`, [id]);
      await client.query(
        `insert into catalog.dataset_group (dataset_id, group_id) select $1, g.id from catalog."group" g where g.name = any($2)`,
        [id, d.groups],
      );
      await client.query(`insert into catalog.tag (name) select unnest($1::text[]) on conflict (name) do nothing`, [d.tags]);
      await client.query(`delete from catalog.dataset_tag where dataset_id = $1`, [id]);
      await client.query(`insert into catalog.dataset_tag (dataset_id, tag_id) select $1, t.id from catalog.tag t where t.name = any($2)`, [
        id,
        d.tags,
      ]);
      const formats = resourceFormats(d);
      await client.query(`delete from catalog.resource where dataset_id = $1 and position >= $2`, [id, formats.length]);
      for (const [position, f] of formats.entries()) {
        await client.query(
          `insert into catalog.resource (dataset_id, name, format, mimetype, position, view_name, datastore_active)
           values ($1, $2, $3, $4, $5, $6, $7)
           on conflict (dataset_id, position) do update set name = excluded.name, format = excluded.format,
             mimetype = excluded.mimetype, view_name = excluded.view_name, datastore_active = excluded.datastore_active`,
          [id, `${d.title} (${f.format})`, f.format, f.mimetype, position, d.view, f.format === 'CSV'],
        );
      }
    }
    await syncKpiDefinitions(client);
    await fingerprintNewDatasets(client);
    await client.query('commit');
    return { datasets: datasets.length };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

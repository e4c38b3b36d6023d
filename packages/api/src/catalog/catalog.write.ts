import type { PoolClient } from 'pg';
import { audit, authorize, runAction } from '../access/index.js';
import { bumpDataVersion } from '../db/data-version.js';
import type { DomainContext } from '../domain/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors/index.js';
import { readDeclarations } from './catalog.declaration.js';
import { fingerprintNewDatasets } from './catalog.modified.js';
import { listDatasets, type DatasetRow } from './catalog.service.js';
import { resourceFormats } from './catalog.sync.js';

/** What an admin states about a dataset; on update every field is optional and only given ones change. */
export interface DatasetInput {
  name: string;
  title: string;
  notes?: string | null;
  license: string;
  organization: string;
  groups?: string[] | null;
  tags?: string[] | null;
  private?: boolean | null;
  /** the view that holds its data, in the open schema: open.<name> */
  view: string;
}
export type DatasetPatch = { [K in Exclude<keyof DatasetInput, 'name'>]?: DatasetInput[K] | null };

const SLUG = /^[a-z0-9_-]{2,100}$/;
const VIEW = /^open\.[a-z_][a-z0-9_]*$/;
// CKAN's tag rule: letters, digits, spaces, - _ . (at most 100 characters)
const TAG = /^[\p{L}\p{N} ._-]{1,100}$/u;
// the city's municipality key, as the declared datasets state it (catalog.sync.ts)
const SPATIAL = 'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/13003000';

type FieldErrors = Record<string, string[]>;
const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;
const add = (errors: FieldErrors, field: string, message: string) => (errors[field] ??= []).push(message);

/** Checks every given field against the catalog, all at once (CKAN answers with all field errors together). */
async function validate(db: PoolClient, input: DatasetPatch & { name?: string }, creating: boolean): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (given(input.name)) {
    if (!SLUG.test(input.name)) add(errors, 'name', 'lower-case letters, digits, - and _ (2–100 characters)');
    else if (creating) {
      const { rows } = await db.query(`select 1 from catalog.dataset where name = $1`, [input.name]);
      if (rows.length > 0) add(errors, 'name', 'That URL is already in use.');
    }
  }
  if (given(input.title) && input.title.trim() === '') add(errors, 'title', 'Missing value');
  if (input.title && input.title.length > 500) add(errors, 'title', 'at most 500 characters');
  if (given(input.license)) {
    const { rows } = await db.query(`select 1 from catalog.license where id = $1`, [input.license]);
    if (rows.length === 0) add(errors, 'license', `unknown licence: ${input.license} (see license_list)`);
  }
  if (given(input.organization)) {
    const { rows } = await db.query(`select 1 from catalog.organization where name = $1`, [input.organization]);
    if (rows.length === 0) add(errors, 'organization', `unknown organization: ${input.organization}`);
  }
  if (input.groups) {
    const { rows } = await db.query<{ name: string }>(`select name from catalog."group" where name = any($1)`, [input.groups]);
    const known = new Set(rows.map((r) => r.name));
    for (const g of input.groups.filter((g) => !known.has(g))) add(errors, 'groups', `unknown group: ${g}`);
  }
  for (const t of input.tags ?? []) if (!TAG.test(t)) add(errors, 'tags', `"${t}": letters, digits, spaces, - _ . (1–100 characters)`);
  if (given(input.view)) {
    if (!VIEW.test(input.view)) add(errors, 'view', 'a view in the open schema, e.g. open.initiatives');
    else {
      const { rows } = await db.query(`select 1 from information_schema.views where table_schema = 'open' and table_name = $1`, [
        input.view.slice('open.'.length),
      ]);
      if (rows.length === 0) add(errors, 'view', `no such view in the open schema: ${input.view}`);
    }
  }
  return errors;
}

/** A view with a geometry column is served as GeoJSON (like the declared geo datasets). */
async function isGeo(db: PoolClient, view: string): Promise<boolean> {
  const { rows } = await db.query(
    `select 1 from information_schema.columns where table_schema = 'open' and table_name = $1 and column_name = 'geometry'`,
    [view.slice('open.'.length)],
  );
  return rows.length > 0;
}

async function writeLabels(db: PoolClient, id: string, groups: string[] | null | undefined, tags: string[] | null | undefined) {
  if (groups) {
    await db.query(`delete from catalog.dataset_group where dataset_id = $1`, [id]);
    await db.query(`insert into catalog.dataset_group (dataset_id, group_id) select $1, id from catalog."group" where name = any($2)`, [
      id,
      groups,
    ]);
  }
  if (tags) {
    await db.query(`insert into catalog.tag (name) select unnest($1::text[]) on conflict (name) do nothing`, [tags]);
    await db.query(`delete from catalog.dataset_tag where dataset_id = $1`, [id]);
    await db.query(`insert into catalog.dataset_tag (dataset_id, tag_id) select $1, id from catalog.tag where name = any($2)`, [id, tags]);
  }
}

async function writeResources(db: PoolClient, id: string, title: string, view: string, geo: boolean) {
  const formats = resourceFormats({ geo });
  await db.query(`delete from catalog.resource where dataset_id = $1 and position >= $2`, [id, formats.length]);
  for (const [position, f] of formats.entries()) {
    await db.query(
      `insert into catalog.resource (dataset_id, name, format, mimetype, position, view_name, datastore_active)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (dataset_id, position) do update set name = excluded.name, format = excluded.format,
         mimetype = excluded.mimetype, view_name = excluded.view_name, datastore_active = excluded.datastore_active`,
      [id, `${title} (${f.format})`, f.format, f.mimetype, position, view, f.format === 'CSV'],
    );
  }
}

/**
 * One admin write: validated, in one transaction with its audit record and the data-version bump
 * (so every response cache drops what it had), answered with the dataset as the admin now sees it.
 */
async function write(
  ctx: DomainContext,
  name: string,
  body: (db: PoolClient) => Promise<Record<string, unknown>>,
  action: string,
): Promise<DatasetRow> {
  const db = await ctx.pool.connect();
  try {
    await db.query('begin');
    const details = await body(db);
    await fingerprintNewDatasets(db);
    await audit(ctx, action, `dataset:${name}`, details, db);
    await bumpDataVersion(db);
    await db.query('commit');
  } catch (e) {
    await db.query('rollback').catch(() => {});
    throw e;
  } finally {
    db.release();
  }
  const page = await listDatasets(ctx, { first: 1 }, { where: { name: { eq: name } } });
  const row = page.nodes[0];
  if (!row) throw new NotFoundError('Dataset', name);
  return row;
}

/** Registers a dataset over a view of the open schema (admin; CKAN's package_create). */
export function registerDataset(ctx: DomainContext, input: DatasetInput): Promise<DatasetRow> {
  return runAction(ctx, 'dataset.register', async (c) => {
    authorize(c, 'catalog.write');
    return write(
      c,
      input.name,
      async (db) => {
        const errors = await validate(db, input, true);
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        const geo = await isGeo(db, input.view);
        const { rows } = await db.query<{ id: string }>(
          `insert into catalog.dataset (name, title, notes, license_id, organization_id, private, source_view, geo, spatial_uri, extras)
           values ($1, $2, $3, $4, (select id from catalog.organization where name = $5), $6, $7, $8, $9, $10)
           returning id`,
          [
            input.name,
            input.title.trim(),
            input.notes ?? '',
            input.license,
            input.organization,
            input.private ?? false,
            input.view,
            geo,
            SPATIAL,
            JSON.stringify({ registered_via: 'api' }),
          ],
        );
        const id = rows[0]?.id ?? '';
        await writeLabels(db, id, input.groups ?? [], input.tags ?? []);
        await writeResources(db, id, input.title.trim(), input.view, geo);
        return { ...input };
      },
      'dataset.register',
    );
  });
}

/**
 * Edits a dataset registered through the API (admin; CKAN's package_patch). A dataset declared in
 * packages/api/datasets/ belongs to its file — every start re-syncs it from there — so it is
 * refused with CONFLICT rather than changed for a while and silently reverted.
 */
export function updateDataset(ctx: DomainContext, name: string, patch: DatasetPatch): Promise<DatasetRow> {
  return runAction(ctx, 'dataset.update', async (c) => {
    authorize(c, 'catalog.write');
    if (readDeclarations().datasets.some((d) => d.name === name)) {
      throw new ConflictError(`Dataset ${name} is declared in a file of packages/api/datasets/: change it there`, { name });
    }
    return write(
      c,
      name,
      async (db) => {
        const { rows: found } = await db.query<{ id: string; title: string; source_view: string }>(
          `select id, title, source_view from catalog.dataset where name = $1 and state <> 'deleted' for update`,
          [name],
        );
        const current = found[0];
        if (!current) throw new NotFoundError('Dataset', name);
        const errors = await validate(db, patch, false);
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        const view = patch.view ?? current.source_view;
        const geo = await isGeo(db, view);
        await db.query(
          `update catalog.dataset set title = coalesce($2, title), notes = coalesce($3, notes), license_id = coalesce($4, license_id),
             organization_id = coalesce((select id from catalog.organization where name = $5), organization_id),
             private = coalesce($6, private), source_view = $7, geo = $8, metadata_modified = now()
           where id = $1`,
          [
            current.id,
            patch.title?.trim() ?? null,
            patch.notes ?? null,
            patch.license ?? null,
            patch.organization ?? null,
            patch.private ?? null,
            view,
            geo,
          ],
        );
        await writeLabels(db, current.id, patch.groups, patch.tags);
        await writeResources(db, current.id, patch.title?.trim() ?? current.title, view, geo);
        return { ...patch };
      },
      'dataset.update',
    );
  });
}

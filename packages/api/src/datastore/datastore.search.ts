import type { PoolClient } from 'pg';
import { runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { AppError, ValidationError, sqlStateOf } from '../errors/index.js';
import { inReadTransaction, STATEMENT_TIMEOUT } from '../db/read-transaction.js';
import { decodeValue, rawTypes, type DatastoreColumn } from './datastore.columns.js';
import { copyCsvRows } from './datastore.encode.js';
import {
  asText,
  ParamErrors,
  ROWS_DEFAULT,
  ROWS_MAX,
  boolParam,
  filtersParam,
  intParam,
  languageParam,
  listParam,
  naturalParam,
  oneOf,
  recordsFormats,
  textOrObjectParam,
  type RecordsFormat,
  type SearchParams,
} from './datastore.params.js';
import { buildSearch } from './datastore.query.js';
import { findResource, mayRead, resourceColumns, type DatastoreResource } from './datastore.resource.js';

/**
 * The full-text language when a request names none. CKAN's default is `english`
 * (ckan.datastore.default_fts_lang); the data here are German.
 */
export const DEFAULT_FTS_LANGUAGE = 'german';

/** How long one search may run (CKAN: 60 s); a slower one is a Validation Error, as in CKAN. */
const SEARCH_TIMEOUT_MS = 30_000;

type Raw = Record<string, unknown>;

/** CKAN's message for a resource that is not in the DataStore (the transport adds "Not found: "). */
export function resourceNotFound(id: string): AppError {
  return new AppError('NOT_FOUND', `Resource "${id}" was not found.`, { what: 'resource', key: id });
}

/** CKAN's message for a resource of a dataset the viewer may not read (the transport adds "Access denied: "). */
function accessDenied(ctx: DomainContext, id: string): AppError {
  return new AppError('FORBIDDEN', `User ${ctx.viewer.subject ?? ''} not authorized to read resource ${id}`, {
    action: 'catalog.read_private',
  });
}

function resourceIdParam(raw: Raw, errors: ParamErrors, key = 'resource_id'): string {
  // CKAN's schema renames `id` to `resource_id`
  const value = raw.resource_id ?? raw.id;
  if (value === undefined || value === null || asText(value).trim() === '') {
    errors.add(key, 'Missing value');
    return '';
  }
  return asText(value);
}

/** Reads a resource the viewer may search: 404 when it is not in the DataStore, 403 when it is internal. */
async function searchableResource(ctx: DomainContext, id: string): Promise<DatastoreResource> {
  const resource = await findResource(ctx.pool, id);
  if (!resource?.datastoreActive) throw resourceNotFound(id);
  if (!mayRead(ctx, resource)) throw accessDenied(ctx, id);
  return resource;
}

/** The search's reads in one snapshot, cancelled after SEARCH_TIMEOUT_MS; database refusals as BAD_USER_INPUT. */
async function inSearchTransaction<T>(ctx: DomainContext, body: (client: PoolClient) => Promise<T>): Promise<T> {
  try {
    return await inReadTransaction(ctx.pool, { timeoutMs: SEARCH_TIMEOUT_MS, repeatableRead: true }, body);
  } catch (e) {
    const state = sqlStateOf(e);
    if (state === STATEMENT_TIMEOUT) throw new ValidationError({ query: ['Search took too long'] });
    // a data exception (a filter value the column's type refuses) or a bad tsquery (plain=false)
    if (state?.startsWith('22') || state === '42601') throw new ValidationError({ query: ['Invalid query'] });
    throw e;
  }
}

/** Checks the language against the database's text search configurations. */
async function checkLanguage(client: PoolClient, language: string): Promise<void> {
  const { rowCount } = await client.query(`select 1 from pg_ts_config where cfgname = $1`, [language]);
  if (!rowCount) throw new ValidationError({ language: [`invalid value "${language}"`] });
}

export interface DatastoreSearchResult {
  /** the result dict as CKAN returns it, without `_links` (the transport knows the URL) */
  result: Record<string, unknown>;
  limit: number;
  offset: number;
}

/**
 * datastore_search (CKAN 2.11, https://docs.ckan.org/en/2.11/maintaining/datastore.html): search
 * one tabular resource by filters, full text, fields, sort and paging. The result echoes the
 * validated parameters, lists the fields (first `_id`) and carries the records in the asked
 * format, with the total when `include_total`.
 */
export async function datastoreSearch(ctx: DomainContext, raw: Raw): Promise<DatastoreSearchResult> {
  const errors = new ParamErrors();
  const resourceId = resourceIdParam(raw, errors);
  const q = textOrObjectParam(raw.q);
  const filters = filtersParam(raw.filters, errors);
  const language = languageParam(raw.language, errors);
  const requestedLimit = naturalParam(raw.limit, 'limit', errors);
  const limit = Math.min(requestedLimit ?? ROWS_DEFAULT, ROWS_MAX);
  const offset = intParam(raw.offset, 'offset', errors);
  const fields = listParam(raw.fields, 'fields', errors, { unquote: true });
  const sort = listParam(raw.sort, 'sort', errors, { unquote: false });
  const threshold = intParam(raw.total_estimation_threshold, 'total_estimation_threshold', errors);
  const recordsFormat = oneOf<RecordsFormat>(raw.records_format, recordsFormats, 'objects', 'records_format', errors);
  const includeTotal = boolParam(raw.include_total, true);
  errors.throwIfAny();

  return runAction(ctx, 'datastore.search', async (c) => {
    const resource = await searchableResource(c, resourceId);
    if (offset !== undefined && offset < 0) throw new ValidationError({ offset: [`invalid value "${offset}"`] });
    const params: SearchParams = {
      resourceId,
      filters,
      q,
      plain: boolParam(raw.plain, true),
      language,
      limit,
      offset: offset ?? 0,
      fields,
      sort,
      distinct: boolParam(raw.distinct, false),
    };
    const { fieldList, records, total } = await inSearchTransaction(c, async (client) => {
      const columns = await resourceColumns(client, resource);
      if (q !== undefined) await checkLanguage(client, language ?? DEFAULT_FTS_LANGUAGE);
      const built = buildSearch(viewName(resource), columns, params, language ?? DEFAULT_FTS_LANGUAGE);
      const page = await client.query<(string | null)[]>({ text: built.pageSql, values: built.values, rowMode: 'array', types: rawTypes });
      let total: number | undefined;
      if (includeTotal) {
        const count = await client.query<{ n: string }>(built.countSql, built.values);
        total = Number(count.rows[0]?.n ?? 0);
      }
      return { fieldList: built.fields, records: shapeRecords(page.rows, built.fields, recordsFormat), total };
    });

    const result: Record<string, unknown> = {
      include_total: includeTotal,
      limit,
      records_format: recordsFormat,
      resource_id: resourceId,
      total_estimation_threshold: threshold ?? null,
    };
    // CKAN echoes the parameters it was given, as validated
    if (q !== undefined) result.q = q;
    if (filters !== undefined) result.filters = filters;
    if (offset !== undefined) result.offset = offset;
    if (raw.sort !== undefined) result.sort = raw.sort;
    if (raw.distinct !== undefined) result.distinct = params.distinct;
    if (raw.plain !== undefined) result.plain = params.plain;
    if (language !== undefined) result.language = language;
    result.records = records;
    result.fields = fieldList.map((f) => ({ id: f.id, type: f.type }));
    if (total !== undefined) {
      result.total = total;
      result.total_was_estimated = false;
    }
    return { result, limit, offset: offset ?? 0 };
  });
}

function shapeRecords(rows: (string | null)[][], fields: { id: string; kind: DatastoreColumn['kind'] }[], format: RecordsFormat): unknown {
  switch (format) {
    case 'csv':
      return copyCsvRows(rows, ',');
    case 'tsv':
      return copyCsvRows(rows, '\t');
    case 'lists':
      return rows.map((row) => row.map((v, i) => decodeValue(fields[i]?.kind ?? 'text', v)));
    default:
      return rows.map((row) => {
        const record: Record<string, unknown> = {};
        fields.forEach((f, i) => (record[f.id] = decodeValue(f.kind, row[i] ?? null)));
        return record;
      });
  }
}

export function viewName(resource: DatastoreResource): string {
  return `"${resource.view.schema}"."${resource.view.name}"`;
}

/**
 * datastore_info (CKAN 2.11): the fields of a DataStore resource with their database types, and
 * metadata: row count and table type (each resource is a view).
 */
export async function datastoreInfo(ctx: DomainContext, raw: Raw): Promise<Record<string, unknown>> {
  const errors = new ParamErrors();
  const resourceId = resourceIdParam(raw, errors, 'id');
  errors.throwIfAny();
  const includeMeta = boolParam(raw.include_meta, true);
  const includeSchema = boolParam(raw.include_fields_schema, true);
  return runAction(ctx, 'datastore.info', async (c) => {
    const resource = await searchableResource(c, resourceId);
    return inSearchTransaction(c, async (client) => {
      const columns = await resourceColumns(client, resource);
      const info: Record<string, unknown> = {};
      if (includeMeta) {
        const { rows } = await client.query<{ n: string }>(`select count(*)::text as n from ${viewName(resource)}`);
        info.meta = { id: resource.id, count: Number(rows[0]?.n ?? 0), table_type: 'VIEW', aliases: [] };
      }
      info.fields = columns.map((col) => ({
        id: col.id,
        type: col.type,
        ...(includeSchema ? { schema: { native_type: col.nativeType, notnull: col.notNull, is_index: false, uniquekey: false } } : {}),
      }));
      return info;
    });
  });
}

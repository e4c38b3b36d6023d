import { AppError } from '@hro/api';
import { datastoreInfo, datastoreSearch } from '@hro/api/domain';
import type { ActionEnv, CkanAction } from './actions.js';
import { notAuthorized, notFound } from './errors.js';

/** Domain errors in CKAN's words: "Not found: …", "Access denied: …"; validation errors pass as they are. */
function ckanError(e: unknown): unknown {
  if (e instanceof AppError && e.code === 'NOT_FOUND') return notFound(e.message);
  if (e instanceof AppError && e.code === 'FORBIDDEN') return notAuthorized(e.message);
  return e;
}

/**
 * CKAN's `_links` (ckanext/datastore/backend/postgres.py _insert_links): the request's own path
 * and query — empty for a POST — without `offset` (start), with `offset` moved on by one page
 * (next) and back by one (prev, only while that is above 0).
 */
export function datastoreLinks(env: ActionEnv, action: string, limit: number, offset: number): Record<string, string> {
  const current = env.path ?? `/api/3/action/${action}`;
  const mark = current.indexOf('?');
  const path = mark < 0 ? current : current.slice(0, mark);
  const query = mark < 0 ? '' : current.slice(mark + 1);
  const url = (params: URLSearchParams) => (params.size > 0 ? `${path}?${params.toString()}` : path);
  const start = new URLSearchParams(query);
  start.delete('offset');
  const next = new URLSearchParams(query);
  next.set('offset', String(offset + limit));
  const links: Record<string, string> = { start: url(start), next: url(next) };
  if (offset - limit > 0) {
    const prev = new URLSearchParams(query);
    prev.set('offset', String(offset - limit));
    links.prev = url(prev);
  }
  return links;
}

export const datastoreActions: Record<string, CkanAction> = {
  datastore_search: {
    help: `Search a DataStore resource.

The datastore_search action allows you to search data in a resource. By
default 100 rows are returned - see the \`limit\` parameter for more info.

A DataStore resource that belongs to a private CKAN resource can only be
read by you if you have access to the CKAN resource and send the
appropriate authorization.

:param resource_id: id or alias of the resource to be searched against
:type resource_id: string
:param filters: matching conditions to select, e.g
                {"key1": "a", "key2": "b"} (optional); a list of values matches
                any of them, null matches missing values
:type filters: dictionary
:param q: full text query. If it's a string, it'll search on all text fields
          on each row. If it's a dictionary as {"key1": "a", "key2": "b"},
          it'll search on each specific field (optional)
:type q: string or dictionary
:param distinct: return only distinct rows (optional, default: false)
:type distinct: bool
:param plain: treat as plain text query (optional, default: true)
:type plain: bool
:param language: language of the full text query
                 (optional, default: german)
:type language: string
:param limit: maximum number of rows to return
    (optional, default: \`\`100\`\`, upper limit: \`\`32000\`\`)
:type limit: int
:param offset: offset this number of rows (optional)
:type offset: int
:param fields: fields to return
               (optional, default: all fields in original order)
:type fields: list or comma separated string
:param sort: comma separated field names with ordering
             e.g.: "fieldname1, fieldname2 desc nulls last"
:type sort: string
:param include_total: True to return total matching record count
                      (optional, default: true)
:type include_total: bool
:param records_format: the format for the records return value:
    'objects' (default) list of {fieldname1: value1, ...} dicts,
    'lists' list of [value1, value2, ...] lists,
    'csv' string containing comma-separated values with no header,
    'tsv' string containing tab-separated values with no header
:type records_format: controlled list

Setting the \`\`plain\`\` flag to false enables the entire PostgreSQL
full text search query language.

If you need to download the full resource, read /datastore/dump/<resource id>.

**Results:**

The result of this action is a dictionary with the following keys:

:rtype: A dictionary with the following keys
:param fields: fields/columns and their extra metadata
:type fields: list of dictionaries
:param offset: query offset value
:type offset: int
:param limit: queried limit value (if the requested \`\`limit\`\` was above
    32000 then this response \`\`limit\`\` will be set to 32000)
:type limit: int
:param filters: query filters
:type filters: list of dictionaries
:param total: number of total matching records
:type total: int
:param total_was_estimated: whether or not the total was estimated
:type total_was_estimated: bool
:param records: list of matching results
:type records: depends on records_format value passed`,
    run: async (ctx, params, env) => {
      try {
        const { result, limit, offset } = await datastoreSearch(ctx, params);
        return { ...result, _links: datastoreLinks(env, 'datastore_search', limit, offset) };
      } catch (e) {
        throw ckanError(e);
      }
    },
  },

  datastore_info: {
    help: `Returns detailed metadata about a resource.

:param resource_id: id or alias of the resource we want info about.
:type resource_id: string
:param include_meta: return the row count, table type and aliases
:type include_meta: bool (optional, default: True)
:param include_fields_schema: return fields' native type, notnull, index and unique status
:type include_fields_schema: bool (optional, default: True)

**Results:**

:rtype: dictionary
:returns:
    **meta**: resource metadata dictionary with the following keys:

    - aliases - aliases (views) for the resource
    - count - row count
    - id - resource id
    - table_type - BASE TABLE, VIEW, FOREIGN TABLE or MATERIALIZED VIEW

    **fields**: A list of dictionaries based on :ref:\`fields\`, with an additional nested
    dictionary per field called **schema**, with the following keys:

    - native_type - native database data type
    - notnull
    - is_index
    - uniquekey`,
    run: async (ctx, params) => {
      try {
        return await datastoreInfo(ctx, params);
      } catch (e) {
        throw ckanError(e);
      }
    },
  },
};

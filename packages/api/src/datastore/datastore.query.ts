import { ident, keyOrder, outputExpr, type DatastoreColumn, type ValueKind } from './datastore.columns.js';
import { asText, ParamErrors, type SearchParams } from './datastore.params.js';

// Builds the SQL of a DataStore search from the validated parameters. Every identifier in it
// comes from the view's column list (datastore.columns.ts); every value is a parameter.

/** `_id`: the row's number in the view's key order (see keyOrder), as CKAN numbers its rows. */
export const idColumn: DatastoreColumn = {
  id: '_id',
  type: 'int',
  kind: 'int',
  nativeType: 'bigint',
  notNull: true,
  sortable: true,
  textual: false,
  timeZone: false,
  array: false,
};

/** A field of the result: a column, `_id`, or a full-text rank (`rank`, `rank <field>`). */
export interface OutputField {
  id: string;
  type: string;
  kind: ValueKind;
  sql: (alias: string, distinct: boolean) => string;
}

export interface BuiltSearch {
  fields: OutputField[];
  /** rows of the output fields, as text, in order */
  pageSql: string;
  /** `count(*)` of all matching rows (of distinct rows with `distinct`) */
  countSql: string;
  values: unknown[];
}

const sortClause = /^(.+?)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;

/** A filter value checked against the column's kind before it reaches SQL (a clearer message than a cast error). */
function filterValue(column: DatastoreColumn, value: unknown): { ok: true; value: unknown } | { ok: false } {
  const text = typeof value === 'string' ? value.trim() : value;
  switch (column.kind) {
    case 'int':
      if (typeof text === 'number' ? Number.isSafeInteger(text) : typeof text === 'string' && /^[-+]?\d{1,18}$/.test(text))
        return { ok: true, value: String(text) };
      return { ok: false };
    case 'numeric':
      if (typeof text === 'number' ? Number.isFinite(text) : typeof text === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text))
        return { ok: true, value: String(text) };
      return { ok: false };
    case 'bool':
      if (typeof text === 'boolean') return { ok: true, value: text };
      if (typeof text === 'string' && /^(t|f|true|false|y|n|yes|no|on|off|1|0)$/i.test(text)) return { ok: true, value: text };
      return { ok: false };
    case 'date':
      return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text) ? { ok: true, value: text } : { ok: false };
    case 'timestamp':
      return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[-+]\d{2}(:?\d{2})?)?$/.test(text)
        ? { ok: true, value: text }
        : { ok: false };
    case 'json':
      return { ok: true, value: JSON.stringify(value) };
    default:
      // CKAN compares text columns with the value as a string (10 matches "10")
      return { ok: true, value: asText(value) };
  }
}

function castOf(column: DatastoreColumn): string {
  switch (column.kind) {
    case 'int':
      return 'int8';
    case 'numeric':
      return 'numeric';
    case 'bool':
      return 'bool';
    case 'date':
      return 'date';
    case 'timestamp':
      return column.timeZone ? 'timestamptz' : 'timestamp';
    case 'json':
      return 'jsonb';
    default:
      return 'text';
  }
}

/**
 * Checks the field-dependent parameters as CKAN's datastore_validate does (an unknown field in
 * filters, q, fields or sort is `invalid value "<it>"` under that key) and builds the statements.
 */
export function buildSearch(view: string, columns: DatastoreColumn[], params: SearchParams, language: string): BuiltSearch {
  const errors = new ParamErrors();
  const byId = new Map<string, DatastoreColumn>([[idColumn.id, idColumn], ...columns.map((c) => [c.id, c] as const)]);
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  let langRef: string | undefined;
  const lang = () => (langRef ??= param(language));

  // full-text search: a string searches all text columns, an object searches field by field
  const tsJoins: string[] = [];
  const where: string[] = [];
  const ranks: OutputField[] = [];
  const tsFunction = params.plain ? 'plainto_tsquery' : 'to_tsquery';
  const textColumns = columns.filter((c) => c.textual);
  const allText = (alias: string) =>
    textColumns.length === 0 ? `''::text` : `concat_ws(' ', ${textColumns.map((c) => `${alias}.${ident(c.id)}`).join(', ')})`;
  if (typeof params.q === 'string' && params.q !== '') {
    tsJoins.push(`cross join ${tsFunction}(${lang()}::regconfig, ${param(params.q)}) as "query"`);
    where.push(`to_tsvector(${lang()}::regconfig, ${allText('ds')}) @@ "query"`);
    ranks.push({
      id: 'rank',
      type: 'float',
      kind: 'numeric',
      sql: (alias) => `ts_rank(to_tsvector(${lang()}::regconfig, ${allText(alias)}), ${alias === 'ds' ? '' : `${alias}.`}"query", 32)`,
    });
  } else if (params.q && typeof params.q === 'object') {
    for (const [field, value] of Object.entries(params.q)) {
      const column = byId.get(field);
      if (!column || typeof value !== 'string') {
        errors.add('q', `invalid value "${field}"`);
        continue;
      }
      const queryAlias = ident(`query ${field}`);
      const vector = (alias: string) => `to_tsvector(${lang()}::regconfig, ${alias}.${ident(field)}::text)`;
      tsJoins.push(`cross join ${tsFunction}(${lang()}::regconfig, ${param(value)}) as ${queryAlias}`);
      where.push(`${vector('ds')} @@ ${queryAlias}`);
      ranks.push({
        id: `rank ${field}`,
        type: 'float',
        kind: 'numeric',
        sql: (alias) => `ts_rank(${vector(alias)}, ${alias === 'ds' ? '' : `${alias}.`}${queryAlias}, 32)`,
      });
    }
  }

  let filtersUseId = false;
  for (const [field, value] of Object.entries(params.filters ?? {})) {
    const column = byId.get(field);
    if (!column) {
      errors.add('filters', `invalid value "${field}"`);
      continue;
    }
    filtersUseId ||= column === idColumn;
    const ref = column.array
      ? `to_jsonb(ds.${ident(field)})`
      : column.kind === 'json'
        ? `ds.${ident(field)}::jsonb`
        : column.textual || column.kind !== 'text'
          ? `ds.${ident(field)}`
          : `ds.${ident(field)}::text`;
    // null matches missing values (CKAN compares with = NULL, which matches nothing)
    if (value === null) {
      where.push(`${ref} is null`);
      continue;
    }
    // a list matches any of its values; for an array column it is the array itself
    const many = Array.isArray(value) && !column.array;
    const list = many ? (value as unknown[]) : [value];
    const checked = list.map((v) => filterValue(column, v));
    const bad = checked.findIndex((c) => !c.ok);
    if (bad >= 0) {
      errors.add('filters', `invalid value ${JSON.stringify(list[bad])} for field "${field}"`);
      continue;
    }
    const cast = castOf(column);
    const params_ = checked.map((c) => (c.ok ? c.value : null));
    if (many) where.push(params_.length === 0 ? 'false' : `${ref} = any(${param(params_)}::${cast}[])`);
    else where.push(`${ref} = ${param(params_[0])}::${cast}`);
  }

  const known: OutputField[] = [idColumn, ...columns].map((c) => ({
    id: c.id,
    type: c.type,
    kind: c.kind,
    sql: (alias: string, distinct: boolean) => outputExpr(c, alias, { distinct }),
  }));
  const outputs = new Map<string, OutputField>([...known, ...ranks].map((f) => [f.id, f]));

  let fields = [...outputs.values()];
  if (params.fields) {
    const unknown = params.fields.find((f) => !outputs.has(f));
    if (unknown !== undefined) errors.add('fields', `invalid value "${unknown}"`);
    else fields = params.fields.map((f) => outputs.get(f) as OutputField);
  }

  const order: string[] = [];
  for (const clause of params.sort ?? []) {
    const match = sortClause.exec(clause);
    let name = match?.[1] ?? '';
    if (name.length > 1 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
    const output = outputs.get(name);
    const column = byId.get(name);
    if (!match || !output || (column && !column.sortable)) {
      errors.add('sort', `invalid value "${clause}"`);
      continue;
    }
    const direction = (match[2] ?? 'asc').toLowerCase();
    const nulls = match[3] ? ` nulls ${match[3].toLowerCase()}` : '';
    order.push(`${output.sql('ds', false)} ${direction}${nulls}`);
  }
  errors.throwIfAny();

  // CKAN: without a sort, rows come in _id order, or by rank for a full-text search
  if (order.length === 0 && !params.distinct) {
    if (ranks.length > 0) order.push(...ranks.map((r) => `${r.sql('ds', false)} desc`));
    else order.push(`ds."_id"`);
  }
  // equal sort keys still page deterministically
  if (order.length > 0 && !order.some((o) => o.startsWith('ds."_id"'))) order.push(`ds."_id"`);

  const from = (withId: boolean) => {
    const list = columns.map((c) => `t.${ident(c.id)}`);
    const key = keyOrder(columns, 't');
    if (withId) list.unshift(`row_number() over (${key ? `order by ${key}` : ''}) as "_id"`);
    return `(select ${list.join(', ') || 'null as "?"'} from ${view} t) ds ${tsJoins.join(' ')}`;
  };
  const whereSql = where.length > 0 ? `where ${where.map((w) => `(${w})`).join(' and ')}` : '';
  // validated integers, written as literals so that the page and the count share one parameter list
  const limit = params.limit === undefined ? '' : `limit ${Math.trunc(params.limit)}`;
  const offset = params.offset > 0 ? `offset ${Math.trunc(params.offset)}` : '';
  const orderSql = order.length > 0 ? `order by ${order.join(', ')}` : '';

  let pageSql: string;
  let countSql: string;
  if (params.distinct) {
    // CKAN's DISTINCT applies to the page: WITH records_page AS (… LIMIT … OFFSET …) SELECT DISTINCT …
    const queries =
      tsJoins.length > 0 ? `, ${ranks.map((r) => `${r.id === 'rank' ? '"query"' : ident(`query ${r.id.slice(5)}`)}`).join(', ')}` : '';
    pageSql = `with page as (select ds.*${queries} from ${from(true)} ${whereSql} ${orderSql} ${limit} ${offset})
      select distinct ${fields.map((f) => f.sql('page', true)).join(', ')} from page`;
    const countNeedsId = filtersUseId || fields.some((f) => f.id === '_id');
    countSql = `select count(*)::text as n from (select distinct ${fields.map((f) => f.sql('ds', true)).join(', ')} from ${from(countNeedsId)} ${whereSql}) t`;
  } else if (where.length === 0 && order.length === 1 && /^ds\."_id"( asc)?$/.test(order[0] ?? '') && params.limit !== undefined) {
    // The whole view in _id order, one page of it (browsing, previews): the page is the key
    // order's rows offset … offset+limit, so only they are read and numbered, not the whole view.
    const key = keyOrder(columns, 't');
    const start = Math.trunc(params.offset);
    const page = `(select ${columns.map((c) => `t.${ident(c.id)}`).join(', ') || 'null as "?"'} from ${view} t ${key ? `order by ${key}` : ''} ${limit} ${offset}) t`;
    const numbered = `(select ${start} + row_number() over (${key ? `order by ${key}` : ''}) as "_id", t.* from ${page}) ds`;
    pageSql = `select ${fields.map((f) => f.sql('ds', false)).join(', ') || 'null'} from ${numbered} order by ds."_id"`;
    countSql = `select count(*)::text as n from ${from(false)}`;
  } else {
    pageSql = `select ${fields.map((f) => f.sql('ds', false)).join(', ') || 'null'} from ${from(true)} ${whereSql} ${orderSql} ${limit} ${offset}`;
    countSql = `select count(*)::text as n from ${from(filtersUseId)} ${whereSql}`;
  }
  return { fields, pageSql, countSql, values };
}

/** The rows of a whole view in key order, for downloads: no `_id`, no filters. */
export function buildDownload(view: string, columns: DatastoreColumn[]): string {
  const key = keyOrder(columns, 't');
  return `select ${columns.map((c) => outputExpr(c, 't')).join(', ') || 'null'} from ${view} t ${key ? `order by ${key}` : ''}`;
}

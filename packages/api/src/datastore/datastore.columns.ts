import type { PoolClient } from 'pg';

/**
 * How a column's values are carried: every export and search reads values as PostgreSQL's text
 * output (no driver-side parsing, so numerics keep their digits) and encodes them by kind.
 */
export type ValueKind = 'int' | 'numeric' | 'bool' | 'json' | 'date' | 'timestamp' | 'text';

/** One column of a resource's view, as the DataStore exposes it. */
export interface DatastoreColumn {
  id: string;
  /** CKAN DataStore type name: text, numeric, int, timestamp, date, bool, json (arrays: `_<element>`) */
  type: string;
  kind: ValueKind;
  /** the PostgreSQL type as format_type() writes it (datastore_info's native_type) */
  nativeType: string;
  notNull: boolean;
  /** has a default b-tree ordering, so it may appear in `sort` (json has none) */
  sortable: boolean;
  /** a text column (searched by a full-text `q`) */
  textual: boolean;
  timeZone: boolean;
  array: boolean;
}

const kinds: Record<string, { kind: ValueKind; type: string }> = {
  int2: { kind: 'int', type: 'int' },
  int4: { kind: 'int', type: 'int' },
  int8: { kind: 'int', type: 'int' },
  float4: { kind: 'numeric', type: 'numeric' },
  float8: { kind: 'numeric', type: 'numeric' },
  numeric: { kind: 'numeric', type: 'numeric' },
  bool: { kind: 'bool', type: 'bool' },
  json: { kind: 'json', type: 'json' },
  jsonb: { kind: 'json', type: 'json' },
  date: { kind: 'date', type: 'date' },
  timestamp: { kind: 'timestamp', type: 'timestamp' },
  timestamptz: { kind: 'timestamp', type: 'timestamp' },
};

/** A quoted SQL identifier. Column and view names come from the catalog, never from a request. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The columns a resource exposes: every column of its view in order, except `_`-prefixed ones
 * (CKAN reserves those: `_id`, `_full_text`). Read from the system catalog, so a request can only
 * ever name a column that is in this list.
 */
export async function readColumns(client: Pick<PoolClient, 'query'>, schema: string, view: string): Promise<DatastoreColumn[]> {
  const { rows } = await client.query<{
    name: string;
    typname: string;
    native_type: string;
    category: string;
    elem: string | null;
    not_null: boolean;
    sortable: boolean;
  }>(
    `select a.attname as name, t.typname, format_type(a.atttypid, a.atttypmod) as native_type, t.typcategory as category,
       e.typname as elem, a.attnotnull as not_null,
       t.typcategory = 'S' or exists (select 1 from pg_opclass oc join pg_am am on am.oid = oc.opcmethod
         where am.amname = 'btree' and oc.opcdefault and oc.opcintype = a.atttypid) as sortable
     from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid
     join pg_type t on t.oid = a.atttypid
     left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
     where n.nspname = $1 and c.relname = $2 and c.relkind in ('v', 'm', 'r', 'p', 'f')
       and a.attnum > 0 and not a.attisdropped and left(a.attname, 1) <> '_'
     order by a.attnum`,
    [schema, view],
  );
  return rows.map((r) => {
    const array = r.category === 'A';
    const known = kinds[r.typname];
    const kind: ValueKind = array ? 'json' : (known?.kind ?? 'text');
    const type = array ? `_${kinds[r.elem ?? '']?.type ?? r.elem ?? 'text'}` : (known?.type ?? 'text');
    return {
      id: r.name,
      type,
      kind,
      nativeType: r.native_type,
      notNull: r.not_null,
      sortable: r.sortable && kind !== 'json',
      textual: r.category === 'S',
      timeZone: r.typname === 'timestamptz',
      array,
    };
  });
}

/**
 * The SQL expression that reads a column for output. Timestamps are written as CKAN writes them
 * (ISO 8601 without fractions; `timestamptz` in UTC with `Z`), arrays as JSON; everything else is
 * the column itself, read as PostgreSQL's text output.
 */
export function outputExpr(column: DatastoreColumn, alias: string, options: { distinct?: boolean } = {}): string {
  const ref = `${alias}.${ident(column.id)}`;
  if (column.kind === 'timestamp') {
    return column.timeZone
      ? `to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
      : `to_char(${ref}, 'YYYY-MM-DD"T"HH24:MI:SS')`;
  }
  // json has no equality operator, so DISTINCT compares jsonb
  if (column.array) return options.distinct ? `to_jsonb(${ref})` : `to_json(${ref})`;
  if (column.kind === 'json' && options.distinct) return `${ref}::jsonb`;
  return ref;
}

/** The order that numbers rows (`_id`) and orders downloads: every sortable column, in column order. */
export function keyOrder(columns: DatastoreColumn[], alias: string): string {
  return columns
    .filter((c) => c.sortable)
    .map((c) => `${alias}.${ident(c.id)}`)
    .join(', ');
}

/** A value of PostgreSQL's text output as a JSON value of its kind. */
export function decodeValue(kind: ValueKind, raw: string | null): unknown {
  if (raw === null) return null;
  switch (kind) {
    case 'int':
      return Number(raw);
    case 'numeric': {
      // NaN and ±Infinity have no JSON number
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
    case 'bool':
      return raw === 't';
    case 'json':
      return JSON.parse(raw) as unknown;
    default:
      return raw;
  }
}

const numberText = /^-?\d/;

/** The same value as JSON text, without building it first (the download path). */
export function jsonText(kind: ValueKind, raw: string | null): string {
  if (raw === null) return 'null';
  switch (kind) {
    case 'int':
    case 'json':
      return raw;
    case 'numeric':
      return numberText.test(raw) ? raw : JSON.stringify(raw);
    case 'bool':
      return raw === 't' ? 'true' : 'false';
    default:
      return JSON.stringify(raw);
  }
}

/** The driver setting that leaves every value as PostgreSQL's text output. */
export const rawTypes = { getTypeParser: () => (value: string) => value };

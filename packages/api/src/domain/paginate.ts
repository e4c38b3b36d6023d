import type { Pool } from 'pg';
import { ValidationError } from '../errors/index.js';

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: () => Promise<number>;
}

type CursorValue = string | number;

/** A cursor: the sort values of a row, opaque to clients (base64url JSON). */
export function encodeCursor(...values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arg: string, length = 1): CursorValue[] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === length && parsed.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return parsed;
    }
  } catch {
    // fall through to the validation error
  }
  throw ValidationError.of(arg, 'not a cursor of this connection (or of another order)');
}

/** An order other than by the unique column: a non-null expression, its direction; ties broken by the unique column. */
export interface SortSpec {
  /**
   * SQL over the relation's columns. Text keys are `lower(core.immutable_unaccent(x)) collate "C"`:
   * unaccent first (under a C locale lower() leaves "Ä" alone), and byte order, so that pages come
   * in the same order on every server whatever its locale.
   */
  expr: string;
  direction: 'asc' | 'desc';
}

function checkCount(value: number | null | undefined, arg: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) throw ValidationError.of(arg, `must be between 0 and ${MAX_PAGE}`);
  return value;
}

/**
 * Keyset pagination over a relation ordered by one unique column, or by a sort expression with
 * that column as tie-breaker. Cursors hold the row's sort values, so they stay valid when rows are
 * inserted or deleted elsewhere. Returns plain rows.
 */
export async function paginate<T extends Record<string, unknown>>(
  pool: Pool,
  spec: {
    relation: string;
    orderBy: string;
    where?: string[];
    params?: unknown[];
    select?: string;
    sort?: SortSpec;
    /** the row property that holds orderBy's value, when select names it otherwise (default: the column's name) */
    keyField?: string;
  },
  args: PageArgs,
): Promise<Page<T>> {
  const first = checkCount(args.first, 'first');
  const last = checkCount(args.last, 'last');
  if (first !== undefined && last !== undefined) throw ValidationError.of('last', 'use either first or last, not both');
  const params = [...(spec.params ?? [])];
  const where = [...(spec.where ?? [])];
  const col = spec.orderBy;
  const keys = spec.sort ? [spec.sort.expr, col] : [col];
  const direction = spec.sort?.direction ?? 'asc';
  // row comparison (a, b) > ($1, $2) is exactly "after this row" in the order (a, b)
  const bound = (cursor: string, arg: string, forward: boolean) => {
    const values = decodeCursor(cursor, arg, keys.length);
    const placeholders = values.map((v) => {
      params.push(v);
      return `$${params.length}`;
    });
    const op = forward === (direction === 'asc') ? '>' : '<';
    where.push(`(${keys.join(', ')}) ${op} (${placeholders.join(', ')})`);
  };
  if (args.after) bound(args.after, 'after', true);
  if (args.before) bound(args.before, 'before', false);
  const backwards = last !== undefined;
  const limit = last ?? first ?? DEFAULT_PAGE;
  const whereSql = where.length > 0 ? `where ${where.join(' and ')}` : '';
  const dir = backwards === (direction === 'asc') ? 'desc' : 'asc';
  const select = `${spec.select ?? '*'}${spec.sort ? `, ${spec.sort.expr} as "__sort"` : ''}`;
  const { rows } = await pool.query<T>(
    `select ${select} from ${spec.relation} ${whereSql} order by ${keys.map((k) => `${k} ${dir}`).join(', ')} limit ${limit + 1}`,
    params,
  );
  const more = rows.length > limit;
  const nodes = rows.slice(0, limit);
  if (backwards) nodes.reverse();
  const countParams = spec.params ?? [];
  const countWhere = spec.where && spec.where.length > 0 ? `where ${spec.where.join(' and ')}` : '';
  const keyField = spec.keyField ?? col.replace(/^.*\./, '');
  const keyOf = (n: T) => n[keyField] as CursorValue;
  let cursors: string[] | undefined;
  return {
    nodes,
    // encoded when first asked for: a client that selects no cursor does not pay for them
    get cursors() {
      return (cursors ??= nodes.map((n) => (spec.sort ? encodeCursor(n.__sort as CursorValue, keyOf(n)) : encodeCursor(keyOf(n)))));
    },
    hasNextPage: backwards ? Boolean(args.before) : more,
    hasPreviousPage: backwards ? more : Boolean(args.after),
    totalCount: async () => {
      const { rows: c } = await pool.query<{ n: number }>(`select count(*)::int as n from ${spec.relation} ${countWhere}`, countParams);
      return c[0]?.n ?? 0;
    },
  };
}

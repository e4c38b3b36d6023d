import type { PoolClient } from 'pg';
import type { MergeCounts } from '../connectors/connector.js';

export interface UpsertSpec {
  /** schema-qualified table, e.g. core.project */
  table: string;
  /** natural key columns (a unique constraint must exist on them) */
  key: string[];
  runId: number;
  /** the rows to merge: a relation aliased `r`, usually MergeContext.staged(entity) */
  from: string;
  /** table columns taken as they are from `r` (the key columns included) */
  columns: string[];
  /** table column → SQL expression over `r` (e.g. a foreign key looked up by code) */
  derived?: Record<string, string>;
  /** only rows of `from` matching this condition over `r` */
  where?: string;
  /** insert order, an SQL expression over `r` (e.g. `r._seq`): generated ids then follow the source's order */
  order?: string;
  /**
   * delete rows whose key is not in `from` (optionally only those matching a condition over `t`);
   * skipped when `from` is empty, so a fully quarantined entity never wipes its table
   */
  fullRefresh?: boolean | { where: string };
  /** resolve `derived` after all rows exist (self-references such as a parent in the same input) */
  deferDerived?: boolean;
  /** the table has no last_run_id column */
  noLineage?: boolean;
  /** the table's lineage column, when it is not last_run_id (e.g. run_id of core.service_metric) */
  lineageColumn?: string;
  /**
   * columns written with every change but not compared, e.g. source_position: a row that only
   * moved within the file is unchanged, and its position stays that of the run in last_run_id
   */
  uncompared?: string[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (table: string) => table.split('.').map(ident).join('.');

/**
 * Set-based upsert by natural key, one statement (counted in the database): rows whose values did
 * not change are left untouched (counted as unchanged); new and changed rows get `last_run_id` =
 * this run. With `fullRefresh`, a second statement deletes what `from` no longer holds.
 */
export async function upsert(tx: PoolClient, spec: UpsertSpec): Promise<MergeCounts> {
  const table = qualified(spec.table);
  const derived = Object.entries(spec.derived ?? {});
  const inline = spec.deferDerived ? [] : derived;
  const lineage = spec.noLineage ? [] : [spec.lineageColumn ?? 'last_run_id'];
  const targetCols = [...spec.columns, ...inline.map(([c]) => c)];
  const selectExprs = [...spec.columns.map((c) => `r.${ident(c)}`), ...inline.map(([, expr]) => expr)];
  const uncompared = targetCols.filter((c) => spec.uncompared?.includes(c) && !spec.key.includes(c));
  const compared = targetCols.filter((c) => !spec.key.includes(c) && !uncompared.includes(c));
  const keyList = spec.key.map(ident).join(', ');
  const filter = spec.where ? `where ${spec.where}` : '';
  const keyOf = (row: Record<string, unknown>) => JSON.stringify(spec.key.map((k) => row[k]));

  const { rows: totalRows } = await tx.query<{ n: number }>(`select count(*)::int as n from ${spec.from} ${filter}`);
  const total = totalRows[0]?.n ?? 0;
  const insert = `insert into ${table} as t (${[...targetCols, ...lineage].map(ident).join(', ')})
     select ${[...selectExprs, ...(spec.noLineage ? [] : ['$1::bigint'])].join(', ')} from ${spec.from} ${filter}
     ${spec.order ? `order by ${spec.order}` : ''}
     on conflict (${keyList}) do ${
       compared.length === 0
         ? 'nothing'
         : `update set ${[...compared, ...uncompared, ...lineage].map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')}
            where (${compared.map((c) => `t.${ident(c)}`).join(', ')}) is distinct from (${compared.map((c) => `excluded.${ident(c)}`).join(', ')})`
     }`;
  const params = spec.noLineage ? [] : [spec.runId];
  if (!(spec.deferDerived && derived.length > 0)) {
    // Counted in the database: a large merge must not send every changed key back to Node.
    const { rows } = await tx.query<{ n: number }>(
      `with written as (${insert} returning 1) select count(*)::int as n from written`,
      params,
    );
    return { loaded: rows[0]?.n ?? 0, unchanged: total - (rows[0]?.n ?? 0), deleted: await refresh(tx, spec, table, total) };
  }
  // A second pass may change rows the first left alone: the changed keys are united in Node (the
  // tables with self-references that need this are small).
  const changed = new Set<string>();
  const result = await tx.query<Record<string, unknown>>(`${insert} returning ${keyList}`, params);
  for (const row of result.rows) changed.add(keyOf(row));

  const match = spec.key.map((k) => `t.${ident(k)} = r.${ident(k)}`).join(' and ');
  const second = await tx.query<Record<string, unknown>>(
    `update ${table} as t set ${derived.map(([c, expr]) => `${ident(c)} = ${expr}`).join(', ')}${spec.noLineage ? '' : `, ${ident(lineage[0] ?? 'last_run_id')} = $1::bigint`}
     from ${spec.from}
     where ${match} ${spec.where ? `and ${spec.where}` : ''}
       and (${derived.map(([c]) => `t.${ident(c)}`).join(', ')}) is distinct from (${derived.map(([, expr]) => expr).join(', ')})
     returning ${spec.key.map((k) => `t.${ident(k)}`).join(', ')}`,
    spec.noLineage ? [] : [spec.runId],
  );
  for (const row of second.rows) changed.add(keyOf(row));

  return { loaded: changed.size, unchanged: total - changed.size, deleted: await refresh(tx, spec, table, total) };
}

/** The full refresh of an upsert: deletes rows whose key `from` does not hold; returns how many. */
async function refresh(tx: PoolClient, spec: UpsertSpec, table: string, total: number): Promise<number> {
  // An empty input never empties a table: when every record of an entity was quarantined (or the
  // export came without rows), deleting "what the source no longer lists" would lose everything.
  if (!spec.fullRefresh || total === 0) return 0;
  const condition = typeof spec.fullRefresh === 'object' ? `and (${spec.fullRefresh.where})` : '';
  const del = await tx.query(
    `delete from ${table} as t where not exists (select 1 from ${spec.from} where ${spec.key
      .map((k) => `t.${ident(k)} = r.${ident(k)}`)
      .join(' and ')} ${spec.where ? `and ${spec.where}` : ''}) ${condition}`,
  );
  return del.rowCount ?? 0;
}

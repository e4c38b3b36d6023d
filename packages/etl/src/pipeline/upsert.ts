import type { PoolClient } from 'pg';
import type { MergeCounts } from '../connectors/connector.js';

export interface UpsertSpec {
  /** schema-qualified table, e.g. core.project */
  table: string;
  /** natural key columns (a unique constraint must exist on them) */
  key: string[];
  runId: number;
  /** input fields and their PostgreSQL types; fields that are not table columns serve `derived` */
  columns: Record<string, string>;
  /** table column → SQL expression over the input row `r` (e.g. a foreign key looked up by code) */
  derived?: Record<string, string>;
  rows: Record<string, unknown>[];
  /** delete rows whose key is not in the input (optionally only those matching a condition) */
  fullRefresh?: boolean | { where: string };
  /** resolve `derived` after all rows exist (self-references such as a parent in the same input) */
  deferDerived?: boolean;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (table: string) => table.split('.').map(ident).join('.');

async function tableColumns(tx: PoolClient, table: string): Promise<Set<string>> {
  const [schema, name] = table.split('.');
  const { rows } = await tx.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_schema = $1 and table_name = $2`,
    [schema, name],
  );
  return new Set(rows.map((r) => r.column_name));
}

/**
 * Set-based upsert by natural key: one statement per batch, rows whose values did not change are
 * left untouched (and counted as unchanged), changed and new rows get `last_run_id` = this run.
 */
export async function upsert(tx: PoolClient, spec: UpsertSpec): Promise<MergeCounts> {
  const existing = await tableColumns(tx, spec.table);
  const table = qualified(spec.table);
  const recordset = `jsonb_to_recordset($1::jsonb) as r(${Object.entries(spec.columns)
    .map(([name, type]) => `${ident(name)} ${type}`)
    .join(', ')})`;
  const plain = Object.keys(spec.columns).filter((c) => existing.has(c));
  const derived = Object.entries(spec.derived ?? {});
  const inline = spec.deferDerived ? [] : derived;
  const targetCols = [...plain, ...inline.map(([c]) => c)];
  const selectExprs = [...plain.map((c) => `r.${ident(c)}`), ...inline.map(([, expr]) => expr)];
  const compared = targetCols.filter((c) => !spec.key.includes(c));
  const keyList = spec.key.map(ident).join(', ');
  const rowsJson = JSON.stringify(spec.rows);

  const changed = new Set<string>();
  const keyOf = (row: Record<string, unknown>) => JSON.stringify(spec.key.map((k) => row[k]));
  const result = await tx.query<Record<string, unknown>>(
    `insert into ${table} as t (${[...targetCols, 'last_run_id'].map(ident).join(', ')})
     select ${[...selectExprs, '$2'].join(', ')} from ${recordset}
     on conflict (${keyList}) do update set ${[...compared, 'last_run_id'].map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')}
     ${compared.length > 0 ? `where (${compared.map((c) => `t.${ident(c)}`).join(', ')}) is distinct from (${compared.map((c) => `excluded.${ident(c)}`).join(', ')})` : 'where false'}
     returning ${keyList}`,
    [rowsJson, spec.runId],
  );
  for (const row of result.rows) changed.add(keyOf(row));

  if (spec.deferDerived && derived.length > 0) {
    const match = spec.key.map((k) => `t.${ident(k)} = r.${ident(k)}`).join(' and ');
    const second = await tx.query<Record<string, unknown>>(
      `update ${table} as t set ${derived.map(([c, expr]) => `${ident(c)} = ${expr}`).join(', ')}, last_run_id = $2
       from ${recordset}
       where ${match} and (${derived.map(([c]) => `t.${ident(c)}`).join(', ')}) is distinct from (${derived.map(([, expr]) => expr).join(', ')})
       returning ${spec.key.map((k) => `t.${ident(k)}`).join(', ')}`,
      [rowsJson, spec.runId],
    );
    for (const row of second.rows) changed.add(keyOf(row));
  }

  let deleted = 0;
  if (spec.fullRefresh) {
    const condition = typeof spec.fullRefresh === 'object' ? `and (${spec.fullRefresh.where})` : '';
    const keyRecordset = `jsonb_to_recordset($1::jsonb) as r(${spec.key.map((k) => `${ident(k)} ${spec.columns[k] ?? 'text'}`).join(', ')})`;
    const del = await tx.query(
      `delete from ${table} as t where not exists (select 1 from ${keyRecordset} where ${spec.key
        .map((k) => `t.${ident(k)} = r.${ident(k)}`)
        .join(' and ')}) ${condition}`,
      [rowsJson],
    );
    deleted = del.rowCount ?? 0;
  }
  return { loaded: changed.size, unchanged: spec.rows.length - changed.size, deleted };
}

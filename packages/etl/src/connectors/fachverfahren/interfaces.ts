// The interfaces between procedures (Schnittstellen): a directed graph over the inventory's keys,
// which may contain cycles (a later impact analysis walks it).
import type { PoolClient } from 'pg';
import type { EntitySpec, MergeContext, MergeCounts } from '../connector.js';
import { formatAware } from '../csv/format.js';
import { csvRecord, oneOf, text } from '../csv/values.js';
import { quarantineStaged } from '../../pipeline/quarantine.js';
import { upsert } from '../../pipeline/upsert.js';
import { procedureKey } from './procedures.js';
import { interfaceDirections } from './words.js';

export const interfaceColumns = ['Quellverfahren', 'Zielverfahren', 'Schnittstellenart', 'Richtung', 'Beschreibung'] as const;

/** "XMeld", "Datei-Export", "REST-API" → xmeld, datei-export, rest-api; none given → data. */
export function interfaceKind(raw: string | null): string {
  const slug = (raw ?? '')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug === '' ? 'data' : slug;
}

const procedureInterface = formatAware(() =>
  csvRecord({
    Quellverfahren: procedureKey,
    Zielverfahren: procedureKey,
    Schnittstellenart: text({ max: 100 }),
    Richtung: oneOf(interfaceDirections),
    Beschreibung: text(),
  })
    .refine((r) => r.Quellverfahren !== r.Zielverfahren, {
      path: ['Zielverfahren'],
      error: (issue) => {
        const input = issue.input as { Zielverfahren?: unknown };
        return `${JSON.stringify(input.Zielverfahren)} is the same procedure as Quellverfahren (no interface to itself)`;
      },
    })
    .transform((r) => ({
      from_key: r.Quellverfahren,
      to_key: r.Zielverfahren,
      kind: interfaceKind(r.Schnittstellenart),
      kind_raw: r.Schnittstellenart,
      direction: r.Richtung ?? 'one_way',
      description: r.Beschreibung,
    })),
);

export const interfaceEntity = {
  schema: procedureInterface,
  key: ['from_key', 'to_key', 'kind'],
  expectedFields: interfaceColumns,
  columns: { from_key: 'text', to_key: 'text', kind: 'text', kind_raw: 'text', direction: 'text', description: 'text' },
} satisfies EntitySpec;

/**
 * Merges the interfaces: a row naming a procedure the inventory does not contain goes to the
 * quarantine (ROW_UNKNOWN_PROCEDURE); the others are upserted by (from, to, kind). Full refresh:
 * an interface the export no longer lists is deleted — unless a row between the same two
 * procedures was quarantined in this run (still listed, only unreadable).
 */
export async function mergeInterfaces(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const { runId } = ctx;
  const known = (column: string) => `exists (select 1 from core.procedure p where p.key = r.${column})`;
  const quarantined = await quarantineStaged(tx, {
    runId,
    entity: 'interface',
    from: ctx.staged('interface'),
    where: `not (${known('from_key')} and ${known('to_key')})`,
    code: 'ROW_UNKNOWN_PROCEDURE',
    reason: `case when not ${known('from_key')}
               then 'Quellverfahren: "' || r.from_key || '" is not a procedure of the inventory'
               else 'Zielverfahren: "' || r.to_key || '" is not a procedure of the inventory' end`,
  });
  const resolved = `(select r.*, f.id as from_procedure_id, t.id as to_procedure_id
    from ${ctx.staged('interface')} join core.procedure f on f.key = r.from_key join core.procedure t on t.key = r.to_key) as r`;
  const rawKey = (column: string) => `upper(trim(q.raw->>'${column}'))`;
  const counts = await upsert(tx, {
    table: 'core.procedure_interface',
    key: ['from_procedure_id', 'to_procedure_id', 'kind'],
    runId,
    from: resolved,
    columns: ['from_procedure_id', 'to_procedure_id', 'kind', 'direction', 'description'],
    fullRefresh: {
      where: `not exists (select 1 from etl.quarantine q
                join core.procedure f on f.key = ${rawKey('Quellverfahren')} join core.procedure p on p.key = ${rawKey('Zielverfahren')}
                where q.run_id = ${runId} and q.raw->>'entity' = 'interface' and f.id = t.from_procedure_id and p.id = t.to_procedure_id)`,
    },
  });
  return { ...counts, quarantined };
}

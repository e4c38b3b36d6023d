// The procedure inventory (Verfahrensinventar): one row per specialist procedure with its IST
// (phase, cost, users, OZG readiness, DMS connection) and SOLL (measure, target DMS connection,
// dates) as the IT-Bebauung asks for them.
import type { PoolClient } from 'pg';
import type { EntitySpec, MergeContext, MergeCounts } from '../connector.js';
import { formatAware } from '../csv/format.js';
import { calendarDate, cellSchema, csvRecord, decimalNumber, oneOf, requiredText, text, yesNo } from '../csv/values.js';
import { orgUnitCodes } from '../strategy/cells.js';
import { upsert } from '../../pipeline/upsert.js';
import { dmsConnections, lifecyclePhases, targetActions } from './words.js';

/** The inventory's columns as the Ämter export them. */
export const inventoryColumns = [
  'Kennung',
  'Bezeichnung',
  'Hersteller',
  'Beschreibung',
  'Ämter',
  'Lebenszyklusphase',
  'Jahreskosten (EUR)',
  'Nutzer',
  'OZG-fähig',
  'DMS-Anbindung',
  'SOLL-Maßnahme',
  'SOLL-DMS-Anbindung',
  'Zieldatum',
  'Ende der Nutzung',
] as const;

/** A procedure key ("FV-017"): trimmed, upper case, so both exports match whatever case they use. */
export const procedureKey = cellSchema<string>((raw) => {
  const key = raw?.trim() ?? '';
  if (key === '') return { error: raw === undefined ? 'missing column' : 'missing value', code: 'ROW_MISSING_VALUE' };
  if (key.length > 40 || !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(key)) {
    return { error: `${JSON.stringify(key)} is not a procedure key (letters, digits, . _ / -)` };
  }
  return { value: key.toUpperCase() };
});

const procedure = formatAware((format) =>
  csvRecord({
    Kennung: procedureKey,
    Bezeichnung: requiredText({ max: 300 }),
    Hersteller: text({ max: 300 }),
    Beschreibung: text(),
    Ämter: text({ max: 500 }),
    Lebenszyklusphase: oneOf(lifecyclePhases),
    'Jahreskosten (EUR)': decimalNumber({ decimal: format.decimal, min: 0 }),
    Nutzer: decimalNumber({ decimal: format.decimal, min: 0, integer: true }),
    'OZG-fähig': yesNo(),
    'DMS-Anbindung': oneOf(dmsConnections),
    'SOLL-Maßnahme': oneOf(targetActions),
    'SOLL-DMS-Anbindung': oneOf(dmsConnections),
    Zieldatum: calendarDate({ format: format.dateFormat }),
    'Ende der Nutzung': calendarDate({ format: format.dateFormat }),
  }).transform((r) => ({
    key: r.Kennung,
    name: r.Bezeichnung,
    vendor: r.Hersteller,
    description: r.Beschreibung,
    owner_org_units_raw: r.Ämter ?? '',
    owner_codes: orgUnitCodes(r.Ämter ?? ''),
    lifecycle_phase: r.Lebenszyklusphase,
    annual_cost: r['Jahreskosten (EUR)'],
    users: r.Nutzer,
    ozg_ready: r['OZG-fähig'],
    dms_connection: r['DMS-Anbindung'],
    target_action: r['SOLL-Maßnahme'],
    target_dms_connection: r['SOLL-DMS-Anbindung'],
    target_date: r.Zieldatum,
    end_of_life_date: r['Ende der Nutzung'],
  })),
);

export const procedureEntity = {
  schema: procedure,
  key: ['key'],
  expectedFields: inventoryColumns,
  columns: {
    key: 'text',
    name: 'text',
    vendor: 'text',
    description: 'text',
    owner_org_units_raw: 'text',
    owner_codes: 'text[]',
    lifecycle_phase: 'text',
    annual_cost: 'numeric',
    users: 'integer',
    ozg_ready: 'boolean',
    dms_connection: 'text',
    target_action: 'text',
    target_dms_connection: 'text',
    target_date: 'date',
    end_of_life_date: 'date',
  },
} satisfies EntitySpec;

/** The IST and SOLL of a procedure `p`, as kept in core.procedure_history. */
const snapshotOf = `jsonb_build_object(
  'ist', jsonb_build_object('lifecycle_phase', p.lifecycle_phase, 'annual_cost', p.annual_cost, 'users', p.users,
                            'ozg_ready', p.ozg_ready, 'dms_connection', p.dms_connection),
  'soll', jsonb_build_object('target_action', p.target_action, 'target_dms_connection', p.target_dms_connection,
                             'target_date', p.target_date, 'end_of_life_date', p.end_of_life_date))`;

/**
 * Merges the inventory: procedures by key (full refresh — what the inventory no longer lists is
 * deleted, except a procedure whose row was quarantined in this run: it is still listed, only
 * unreadable, and keeps its last good state), their owning org units (codes that name no org unit
 * stay in owner_org_units_raw only), and an IST/SOLL snapshot in core.procedure_history whenever
 * those fields differ from the procedure's last snapshot.
 */
export async function mergeProcedures(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const { runId } = ctx;
  const staged = ctx.staged('procedure');
  const counts = await upsert(tx, {
    table: 'core.procedure',
    key: ['key'],
    runId,
    from: staged,
    columns: [
      'key',
      'name',
      'vendor',
      'description',
      'owner_org_units_raw',
      'lifecycle_phase',
      'annual_cost',
      'users',
      'ozg_ready',
      'dms_connection',
      'target_action',
      'target_dms_connection',
      'target_date',
      'end_of_life_date',
    ],
    derived: { source_position: 'r._position' },
    uncompared: ['source_position'],
    fullRefresh: {
      where: `not exists (select 1 from etl.quarantine q where q.run_id = ${runId} and q.raw->>'entity' = 'procedure'
                            and upper(trim(coalesce(q.raw->>'Kennung', q.raw->>'key'))) = t.key)`,
    },
  });

  // Owner links of the procedures in this export: added and removed to match the Ämter cells.
  const desired = `select p.id as procedure_id, o.id as org_unit_id
    from ${staged} join core.procedure p on p.key = r.key
    cross join lateral unnest(r.owner_codes) as c(code) join core.org_unit o on o.code = c.code`;
  await tx.query(
    `delete from core.procedure_org_unit po
     where po.role = 'owner'
       and po.procedure_id in (select p.id from ${staged} join core.procedure p on p.key = r.key)
       and (po.procedure_id, po.org_unit_id) not in (${desired})`,
  );
  await tx.query(
    `insert into core.procedure_org_unit (procedure_id, org_unit_id, role) select procedure_id, org_unit_id, 'owner' from (${desired}) d
     on conflict do nothing`,
  );
  const { rows: unknown } = await tx.query<{ code: string; procedures: string[] }>(
    `select c.code, array_agg(r.key order by r.key) as procedures
     from ${staged} cross join lateral unnest(r.owner_codes) as c(code)
     where not exists (select 1 from core.org_unit o where o.code = c.code) group by c.code order by c.code`,
  );
  if (unknown.length > 0) ctx.log.warn({ unknownOrgUnits: unknown }, 'Ämter codes without an org unit: kept in owner_org_units_raw only');

  const { rowCount: snapshots } = await tx.query(
    `insert into core.procedure_history (procedure_id, snapshot, valid_from, run_id)
     select p.id, s.snapshot, now(), $1
     from ${staged} join core.procedure p on p.key = r.key
     cross join lateral (select ${snapshotOf} as snapshot) s
     where s.snapshot is distinct from (
       select h.snapshot from core.procedure_history h where h.procedure_id = p.id order by h.valid_from desc, h.id desc limit 1)`,
    [runId],
  );
  ctx.log.info({ snapshots }, 'IST/SOLL snapshots of changed procedures');
  return counts;
}

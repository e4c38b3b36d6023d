// Who handles a service, with which procedure, and whether it reuses an EfA solution: the
// Leistungszuordnung the OZG-Monitoring reports (columns 9–11 of the monthly report). The OZG
// catalog knows none of this, so it comes from a file the Ämter and the OZG coordination keep.
import { resolve } from 'node:path';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import {
  defineConnector,
  type EntitySpec,
  type ExtractContext,
  type MergeContext,
  type MergeCounts,
  type RawRecord,
} from '../connector.js';
import { csvFormatConfig } from '../csv/format.js';
import { readCsv } from '../csv/read-csv.js';
import { cellSchema, csvRecord, text, yesNo } from '../csv/values.js';
import { serviceRef } from '../ozg/cells.js';
import { orgUnitCodes } from '../strategy/cells.js';
import { quarantineStaged } from '../../pipeline/quarantine.js';

export const assignmentColumns = ['Leistung', 'Amt', 'Fachverfahren', 'EfA-Nachnutzung', 'Bemerkung'] as const;

export const leistungszuordnungConfig = csvFormatConfig.extend({
  /** the CSV file, relative to sources.yaml */
  path: z.string().min(1),
});
export type LeistungszuordnungConfig = z.infer<typeof leistungszuordnungConfig>;

/** The service: an OZG id (5 digits), a LeiKa key (14 digits) or a platform key, as in the maturity file. */
const serviceCell = cellSchema<string>((raw) => {
  const value = raw?.trim() ?? '';
  if (value === '') return { error: raw === undefined ? 'missing column' : 'missing value', code: 'ROW_MISSING_VALUE' };
  const key = serviceRef(value);
  return key
    ? { value: key }
    : { error: `${JSON.stringify(value)} is neither an OZG id (5 digits) nor a LeiKa key (14 digits)`, code: 'ROW_BAD_SERVICE_KEY' };
});

/**
 * The org unit: a code of the strategy catalog (core.org_unit). Numeric codes are written as the
 * catalog writes them ("6.3" → "06.3"), named units ("sozialamt") as they are, lower case.
 */
const orgUnitCell = cellSchema<string | null>((raw) => {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '.') return { value: null };
  if (/^[\d.]+$/.test(value)) {
    const codes = orgUnitCodes(value);
    return codes.length === 1 ? { value: codes[0]! } : { error: `${JSON.stringify(value)} is not one org unit code` };
  }
  return /^[a-z0-9_äöüß-]{1,80}$/i.test(value)
    ? { value: value.toLowerCase() }
    : { error: `${JSON.stringify(value)} is not an org unit code` };
});

/** The procedure's Kennung ("FV-017"), upper case as the inventory keeps it; empty: none. */
const procedureCell = cellSchema<string | null>((raw) => {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '.') return { value: null };
  return value.length <= 40 && /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value)
    ? { value: value.toUpperCase() }
    : { error: `${JSON.stringify(value)} is not a procedure key (letters, digits, . _ / -)` };
});

const assignment = csvRecord({
  Leistung: serviceCell,
  Amt: orgUnitCell,
  Fachverfahren: procedureCell,
  'EfA-Nachnutzung': yesNo(),
  // free text for the people keeping the file; not loaded
  Bemerkung: text(),
}).transform((r) => ({
  service_key: r.Leistung,
  org_unit_code: r.Amt,
  procedure_key: r.Fachverfahren,
  efa: r['EfA-Nachnutzung'],
}));

export const assignmentEntity = {
  schema: assignment,
  key: ['service_key'],
  expectedFields: assignmentColumns,
  columns: { service_key: 'text', org_unit_code: 'text', procedure_key: 'text', efa: 'boolean' },
} satisfies EntitySpec;

async function* extract(config: LeistungszuordnungConfig, ctx: ExtractContext): AsyncIterable<RawRecord> {
  const rows = readCsv(resolve(ctx.baseDir, config.path), {
    encoding: config.encoding,
    delimiter: config.delimiter,
    skipLines: config.skipLines,
    ...(config.commentPrefix ? { commentPrefix: config.commentPrefix } : {}),
    signal: ctx.signal,
    onBytes: (n) => ctx.addBytes(n),
  });
  for await (const row of rows) {
    const record: RawRecord = { entity: 'assignment', position: row.position, data: row.data };
    if (row.problem) record.reject = { code: 'ROW_FIELD_COUNT', reason: `row: ${row.problem}` };
    yield record;
  }
}

/**
 * Writes the assignments into core.service (responsible_org_unit_id, procedure_id, efa); the
 * service_history triggers of migration 0015 keep their history for the monthly reports. A row
 * naming a service, org unit or procedure the platform does not hold goes to the quarantine. The
 * file is the whole assignment (full refresh): a service it no longer names loses its assignment —
 * unless its row was quarantined in this run (still named, only unreadable: it keeps the last one).
 */
async function merge(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const { runId } = ctx;
  if ((await ctx.stagedCount('assignment')) === 0) return { loaded: 0, unchanged: 0, deleted: 0 };
  const staged = ctx.staged('assignment');
  let quarantined = await quarantineStaged(tx, {
    runId,
    entity: 'assignment',
    from: staged,
    where: `not exists (select 1 from core.service s where s.key = r.service_key)`,
    code: 'ROW_UNKNOWN_SERVICE',
    reason: `'Leistung: "' || r.service_key || '" is not a service of the catalog'`,
  });
  quarantined += await quarantineStaged(tx, {
    runId,
    entity: 'assignment',
    from: staged,
    where: `r.org_unit_code is not null and not exists (select 1 from core.org_unit o where o.code = r.org_unit_code)`,
    code: 'ROW_UNKNOWN_ORG_UNIT',
    reason: `'Amt: "' || r.org_unit_code || '" is not an org unit of the strategy catalog'`,
  });
  quarantined += await quarantineStaged(tx, {
    runId,
    entity: 'assignment',
    from: staged,
    where: `r.procedure_key is not null and not exists (select 1 from core.procedure p where p.key = r.procedure_key)`,
    code: 'ROW_UNKNOWN_PROCEDURE',
    reason: `'Fachverfahren: "' || r.procedure_key || '" is not a procedure of the inventory'`,
  });
  const { rows: totals } = await tx.query<{ n: number }>(`select count(*)::int as n from ${staged}`);
  const total = totals[0]?.n ?? 0;
  const { rows: written } = await tx.query<{ n: number }>(
    `with wanted as (
       select s.id, o.id as org_unit_id, p.id as procedure_id, r.efa
       from ${staged} join core.service s on s.key = r.service_key
       left join core.org_unit o on o.code = r.org_unit_code left join core.procedure p on p.key = r.procedure_key),
     changed as (
       update core.service t set responsible_org_unit_id = w.org_unit_id, procedure_id = w.procedure_id, efa = w.efa
       from wanted w
       where t.id = w.id and (t.responsible_org_unit_id, t.procedure_id, t.efa) is distinct from (w.org_unit_id, w.procedure_id, w.efa)
       returning 1)
     select count(*)::int as n from changed`,
  );
  const loaded = written[0]?.n ?? 0;
  // a file whose rows were all quarantined names no service: it takes nothing away
  if (total === 0) return { loaded, unchanged: 0, deleted: 0, quarantined };
  // a row quarantined in this run names its service by the staged key or by the file's cell
  const { rowCount: cleared } = await tx.query(
    `update core.service t set responsible_org_unit_id = null, procedure_id = null, efa = null
     where (t.responsible_org_unit_id is not null or t.procedure_id is not null or t.efa is not null)
       and not exists (select 1 from ${staged} where r.service_key = t.key)
       and not exists (
         select 1 from etl.quarantine q where q.run_id = $1 and q.raw->>'entity' = 'assignment'
           and coalesce(q.raw->>'service_key', trim(q.raw->>'Leistung'))
               in (t.key, case when t.kind = 'ozg' then t.ozg_id end, t.leika_key))`,
    [runId],
  );
  return { loaded, unchanged: total - loaded, deleted: cleared ?? 0, quarantined };
}

/**
 * The Leistungszuordnung: per OZG/LeiKa service the responsible org unit, the procedure that
 * handles it and whether it reuses an "Einer für Alle" solution — one CSV file (README beside).
 */
export const leistungszuordnungConnector = defineConnector<LeistungszuordnungConfig>({
  kind: 'leistungszuordnung',
  description: 'Service assignment (CSV): responsible org unit, handling procedure and EfA reuse per OZG/LeiKa service',
  configSchema: leistungszuordnungConfig,
  entities: { assignment: assignmentEntity },
  extract,
  merge,
});

// Monthly case numbers per service (Fallzahlen) from the procedures' statistics exports.
import type { PoolClient } from 'pg';
import type { EntitySpec, MergeContext, MergeCounts } from '../connector.js';
import { formatAware } from '../csv/format.js';
import { cellSchema, csvRecord, decimalNumber, text, yearMonth } from '../csv/values.js';
import { orgUnitCodes } from '../strategy/cells.js';
import { upsert } from '../../pipeline/upsert.js';
import { metricsLane } from './metrics-lane.js';

export const metricColumns = [
  'Leistung',
  'Leistungsbezeichnung',
  'Monat',
  'Anträge online',
  'Anträge offline',
  'Termine',
  'Median Bearbeitungstage',
  'Amt',
] as const;

export interface ServiceRef {
  /** core.service.key: `leika:<14 digits>`, or `local:<key>` for a service outside the LeiKa */
  key: string;
  leikaKey: string | null;
}

/**
 * The service a metrics row names: a 14-digit LeiKa key, a platform key (`leika:…`, `ozg:…`,
 * `local:…`) or a local key of the city ("HRO-STRAND-01"); undefined for a number that is no
 * LeiKa key (a cut-off key would otherwise become a local service).
 */
export function serviceRef(raw: string): ServiceRef | undefined {
  const value = raw.trim();
  const leika = /^(?:leika:)?(\d{14})$/.exec(value);
  if (leika?.[1]) return { key: `leika:${leika[1]}`, leikaKey: leika[1] };
  if (/^\d+$/.test(value) || value.startsWith('leika:')) return undefined;
  if (/^(ozg|local):[A-Za-z0-9._/-]+$/.test(value)) return { key: value, leikaKey: null };
  if (/^[A-Za-z][A-Za-z0-9._/-]{0,59}$/.test(value)) return { key: `local:${value}`, leikaKey: null };
  return undefined;
}

/** The Leistung cell: a service reference, or an error with its own reason code. */
const serviceCell = cellSchema<ServiceRef>((raw) => {
  const value = raw?.trim() ?? '';
  if (value === '') return { error: raw === undefined ? 'missing column' : 'missing value', code: 'ROW_MISSING_VALUE' };
  const ref = value.length <= 80 ? serviceRef(value) : undefined;
  if (ref) return { value: ref };
  return { error: `${JSON.stringify(value)} is neither a LeiKa key (14 digits) nor a local service key`, code: 'ROW_BAD_SERVICE_KEY' };
});

/** The Amt cell: its first org-unit code ("6.3" → "06.3"), null when it names none; a cell, so it is read once per distinct text. */
const amtText = text({ max: 100 });
const amtCell = cellSchema<string | null>((raw) => {
  const result = amtText.read(raw);
  return 'value' in result && result.value !== null ? { value: orgUnitCodes(result.value)[0] ?? null } : result;
});

const metric = formatAware((format) => {
  // bounded by the columns' types (integer, numeric(8,2)): an outlier is quarantined, not a failed run
  const count = decimalNumber({ decimal: format.decimal, min: 0, max: 2_147_483_647, integer: true });
  return csvRecord({
    Leistung: serviceCell,
    Leistungsbezeichnung: text({ max: 500 }),
    Monat: yearMonth({ required: true }),
    'Anträge online': count,
    'Anträge offline': count,
    Termine: count,
    'Median Bearbeitungstage': decimalNumber({ decimal: format.decimal, min: 0, max: 999_999.99 }),
    Amt: amtCell,
  }).transform((r) => ({
    service_key: r.Leistung.key,
    leika_key: r.Leistung.leikaKey,
    service_title: r.Leistungsbezeichnung,
    month: r.Monat,
    applications_online: r['Anträge online'],
    applications_offline: r['Anträge offline'],
    appointments: r.Termine,
    median_processing_days: r['Median Bearbeitungstage'],
    org_unit_code: r.Amt,
  }));
});

export const metricEntity = {
  schema: metric,
  key: ['service_key', 'month'],
  expectedFields: metricColumns,
  direct: metricsLane,
  columns: {
    service_key: 'text',
    leika_key: 'text',
    service_title: 'text',
    month: 'date',
    applications_online: 'integer',
    applications_offline: 'integer',
    appointments: 'integer',
    median_processing_days: 'numeric',
    org_unit_code: 'text',
  },
} satisfies EntitySpec;

/**
 * Merges the case numbers by (service, month), without deletes (an export covers some months).
 * The service is found by LeiKa key, else by our key. A service the catalog does not (yet) hold is
 * not lost: a minimal core.service row of kind `local` is created under the key the export names
 * (`leika:<key>` or `local:<key>`) with the export's Leistungsbezeichnung as title; when the
 * OZG/LeiKa catalog later loads that LeiKa key, its upsert by key takes the row over.
 */
export async function mergeMetrics(tx: PoolClient, ctx: MergeContext): Promise<MergeCounts> {
  const { runId } = ctx;
  const staged = ctx.staged('metric');
  // core.service_metric has no row-level foreign keys (migration 0009): no service may vanish
  // between the join that resolves it and the commit. The lock also orders concurrent merges
  // of case numbers (SHARE ROW EXCLUSIVE conflicts with itself and with every writer).
  await tx.query('lock table core.service in share row exclusive mode');
  const { rowCount: created } = await tx.query(
    `insert into core.service (key, kind, leika_key, title, last_run_id)
     select distinct on (r.service_key) r.service_key, 'local', r.leika_key, coalesce(r.service_title, r.service_key), $1::bigint
     from ${staged}
     where not exists (select 1 from core.service s where s.key = r.service_key)
       and (r.leika_key is null or not exists (select 1 from core.service s where s.leika_key = r.leika_key))
     order by r.service_key, r._seq desc
     on conflict do nothing`,
    [runId],
  );
  if (created) ctx.log.info({ created }, 'services unknown to the catalog created as local services');
  const resolved = `(select r.*, coalesce(by_leika.id, by_key.id) as service_id, o.id as org_unit_id
    from ${staged}
    left join core.service by_leika on r.leika_key is not null and by_leika.leika_key = r.leika_key
    left join core.service by_key on by_key.key = r.service_key
    left join core.org_unit o on o.code = r.org_unit_code) as r`;
  return upsert(tx, {
    table: 'core.service_metric',
    key: ['service_id', 'month'],
    runId,
    from: resolved,
    columns: [
      'service_id',
      'month',
      'applications_online',
      'applications_offline',
      'appointments',
      'median_processing_days',
      'org_unit_id',
    ],
    lineageColumn: 'run_id',
  });
}

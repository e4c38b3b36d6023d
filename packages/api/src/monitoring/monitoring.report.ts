import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { endOfDaySql, monthName, parseMonth, stichtagOfMonth } from './calendar.js';
import {
  GAP_DEFINITION,
  OZG_REPORT_COLUMNS,
  SCOPE_DEFINITION,
  STATUS_DEFINITION,
  STATUS_LABELS,
  type OzgStatus,
  type ReportColumn,
} from './monitoring.definitions.js';
import { dataStandAt, type DataStand } from './monitoring.service.js';

/** A cell of the report: text, a whole number, a date (YYYY-MM-DD), yes/no, or empty. */
export type ReportCell = string | number | boolean | null;

export interface OzgMonthlyReport {
  title: string;
  month: string;
  /** the end of this day (Europe/Berlin) is the state reported */
  stichtag: string;
  /** the month is still running: the report shows today's state */
  preliminary: boolean;
  columns: readonly ReportColumn[];
  /** one row per service, ordered by service key; cells in column order */
  rows: ReportCell[][];
  /** the last successful ETL run of each source before the end of the Stichtag */
  dataAsOf: DataStand[];
  definitions: { scope: string; status: string; gap: string };
}

/**
 * The standard monthly OZG report for the Land and the council (steering team): the fixed column
 * layout of OZG_REPORT_COLUMNS, one row per monitored service, as the data stood at the end of the
 * month's last day — the same bytes whenever it is produced for a past month, as it reads only
 * history rows valid at that instant (migration 0015, core.ozg_report_rows).
 */
export function ozgMonthlyReport(ctx: DomainContext, args: { month: string }): Promise<OzgMonthlyReport> {
  return runAction(ctx, 'ozg.report', async (c) => {
    authorize(c, 'core.read');
    const month = parseMonth(args.month, 'month');
    const { stichtag, preliminary } = stichtagOfMonth(month, 'month');
    const dataColumns = OZG_REPORT_COLUMNS.filter((col) => col.key !== 'month' && col.key !== 'stichtag');
    const { rows } = await c.pool.query<Record<string, unknown>>(
      `select ${dataColumns.map((col) => (col.type === 'date' ? `${col.key}::text as ${col.key}` : col.key)).join(', ')}
       from core.ozg_report_rows($1::date) order by service_key`,
      [stichtag],
    );
    const cells = rows.map((row) =>
      OZG_REPORT_COLUMNS.map((col): ReportCell => {
        if (col.key === 'month') return month;
        if (col.key === 'stichtag') return stichtag;
        const value = row[col.key];
        if (value === null || value === undefined) return null;
        if (col.key === 'status') return STATUS_LABELS[value as OzgStatus];
        return value as ReportCell;
      }),
    );
    return {
      title: `OZG-Monatsbericht ${monthName(month)}${preliminary ? ' (vorläufig)' : ''}`,
      month,
      stichtag,
      preliminary,
      columns: OZG_REPORT_COLUMNS,
      rows: cells,
      dataAsOf: await dataStandAt(c, endOfDaySql('$1'), [stichtag]),
      definitions: { scope: SCOPE_DEFINITION, status: STATUS_DEFINITION, gap: GAP_DEFINITION },
    };
  });
}

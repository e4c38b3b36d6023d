import { authorize, readScope, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { ValidationError } from '../errors/index.js';
import { kpiCatalog } from '../kpis/kpi.catalog.js';
import { addMonths, currentMonth, monthName, parseMonth, stichtagOfMonth } from '../monitoring/calendar.js';
import { programOverview, overdueMilestonesSql, type OverdueMilestoneRow, type ProgramInitiativeRow } from './program.service.js';

export type ChangeCategory = 'erreicht' | 'geplant' | 'verzögert' | 'geändert';

export interface ProgramChangeRow {
  occurredAt: Date;
  kind: string;
  category: ChangeCategory;
  subjectType: string;
  subjectKey: string;
  subjectTitle: string | null;
  fieldKey: string | null;
  parentKey: string | null;
  detail: string | null;
  oldValue: string | null;
  newValue: string | null;
  /** one German sentence, generated from the row */
  text: string;
}

export interface KpiDeltaRow {
  kpiId: string;
  title: string;
  unit: string;
  dimensions: Record<string, string>;
  /** the last value before the month began (null: none, or withheld) */
  previous: number | null;
  /** the last value of the month */
  current: number | null;
  delta: number | null;
  suppressed: boolean;
  computedAt: Date | null;
}

export interface ProgramMonthRow {
  month: string;
  title: string;
  stichtag: string;
  preliminary: boolean;
  changes: ProgramChangeRow[];
  counts: Record<ChangeCategory, number>;
  kpiDeltas: KpiDeltaRow[];
  driverProjects: ProgramInitiativeRow[];
  /** internal (steering team): milestones overdue at the end of the month */
  overdueMilestones?: OverdueMilestoneRow[];
  /** whether internal entries are included (steering team) */
  complete: boolean;
}

const STATUS_WORDS: Record<string, string> = {
  planned: 'geplant',
  in_progress: 'in Umsetzung',
  on_hold: 'pausiert',
  done: 'abgeschlossen',
  cancelled: 'abgebrochen',
};

const day = (iso: string | null) =>
  iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : (iso ?? '');
/** "3 bis 2026-06-30" (a target as the change log writes it) → "3 bis 30.06.2026" */
const target = (value: string | null) => (value ?? '').replace(/(\d{4}-\d{2}-\d{2})/g, (d) => day(d));
const quoted = (title: string | null) => `„${title ?? ''}“`;

function categoryOf(row: Omit<ProgramChangeRow, 'category' | 'text'>): ChangeCategory {
  switch (row.kind) {
    case 'milestone_done':
      return 'erreicht';
    case 'milestone_new':
    case 'project_new':
    case 'service_target':
      return 'geplant';
    case 'milestone_overdue':
      return 'verzögert';
    case 'initiative_status':
    case 'project_status':
      return row.detail === 'done' ? 'erreicht' : row.detail === 'on_hold' || row.detail === 'cancelled' ? 'verzögert' : 'geändert';
    case 'service_level':
      return Number(row.newValue) > Number(row.oldValue) ? 'erreicht' : 'geändert';
    default:
      return 'geändert';
  }
}

function textOf(row: Omit<ProgramChangeRow, 'category' | 'text'>): string {
  const title = quoted(row.subjectTitle);
  const status = (raw: string | null) => (raw && raw.trim() !== '' ? raw : 'ohne Angabe');
  switch (row.kind) {
    case 'initiative_status':
      return `Vorhaben ${title}: Status ${status(row.oldValue)} → ${status(row.newValue)}`;
    case 'project_new':
      return `Neues Projekt ${title}${row.newValue ? ` (${STATUS_WORDS[row.newValue] ?? row.newValue})` : ''}`;
    case 'project_status':
      return `Projekt ${title}: Status ${status(row.oldValue)} → ${status(row.newValue)}`;
    case 'milestone_new':
      return `Neuer Meilenstein ${title} im Projekt ${row.parentKey ?? ''}${row.newValue ? `, fällig am ${day(row.newValue)}` : ''}`;
    case 'milestone_done':
      return `Meilenstein ${title} im Projekt ${row.parentKey ?? ''} erreicht am ${day(row.newValue)}`;
    case 'milestone_overdue':
      return `Meilenstein ${title} im Projekt ${row.parentKey ?? ''} überfällig (fällig am ${day(row.oldValue)})`;
    case 'service_level':
      return `Leistung ${title}: Reifegrad (${row.detail ?? ''}) ${row.oldValue ?? '–'} → ${row.newValue ?? '–'}`;
    case 'service_target':
      return `Leistung ${title}: Ziel (${row.detail ?? ''}) ${row.oldValue ? `${target(row.oldValue)} → ` : ''}Stufe ${target(row.newValue)}`;
    case 'service_target_removed':
      return `Leistung ${title}: Ziel (${row.detail ?? ''}) Stufe ${target(row.oldValue)} entfällt`;
    default:
      return `${row.kind}: ${title}`;
  }
}

/** SQL for the first instant of a month (YYYY-MM-01 in Europe/Berlin), over a date parameter. */
const monthStartSql = (param: string) => `(${param}::date::timestamp at time zone 'Europe/Berlin')`;

/**
 * What changed in a month (Europe/Berlin): everything for the steering team (core.program_change),
 * the public part for everyone else (open.program_changes), oldest first.
 */
export function programChanges(ctx: DomainContext, args: { month: string }): Promise<ProgramChangeRow[]> {
  return runAction(ctx, 'program.changes', async (c) => {
    const relation = readScope(c) === 'core' ? 'core.program_change' : 'open.program_changes';
    const month = parseMonth(args.month, 'month');
    const { rows } = await c.pool.query<Omit<ProgramChangeRow, 'category' | 'text'>>(
      `select occurred_at as "occurredAt", kind, subject_type as "subjectType", subject_key as "subjectKey", subject_title as "subjectTitle",
              field_key as "fieldKey", parent_key as "parentKey", detail, old_value as "oldValue", new_value as "newValue"
       from ${relation}
       where occurred_at >= ${monthStartSql('$1')} and occurred_at < ${monthStartSql('$2')} and occurred_at <= now()
       order by occurred_at, kind, subject_key`,
      [`${month}-01`, `${addMonths(month, 1)}-01`],
    );
    return rows.map((r) => ({ ...r, category: categoryOf(r), text: textOf(r) }));
  });
}

/**
 * KPI changes over a month: for every KPI the last snapshot before the month began and the last one
 * in it; the overall value of KPIs without dimensions, and each cut of the others whose value
 * changed (KPIs cut by month are a time series already and left out). Steering: all KPIs from
 * core.kpi_snapshot; others: the public ones from open.kpi_values, small counts withheld.
 */
export function kpiDeltas(ctx: DomainContext, args: { month: string }): Promise<KpiDeltaRow[]> {
  return runAction(ctx, 'program.kpi_deltas', async (c) => {
    const month = parseMonth(args.month, 'month');
    // the relation is written out at each use (not a CTE), so every lookup runs on the index
    // kpi_snapshot (kpi_id, computed_at desc): one probe per KPI and bound instead of a scan
    const snaps =
      readScope(c) === 'core'
        ? `(select s.kpi_id, s.run_id, s.computed_at, s.dimensions, s.value, false as suppressed
            from core.kpi_snapshot s join etl.run r on r.id = s.run_id and r.status = 'succeeded' and not r.dry_run)`
        : `(select kpi_id, run_id, computed_at, dimensions, value, suppressed from open.kpi_values)`;
    const lastRun = (bound: string, from?: string) =>
      `(select x.run_id from ${snaps} x where x.kpi_id = k.kpi_id and x.computed_at < ${bound} and x.computed_at <= now()
        ${from ? `and x.computed_at >= ${from}` : ''} order by x.computed_at desc, x.run_id desc limit 1)`;
    const ids = kpiCatalog.filter((k) => !k.dimensions.includes('month')).map((k) => k.id);
    const { rows } = await c.pool.query<{
      kpiId: string;
      dimensions: Record<string, string>;
      previous: string | null;
      current: string | null;
      suppressed: boolean;
      computedAt: Date | null;
    }>(
      `with runs as (
         select k.kpi_id, ${lastRun(monthStartSql('$2'), monthStartSql('$1'))} as cur_run, ${lastRun(monthStartSql('$1'))} as prev_run
         from unnest($3::text[]) as k(kpi_id)),
       cur_v as (select s.* from runs join ${snaps} s on s.kpi_id = runs.kpi_id and s.run_id = runs.cur_run),
       prev_v as (select s.* from runs join ${snaps} s on s.kpi_id = runs.kpi_id and s.run_id = runs.prev_run)
       select c.kpi_id as "kpiId", c.dimensions, p.value as previous, c.value as current,
              c.suppressed or coalesce(p.suppressed, false) as suppressed, c.computed_at as "computedAt"
       from cur_v c left join prev_v p on p.kpi_id = c.kpi_id and p.dimensions = c.dimensions
       order by 1, c.dimensions::text`,
      [`${month}-01`, `${addMonths(month, 1)}-01`, ids],
    );
    const byId = new Map(kpiCatalog.map((k) => [k.id, k]));
    return rows
      .filter((r) => {
        const kpi = byId.get(r.kpiId);
        if (!kpi) return false;
        return kpi.dimensions.length === 0 || r.previous !== r.current;
      })
      .map((r) => {
        const kpi = byId.get(r.kpiId)!;
        const previous = r.previous === null ? null : Number(r.previous);
        const current = r.current === null ? null : Number(r.current);
        return {
          kpiId: r.kpiId,
          title: kpi.title,
          unit: kpi.unit,
          dimensions: r.dimensions,
          previous,
          current,
          delta: previous === null || current === null ? null : Math.round((current - previous) * 1e6) / 1e6,
          suppressed: r.suppressed,
          computedAt: r.computedAt,
        };
      });
  });
}

/**
 * The monthly "Geplantes und Erreichtes" (strategy, recommendation 6): what changed in the month,
 * sorted into achieved, planned, delayed and changed, the KPI changes, the driver projects' state
 * and (steering team) the milestones overdue at the month's end — all generated from the data.
 */
export function programMonth(ctx: DomainContext, args: { month?: string | null; driverProjects?: boolean }): Promise<ProgramMonthRow> {
  return runAction(ctx, 'program.month', async (c) => {
    authorize(c, 'open.read');
    const month = parseMonth(args.month ?? currentMonth(), 'month');
    const { stichtag, preliminary } = stichtagOfMonth(month, 'month');
    const complete = readScope(c) === 'core';
    const [changes, deltas, overview] = await Promise.all([
      programChanges(c, { month }),
      kpiDeltas(c, { month }),
      args.driverProjects === false ? null : programOverview(c, { stichtag }),
    ]);
    const counts: Record<ChangeCategory, number> = { erreicht: 0, geplant: 0, verzögert: 0, geändert: 0 };
    for (const ch of changes) counts[ch.category] += 1;
    const result: ProgramMonthRow = {
      month,
      title: `Geplantes und Erreichtes – ${monthName(month)}${preliminary ? ' (laufender Monat)' : ''}`,
      stichtag,
      preliminary,
      changes,
      counts,
      kpiDeltas: deltas,
      driverProjects: overview?.driverProjects ?? [],
      complete,
    };
    if (complete) {
      const { rows } = await c.pool.query<OverdueMilestoneRow>(`${overdueMilestonesSql} order by m.due_date, p.key, m.key`, [stichtag]);
      result.overdueMilestones = rows;
    }
    return result;
  });
}

export interface FeedEntryRow {
  month: string;
  title: string;
  /** the latest change in the month (or the month's end) */
  updated: Date;
  summary: ProgramMonthRow;
}

/**
 * The program's Atom feed entries: one per month with changes, newest first, over the last
 * `months` months (default 12) — public entries for everyone, complete ones for the steering team.
 */
export function programFeed(ctx: DomainContext, args: { months?: number | null } = {}): Promise<FeedEntryRow[]> {
  return runAction(ctx, 'program.feed', async (c) => {
    authorize(c, 'open.read');
    const months = args.months ?? 12;
    if (!Number.isInteger(months) || months < 1 || months > 60) throw ValidationError.of('months', 'must be between 1 and 60');
    const now = currentMonth();
    const entries: FeedEntryRow[] = [];
    for (let i = 0; i < months; i++) {
      const month = addMonths(now, -i);
      // the feed reports what changed; the driver projects' state is on the page
      const summary = await programMonth(c, { month, driverProjects: false });
      if (summary.changes.length === 0 && summary.kpiDeltas.every((d) => d.delta === 0 || d.delta === null)) continue;
      const times = [...summary.changes.map((ch) => ch.occurredAt), ...summary.kpiDeltas.map((d) => d.computedAt)].filter(
        (t): t is Date => t !== null,
      );
      const updated = times.length > 0 ? new Date(Math.max(...times.map((t) => t.getTime()))) : monthEndInstant(month);
      entries.push({ month, title: summary.title, updated, summary });
    }
    return entries;
  });
}

function monthEndInstant(month: string): Date {
  const next = addMonths(month, 1);
  return new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, 1) - 1);
}

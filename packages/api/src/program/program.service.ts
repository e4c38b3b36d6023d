import { can, readScope, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { stichtagOf } from '../monitoring/calendar.js';

export interface OverdueMilestoneRow {
  projectKey: string;
  key: string;
  title: string;
  dueDate: string;
  daysOverdue: number;
}

export interface ProgramProjectRow {
  key: string;
  title: string;
  status: string | null;
  statusRaw: string;
  initiativeKey: string | null;
  /** internal (steering team): the project's due date and its overdue milestones */
  dueDate?: string | null;
  overdueMilestones?: OverdueMilestoneRow[];
}

export interface ProgramInitiativeRow {
  key: string;
  title: string;
  fieldKey: string;
  status: string | null;
  statusRaw: string;
  driverProject: boolean;
  priority: number | null;
  size: string | null;
  responsibleOrgUnit: string | null;
  projects: ProgramProjectRow[];
}

export interface StatusCountRow {
  status: string;
  count: number;
}

export interface ProgramFieldRow {
  key: string;
  name: string;
  pillarKey: string | null;
  pillarName: string | null;
  initiatives: ProgramInitiativeRow[];
  initiativesByStatus: StatusCountRow[];
  projectsByStatus: StatusCountRow[];
}

export interface ProgramPillarRow {
  key: string;
  name: string;
  fieldKeys: string[];
  initiatives: number;
  driverProjects: number;
}

export interface ProgramOverviewRow {
  stichtag: string;
  pillars: ProgramPillarRow[];
  fields: ProgramFieldRow[];
  driverProjects: ProgramInitiativeRow[];
  projectsWithoutInitiative: ProgramProjectRow[];
}

/** The normalised status of a row; "open" where the source names none (as KPI initiatives.progress). */
const statusKey = (status: string | null) => status ?? 'open';

function countBy<T>(rows: T[], key: (row: T) => string): StatusCountRow[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, count]) => ({ status, count }));
}

/**
 * A milestone is overdue on a Stichtag when its due date lies before that day and it was not done
 * by then (as KPI projects.overdue_milestones counts it); a milestone closed without a done date
 * was dropped, not missed.
 */
export const overdueMilestonesSql = `
  select p.key as "projectKey", m.key, m.title, m.due_date::text as "dueDate", ($1::date - m.due_date)::int as "daysOverdue"
  from core.milestone m join core.project p on p.id = m.project_id
  where m.due_date < $1::date and (m.done_date is null or m.done_date > $1::date) and not (m.is_closed and m.done_date is null)`;

/**
 * "Geplantes und Erreichtes", the plan: the strategy's Vorhaben per navigator field and pillar
 * with the driver-project flag and status, and the projects under them. Everyone sees the
 * Vorhaben and the council paper's public project list; the steering team also the project tool's
 * projects, due dates and overdue milestones (as of the Stichtag, default today).
 */
export function programOverview(ctx: DomainContext, args: { stichtag?: string | null }): Promise<ProgramOverviewRow> {
  return runAction(ctx, 'program.overview', async (c) => {
    const core = readScope(c) === 'core';
    const stichtag = stichtagOf(args.stichtag, 'stichtag');
    const { rows: fields } = await c.pool.query<{ key: string; name: string; pillarKey: string | null; pillarName: string | null }>(
      `select f.key, f.name, p.key as "pillarKey", p.name as "pillarName"
       from open.navigator_fields f left join open.pillars p on p.key = f.pillar_key order by f.position`,
    );
    const { rows: pillars } = await c.pool.query<{ key: string; name: string }>(`select key, name from open.pillars order by position`);
    const { rows: initiatives } = await c.pool.query<Omit<ProgramInitiativeRow, 'projects'>>(
      `select key, title, field_key as "fieldKey", status, status_raw as "statusRaw", driver_project as "driverProject",
              priority, size, responsible_org_unit as "responsibleOrgUnit"
       from open.initiatives order by key`,
    );
    const { rows: projects } = core
      ? await c.pool.query<ProgramProjectRow>(
          `select p.key, p.title, p.status, p.status_raw as "statusRaw", i.key as "initiativeKey", p.due_date::text as "dueDate"
           from core.project p left join core.initiative i on i.id = p.initiative_id
           -- a tool project carrying a council-paper key is that project: listed once (as KPI projects.by_status)
           where not exists (select 1 from core.project c where c.key = p.steering_key and c.id <> p.id)
           order by p.key`,
        )
      : await c.pool.query<ProgramProjectRow>(
          `select key, title, status, status_raw as "statusRaw", initiative_key as "initiativeKey" from open.projects order by key`,
        );
    if (core) {
      const { rows: overdue } = await c.pool.query<OverdueMilestoneRow>(`${overdueMilestonesSql} order by p.key, m.due_date, m.key`, [
        stichtag,
      ]);
      for (const p of projects) p.overdueMilestones = overdue.filter((m) => m.projectKey === p.key);
    }
    const withProjects: ProgramInitiativeRow[] = initiatives.map((i) => ({
      ...i,
      projects: projects.filter((p) => p.initiativeKey === i.key),
    }));
    const known = new Set(initiatives.map((i) => i.key));
    return {
      stichtag,
      pillars: pillars.map((p) => {
        const fieldKeys = fields.filter((f) => f.pillarKey === p.key).map((f) => f.key);
        const own = withProjects.filter((i) => fieldKeys.includes(i.fieldKey));
        return { ...p, fieldKeys, initiatives: own.length, driverProjects: own.filter((i) => i.driverProject).length };
      }),
      fields: fields.map((f) => {
        const own = withProjects.filter((i) => i.fieldKey === f.key);
        return {
          ...f,
          initiatives: own,
          initiativesByStatus: countBy(own, (i) => statusKey(i.status)),
          projectsByStatus: countBy(
            own.flatMap((i) => i.projects),
            (p) => statusKey(p.status),
          ),
        };
      }),
      driverProjects: withProjects.filter((i) => i.driverProject),
      projectsWithoutInitiative: projects.filter((p) => p.initiativeKey === null || !known.has(p.initiativeKey)),
    };
  });
}

/** Whether the viewer sees the complete program (internal projects, milestones, status history). */
export const seesCompleteProgram = (ctx: DomainContext): boolean => can(ctx.viewer, 'core.read');

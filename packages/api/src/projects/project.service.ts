import { authorize, readScope, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { NotFoundError } from '../errors/index.js';
import { jsonListSql, RawJson, type RawListField } from '../db/raw-json.js';
import { FilterCompiler, type EntityFilter } from '../domain/filter.js';
import { sortFor } from '../domain/order.js';
import { projectFilterSpec, projectOrders, type ProjectOrderBy } from './project.filter.js';

export interface ProjectRow {
  __typename: 'Project';
  key: string;
  title: string;
  goals: string;
  results: string;
  status: string | null;
  statusRaw: string;
  initiativeKey: string | null;
  orgUnit: string | null;
  lastRunId: number | null;
  sourcePosition: string | null;
  /** internal: only read for the steering team */
  startDate?: string | null;
  dueDate?: string | null;
}

const openSelect = `'Project' as "__typename", key, title, goals, results, status, status_raw as "statusRaw", initiative_key as "initiativeKey", org_unit as "orgUnit", last_run_id as "lastRunId", source_position as "sourcePosition"`;

// The steering team reads every project; everyone else reads the published list in open.projects.
const relations = {
  open: 'open.projects as project',
  core: `(select p.id, p.key, p.title, array_to_string(p.goals, E'\\n') as goals, array_to_string(p.results, E'\\n') as results,
            p.status, p.status_raw, i.key as initiative_key, o.code as org_unit, p.last_run_id, p.source_position,
            p.start_date, p.due_date, p.source
          from core.project p
          left join core.initiative i on i.id = p.initiative_id
          left join core.org_unit o on o.id = p.org_unit_id) as project`,
};
const selects = {
  open: openSelect,
  core: `${openSelect}, start_date::text as "startDate", due_date::text as "dueDate"`,
};

// The columns each Project field reads (key and the type name always): a page reads only those, so
// PostgreSQL drops the joins and conversions nobody asked for. A field not listed here (or no field
// list) reads the whole row.
const fieldColumns: Record<string, readonly string[]> = {
  __typename: [],
  id: [],
  key: [],
  milestones: [],
  statusHistory: [],
  title: ['title'],
  status: ['status'],
  statusRaw: ['status_raw as "statusRaw"'],
  goals: ['goals'],
  results: ['results'],
  initiative: ['initiative_key as "initiativeKey"'],
  orgUnit: ['org_unit as "orgUnit"'],
  lineage: ['last_run_id as "lastRunId"', 'source_position as "sourcePosition"'],
  startDate: ['start_date::text as "startDate"'],
  dueDate: ['due_date::text as "dueDate"'],
};
const coreOnlyFields = new Set(['startDate', 'dueDate']);

function selectFor(scope: 'open' | 'core', fields: ReadonlySet<string> | undefined): string {
  if (!fields || ![...fields].every((f) => f in fieldColumns)) return selects[scope];
  const columns = new Set<string>();
  for (const field of fields) if (scope === 'core' || !coreOnlyFields.has(field)) for (const c of fieldColumns[field] ?? []) columns.add(c);
  return [`'Project' as "__typename"`, 'key', ...columns].join(', ');
}

/** Projects by key (or another order), with simple and operator filters; dates and the tool's projects for the steering team. */
export function listProjects(
  ctx: DomainContext,
  filter: { status?: string | null; initiativeKey?: string | null },
  page: PageArgs,
  options: {
    where?: EntityFilter | null;
    orderBy?: ProjectOrderBy | null;
    /** fetch each project's milestones in the same statement (`__milestones`), where the viewer may read them */
    milestones?: boolean;
    /** the Project fields asked for: only their columns are read (default: all) */
    fields?: ReadonlySet<string>;
    /**
     * with `milestones`: each project's milestones as the answer's JSON text with these fields
     * (`__milestones` a RawJson; lookahead.ts' rawListSelection), when all are known here
     */
    milestonesText?: readonly RawListField[];
  } = {},
): Promise<Page<ProjectRow & Record<string, unknown>>> {
  return runAction(ctx, 'project.list', async (c) => {
    const scope = readScope(c);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.initiativeKey) {
      params.push(filter.initiativeKey);
      where.push(`initiative_key = $${params.length}`);
    }
    if (options.where) where.push(new FilterCompiler(params, c).compile(options.where, projectFilterSpec, 'project'));
    const sort = sortFor(c, projectOrders, options.orderBy);
    const text = options.milestonesText && jsonListSql(options.milestonesText, milestoneFieldText, milestonesOfRow, milestoneOrder);
    const milestones = options.milestones && scope === 'core' ? `, ${text ?? milestonesJson} as "__milestones"` : '';
    const result = await paginate<ProjectRow & Record<string, unknown>>(
      c.pool,
      { relation: relations[scope], orderBy: 'key', select: `${selectFor(scope, options.fields)}${milestones}`, where, params, sort },
      page,
    );
    if (text) for (const row of result.nodes) if (typeof row.__milestones === 'string') row.__milestones = new RawJson(row.__milestones);
    return result;
  });
}

/** Internal fields of a project are refused field by field to viewers who may not read core. */
export function internalProjectField<T>(ctx: DomainContext, value: T): T {
  authorize(ctx, 'core.read');
  return value;
}

export function showProject(ctx: DomainContext, key: string): Promise<ProjectRow> {
  return runAction(ctx, 'project.show', async (c) => {
    const scope = readScope(c);
    const { rows } = await c.pool.query<ProjectRow>(`select ${selects[scope]} from ${relations[scope]} where key = $1`, [key]);
    const row = rows[0];
    if (!row) throw new NotFoundError('Project', key);
    return row;
  });
}

export interface MilestoneRow {
  projectKey: string;
  key: string;
  title: string;
  dueDate: string | null;
  doneDate: string | null;
  isClosed: boolean;
  overdue: boolean;
}

export interface StatusChangeRow {
  projectKey: string;
  status: string | null;
  statusRaw: string;
  validFrom: Date;
  validTo: Date | null;
}

const milestoneColumns = `m.key, m.title, m.due_date::text as "dueDate", m.done_date::text as "doneDate", m.is_closed as "isClosed",
  coalesce(m.due_date < current_date and m.done_date is null and not m.is_closed, false) as overdue`;
const milestoneOrder = 'm.due_date nulls last, m.key';

/**
 * A page row's milestones as JSON arrays [key, title, due, done, closed, overdue], correlated on
 * the core relation's `project.id` (dates as JSON dates, "YYYY-MM-DD": cheaper for PostgreSQL than
 * date::text, the same string) — arrays, not objects: PostgreSQL writes and Node parses no key
 * names per milestone (milestonesFromJson reads them).
 */
const milestonesJson = `(select coalesce(json_agg(json_build_array(m.key, m.title, m.due_date, m.done_date, m.is_closed,
    coalesce(m.due_date < current_date and m.done_date is null and not m.is_closed, false)) order by m.due_date nulls last, m.key), '[]'::json)
  from core.milestone m where m.project_id = project.id)`;

// A page row's milestones as the answer's JSON text (db/raw-json.ts' jsonListSql): each Milestone
// field as the JSON text the executor would write (dates as JSON writes them: "YYYY-MM-DD").
const milestonesOfRow = 'core.milestone m where m.project_id = project.id';
const milestoneFieldText: Record<string, string> = {
  key: 'to_json(m.key)::text',
  title: 'to_json(m.title)::text',
  dueDate: `coalesce(to_json(m.due_date)::text, 'null')`,
  doneDate: `coalesce(to_json(m.done_date)::text, 'null')`,
  isClosed: 'm.is_closed::text',
  overdue: 'coalesce(m.due_date < current_date and m.done_date is null and not m.is_closed, false)::text',
};

type MilestoneTuple = [string, string, string | null, string | null, boolean, boolean];

/** The milestones a page row carries (`__milestones`), as the loader holds them. */
export const milestonesFromJson = (projectKey: string, tuples: unknown): MilestoneRow[] =>
  (tuples as MilestoneTuple[]).map(([key, title, dueDate, doneDate, isClosed, overdue]) => ({
    projectKey,
    key,
    title,
    dueDate,
    doneDate,
    isClosed,
    overdue,
  }));

/** Milestones of projects (internal: they come from the project tool). */
export function milestonesOf(ctx: DomainContext, projectKeys: readonly string[]): Promise<MilestoneRow[]> {
  return runAction(ctx, 'project.milestones', async (c) => {
    authorize(c, 'core.read');
    const { rows } = await c.pool.query<MilestoneRow>(
      `select p.key as "projectKey", ${milestoneColumns}
       from core.milestone m join core.project p on p.id = m.project_id where p.key = any($1) order by ${milestoneOrder}`,
      [projectKeys],
    );
    return rows;
  });
}

/** Status history of projects, oldest first (internal). */
export function statusHistoryOf(ctx: DomainContext, projectKeys: readonly string[]): Promise<StatusChangeRow[]> {
  return runAction(ctx, 'project.status_history', async (c) => {
    authorize(c, 'core.read');
    const { rows } = await c.pool.query<StatusChangeRow>(
      `select p.key as "projectKey", h.status, h.status_raw as "statusRaw", h.valid_from as "validFrom", h.valid_to as "validTo"
       from core.project_status_history h join core.project p on p.id = h.project_id where p.key = any($1) order by h.valid_from`,
      [projectKeys],
    );
    return rows;
  });
}

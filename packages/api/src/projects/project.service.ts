import { authorize, readScope, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { NotFoundError } from '../errors/index.js';

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
}

const select = `'Project' as "__typename", key, title, goals, results, status, status_raw as "statusRaw", initiative_key as "initiativeKey", org_unit as "orgUnit", last_run_id as "lastRunId", source_position as "sourcePosition"`;

// The steering team reads every project; everyone else reads the published list in open.projects.
const relations = {
  open: 'open.projects',
  core: `(select p.key, p.title, array_to_string(p.goals, E'\\n') as goals, array_to_string(p.results, E'\\n') as results,
            p.status, p.status_raw, i.key as initiative_key, o.code as org_unit, p.last_run_id, p.source_position
          from core.project p
          left join core.initiative i on i.id = p.initiative_id
          left join core.org_unit o on o.id = p.org_unit_id) as project`,
};

export function listProjects(
  ctx: DomainContext,
  filter: { status?: string | null; initiativeKey?: string | null },
  page: PageArgs,
): Promise<Page<ProjectRow & Record<string, unknown>>> {
  return runAction(ctx, 'project.list', async (c) => {
    const relation = relations[readScope(c)];
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
    return paginate<ProjectRow & Record<string, unknown>>(c.pool, { relation, orderBy: 'key', select, where, params }, page);
  });
}

export function showProject(ctx: DomainContext, key: string): Promise<ProjectRow> {
  return runAction(ctx, 'project.show', async (c) => {
    const relation = relations[readScope(c)];
    const { rows } = await c.pool.query<ProjectRow>(`select ${select} from ${relation} where key = $1`, [key]);
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

/** Milestones of projects (internal: they come from the project tool). */
export function milestonesOf(ctx: DomainContext, projectKeys: readonly string[]): Promise<MilestoneRow[]> {
  return runAction(ctx, 'project.milestones', async (c) => {
    authorize(c, 'core.read');
    const { rows } = await c.pool.query<MilestoneRow>(
      `select p.key as "projectKey", m.key, m.title, m.due_date::text as "dueDate", m.done_date::text as "doneDate", m.is_closed as "isClosed",
              (m.due_date < current_date and m.done_date is null and not m.is_closed) as overdue
       from core.milestone m join core.project p on p.id = m.project_id where p.key = any($1) order by m.due_date nulls last, m.key`,
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

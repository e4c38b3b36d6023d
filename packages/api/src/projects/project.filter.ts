import 'reflect-metadata';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterSpec } from '../domain/filter.js';
import type { OrderOption } from '../domain/order.js';
import { BooleanFilter, DateFilter, DateTimeFilter, StringFilter } from '../graphql/filters.js';
import { OrgUnitFilter, orgUnitFilterSpec } from '../org/org-unit.filter.js';
import { InitiativeFilter, NavigatorFieldFilter, initiativeFilterSpec, navigatorFieldFilterSpec } from '../strategy/strategy.filter.js';

// Milestones and the status history come from the project tool and are internal, like the fields.
const milestoneFilterSpec: FilterSpec = {
  fields: {
    key: { sql: '{t}.key', kind: 'string' },
    title: { sql: '{t}.title', kind: 'string' },
    dueDate: { sql: '{t}.due_date', kind: 'day' },
    doneDate: { sql: '{t}.done_date', kind: 'day' },
    isClosed: { sql: '{t}.is_closed', kind: 'boolean' },
    overdue: { sql: '({t}.due_date < current_date and {t}.done_date is null and not {t}.is_closed)', kind: 'boolean' },
  },
};

const statusChangeFilterSpec: FilterSpec = {
  fields: {
    status: { sql: '{t}.status', kind: 'string' },
    statusRaw: { sql: '{t}.status_raw', kind: 'string' },
    validFrom: { sql: '{t}.valid_from', kind: 'date' },
    validTo: { sql: '{t}.valid_to', kind: 'date' },
  },
};

/**
 * Projects, over open.projects (everyone) or the core relation of project.service.ts (steering);
 * both carry the public columns, only the core one the dates and the source.
 */
export const projectFilterSpec: FilterSpec = {
  fields: {
    key: { sql: '{t}.key', kind: 'string' },
    title: { sql: '{t}.title', kind: 'string' },
    status: { sql: '{t}.status', kind: 'string' },
    statusRaw: { sql: '{t}.status_raw', kind: 'string' },
    startDate: { sql: '{t}.start_date', kind: 'day', access: 'core.read' },
    dueDate: { sql: '{t}.due_date', kind: 'day', access: 'core.read' },
    source: { sql: '{t}.source', kind: 'string', access: 'core.read' },
  },
  relations: {
    initiative: { spec: initiativeFilterSpec, relation: 'open.initiatives', alias: 'pi', join: 'pi.key = {t}.initiative_key' },
    field: {
      spec: navigatorFieldFilterSpec,
      relation: '(select i.key as initiative_key, f.* from open.initiatives i join open.navigator_fields f on f.key = i.field_key)',
      alias: 'pf',
      join: 'pf.initiative_key = {t}.initiative_key',
    },
    orgUnit: { spec: orgUnitFilterSpec, relation: 'open.org_units', alias: 'pou', join: 'pou.code = {t}.org_unit' },
    milestones: {
      spec: milestoneFilterSpec,
      relation: '(select p.key as project_key, m.* from core.milestone m join core.project p on p.id = m.project_id)',
      alias: 'pm',
      join: 'pm.project_key = {t}.key',
      access: 'core.read',
    },
    statusHistory: {
      spec: statusChangeFilterSpec,
      relation: '(select p.key as project_key, h.* from core.project_status_history h join core.project p on p.id = h.project_id)',
      alias: 'psh',
      join: 'psh.project_key = {t}.key',
      access: 'core.read',
    },
  },
};

@InputType({ description: 'Conditions on milestones (internal).' })
export class MilestoneFilter {
  @Field(() => StringFilter, { nullable: true }) key?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter | null;
  @Field(() => DateFilter, { nullable: true }) dueDate?: DateFilter | null;
  @Field(() => DateFilter, { nullable: true }) doneDate?: DateFilter | null;
  @Field(() => BooleanFilter, { nullable: true }) isClosed?: BooleanFilter | null;
  @Field(() => BooleanFilter, { nullable: true, description: 'Due before today and neither done nor closed.' })
  overdue?: BooleanFilter | null;
  @Field(() => [MilestoneFilter], { nullable: true }) and?: MilestoneFilter[] | null;
  @Field(() => [MilestoneFilter], { nullable: true }) or?: MilestoneFilter[] | null;
  @Field(() => MilestoneFilter, { nullable: true }) not?: MilestoneFilter | null;
}

@InputType({ description: 'Conditions on a status a project had (internal).' })
export class ProjectStatusChangeFilter {
  @Field(() => StringFilter, { nullable: true }) status?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) statusRaw?: StringFilter | null;
  @Field(() => DateTimeFilter, { nullable: true }) validFrom?: DateTimeFilter | null;
  @Field(() => DateTimeFilter, { nullable: true }) validTo?: DateTimeFilter | null;
}

@InputType({
  description:
    'Conditions on projects; fields combine with and; use and/or/not for more. Dates, source, milestones and status history are internal (steering).',
})
export class ProjectFilter {
  @Field(() => StringFilter, { nullable: true }) key?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'planned, in_progress, on_hold, done, cancelled' })
  status?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) statusRaw?: StringFilter | null;
  @Field(() => DateFilter, { nullable: true, description: 'Start date (internal).' }) startDate?: DateFilter | null;
  @Field(() => DateFilter, { nullable: true, description: 'Due date (internal).' }) dueDate?: DateFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'Where the project comes from: council-paper, openproject … (internal).' })
  source?: StringFilter | null;
  @Field(() => InitiativeFilter, { nullable: true, description: 'Conditions on the initiative the project belongs to.' })
  initiative?: InitiativeFilter | null;
  @Field(() => NavigatorFieldFilter, { nullable: true, description: "Conditions on the navigator field of the project's initiative." })
  field?: NavigatorFieldFilter | null;
  @Field(() => OrgUnitFilter, { nullable: true, description: 'Conditions on the responsible org unit.' }) orgUnit?: OrgUnitFilter | null;
  @Field(() => MilestoneFilter, { nullable: true, description: 'At least one milestone meets these conditions (internal).' })
  milestones?: MilestoneFilter | null;
  @Field(() => ProjectStatusChangeFilter, { nullable: true, description: 'The project once had a status like this (internal).' })
  statusHistory?: ProjectStatusChangeFilter | null;
  @Field(() => [ProjectFilter], { nullable: true }) and?: ProjectFilter[] | null;
  @Field(() => [ProjectFilter], { nullable: true }) or?: ProjectFilter[] | null;
  @Field(() => ProjectFilter, { nullable: true }) not?: ProjectFilter | null;
}

export enum ProjectOrderBy {
  KEY_ASC = 'KEY_ASC',
  KEY_DESC = 'KEY_DESC',
  TITLE_ASC = 'TITLE_ASC',
  TITLE_DESC = 'TITLE_DESC',
  STATUS_ASC = 'STATUS_ASC',
  STATUS_DESC = 'STATUS_DESC',
  START_DATE_ASC = 'START_DATE_ASC',
  START_DATE_DESC = 'START_DATE_DESC',
  DUE_DATE_ASC = 'DUE_DATE_ASC',
  DUE_DATE_DESC = 'DUE_DATE_DESC',
}
registerEnumType(ProjectOrderBy, {
  name: 'ProjectOrderBy',
  description: 'Order of projects; ties are broken by key in the same direction; missing values sort last. Status follows the lifecycle.',
  valuesConfig: {
    START_DATE_ASC: { description: 'internal (steering)' },
    START_DATE_DESC: { description: 'internal (steering)' },
    DUE_DATE_ASC: { description: 'internal (steering)' },
    DUE_DATE_DESC: { description: 'internal (steering)' },
  },
});

// Sort expressions are never null (keyset paging compares values): dates as days since 1970.
const lifecycle = (missing: number) =>
  `(case status when 'planned' then 1 when 'in_progress' then 2 when 'on_hold' then 3 when 'done' then 4 when 'cancelled' then 5 else ${missing} end)`;
const days = (column: string, missing: number) => `coalesce(${column} - date '1970-01-01', ${missing})`;

export const projectOrders: Record<ProjectOrderBy, OrderOption> = {
  KEY_ASC: undefined,
  KEY_DESC: { expr: 'key', direction: 'desc' },
  TITLE_ASC: { expr: 'lower(core.immutable_unaccent(title)) collate "C"', direction: 'asc' },
  TITLE_DESC: { expr: 'lower(core.immutable_unaccent(title)) collate "C"', direction: 'desc' },
  STATUS_ASC: { expr: lifecycle(9), direction: 'asc' },
  STATUS_DESC: { expr: lifecycle(0), direction: 'desc' },
  START_DATE_ASC: { expr: days('start_date', 999999), direction: 'asc', access: 'core.read' },
  START_DATE_DESC: { expr: days('start_date', -999999), direction: 'desc', access: 'core.read' },
  DUE_DATE_ASC: { expr: days('due_date', 999999), direction: 'asc', access: 'core.read' },
  DUE_DATE_DESC: { expr: days('due_date', -999999), direction: 'desc', access: 'core.read' },
};

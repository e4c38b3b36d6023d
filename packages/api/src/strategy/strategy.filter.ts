import 'reflect-metadata';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterSpec } from '../domain/filter.js';
import type { SortSpec } from '../domain/paginate.js';
import { IntFilter, StringFilter } from '../graphql/filters.js';
import { OrgUnitFilter, orgUnitFilterSpec } from '../org/org-unit.filter.js';

export const navigatorFieldFilterSpec: FilterSpec = {
  fields: {
    key: { sql: '{t}.key', kind: 'string' },
    name: { sql: '{t}.name', kind: 'string' },
    pillarKey: { sql: '{t}.pillar_key', kind: 'string' },
  },
};

export const initiativeFilterSpec: FilterSpec = {
  fields: {
    key: { sql: '{t}.key', kind: 'string' },
    title: { sql: '{t}.title', kind: 'string' },
    status: { sql: '{t}.status', kind: 'string' },
    statusRaw: { sql: '{t}.status_raw', kind: 'string' },
    priority: { sql: '{t}.priority', kind: 'number' },
    size: { sql: '{t}.size', kind: 'string' },
    responsibleRaw: { sql: '{t}.responsible_raw', kind: 'string' },
  },
  relations: {
    field: { spec: navigatorFieldFilterSpec, relation: 'open.navigator_fields', alias: 'nf', join: 'nf.key = {t}.field_key' },
    responsibleOrgUnit: { spec: orgUnitFilterSpec, relation: 'open.org_units', alias: 'rou', join: 'rou.code = {t}.responsible_org_unit' },
  },
};

@InputType({ description: 'Conditions on navigator fields.' })
export class NavigatorFieldFilter {
  @Field(() => StringFilter, { nullable: true }) key?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) pillarKey?: StringFilter | null;
}

@InputType({ description: 'Conditions on initiatives; fields combine with and; use and/or/not for more.' })
export class InitiativeFilter {
  @Field(() => StringFilter, { nullable: true }) key?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'planned, in_progress, done' }) status?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) statusRaw?: StringFilter | null;
  @Field(() => IntFilter, { nullable: true }) priority?: IntFilter | null;
  @Field(() => StringFilter, { nullable: true }) size?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) responsibleRaw?: StringFilter | null;
  @Field(() => NavigatorFieldFilter, { nullable: true, description: 'Conditions on the navigator field.' })
  field?: NavigatorFieldFilter | null;
  @Field(() => OrgUnitFilter, { nullable: true, description: 'Conditions on the responsible org unit.' })
  responsibleOrgUnit?: OrgUnitFilter | null;
  @Field(() => [InitiativeFilter], { nullable: true }) and?: InitiativeFilter[] | null;
  @Field(() => [InitiativeFilter], { nullable: true }) or?: InitiativeFilter[] | null;
  @Field(() => InitiativeFilter, { nullable: true }) not?: InitiativeFilter | null;
}

export enum InitiativeOrderBy {
  KEY_ASC = 'KEY_ASC',
  KEY_DESC = 'KEY_DESC',
  TITLE_ASC = 'TITLE_ASC',
  TITLE_DESC = 'TITLE_DESC',
  PRIORITY_ASC = 'PRIORITY_ASC',
  PRIORITY_DESC = 'PRIORITY_DESC',
}
registerEnumType(InitiativeOrderBy, { name: 'InitiativeOrderBy', description: 'Order of initiatives; ties are broken by key.' });

/** Sort expressions never null (row comparison in keyset paging needs values): no priority sorts last. */
export const initiativeSorts: Record<InitiativeOrderBy, SortSpec | undefined> = {
  KEY_ASC: undefined,
  KEY_DESC: { expr: 'key', direction: 'desc' },
  // titles compare without case and accents (Ämter next to Amt), whatever the database's collation
  TITLE_ASC: { expr: 'lower(core.immutable_unaccent(title)) collate "C"', direction: 'asc' },
  TITLE_DESC: { expr: 'lower(core.immutable_unaccent(title)) collate "C"', direction: 'desc' },
  PRIORITY_ASC: { expr: 'coalesce(priority, 9)', direction: 'asc' },
  PRIORITY_DESC: { expr: 'coalesce(priority, 0)', direction: 'desc' },
};

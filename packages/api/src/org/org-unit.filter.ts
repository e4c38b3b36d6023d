import 'reflect-metadata';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterSpec } from '../domain/filter.js';
import type { OrderOption } from '../domain/order.js';
import { StringFilter } from '../graphql/filters.js';

/** Org units over open.org_units (the organisation chart is public); other specs reach them as a relation. */
export const orgUnitFilterSpec: FilterSpec = {
  fields: {
    code: { sql: '{t}.code', kind: 'string' },
    name: { sql: '{t}.name', kind: 'string' },
    kind: { sql: '{t}.kind', kind: 'string' },
  },
};
orgUnitFilterSpec.relations = {
  parent: { spec: orgUnitFilterSpec, relation: 'open.org_units', alias: 'parent_ou', join: 'parent_ou.code = {t}.parent_code' },
  children: { spec: orgUnitFilterSpec, relation: 'open.org_units', alias: 'child_ou', join: 'child_ou.parent_code = {t}.code' },
};

@InputType({ description: 'Conditions on org units; fields combine with and; use and/or/not for more.' })
export class OrgUnitFilter {
  @Field(() => StringFilter, { nullable: true }) code?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'amt, unit or office' }) kind?: StringFilter | null;
  @Field(() => OrgUnitFilter, { nullable: true, description: 'Conditions on the parent unit.' }) parent?: OrgUnitFilter | null;
  @Field(() => OrgUnitFilter, { nullable: true, description: 'At least one direct child unit meets these conditions.' })
  children?: OrgUnitFilter | null;
  @Field(() => [OrgUnitFilter], { nullable: true }) and?: OrgUnitFilter[] | null;
  @Field(() => [OrgUnitFilter], { nullable: true }) or?: OrgUnitFilter[] | null;
  @Field(() => OrgUnitFilter, { nullable: true }) not?: OrgUnitFilter | null;
}

export enum OrgUnitOrderBy {
  CODE_ASC = 'CODE_ASC',
  CODE_DESC = 'CODE_DESC',
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
}
registerEnumType(OrgUnitOrderBy, {
  name: 'OrgUnitOrderBy',
  description: 'Order of org units; ties are broken by code in the same direction.',
});

export const orgUnitOrders: Record<OrgUnitOrderBy, OrderOption> = {
  CODE_ASC: undefined,
  CODE_DESC: { expr: 'code', direction: 'desc' },
  NAME_ASC: { expr: 'lower(core.immutable_unaccent(name)) collate "C"', direction: 'asc' },
  NAME_DESC: { expr: 'lower(core.immutable_unaccent(name)) collate "C"', direction: 'desc' },
};

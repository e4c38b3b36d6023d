import 'reflect-metadata';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterSpec } from '../domain/filter.js';
import type { OrderOption } from '../domain/order.js';
import { BooleanFilter, DateFilter, FloatFilter, IntFilter, StringFilter } from '../graphql/filters.js';
import { OrgUnitFilter, orgUnitFilterSpec } from '../org/org-unit.filter.js';

/**
 * Procedures over open.procedures (everyone) or core.procedure (steering; see procedure.service.ts).
 * Cost, users and the SOLL are internal: filtering on them needs what reading them needs.
 */
export const procedureFilterSpec: FilterSpec = {
  fields: {
    key: { sql: '{t}.key', kind: 'string' },
    name: { sql: '{t}.name', kind: 'string' },
    vendor: { sql: '{t}.vendor', kind: 'string' },
    lifecyclePhase: { sql: '{t}.lifecycle_phase', kind: 'string' },
    ozgReady: { sql: '{t}.ozg_ready', kind: 'boolean' },
    dmsConnection: { sql: '{t}.dms_connection', kind: 'string' },
    annualCost: { sql: '{t}.annual_cost', kind: 'number', access: 'core.read' },
    users: { sql: '{t}.users', kind: 'number', access: 'core.read' },
    targetAction: { sql: '{t}.target_action', kind: 'string', access: 'core.read' },
    targetDmsConnection: { sql: '{t}.target_dms_connection', kind: 'string', access: 'core.read' },
    targetDate: { sql: '{t}.target_date', kind: 'day', access: 'core.read' },
    endOfLifeDate: { sql: '{t}.end_of_life_date', kind: 'day', access: 'core.read' },
  },
  relations: {
    // the owners as core.procedure_org_unit links them (open.procedures shows them as a code list)
    ownerOrgUnit: {
      spec: orgUnitFilterSpec,
      relation: `(select pr.key as procedure_key, o.code, o.name, o.kind, op.code as parent_code
        from core.procedure pr join core.procedure_org_unit po on po.procedure_id = pr.id and po.role = 'owner'
        join core.org_unit o on o.id = po.org_unit_id left join core.org_unit op on op.id = o.parent_id)`,
      alias: 'poo',
      join: 'poo.procedure_key = {t}.key',
    },
  },
};

@InputType({
  description:
    'Conditions on procedures; fields combine with and; use and/or/not for more. Cost, users and the SOLL fields are internal (steering).',
})
export class ProcedureFilter {
  @Field(() => StringFilter, { nullable: true }) key?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) vendor?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'planning, introduction, operation, phase_out, retired' })
  lifecyclePhase?: StringFilter | null;
  @Field(() => BooleanFilter, { nullable: true }) ozgReady?: BooleanFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'none, one_way, two_way' }) dmsConnection?: StringFilter | null;
  @Field(() => FloatFilter, { nullable: true, description: 'Annual cost in EUR (internal).' }) annualCost?: FloatFilter | null;
  @Field(() => IntFilter, { nullable: true, description: 'Number of users (internal).' }) users?: IntFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'SOLL: keep, replace, retire, consolidate (internal).' })
  targetAction?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'SOLL connection to the DMS (internal).' })
  targetDmsConnection?: StringFilter | null;
  @Field(() => DateFilter, { nullable: true, description: 'SOLL target date (internal).' }) targetDate?: DateFilter | null;
  @Field(() => DateFilter, { nullable: true, description: 'Planned end of use (internal).' }) endOfLifeDate?: DateFilter | null;
  @Field(() => OrgUnitFilter, { nullable: true, description: 'At least one owning org unit meets these conditions.' })
  ownerOrgUnit?: OrgUnitFilter | null;
  @Field(() => [ProcedureFilter], { nullable: true }) and?: ProcedureFilter[] | null;
  @Field(() => [ProcedureFilter], { nullable: true }) or?: ProcedureFilter[] | null;
  @Field(() => ProcedureFilter, { nullable: true }) not?: ProcedureFilter | null;
}

export enum ProcedureOrderBy {
  KEY_ASC = 'KEY_ASC',
  KEY_DESC = 'KEY_DESC',
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
  ANNUAL_COST_ASC = 'ANNUAL_COST_ASC',
  ANNUAL_COST_DESC = 'ANNUAL_COST_DESC',
  END_OF_LIFE_DATE_ASC = 'END_OF_LIFE_DATE_ASC',
  END_OF_LIFE_DATE_DESC = 'END_OF_LIFE_DATE_DESC',
}
registerEnumType(ProcedureOrderBy, {
  name: 'ProcedureOrderBy',
  description: 'Order of procedures; ties are broken by key in the same direction; missing values sort last.',
  valuesConfig: {
    ANNUAL_COST_ASC: { description: 'internal (steering)' },
    ANNUAL_COST_DESC: { description: 'internal (steering)' },
    END_OF_LIFE_DATE_ASC: { description: 'internal (steering)' },
    END_OF_LIFE_DATE_DESC: { description: 'internal (steering)' },
  },
});

export const procedureOrders: Record<ProcedureOrderBy, OrderOption> = {
  KEY_ASC: undefined,
  KEY_DESC: { expr: 'key', direction: 'desc' },
  NAME_ASC: { expr: 'lower(core.immutable_unaccent(name)) collate "C"', direction: 'asc' },
  NAME_DESC: { expr: 'lower(core.immutable_unaccent(name)) collate "C"', direction: 'desc' },
  // numeric(14, 2) stays below 10^12
  ANNUAL_COST_ASC: { expr: 'coalesce(annual_cost, 1e12)', direction: 'asc', access: 'core.read' },
  ANNUAL_COST_DESC: { expr: 'coalesce(annual_cost, -1)', direction: 'desc', access: 'core.read' },
  END_OF_LIFE_DATE_ASC: { expr: `coalesce(end_of_life_date - date '1970-01-01', 999999)`, direction: 'asc', access: 'core.read' },
  END_OF_LIFE_DATE_DESC: { expr: `coalesce(end_of_life_date - date '1970-01-01', -999999)`, direction: 'desc', access: 'core.read' },
};

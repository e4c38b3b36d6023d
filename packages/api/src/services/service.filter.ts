import 'reflect-metadata';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterSpec } from '../domain/filter.js';
import type { OrderOption } from '../domain/order.js';
import { BooleanFilter, DateFilter, IntFilter, StringFilter } from '../graphql/filters.js';
import { OrgUnitFilter, orgUnitFilterSpec } from '../org/org-unit.filter.js';
import { ProcedureFilter, procedureFilterSpec } from '../procedures/procedure.filter.js';

const maturityFilterSpec: FilterSpec = {
  fields: {
    model: { sql: '{t}.model', kind: 'string' },
    kind: { sql: '{t}.kind', kind: 'string' },
    level: { sql: '{t}.level', kind: 'number' },
    targetDate: { sql: '{t}.target_date', kind: 'day' },
    current: { sql: '({t}.valid_to is null)', kind: 'boolean' },
  },
};

/**
 * Services over open.services. The responsible org unit, the handling procedure and the EfA flag
 * are not in the public view: they are read from core and need the steering role.
 */
export const serviceFilterSpec: FilterSpec = {
  fields: {
    key: { sql: '{t}.key', kind: 'string' },
    kind: { sql: '{t}.kind', kind: 'string' },
    title: { sql: '{t}.title', kind: 'string' },
    description: { sql: '{t}.description', kind: 'string' },
    leikaKey: { sql: '{t}.leika_key', kind: 'string' },
    ozgId: { sql: '{t}.ozg_id', kind: 'string' },
    leikaType: { sql: '{t}.leika_type', kind: 'string' },
    topicKey: { sql: '{t}.topic_key', kind: 'string' },
    themenfeldKey: { sql: '{t}.themenfeld_key', kind: 'string' },
    online: { sql: '{t}.online', kind: 'boolean' },
    maturity11: { sql: '{t}.maturity_1_1', kind: 'number' },
    maturity20: { sql: '{t}.maturity_2_0', kind: 'number' },
    implementationStatus: { sql: '{t}.implementation_status', kind: 'string' },
    implementationStatusRaw: { sql: '{t}.implementation_status_raw', kind: 'string' },
    efa: { sql: '(select cs.efa from core.service cs where cs.key = {t}.key)', kind: 'boolean', access: 'core.read' },
  },
  relations: {
    maturity: { spec: maturityFilterSpec, relation: 'open.service_maturity', alias: 'sm', join: 'sm.service_key = {t}.key' },
    responsibleOrgUnit: {
      spec: orgUnitFilterSpec,
      relation: `(select cs.key as service_key, o.code, o.name, o.kind, op.code as parent_code
        from core.service cs join core.org_unit o on o.id = cs.responsible_org_unit_id left join core.org_unit op on op.id = o.parent_id)`,
      alias: 'sou',
      join: 'sou.service_key = {t}.key',
      access: 'core.read',
    },
    procedure: {
      spec: procedureFilterSpec,
      relation: `(select cs.key as service_key, p.* from core.service cs join core.procedure p on p.id = cs.procedure_id)`,
      alias: 'spr',
      join: 'spr.service_key = {t}.key',
      access: 'core.read',
    },
  },
};
serviceFilterSpec.relations = {
  ...serviceFilterSpec.relations,
  parent: { spec: serviceFilterSpec, relation: 'open.services', alias: 'sp', join: 'sp.key = {t}.parent_key' },
};

@InputType({ description: 'Conditions on a maturity level of a service.' })
export class ServiceMaturityFilter {
  @Field(() => StringFilter, { nullable: true, description: '"1.1" or "2.0"' }) model?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'ist or soll' }) kind?: StringFilter | null;
  @Field(() => IntFilter, { nullable: true }) level?: IntFilter | null;
  @Field(() => DateFilter, { nullable: true, description: 'Target date of a SOLL level.' }) targetDate?: DateFilter | null;
  @Field(() => BooleanFilter, { nullable: true, description: 'true: the current level; false: a superseded one.' })
  current?: BooleanFilter | null;
}

@InputType({
  description:
    'Conditions on services; fields combine with and; use and/or/not for more. efa, responsibleOrgUnit and procedure are internal (steering).',
})
export class ServiceFilter {
  @Field(() => StringFilter, { nullable: true }) key?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'ozg, leika or local' }) kind?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'The name of the service.' }) title?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) description?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) leikaKey?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) ozgId?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) leikaType?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'Key of its Lebenslage or Themenfeld.' }) topicKey?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) themenfeldKey?: StringFilter | null;
  @Field(() => BooleanFilter, { nullable: true, description: 'Online in maturity model 1.1 (current IST level ≥ 3).' })
  online?: BooleanFilter | null;
  @Field(() => IntFilter, { nullable: true, description: 'Current IST level in model 1.1 (0–4).' }) maturity11?: IntFilter | null;
  @Field(() => IntFilter, { nullable: true, description: 'Current IST level in model 2.0 (0–7).' }) maturity20?: IntFilter | null;
  @Field(() => StringFilter, { nullable: true, description: 'planned, in_progress, online, end_to_end' })
  implementationStatus?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) implementationStatusRaw?: StringFilter | null;
  @Field(() => BooleanFilter, { nullable: true, description: 'Reuses an EfA ("Einer für Alle") implementation (internal).' })
  efa?: BooleanFilter | null;
  @Field(() => ServiceMaturityFilter, { nullable: true, description: 'At least one maturity level (IST or SOLL, any model) meets these.' })
  maturity?: ServiceMaturityFilter | null;
  @Field(() => ServiceFilter, { nullable: true, description: 'Conditions on the OZG service a LeiKa entry belongs to.' })
  parent?: ServiceFilter | null;
  @Field(() => OrgUnitFilter, { nullable: true, description: 'Conditions on the responsible org unit (internal).' })
  responsibleOrgUnit?: OrgUnitFilter | null;
  @Field(() => ProcedureFilter, { nullable: true, description: 'Conditions on the procedure that handles it (internal).' })
  procedure?: ProcedureFilter | null;
  @Field(() => [ServiceFilter], { nullable: true }) and?: ServiceFilter[] | null;
  @Field(() => [ServiceFilter], { nullable: true }) or?: ServiceFilter[] | null;
  @Field(() => ServiceFilter, { nullable: true }) not?: ServiceFilter | null;
}

export enum ServiceOrderBy {
  KEY_ASC = 'KEY_ASC',
  KEY_DESC = 'KEY_DESC',
  TITLE_ASC = 'TITLE_ASC',
  TITLE_DESC = 'TITLE_DESC',
  OZG_ID_ASC = 'OZG_ID_ASC',
  OZG_ID_DESC = 'OZG_ID_DESC',
  MATURITY_1_1_ASC = 'MATURITY_1_1_ASC',
  MATURITY_1_1_DESC = 'MATURITY_1_1_DESC',
  MATURITY_2_0_ASC = 'MATURITY_2_0_ASC',
  MATURITY_2_0_DESC = 'MATURITY_2_0_DESC',
}
registerEnumType(ServiceOrderBy, {
  name: 'ServiceOrderBy',
  description: 'Order of services; ties are broken by key in the same direction; services without a value sort last.',
});

export const serviceOrders: Record<ServiceOrderBy, OrderOption> = {
  KEY_ASC: undefined,
  KEY_DESC: { expr: 'key', direction: 'desc' },
  TITLE_ASC: { expr: 'lower(core.immutable_unaccent(title)) collate "C"', direction: 'asc' },
  TITLE_DESC: { expr: 'lower(core.immutable_unaccent(title)) collate "C"', direction: 'desc' },
  // OZG ids are five digits: 'z' sorts after them, '' before (byte order, whatever the database's collation)
  OZG_ID_ASC: { expr: `(coalesce(ozg_id, 'z') collate "C")`, direction: 'asc' },
  OZG_ID_DESC: { expr: `(coalesce(ozg_id, '') collate "C")`, direction: 'desc' },
  MATURITY_1_1_ASC: { expr: 'coalesce(maturity_1_1, 99)', direction: 'asc' },
  MATURITY_1_1_DESC: { expr: 'coalesce(maturity_1_1, -1)', direction: 'desc' },
  MATURITY_2_0_ASC: { expr: 'coalesce(maturity_2_0, 99)', direction: 'asc' },
  MATURITY_2_0_DESC: { expr: 'coalesce(maturity_2_0, -1)', direction: 'desc' },
};

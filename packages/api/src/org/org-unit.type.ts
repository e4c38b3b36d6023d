import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../graphql/relay.js';

export enum OrgUnitKind {
  amt = 'amt',
  unit = 'unit',
  office = 'office',
}
registerEnumType(OrgUnitKind, {
  name: 'OrgUnitKind',
  valuesConfig: {
    amt: { description: 'An Amt with a two-digit number (06, 10, 32 …)' },
    unit: { description: 'A sub-unit of an Amt (06.3, 66.02 …)' },
    office: { description: 'A unit the documents name without a number (Stadtamt, Ortsämter …)' },
  },
});

@ObjectType({ implements: Node, description: 'An org unit of the city administration; a tree through parent and children.' })
export class OrgUnit extends Node {
  @Field({ description: 'Code such as "06" or "06.3"; a slug for units named without a number.' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => OrgUnitKind)
  kind!: OrgUnitKind;

  parentCode!: string | null;
}

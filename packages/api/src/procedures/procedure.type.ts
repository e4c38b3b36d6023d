import 'reflect-metadata';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Node } from '../graphql/relay.js';

@ObjectType({
  implements: Node,
  description: 'A specialist procedure (Fachverfahren). Cost, users and the SOLL are for the steering team only.',
})
export class Procedure extends Node {
  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  vendor!: string | null;

  @Field(() => String, { nullable: true, description: 'planning, introduction, operation, phase_out, retired' })
  lifecyclePhase!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Can receive online applications.' })
  ozgReady!: boolean | null;

  @Field(() => String, { nullable: true, description: 'Connection to the DMS: none, one_way, two_way.' })
  dmsConnection!: string | null;

  @Field(() => Float, { nullable: true, description: 'Annual cost in EUR (internal).' })
  annualCost?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of users (internal).' })
  users?: number | null;

  @Field(() => String, { nullable: true, description: 'SOLL: keep, replace, retire or consolidate (internal).' })
  targetAction?: string | null;

  @Field(() => String, { nullable: true, description: 'SOLL connection to the DMS (internal).' })
  targetDmsConnection?: string | null;

  @Field(() => String, { nullable: true, description: 'SOLL target date (internal).' })
  targetDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Planned end of use (internal).' })
  endOfLifeDate?: string | null;

  ownerOrgUnits!: string;
}

@ObjectType({ description: 'An interface between two procedures (internal).' })
export class ProcedureInterface {
  @Field()
  fromKey!: string;

  @Field()
  toKey!: string;

  @Field()
  kind!: string;

  @Field({ description: 'one_way or two_way' })
  direction!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

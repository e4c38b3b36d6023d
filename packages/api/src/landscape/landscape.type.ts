import 'reflect-metadata';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ImpactDirection {
  downstream = 'downstream',
  upstream = 'upstream',
  both = 'both',
}
registerEnumType(ImpactDirection, {
  name: 'ImpactDirection',
  description: 'Which way to follow interfaces from a procedure.',
  valuesConfig: {
    downstream: { description: 'to the procedures that receive its data, directly or further on' },
    upstream: { description: 'to the procedures that deliver data to it, directly or further back' },
    both: { description: 'both; each path keeps the direction of its first interface' },
  },
});

export enum LandscapeGrouping {
  org_unit = 'org_unit',
  lifecycle = 'lifecycle',
}
registerEnumType(LandscapeGrouping, {
  name: 'LandscapeGrouping',
  description: 'Group procedures by owning org unit or by lifecycle phase.',
});

@ObjectType({ description: 'A procedure reached through interfaces, with the shortest path to it.', simpleResolvers: true })
export class ImpactedProcedure {
  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Interfaces between the replaced procedure and this one.' })
  depth!: number;

  @Field(() => [String], { description: 'Procedure keys from the replaced procedure to this one.' })
  path!: string[];

  @Field({ description: 'downstream or upstream' })
  via!: string;
}

@ObjectType({ description: 'A service handled by a procedure.', simpleResolvers: true })
export class CarriedService {
  @Field()
  serviceKey!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true, description: 'The procedure that handles it.' })
  procedureKey?: string;

  @Field(() => Int, { nullable: true, description: 'Interfaces between the replaced procedure and the handling one (0: itself).' })
  depth?: number;
}

@ObjectType({ description: 'The impact of replacing a procedure (IT-Bebauung, internal).' })
export class ProcedureImpact {
  @Field()
  procedureKey!: string;

  @Field(() => ImpactDirection)
  direction!: ImpactDirection;

  @Field(() => Int)
  maxDepth!: number;

  @Field(() => [ImpactedProcedure], { description: 'Every procedure reached, once, nearest first.' })
  procedures!: ImpactedProcedure[];

  @Field(() => [CarriedService], { description: 'Every service handled by the procedure or one reached.' })
  services!: CarriedService[];

  @Field(() => [[String]], { description: 'Cycles met on the way (procedure keys, ending where they began); each path stops there.' })
  cycles!: string[][];

  @Field({ description: 'The walk hit its limit (a very dense graph): the lists may be incomplete.' })
  truncated!: boolean;
}

@ObjectType({ description: 'A procedure ranked by what depends on it (IT-Bebauung, internal).', simpleResolvers: true })
export class ProcedureDependency {
  @Field(() => Int)
  rank!: number;

  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Services it handles itself.' })
  services!: number;

  @Field(() => Int, { description: 'Interfaces to and from it.' })
  interfaces!: number;

  @Field(() => Int, { description: 'Procedures downstream of it.' })
  dependentProcedures!: number;

  @Field(() => Int, { description: 'Services handled by it or downstream of it (the ranking).' })
  dependentServices!: number;
}

@ObjectType({ description: 'A direct neighbour of a procedure in the interface graph (internal).', simpleResolvers: true })
export class ProcedureNeighbour {
  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field({ description: 'downstream: receives data from it; upstream: delivers data to it.' })
  relation!: string;

  @Field()
  interfaceKind!: string;

  @Field({ description: 'one_way or two_way' })
  interfaceDirection!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

@ObjectType({ description: 'The IST and SOLL of a procedure as one export recorded it (internal).', simpleResolvers: true })
export class ProcedureSnapshot {
  @Field(() => Date)
  validFrom!: Date;

  @Field(() => Date, { nullable: true })
  validTo!: Date | null;

  @Field(() => Int, { nullable: true })
  runId!: number | null;

  @Field(() => String, { nullable: true })
  lifecyclePhase!: string | null;

  @Field(() => Float, { nullable: true })
  annualCost!: number | null;

  @Field(() => Int, { nullable: true })
  users!: number | null;

  @Field(() => Boolean, { nullable: true })
  ozgReady!: boolean | null;

  @Field(() => String, { nullable: true })
  dmsConnection!: string | null;

  @Field(() => String, { nullable: true, description: 'SOLL: keep, replace, retire or consolidate.' })
  targetAction!: string | null;

  @Field(() => String, { nullable: true })
  targetDmsConnection!: string | null;

  @Field(() => String, { nullable: true })
  targetDate!: string | null;

  @Field(() => String, { nullable: true })
  endOfLifeDate!: string | null;
}

@ObjectType({
  description: 'A procedure that reaches its end of life in the window, or is past it and still in use.',
  simpleResolvers: true,
})
export class EndingProcedure {
  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  lifecyclePhase!: string | null;

  @Field(() => [String], { description: 'Codes of the owning org units.' })
  ownerOrgUnits!: string[];

  @Field({ description: 'YYYY-MM-DD' })
  endOfLife!: string;

  @Field({ description: 'end_of_life_date (planned end of use) or target_date (SOLL replace/retire/consolidate).' })
  basis!: string;

  @Field(() => String, { nullable: true })
  targetAction!: string | null;

  @Field(() => Float, { nullable: true })
  annualCost!: number | null;

  @Field({ description: 'The end lies on or before the Stichtag and the procedure is not retired.' })
  overdue!: boolean;

  @Field(() => [CarriedService], { description: 'Services it handles.' })
  services!: CarriedService[];
}

@ObjectType({ description: 'What reaches its end of life within the window (IT-Bebauung, internal).' })
export class EndOfLifeOutlook {
  @Field()
  stichtag!: string;

  @Field({ description: 'End of the window (YYYY-MM-DD).' })
  until!: string;

  @Field(() => Int)
  months!: number;

  @Field(() => [EndingProcedure])
  procedures!: EndingProcedure[];

  @Field(() => Float, { description: 'Their annual cost in EUR.' })
  annualCost!: number;

  @Field(() => Int, { description: 'Services they carry.' })
  services!: number;
}

@ObjectType({ description: 'Procedures of one org unit or lifecycle phase. Services, cost and ending procedures are internal.' })
export class LandscapeGroup {
  @Field({ description: 'Org unit code ("ohne": no owner) or lifecycle phase.' })
  key!: string;

  @Field()
  label!: string;

  @Field(() => Int)
  procedures!: number;

  @Field(() => Int)
  ozgReady!: number;

  @Field(() => Int, { description: 'Connected to the DMS one way or two way.' })
  dmsConnected!: number;

  services?: number;
  annualCost?: number;
  endingWithin24Months?: number;
  costEndingWithin24Months?: number;
}

import 'reflect-metadata';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'How many rows have a status ("open": the source names none).', simpleResolvers: true })
export class StatusCount {
  @Field()
  status!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  description: 'A milestone whose due date lies before the Stichtag and that was not done by then (internal).',
  simpleResolvers: true,
})
export class OverdueMilestone {
  @Field()
  projectKey!: string;

  @Field()
  key!: string;

  @Field()
  title!: string;

  @Field()
  dueDate!: string;

  @Field(() => Int)
  daysOverdue!: number;
}

@ObjectType({ description: 'A project in the program: the council paper’s public list for everyone, all projects for the steering team.' })
export class ProgramProject {
  @Field()
  key!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  status!: string | null;

  @Field()
  statusRaw!: string;

  @Field(() => String, { nullable: true })
  initiativeKey!: string | null;

  dueDate?: string | null;
  overdueMilestones?: OverdueMilestone[];
}

@ObjectType({ description: 'A Vorhaben of the strategy in the program, with the driver-project flag and its projects.' })
export class ProgramInitiative {
  @Field()
  key!: string;

  @Field()
  title!: string;

  @Field()
  fieldKey!: string;

  @Field(() => String, { nullable: true })
  status!: string | null;

  @Field()
  statusRaw!: string;

  @Field({
    description:
      'One of the strategy’s Treiberprojekte (4.2): IT-Bebauung, OZG-Monitoring, OZG-Multiplikatoren, Digitale Lotsen, Servicekonzept.',
  })
  driverProject!: boolean;

  @Field(() => Int, { nullable: true })
  priority!: number | null;

  @Field(() => String, { nullable: true })
  size!: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the responsible org unit.' })
  responsibleOrgUnit!: string | null;

  @Field(() => [ProgramProject])
  projects!: ProgramProject[];
}

@ObjectType({ description: 'A navigator field with its pillar, Vorhaben and the status counts.' })
export class ProgramField {
  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  pillarKey!: string | null;

  @Field(() => String, { nullable: true })
  pillarName!: string | null;

  @Field(() => [ProgramInitiative])
  initiatives!: ProgramInitiative[];

  @Field(() => [StatusCount])
  initiativesByStatus!: StatusCount[];

  @Field(() => [StatusCount], { description: 'Projects of its Vorhaben by status.' })
  projectsByStatus!: StatusCount[];
}

@ObjectType({
  description: 'A pillar with its navigator fields and how many Vorhaben and driver projects they hold.',
  simpleResolvers: true,
})
export class ProgramPillar {
  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field(() => [String])
  fieldKeys!: string[];

  @Field(() => Int)
  initiatives!: number;

  @Field(() => Int)
  driverProjects!: number;
}

@ObjectType({ description: 'The program "Digitale Verwaltung Rostock 2030": what is planned, per navigator field and pillar.' })
export class ProgramOverview {
  @Field()
  stichtag!: string;

  @Field(() => [ProgramPillar])
  pillars!: ProgramPillar[];

  @Field(() => [ProgramField], { description: 'In the strategy’s order; a field without a pillar has pillarKey null.' })
  fields!: ProgramField[];

  @Field(() => [ProgramInitiative])
  driverProjects!: ProgramInitiative[];

  @Field(() => [ProgramProject])
  projectsWithoutInitiative!: ProgramProject[];
}

@ObjectType({ description: 'One change in the program, generated from the history tables.', simpleResolvers: true })
export class ProgramChange {
  @Field(() => Date)
  occurredAt!: Date;

  @Field({
    description:
      'initiative_status, project_new, project_status, milestone_new, milestone_done, milestone_overdue, service_level, service_target, service_target_removed',
  })
  kind!: string;

  @Field({ description: 'erreicht, geplant, verzögert or geändert' })
  category!: string;

  @Field({ description: 'initiative, project, milestone or service' })
  subjectType!: string;

  @Field()
  subjectKey!: string;

  @Field(() => String, { nullable: true })
  subjectTitle!: string | null;

  @Field(() => String, { nullable: true, description: 'Navigator field of the Vorhaben it belongs to.' })
  fieldKey!: string | null;

  @Field(() => String, { nullable: true, description: 'The project of a milestone, the Vorhaben of a project.' })
  parentKey!: string | null;

  @Field(() => String, { nullable: true, description: 'New normalised status, or the maturity model.' })
  detail!: string | null;

  @Field(() => String, { nullable: true })
  oldValue!: string | null;

  @Field(() => String, { nullable: true })
  newValue!: string | null;

  @Field({ description: 'The change as one German sentence.' })
  text!: string;
}

@ObjectType({ description: 'A KPI’s change over a month: the last value before it and the last value in it.', simpleResolvers: true })
export class KpiDelta {
  @Field()
  kpiId!: string;

  @Field()
  title!: string;

  @Field()
  unit!: string;

  @Field(() => GraphQLJSONObject)
  dimensions!: Record<string, string>;

  @Field(() => Float, { nullable: true })
  previous!: number | null;

  @Field(() => Float, { nullable: true })
  current!: number | null;

  @Field(() => Float, { nullable: true })
  delta!: number | null;

  @Field({ description: 'A value is withheld (counts of 1–4) for this viewer.' })
  suppressed!: boolean;

  @Field(() => Date, { nullable: true })
  computedAt!: Date | null;
}

@ObjectType({ description: 'Counts of a month’s changes by category.', simpleResolvers: true })
export class ChangeCounts {
  @Field(() => Int)
  erreicht!: number;

  @Field(() => Int)
  geplant!: number;

  @Field(() => Int)
  verzoegert!: number;

  @Field(() => Int)
  geaendert!: number;
}

@ObjectType({
  description: '"Geplantes und Erreichtes" of one month, generated from the data (public part, or complete for the steering team).',
})
export class ProgramMonth {
  @Field({ description: 'YYYY-MM' })
  month!: string;

  @Field()
  title!: string;

  @Field()
  stichtag!: string;

  @Field()
  preliminary!: boolean;

  @Field({ description: 'Internal entries are included (steering role).' })
  complete!: boolean;

  @Field(() => [ProgramChange])
  changes!: ProgramChange[];

  @Field(() => [KpiDelta])
  kpiDeltas!: KpiDelta[];

  @Field(() => [ProgramInitiative])
  driverProjects!: ProgramInitiative[];

  counts!: Record<string, number>;
  overdueMilestones?: OverdueMilestone[];
}

import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../graphql/relay.js';

export enum ProjectStatus {
  planned = 'planned',
  in_progress = 'in_progress',
  on_hold = 'on_hold',
  done = 'done',
  cancelled = 'cancelled',
}
registerEnumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: 'Project status normalised from the source (raw text in statusRaw).',
});

@ObjectType({ implements: Node, description: 'A digitalisation project (key such as P001/19).', simpleResolvers: true })
export class Project extends Node {
  @Field()
  key!: string;

  @Field()
  title!: string;

  @Field(() => ProjectStatus, { nullable: true })
  status!: ProjectStatus | null;

  @Field({ description: 'Status text as the source writes it.' })
  statusRaw!: string;

  goals!: string;
  results!: string;
  initiativeKey!: string | null;
  orgUnit!: string | null;
  lastRunId!: number | null;
  sourcePosition!: string | null;
  startDate?: string | null;
  dueDate?: string | null;
}

@ObjectType({ description: 'A milestone of a project (from the project tool; internal).', simpleResolvers: true })
export class Milestone {
  @Field()
  key!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  dueDate!: string | null;

  @Field(() => String, { nullable: true })
  doneDate!: string | null;

  @Field()
  isClosed!: boolean;

  @Field({ description: 'Due before today and neither done nor closed.' })
  overdue!: boolean;
}

@ObjectType({ description: 'One status of a project and how long it held (internal).' })
export class ProjectStatusChange {
  @Field(() => ProjectStatus, { nullable: true })
  status!: ProjectStatus | null;

  @Field()
  statusRaw!: string;

  @Field(() => Date)
  validFrom!: Date;

  @Field(() => Date, { nullable: true, description: 'null for the current status' })
  validTo!: Date | null;
}

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

@ObjectType({ implements: Node, description: 'A digitalisation project (key such as P001/19).' })
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
}

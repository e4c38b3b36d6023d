import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../graphql/relay.js';

export enum WorkStatus {
  planned = 'planned',
  in_progress = 'in_progress',
  done = 'done',
}
registerEnumType(WorkStatus, {
  name: 'WorkStatus',
  description: 'Status normalised from the source text (the text itself is in statusRaw).',
  valuesConfig: {
    planned: { description: 'geplant, nicht begonnen' },
    in_progress: { description: 'laufend, begonnen, in Arbeit, in Umsetzung' },
    done: { description: 'umgesetzt, abgeschlossen' },
  },
});

@ObjectType({ implements: Node, description: 'A pillar (Säule) of the strategy "Digitale Verwaltung Rostock 2030".' })
export class Pillar extends Node {
  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Int)
  position!: number;
}

@ObjectType({ implements: Node, description: 'A field of the strategy navigator (Fachverfahren, OZG, DMS, …).' })
export class NavigatorField extends Node {
  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'Section of the strategy appendix that lists its initiatives, e.g. "6.1".' })
  appendixSection!: string | null;

  @Field(() => Int)
  position!: number;

  pillarKey!: string | null;
}

@ObjectType({ implements: Node, description: 'An initiative (Vorhaben) of the strategy appendix.' })
export class Initiative extends Node {
  @Field({ description: 'Stable key V01–V33 in document order.' })
  key!: string;

  @Field()
  title!: string;

  @Field({ description: 'Responsible unit as the document writes it (may be "?", "6.3", "ISB").' })
  responsibleRaw!: string;

  @Field(() => Int, { nullable: true, description: 'Priority 1 (high) to 3; null where the document gives none ("x").' })
  priority!: number | null;

  @Field(() => String, { nullable: true, description: 'Size A (large) to C.' })
  size!: string | null;

  @Field(() => String, { nullable: true, description: 'Alternative size in parentheses, e.g. B in "A(B)".' })
  sizeAlternative!: string | null;

  @Field(() => WorkStatus, { nullable: true })
  status!: WorkStatus | null;

  @Field({ description: 'Status text as written in the document.' })
  statusRaw!: string;

  fieldKey!: string;
  responsibleOrgUnit!: string | null;
  involvedOrgUnits!: string;
  focusPoints!: string;
  benefits!: string;
  lastRunId!: number | null;
  sourcePosition!: string | null;
}

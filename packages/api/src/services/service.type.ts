import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../graphql/relay.js';

export enum ServiceKind {
  ozg = 'ozg',
  leika = 'leika',
  local = 'local',
}
registerEnumType(ServiceKind, {
  name: 'ServiceKind',
  description: 'What a service is in the catalog.',
  valuesConfig: {
    ozg: { description: 'OZG-Leistung (Leistungsbündel of the OZG-Umsetzungskatalog, 5-digit OZG id)' },
    leika: { description: 'LeiKa-Leistung below an OZG-Leistung (14-digit LeiKa key; none for entries "nicht im LeiKa")' },
    local: { description: 'a service of the city that neither catalog lists' },
  },
});

export enum ImplementationStatus {
  planned = 'planned',
  in_progress = 'in_progress',
  online = 'online',
  end_to_end = 'end_to_end',
}
registerEnumType(ImplementationStatus, {
  name: 'ImplementationStatus',
  description: 'Implementation status normalised from the source (its text is in implementationStatusRaw).',
  valuesConfig: {
    planned: { description: 'in Planung' },
    in_progress: { description: 'in Bearbeitung' },
    online: { description: 'umgesetzt, online verfügbar' },
    end_to_end: { description: 'Ende-zu-Ende digital' },
  },
});

export enum MaturityKind {
  ist = 'ist',
  soll = 'soll',
}
registerEnumType(MaturityKind, {
  name: 'MaturityKind',
  description: 'IST: the level reached; SOLL: the level aimed at, with a target date.',
});

export enum OzgTopicKind {
  themenfeld = 'themenfeld',
  lebenslage = 'lebenslage',
}
registerEnumType(OzgTopicKind, {
  name: 'OzgTopicKind',
  description: 'Themenfeld (14 topic fields) or Lebenslage (life situation within one).',
});

@ObjectType({ description: 'A topic of the OZG catalog: a Themenfeld or a Lebenslage within one.' })
export class OzgTopic {
  @Field({ description: 'Key such as "themenfeld:2" or "lebenslage:14".' })
  key!: string;

  @Field(() => OzgTopicKind)
  kind!: OzgTopicKind;

  @Field()
  name!: string;

  @Field(() => OzgTopic, { nullable: true, description: 'The Themenfeld of a Lebenslage.' })
  parent!: OzgTopic | null;
}

@ObjectType({ description: 'A maturity level of a service in one OZG maturity model, IST or SOLL, and since when it holds.' })
export class ServiceMaturity {
  @Field({ description: '"1.1" (Reifegradmodell 1.1, levels 0–4) or "2.0" (Reifegradmodell 2.0 of July 2025, levels 0–7).' })
  model!: string;

  @Field(() => MaturityKind)
  kind!: MaturityKind;

  @Field(() => Int)
  level!: number;

  @Field(() => String, { nullable: true, description: 'Target date of a SOLL level (YYYY-MM-DD).' })
  targetDate!: string | null;

  @Field(() => Date)
  validFrom!: Date;

  @Field(() => Date, { nullable: true, description: 'When the level was superseded; null for the current one.' })
  validTo!: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Model 1.1: level 3 or higher (online in conformity with the OZG). Null for model 2.0: no threshold is defined yet.',
  })
  online!: boolean | null;

  serviceKey!: string;
}

@ObjectType({ implements: Node, description: 'An administrative service (Verwaltungsleistung) of the OZG / LeiKa catalog.' })
export class Service extends Node {
  @Field({ description: 'Stable key: "ozg:<OZG id>", "leika:<LeiKa key>", "leika-local:<OZG id>:<hash>" for entries "nicht im LeiKa".' })
  key!: string;

  @Field(() => ServiceKind)
  kind!: ServiceKind;

  @Field(() => String, { nullable: true, description: '14-digit LeiKa key (Leistungsschlüssel).' })
  leikaKey!: string | null;

  @Field(() => String, {
    nullable: true,
    description: '5-digit OZG id: of the service itself, or of the OZG service a LeiKa entry belongs to.',
  })
  ozgId!: string | null;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'LeiKa-Typ as the catalog writes it (free text, e.g. "2/3" or "1, 2/3").' })
  leikaType!: string | null;

  @Field(() => String, { nullable: true, description: 'Rechtsgrundlage, without its links (see legalBasisUrls).' })
  legalBasis!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Online in maturity model 1.1: the current IST level is 3 or higher. Null while no level is known.',
  })
  online!: boolean | null;

  @Field(() => ImplementationStatus, { nullable: true })
  implementationStatus!: ImplementationStatus | null;

  @Field(() => String, { nullable: true, description: 'Implementation status as the source writes it (e.g. "offen").' })
  implementationStatusRaw!: string | null;

  parentKey!: string | null;
  topicKey!: string | null;
  topicKind!: OzgTopicKind | null;
  topicName!: string | null;
  themenfeldKey!: string | null;
  themenfeld!: string | null;
  legalBasisUrls!: string | null;
}

@ObjectType({
  description:
    'Case numbers of a service in one month (from the Fachverfahren exports). Counts of 1–4 are withheld from anonymous readers.',
  simpleResolvers: true,
})
export class ServiceMetric {
  @Field({ description: 'YYYY-MM' })
  month!: string;

  @Field(() => Int, { nullable: true })
  applicationsOnline!: number | null;

  @Field(() => Int, { nullable: true })
  applicationsOffline!: number | null;

  @Field(() => Int, { nullable: true })
  appointments!: number | null;

  @Field(() => Float, { nullable: true })
  medianProcessingDays!: number | null;

  @Field({ description: 'True when a value is withheld because it is below 5.' })
  suppressed!: boolean;
}

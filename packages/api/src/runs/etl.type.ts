import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

export enum ApiKeyRole {
  developer = 'developer',
  steering = 'steering',
  admin = 'admin',
}
registerEnumType(ApiKeyRole, { name: 'ApiKeyRole', description: 'The role an API key grants.' });

@ObjectType({ description: 'One ETL run of one source (admin).' })
export class EtlRun {
  @Field(() => Int)
  id!: number;

  @Field()
  source!: string;

  @Field({ description: 'running, succeeded or failed' })
  status!: string;

  @Field()
  dryRun!: boolean;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { description: 'read = loaded + unchanged + quarantined' })
  rowsRead!: number;

  @Field(() => Int)
  rowsLoaded!: number;

  @Field(() => Int)
  rowsUnchanged!: number;

  @Field(() => Int)
  rowsQuarantined!: number;

  @Field(() => Int)
  rowsDeleted!: number;

  @Field(() => String, { nullable: true })
  cursorFrom!: string | null;

  @Field(() => String, { nullable: true })
  cursorTo!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Fields the source added or dropped, and the policy applied.' })
  schemaDrift!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  errorCode!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;
}

@ObjectType({ description: 'A record an ETL run could not load, with where it came from and why (admin).' })
export class QuarantinedRecord {
  @Field(() => Int)
  id!: number;

  @Field(() => Int)
  runId!: number;

  @Field()
  source!: string;

  @Field({ description: 'Where in the source: file:line, page and index, feature id.' })
  position!: string;

  @Field(() => GraphQLJSONObject, { description: 'The record as read.' })
  raw!: Record<string, unknown>;

  @Field({ description: 'Stable code, e.g. ROW_INVALID_VALUE, ROW_DUPLICATE_KEY, ROW_SCHEMA_DRIFT.' })
  reasonCode!: string;

  @Field()
  reason!: string;
}

@ObjectType({ description: 'An API key (the key itself is shown only once, when it is created).' })
export class ApiKey {
  @Field(() => Int)
  id!: number;

  @Field({ description: 'The public part of the key (hro_<prefix>_…).' })
  prefix!: string;

  @Field()
  name!: string;

  @Field(() => ApiKeyRole)
  role!: ApiKeyRole;

  @Field({ description: 'approved (issued on request, not yet collected by its requester), active or revoked' })
  status!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key last got a new secret (rotation).' })
  rotatedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'The last request made with the key (written in batches: up to 15 s late).' })
  lastUsedAt!: Date | null;

  @Field(() => Int, { description: 'Requests made with the key, all time.' })
  usageCount!: number;

  @Field(() => Int, { description: 'Requests made with the key today (Europe/Berlin).' })
  requestsToday!: number;
}

@ObjectType()
export class CreatedApiKey {
  @Field({ description: 'The key. Store it now: it is not kept and cannot be shown again.' })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}

@ObjectType()
export class QueuedRun {
  @Field()
  queued!: boolean;
}

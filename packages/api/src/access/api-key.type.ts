import { Field, Int, ObjectType } from 'type-graphql';
import { ApiKey } from '../runs/etl.type.js';

@ObjectType({ description: 'Requests made with an API key on one day (Europe/Berlin).' })
export class ApiKeyUsageDay {
  @Field({ description: 'YYYY-MM-DD' })
  day!: string;

  @Field(() => Int)
  requests!: number;
}

@ObjectType({ description: 'A developer’s request for an API key from the portal (admin).' })
export class ApiKeyRequest {
  @Field({ description: 'The request id (a UUID).' })
  id!: string;

  @Field({ description: 'Name or organisation of the requester.' })
  name!: string;

  @Field()
  email!: string;

  @Field({ description: 'What the requester means to build.' })
  purpose!: string;

  @Field({ description: 'pending, approved or rejected' })
  status!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who decided (API key id or token subject).' })
  decidedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected (shown to the requester).' })
  reason!: string | null;

  @Field(() => Int, { nullable: true, description: 'The key issued on approval.' })
  apiKeyId!: number | null;

  @Field(() => Date, { nullable: true, description: 'When the requester collected the key (it is shown once).' })
  collectedAt!: Date | null;
}

@ObjectType()
export class ApprovedApiKeyRequest {
  @Field(() => ApiKeyRequest)
  request!: ApiKeyRequest;

  @Field(() => ApiKey, { description: 'The issued developer key, status approved until the requester collects it.' })
  apiKey!: ApiKey;
}

import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../graphql/relay.js';

@ObjectType({ implements: Node, description: 'A dataset of the open-data catalog (a CKAN package, a dcat:Dataset).' })
export class Dataset extends Node {
  @Field({ description: 'URL name (CKAN "name").' })
  name!: string;

  @Field()
  title!: string;

  @Field({ description: 'Description (CKAN "notes").' })
  notes!: string;

  @Field(() => String, { nullable: true })
  licenseId!: string | null;

  @Field(() => String, { nullable: true })
  licenseTitle!: string | null;

  @Field(() => String, { nullable: true })
  organizationName!: string | null;

  @Field(() => String, { nullable: true })
  organizationTitle!: string | null;

  @Field(() => Date)
  metadataCreated!: Date;

  @Field(() => Date)
  metadataModified!: Date;

  @Field(() => Int)
  numResources!: number;

  @Field({ description: 'Internal dataset (CKAN "private"): only the steering team and admins see it.' })
  private!: boolean;
}

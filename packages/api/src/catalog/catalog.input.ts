import 'reflect-metadata';
import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A dataset to register in the catalog (admin); its data is a view of the open schema.' })
export class DatasetInput {
  @Field({ description: 'URL name (CKAN "name"): lower-case letters, digits, - and _, 2–100 characters.' })
  name!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true, description: 'Description (CKAN "notes"), Markdown.' })
  notes?: string | null;

  @Field({ description: 'Licence id, e.g. "dl-by-de/2.0" (CKAN license_list).' })
  license!: string;

  @Field({ description: 'Name of the publishing organization.' })
  organization!: string;

  @Field(() => [String], { nullable: true, description: 'Names of the groups (topics).' })
  groups?: string[] | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Internal: visible to the steering team and admins only (default false).' })
  private?: boolean | null;

  @Field({ description: 'The view in the open schema with its data, e.g. "open.initiatives".' })
  view!: string;
}

@InputType({ description: 'Changes to a dataset registered through the API (admin); fields left out stay as they are.' })
export class DatasetPatch {
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => String, { nullable: true }) license?: string | null;
  @Field(() => String, { nullable: true }) organization?: string | null;
  @Field(() => [String], { nullable: true, description: 'Replaces the groups ([] removes all).' }) groups?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Replaces the tags ([] removes all).' }) tags?: string[] | null;
  @Field(() => Boolean, { nullable: true }) private?: boolean | null;
  @Field(() => String, { nullable: true }) view?: string | null;
}

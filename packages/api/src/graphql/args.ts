import { ArgsType, Field, Int } from 'type-graphql';

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Return the first n (at most 100; default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return nodes after this cursor.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Return the last n (at most 100).' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return nodes before this cursor.' })
  before?: string | null;
}

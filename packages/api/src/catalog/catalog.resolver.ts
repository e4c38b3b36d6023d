import { Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, toGlobalId, type ConnectionShape } from '../graphql/relay.js';
import { listDatasets } from './catalog.service.js';
import { Dataset } from './catalog.type.js';

export const DatasetConnection = connectionType(Dataset, 'Dataset');

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => DatasetConnection, { description: 'Datasets of the open-data catalog, by name.' })
  async datasets(@Args() page: ConnectionArgs, @Ctx() ctx: GraphQLContext): Promise<ConnectionShape<Dataset>> {
    return toConnection<Dataset>(await listDatasets(ctx, page));
  }

  @FieldResolver(() => ID)
  id(@Root() dataset: Dataset): string {
    return toGlobalId('Dataset', dataset.name);
  }
}

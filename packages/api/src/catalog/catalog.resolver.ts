import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, toGlobalId, type ConnectionShape } from '../graphql/relay.js';
import { listDatasets } from './catalog.service.js';
import { Dataset } from './catalog.type.js';
import { DatasetFilter, DatasetOrderBy } from './catalog.filter.js';
import { DatasetInput, DatasetPatch } from './catalog.input.js';
import { registerDataset, updateDataset } from './catalog.write.js';
import type { EntityFilter } from '../domain/filter.js';

export const DatasetConnection = connectionType(Dataset, 'Dataset');

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => DatasetConnection, { description: 'Datasets of the open-data catalog, by name.' })
  async datasets(
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => DatasetFilter, { nullable: true, description: 'Conditions with operators, across groups and tags.' })
    filterInput?: DatasetFilter | null,
    @Arg('orderBy', () => DatasetOrderBy, { nullable: true, defaultValue: DatasetOrderBy.NAME_ASC }) orderBy?: DatasetOrderBy,
  ): Promise<ConnectionShape<Dataset>> {
    return toConnection<Dataset>(await listDatasets(ctx, page, { where: filterInput as EntityFilter | null | undefined, orderBy }));
  }

  @FieldResolver(() => ID)
  id(@Root() dataset: Dataset): string {
    return toGlobalId('Dataset', dataset.name);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The view of the open schema that holds its data.' })
  async view(@Root() dataset: Dataset, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    return (await ctx.loaders.datasetLabels.load(dataset.name))?.view ?? null;
  }

  @FieldResolver(() => [String], { description: 'Names of its groups (topics).' })
  async groups(@Root() dataset: Dataset, @Ctx() ctx: GraphQLContext): Promise<string[]> {
    return (await ctx.loaders.datasetLabels.load(dataset.name))?.groups ?? [];
  }

  @FieldResolver(() => [String])
  async tags(@Root() dataset: Dataset, @Ctx() ctx: GraphQLContext): Promise<string[]> {
    return (await ctx.loaders.datasetLabels.load(dataset.name))?.tags ?? [];
  }

  @Mutation(() => Dataset, {
    description: 'Registers a dataset over a view of the open schema (admin). Audited; caches drop at once.',
  })
  registerDataset(@Arg('input', () => DatasetInput) input: DatasetInput, @Ctx() ctx: GraphQLContext): Promise<Dataset> {
    return registerDataset(ctx, input);
  }

  @Mutation(() => Dataset, {
    description:
      'Edits a dataset registered through the API (admin); datasets declared in packages/api/datasets/ are edited there (CONFLICT).',
  })
  updateDataset(
    @Arg('name') name: string,
    @Arg('patch', () => DatasetPatch) patch: DatasetPatch,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Dataset> {
    return updateDataset(ctx, name, patch);
  }
}

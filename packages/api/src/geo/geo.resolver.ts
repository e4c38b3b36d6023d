import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Info, Query, Resolver } from 'type-graphql';
import { selectedFields } from '../graphql/lookahead.js';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, type ConnectionShape } from '../graphql/relay.js';
import { listGeoFeatures, listGeoLayers } from './geo.service.js';
import { BBoxInput, GeoFeature, GeoLayer } from './geo.type.js';
import { GeoFeatureFilter, GeoFeatureOrderBy } from './geo.filter.js';
import type { EntityFilter } from '../domain/filter.js';

export const GeoFeatureConnection = connectionType(GeoFeature, 'GeoFeature');

@Resolver()
export class GeoResolver {
  @Query(() => [GeoLayer], { description: 'The published geo layers.' })
  geoLayers(@Ctx() ctx: GraphQLContext): Promise<GeoLayer[]> {
    return listGeoLayers(ctx);
  }

  @Query(() => GeoFeatureConnection, { description: 'Features of a layer, optionally only those in a bounding box.' })
  async geoFeatures(
    @Arg('layer') layer: string,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('bbox', () => BBoxInput, { nullable: true }) bbox?: BBoxInput | null,
    @Arg('filter', () => GeoFeatureFilter, { nullable: true, description: 'Conditions on feature keys and attributes.' })
    filterInput?: GeoFeatureFilter | null,
    @Arg('orderBy', () => GeoFeatureOrderBy, { nullable: true, defaultValue: GeoFeatureOrderBy.FEATURE_KEY_ASC })
    orderBy?: GeoFeatureOrderBy,
  ): Promise<ConnectionShape<GeoFeature>> {
    return toConnection<GeoFeature>(
      await listGeoFeatures(ctx, { layer, bbox }, page, {
        where: filterInput as EntityFilter | null | undefined,
        orderBy,
        fields: selectedFields(info, ['nodes'], ['edges', 'node']),
        rawJson: ctx.rawJson === true,
      }),
    );
  }
}

import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { ConnectionArgs } from '../graphql/args.js';
import type { GraphQLContext } from '../graphql/context.js';
import { connectionType, toConnection, type ConnectionShape } from '../graphql/relay.js';
import { listGeoFeatures, listGeoLayers } from './geo.service.js';
import { BBoxInput, GeoFeature, GeoLayer } from './geo.type.js';

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
    @Arg('bbox', () => BBoxInput, { nullable: true }) bbox?: BBoxInput | null,
  ): Promise<ConnectionShape<GeoFeature>> {
    return toConnection<GeoFeature>(await listGeoFeatures(ctx, { layer, bbox }, page));
  }
}

import 'reflect-metadata';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@ObjectType({ description: 'A published geo layer (e.g. the 21 Stadtbereiche).' })
export class GeoLayer {
  @Field()
  key!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true, description: 'The CRS the source delivered (everything is served in WGS84).' })
  sourceCrs!: string | null;

  @Field(() => Int)
  featureCount!: number;
}

@ObjectType({ description: 'A feature of a layer: GeoJSON geometry in WGS84 (lon/lat), its bbox and attributes.', simpleResolvers: true })
export class GeoFeature {
  @Field()
  layerKey!: string;

  @Field()
  featureKey!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'GeoJSON geometry, WGS84 lon/lat.' })
  geometry!: Record<string, unknown> | null;

  @Field(() => [Float], { nullable: true, description: '[minLon, minLat, maxLon, maxLat]' })
  bbox!: number[] | null;

  @Field(() => GraphQLJSONObject)
  properties!: Record<string, unknown>;
}

@InputType({ description: 'A bounding box in WGS84.' })
export class BBoxInput {
  @Field(() => Float) minLon!: number;
  @Field(() => Float) minLat!: number;
  @Field(() => Float) maxLon!: number;
  @Field(() => Float) maxLat!: number;
}

import 'reflect-metadata';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterSpec } from '../domain/filter.js';
import type { OrderOption } from '../domain/order.js';
import { PropertyFilter, StringFilter } from '../graphql/filters.js';

/** Features of published layers (open.geo_features); their attributes are public like the geometry. */
export const geoFeatureFilterSpec: FilterSpec = {
  fields: {
    featureKey: { sql: '{t}.feature_key', kind: 'string' },
  },
  maps: {
    properties: { sql: '{t}.properties' },
  },
};

@InputType({ description: 'Conditions on features; fields combine with and; use and/or/not for more.' })
export class GeoFeatureFilter {
  @Field(() => StringFilter, { nullable: true }) featureKey?: StringFilter | null;
  @Field(() => [PropertyFilter], {
    nullable: true,
    description: 'Conditions on attributes by name, e.g. [{ name: "bezeichnung", icontains: "warnemünde" }]; all must hold.',
  })
  properties?: PropertyFilter[] | null;
  @Field(() => [GeoFeatureFilter], { nullable: true }) and?: GeoFeatureFilter[] | null;
  @Field(() => [GeoFeatureFilter], { nullable: true }) or?: GeoFeatureFilter[] | null;
  @Field(() => GeoFeatureFilter, { nullable: true }) not?: GeoFeatureFilter | null;
}

export enum GeoFeatureOrderBy {
  FEATURE_KEY_ASC = 'FEATURE_KEY_ASC',
  FEATURE_KEY_DESC = 'FEATURE_KEY_DESC',
}
registerEnumType(GeoFeatureOrderBy, { name: 'GeoFeatureOrderBy', description: 'Order of the features of a layer.' });

export const geoFeatureOrders: Record<GeoFeatureOrderBy, OrderOption> = {
  FEATURE_KEY_ASC: undefined,
  FEATURE_KEY_DESC: { expr: 'feature_key', direction: 'desc' },
};

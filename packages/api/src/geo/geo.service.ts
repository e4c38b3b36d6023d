import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { ValidationError } from '../errors/index.js';

export interface GeoLayerRow {
  key: string;
  title: string;
  sourceCrs: string | null;
  featureCount: number;
}

export interface GeoFeatureRow {
  layerKey: string;
  featureKey: string;
  geometry: Record<string, unknown> | null;
  bbox: number[] | null;
  properties: Record<string, unknown>;
}

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** The published geo layers. */
export function listGeoLayers(ctx: DomainContext): Promise<GeoLayerRow[]> {
  return runAction(ctx, 'geo_layer.list', async (c) => {
    authorize(c, 'open.read');
    const { rows } = await c.pool.query<GeoLayerRow>(
      `select key, title, source_crs as "sourceCrs", feature_count::int as "featureCount" from open.geo_layers order by key`,
    );
    return rows;
  });
}

/**
 * Features of a published layer, optionally those whose bbox intersects a bbox (WGS84) — served
 * by the GiST index on the native box column.
 */
export function listGeoFeatures(
  ctx: DomainContext,
  filter: { layer: string; bbox?: BBox | null },
  page: PageArgs,
): Promise<Page<GeoFeatureRow & Record<string, unknown>>> {
  return runAction(ctx, 'geo_feature.list', async (c) => {
    authorize(c, 'open.read');
    const params: unknown[] = [filter.layer];
    const where = ['layer_key = $1'];
    const b = filter.bbox;
    if (b) {
      if (![b.minLon, b.minLat, b.maxLon, b.maxLat].every(Number.isFinite) || b.minLon > b.maxLon || b.minLat > b.maxLat) {
        throw ValidationError.of('bbox', 'minLon ≤ maxLon and minLat ≤ maxLat, finite numbers (WGS84)');
      }
      params.push(b.minLon, b.minLat, b.maxLon, b.maxLat);
      where.push(`bbox && box(point($2, $3), point($4, $5))`);
    }
    return paginate<GeoFeatureRow & Record<string, unknown>>(
      c.pool,
      {
        relation: 'open.geo_features',
        orderBy: 'feature_key',
        select: `layer_key as "layerKey", feature_key, feature_key as "featureKey", geometry, properties,
                 case when bbox is null then null else array[bbox_min_lon, bbox_min_lat, bbox_max_lon, bbox_max_lat] end as bbox`,
        where,
        params,
      },
      page,
    );
  });
}

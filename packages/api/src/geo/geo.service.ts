import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { paginate, type Page, type PageArgs } from '../domain/paginate.js';
import { ValidationError } from '../errors/index.js';
import { FilterCompiler, type EntityFilter } from '../domain/filter.js';
import { sortFor } from '../domain/order.js';
import { rawJson } from '../db/raw-json.js';
import { geoFeatureFilterSpec, geoFeatureOrders, type GeoFeatureOrderBy } from './geo.filter.js';

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

// The columns of each GeoFeature field; bbox as a JSON array, parsed natively rather than by pg's
// array parser. The jsonb columns and the bbox are most of a feature's cost in PostgreSQL and Node
// (half of a bbox query's execution when not asked for; bench/graphql), so only the asked ones are read.
const featureFieldColumns: Record<string, string> = {
  layerKey: 'layer_key as "layerKey"',
  featureKey: 'feature_key as "featureKey"',
  geometry: 'geometry',
  properties: 'properties',
  bbox: 'case when bbox is null then null else json_build_array(bbox_min_lon, bbox_min_lat, bbox_max_lon, bbox_max_lat) end as bbox',
};

// For answers that are only written out (rawJson): the texts PostgreSQL stored beside the jsonb
// columns (migration 0018), so that no read pays for jsonb's output function.
const featureTextColumns: Record<string, string> = {
  ...featureFieldColumns,
  geometry: 'geometry_text as geometry',
  properties: 'properties_text as properties',
};

/** The select list for the asked fields (all when unknown), and where the cursor's column feature_key is in a row. */
function featureColumns(fields: ReadonlySet<string> | undefined, texts: boolean): { select: string; keyField: string } {
  const byField = texts ? featureTextColumns : featureFieldColumns;
  const wanted = fields && [...fields].every((f) => f === '__typename' || f in byField) ? fields : undefined;
  const columns = Object.entries(byField)
    .filter(([field]) => !wanted || wanted.has(field))
    .map(([, sql]) => sql);
  // featureKey asked for: it is the cursor's value too (not the same text read twice)
  return !wanted || wanted.has('featureKey')
    ? { select: columns.join(', '), keyField: 'featureKey' }
    : { select: ['feature_key', ...columns].join(', '), keyField: 'feature_key' };
}

/**
 * Features of a published layer, optionally those whose bbox intersects a bbox (WGS84) — served
 * by the GiST index on the native box column.
 */
export function listGeoFeatures(
  ctx: DomainContext,
  filter: { layer: string; bbox?: BBox | null },
  page: PageArgs,
  options: {
    where?: EntityFilter | null;
    orderBy?: GeoFeatureOrderBy | null;
    /** the GeoFeature fields asked for: only their columns are read (default: all) */
    fields?: ReadonlySet<string>;
    /**
     * geometry and properties (objects) as PostgreSQL's text (db/raw-json.ts' RawJson), to be written
     * into an answer as they are: only for answers that are serialised, not read (GraphQLContext.rawJson)
     */
    rawJson?: boolean;
  } = {},
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
    if (options.where) where.push(new FilterCompiler(params, c).compile(options.where, geoFeatureFilterSpec, 'feature'));
    const result = await paginate<GeoFeatureRow & Record<string, unknown>>(
      c.pool,
      {
        relation: 'open.geo_features as feature',
        sort: sortFor(c, geoFeatureOrders, options.orderBy),
        orderBy: 'feature_key',
        ...featureColumns(options.fields, options.rawJson === true),
        where,
        params,
      },
      page,
    );
    if (options.rawJson) {
      for (const row of result.nodes) {
        if (typeof row.geometry === 'string') row.geometry = rawJson(row.geometry) as GeoFeatureRow['geometry'];
        if (typeof row.properties === 'string') row.properties = rawJson(row.properties) as GeoFeatureRow['properties'];
      }
    }
    return result;
  });
}

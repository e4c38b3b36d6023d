import { z } from 'zod';
import type { EntitySpec } from '../connector.js';
import type { GeoJsonGeometry, Position } from './geometry.js';

/**
 * Checks a reprojected geometry: WGS84 ranges, enough positions, closed rings. Returns the first
 * problem as a readable message (the feature is then quarantined with it), or null.
 */
export function geometryProblem(g: GeoJsonGeometry): string | null {
  const position = (p: Position, where: string): string | null => {
    if (p[0] < -180 || p[0] > 180) return `longitude ${p[0]} outside -180…180 (${where}) – wrong CRS or axis order?`;
    if (p[1] < -90 || p[1] > 90) return `latitude ${p[1]} outside -90…90 (${where}) – wrong CRS or axis order?`;
    return null;
  };
  const line = (ps: Position[], where: string, min: number): string | null => {
    if (ps.length < min) return `${where} has ${ps.length} positions, needs at least ${min}`;
    for (let i = 0; i < ps.length; i++) {
      const problem = position(ps[i] as Position, `${where}, position ${i + 1}`);
      if (problem) return problem;
    }
    return null;
  };
  const ring = (ps: Position[], where: string): string | null => {
    const problem = line(ps, where, 4);
    if (problem) return problem;
    const a = ps[0] as Position;
    const b = ps[ps.length - 1] as Position;
    return a[0] === b[0] && a[1] === b[1] ? null : `${where} is not closed (first ${a.join(' ')} ≠ last ${b.join(' ')})`;
  };
  const polygon = (rings: Position[][], where: string): string | null => {
    if (rings.length === 0) return `${where} has no rings`;
    for (let i = 0; i < rings.length; i++) {
      const problem = ring(rings[i] as Position[], `${where} ring ${i + 1}`);
      if (problem) return problem;
    }
    return null;
  };
  const first = <T>(items: T[], check: (item: T, i: number) => string | null, what: string): string | null => {
    if (items.length === 0) return `${what} is empty`;
    for (let i = 0; i < items.length; i++) {
      const problem = check(items[i] as T, i);
      if (problem) return problem;
    }
    return null;
  };
  switch (g.type) {
    case 'Point':
      return position(g.coordinates, 'Point');
    case 'MultiPoint':
      return first(g.coordinates, (p, i) => position(p, `point ${i + 1}`), 'MultiPoint');
    case 'LineString':
      return line(g.coordinates, 'LineString', 2);
    case 'MultiLineString':
      return first(g.coordinates, (l, i) => line(l, `line ${i + 1}`, 2), 'MultiLineString');
    case 'Polygon':
      return polygon(g.coordinates, 'Polygon');
    case 'MultiPolygon':
      return first(g.coordinates, (p, i) => polygon(p, `polygon ${i + 1}`), 'MultiPolygon');
    case 'GeometryCollection':
      return first(g.geometries, (c) => geometryProblem(c), 'GeometryCollection');
  }
}

/** PostgreSQL box literal of a bbox: '((minLon,minLat),(maxLon,maxLat))'. */
export const boxLiteral = (b: readonly number[]) => `((${b[0]},${b[1]}),(${b[2]},${b[3]}))`;

const geometrySchema = z.custom<GeoJsonGeometry | null>(
  (v) => v === null || (typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string'),
);

const feature = z
  .object({
    layer_key: z.string().min(1),
    feature_key: z.string().optional(),
    key_source: z.string().default('id'),
    geometry: geometrySchema,
    bbox: z.array(z.number()).length(4).nullable(),
    properties: z.record(z.string(), z.unknown()),
    geometry_error: z.string().optional(),
  })
  .superRefine((f, ctx) => {
    if (!f.feature_key) {
      // invalid_type + "received undefined": the quarantine files it as ROW_MISSING_VALUE
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'string',
        input: undefined,
        path: ['feature_key'],
        message: `missing: the feature has no ${f.key_source} (received undefined)`,
      });
    }
    if (f.geometry_error !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['geometry'], message: f.geometry_error });
      return;
    }
    if (f.geometry) {
      const problem = geometryProblem(f.geometry);
      if (problem) ctx.addIssue({ code: 'custom', path: ['geometry'], message: problem });
    }
  })
  .transform((f) => ({
    layer_key: f.layer_key,
    feature_key: f.feature_key as string,
    geometry: f.geometry,
    bbox: f.geometry && f.bbox ? boxLiteral(f.bbox) : null,
    properties: f.properties,
  }));

const layer = z.object({
  key: z.string().min(1),
  title: z.string().min(1),
  source_crs: z.string().nullable(),
  source_url: z.string().nullable(),
  published: z.boolean(),
  allow_empty: z.boolean(),
});

/** The geo connector's entities: one `layer` record per source, and its `feature`s. */
export const geoEntities = {
  layer: {
    schema: layer,
    key: ['key'],
    columns: { key: 'text', title: 'text', source_crs: 'text', source_url: 'text', published: 'boolean', allow_empty: 'boolean' },
  },
  feature: {
    schema: feature,
    key: ['layer_key', 'feature_key'],
    columns: { layer_key: 'text', feature_key: 'text', geometry: 'jsonb', bbox: 'text', properties: 'jsonb' },
  },
} satisfies Record<string, EntitySpec>;

/** GeoJSON geometry (RFC 7946): WGS84 longitude/latitude, two dimensions. */
export type Position = [number, number];
export type GeoJsonGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: GeoJsonGeometry[] };

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/**
 * A geometry as read from the source, before reprojection. Coordinate lists are flat
 * `[a0, b0, a1, b1, …]` pairs in the source's axis order (z values already dropped): reading a
 * posList into a flat list and projecting it once avoids an array per position on the hot path.
 */
export type SourceGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[] }
  | { type: 'LineString'; coordinates: number[] }
  | { type: 'MultiLineString'; coordinates: number[][] }
  | { type: 'Polygon'; coordinates: number[][] }
  | { type: 'MultiPolygon'; coordinates: number[][][] }
  | { type: 'GeometryCollection'; geometries: SourceGeometry[] };

/** The first coordinate pair of a geometry (for the axis-order check), or null if it has none. */
export function firstPair(g: SourceGeometry): [number, number] | null {
  let flat: number[] | undefined;
  switch (g.type) {
    case 'Point':
    case 'MultiPoint':
    case 'LineString':
      flat = g.coordinates;
      break;
    case 'MultiLineString':
    case 'Polygon':
      flat = g.coordinates[0];
      break;
    case 'MultiPolygon':
      flat = g.coordinates[0]?.[0];
      break;
    case 'GeometryCollection':
      for (const child of g.geometries) {
        const p = firstPair(child);
        if (p) return p;
      }
      return null;
  }
  if (!flat || flat.length < 2) return null;
  return [flat[0] as number, flat[1] as number];
}

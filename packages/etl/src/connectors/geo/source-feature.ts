import type { SourceGeometry } from './geometry.js';

/** One feature as read from GML or GeoJSON, before reprojection and validation. */
export interface SourceFeature {
  /** gml:id / fid, or the GeoJSON feature's `id` */
  id: string | undefined;
  /** the (first) geometry in source coordinates, null when the feature has none */
  geometry: SourceGeometry | null;
  /** the srsName the geometry declares, if it declares one */
  srsName: string | undefined;
  /** the GML property element holding the geometry (for messages) */
  geometryProperty?: string;
  properties: Record<string, unknown>;
  /** why the geometry could not be read; the feature is then quarantined with this reason */
  geometryError?: string;
  /** further geometries of the feature (a second GML geometry property) */
  extraGeometries?: { name: string; geometry: SourceGeometry; srsName: string | undefined }[];
}

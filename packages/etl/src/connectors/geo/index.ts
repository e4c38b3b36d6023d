import { defineConnector } from '../connector.js';
import { geoConfig, type GeoConfig } from './config.js';
import { geoEntities } from './entities.js';
import { extractGeo } from './extract.js';
import { mergeGeo } from './merge.js';

/**
 * Geodata: one layer per source from a WFS (2.0 paged, 1.1; GML 3.1/3.2 or GeoJSON output), a
 * GeoJSON/GeoJSONSeq/GML file or download, or recorded WFS responses (the bundled sample mode).
 * Features are reprojected to WGS84 lon/lat with the axis order their CRS prescribes, stored
 * with a native bbox in core.geo_feature; full refresh per layer. See README.md beside this file.
 */
export const geoConnector = defineConnector<GeoConfig>({
  kind: 'geo',
  description: 'Geodata layers from WFS 2.0/1.1 (GML 3.1/3.2, GeoJSON), GeoJSON and GML files, reprojected to WGS84',
  configSchema: geoConfig,
  entities: geoEntities,
  extract: extractGeo,
  merge: mergeGeo,
});

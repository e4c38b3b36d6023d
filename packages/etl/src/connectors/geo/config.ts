import { z } from 'zod';
import { defaultArea } from './reproject.js';

const http = z.strictObject({
  /** a request fails when no byte arrived for this long (headers or body) */
  timeoutMs: z.number().int().positive().default(60_000),
  /** further attempts after a 5xx, 429, timeout or broken connection */
  retries: z.number().int().min(0).max(10).default(3),
  /** first back-off; doubles per attempt (a server's Retry-After wins) */
  retryDelayMs: z.number().int().min(0).default(1_000),
});

const wfs = z.strictObject({
  /** service endpoint, e.g. https://geo.sv.rostock.de/geodienste/parkscheinautomaten/wfs */
  url: z.url(),
  /** feature type, e.g. hro.parkscheinautomaten.parkscheinautomaten */
  typeName: z.string().min(1),
  version: z.enum(['2.0.0', '1.1.0']).default('2.0.0'),
  /** e.g. `application/geo+json` (Rostock), `application/gml+xml; version=3.2`; default: GML 3.2 (2.0.0) / GML 3.1.1 (1.1.0) */
  outputFormat: z.string().optional(),
  /** requested output CRS; unset: the server's default (GeoJSON: lon/lat) */
  srsName: z.string().optional(),
  /** features per GetFeature request (WFS 2.0 COUNT), capped by the server's CountDefault */
  pageSize: z.number().int().positive().default(1000),
  /** WFS 1.1 MAXFEATURES (1.1 has no paging: a result that reaches it fails the run) */
  maxFeatures: z.number().int().positive().optional(),
  maxPages: z.number().int().positive().default(10_000),
  /** SORTBY for stable paging, e.g. `OBJECTID` */
  sortBy: z.string().optional(),
  /** further request parameters (vendor parameters) */
  params: z.record(z.string(), z.string()).default({}),
  /** read GetCapabilities first (feature type offered, CountDefault, default CRS) */
  capabilities: z.boolean().default(true),
  /** read DescribeFeatureType for property types (GML output only) */
  describeFeatureType: z.boolean().default(true),
});

/**
 * Configuration of one geodata source = one layer. Exactly one of `file`, `url`, `wfs`;
 * `recorded` (with `wfs`) replays recorded GetFeature responses from files instead of contacting
 * the server: the sample mode of the bundled start.
 */
export const geoConfig = z
  .strictObject({
    /** layer key in core.geo_layer, e.g. `stadtbereiche` */
    layer: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'layer: lower-case letters, digits, - and _'),
    title: z.string().min(1),
    /** layer appears in the open views (open.geo_features …) */
    published: z.boolean().default(false),
    /** a GeoJSON, GeoJSONSeq or GML file (relative to sources.yaml) */
    file: z.string().min(1).optional(),
    /** a GeoJSON or GML download URL */
    url: z.url().optional(),
    wfs: wfs.optional(),
    /** recorded WFS responses (file, list of files, or a folder of page files in name order) */
    recorded: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    format: z.enum(['auto', 'gml', 'geojson', 'geojsonseq']).default('auto'),
    /** property holding the feature key; default: gml:id / GeoJSON `id` */
    featureKey: z.string().min(1).optional(),
    /** CRS of the data where the data names none (GeoJSON without `crs` defaults to CRS84) */
    crs: z.string().optional(),
    axisOrder: z.enum(['auto', 'lonlat', 'latlon', 'easting-northing', 'northing-easting']).default('auto'),
    /** area of interest for the `auto` axis check, [minLon, minLat, maxLon, maxLat] */
    area: z.tuple([z.number(), z.number(), z.number(), z.number()]).default(defaultArea),
    /** property types where the schema is known (else GML values stay text) */
    propertyTypes: z.record(z.string(), z.enum(['string', 'number', 'integer', 'boolean'])).default({}),
    /** geometry objects among the properties / further GML geometry properties */
    nestedGeometries: z.enum(['drop', 'keep']).default('drop'),
    /** extra CRS definitions, code → proj4 string */
    proj4Defs: z.record(z.string(), z.string()).default({}),
    /** whole-document GeoJSON limit */
    maxGeoJsonMB: z.number().positive().default(50),
    /** a source that delivers no feature fails the run unless this is set (a full refresh would empty the layer) */
    allowEmpty: z.boolean().default(false),
    http: http.default({ timeoutMs: 60_000, retries: 3, retryDelayMs: 1_000 }),
  })
  .refine((c) => [c.file, c.url, c.wfs].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of file, url, wfs',
  })
  .refine((c) => c.recorded === undefined || c.wfs !== undefined, { message: 'recorded needs wfs (it replays WFS responses)' });

export type GeoConfig = z.infer<typeof geoConfig>;
export type WfsConfig = NonNullable<GeoConfig['wfs']>;
export type HttpConfig = GeoConfig['http'];

import { GeoSourceError, GeometryError, TruncatedResponseError } from './errors.js';
import type { SourceGeometry } from './geometry.js';
import type { SourceFeature } from './source-feature.js';

/** What a GeoJSON FeatureCollection says about itself (WFS/OGC API paging members included). */
export interface GeoJsonCollectionInfo {
  /** the `crs` member's name (old GeoJSON 2008 / WFS output), undefined = CRS84 per RFC 7946 */
  crsName: string | undefined;
  numberMatched: number | 'unknown' | undefined;
  numberReturned: number | undefined;
  next: string | undefined;
}

/** What to do with geometry objects found among a feature's properties (Jena's `the_geom`). */
export type NestedGeometries = 'drop' | 'keep';

const geometryTypes = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A GeoJSON geometry object (type + coordinates/geometries)? */
export function isGeoJsonGeometry(v: unknown): v is Record<string, unknown> {
  return (
    isObject(v) && typeof v.type === 'string' && geometryTypes.has(v.type) && (Array.isArray(v.coordinates) || Array.isArray(v.geometries))
  );
}

/** The name in a `crs` member: `{type: "name", properties: {name}}` or the older `{type: "EPSG", properties: {code}}`. */
export function crsMemberName(crs: unknown): string | undefined {
  if (!isObject(crs) || !isObject(crs.properties)) return undefined;
  if (crs.type === 'name' && typeof crs.properties.name === 'string') return crs.properties.name;
  if (crs.type === 'EPSG' && (typeof crs.properties.code === 'number' || typeof crs.properties.code === 'string')) {
    return `EPSG:${crs.properties.code}`;
  }
  return undefined;
}

function flatPositions(v: unknown, what: string, min: number): number[] {
  if (!Array.isArray(v)) throw new GeometryError(`${what}: coordinates are not a list`);
  const out: number[] = [];
  for (const p of v) {
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
      throw new GeometryError(`${what}: ${JSON.stringify(p)?.slice(0, 60)} is not a position [x, y]`);
    }
    out.push(p[0], p[1]);
  }
  if (out.length / 2 < min) throw new GeometryError(`${what}: needs at least ${min} positions, has ${out.length / 2}`);
  return out;
}

const nested = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) throw new GeometryError(`${what}: coordinates are not a list`);
  return v;
};

/** A GeoJSON geometry in source coordinates (axis order and CRS untouched). */
export function geoJsonGeometry(g: Record<string, unknown>): SourceGeometry {
  const type = g.type as string;
  const c = g.coordinates;
  switch (type) {
    case 'Point':
      return { type, coordinates: flatPositions([c], 'Point', 1) };
    case 'MultiPoint':
      return { type, coordinates: flatPositions(c, 'MultiPoint', 0) };
    case 'LineString':
      return { type, coordinates: flatPositions(c, 'LineString', 2) };
    case 'MultiLineString':
      return { type, coordinates: nested(c, type).map((l) => flatPositions(l, 'MultiLineString', 2)) };
    case 'Polygon':
      return { type, coordinates: nested(c, type).map((r) => flatPositions(r, 'Polygon ring', 0)) };
    case 'MultiPolygon':
      return { type, coordinates: nested(c, type).map((p) => nested(p, type).map((r) => flatPositions(r, 'MultiPolygon ring', 0))) };
    case 'GeometryCollection':
      return {
        type,
        geometries: nested(g.geometries, type).map((x) => {
          if (!isObject(x)) throw new GeometryError('GeometryCollection: member is not a geometry');
          return geoJsonGeometry(x);
        }),
      };
    default:
      throw new GeometryError(`unknown geometry type ${JSON.stringify(type)}`);
  }
}

/**
 * One GeoJSON feature as a SourceFeature. Geometry objects among the properties (a second
 * geometry column of the server's table, e.g. Jena's `the_geom` in EPSG:25832) are dropped by
 * default — the feature's geometry is the one that counts — or kept unchanged with `keep`.
 */
export function geoJsonFeature(f: unknown, collectionCrs: string | undefined, nestedGeometries: NestedGeometries): SourceFeature {
  if (!isObject(f) || f.type !== 'Feature') {
    return { id: undefined, geometry: null, srsName: undefined, properties: {}, geometryError: 'not a GeoJSON Feature object' };
  }
  const id = typeof f.id === 'string' || typeof f.id === 'number' ? String(f.id) : undefined;
  const properties: Record<string, unknown> = {};
  if (isObject(f.properties)) {
    for (const [k, v] of Object.entries(f.properties)) {
      if (isGeoJsonGeometry(v) && nestedGeometries === 'drop') continue;
      properties[k] = v;
    }
  }
  const feature: SourceFeature = { id, geometry: null, srsName: collectionCrs, properties };
  const g = f.geometry;
  if (g === null || g === undefined) return feature;
  if (!isObject(g)) {
    feature.geometryError = 'geometry: not an object';
    return feature;
  }
  feature.srsName = crsMemberName(g.crs) ?? crsMemberName(f.crs) ?? collectionCrs;
  try {
    feature.geometry = geoJsonGeometry(g);
  } catch (e) {
    if (!(e instanceof GeometryError)) throw e;
    feature.geometryError = e.message;
  }
  return feature;
}

/**
 * Parses a whole GeoJSON document (FeatureCollection or a single Feature). Whole-document
 * parsing is bounded by the caller's size limit (50 MB by default); larger data comes paged from
 * a WFS or as GeoJSONSeq, which streams.
 */
export function parseGeoJsonDocument(text: string, label: string): { info: GeoJsonCollectionInfo; features: unknown[] } {
  if (text.trim().length === 0) throw new GeoSourceError(`${label}: leere Datei/Antwort (0 Bytes) statt GeoJSON`, 'GEO_EMPTY');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    // JSON.parse stopping at the very end of the text means the text was cut off, not garbled
    const at = /position (\d+)/.exec(message);
    if (/end of JSON input|Unterminated/i.test(message) || (at && Number(at[1]) >= text.trimEnd().length)) {
      throw new TruncatedResponseError(`${label}: GeoJSON bricht ab (${message}) – Datei/Antwort unvollständig`);
    }
    throw new GeoSourceError(`${label}: kein gültiges GeoJSON: ${message}`);
  }
  if (!isObject(doc)) throw new GeoSourceError(`${label}: kein GeoJSON-Objekt`);
  const info: GeoJsonCollectionInfo = {
    crsName: crsMemberName(doc.crs),
    numberMatched: typeof doc.numberMatched === 'number' ? doc.numberMatched : doc.numberMatched === 'unknown' ? 'unknown' : undefined,
    numberReturned: typeof doc.numberReturned === 'number' ? doc.numberReturned : undefined,
    next: nextLink(doc.links),
  };
  if (doc.type === 'Feature') return { info, features: [doc] };
  if (doc.type !== 'FeatureCollection') {
    throw new GeoSourceError(`${label}: GeoJSON vom Typ ${JSON.stringify(doc.type)}, erwartet FeatureCollection`);
  }
  if (!Array.isArray(doc.features)) throw new GeoSourceError(`${label}: FeatureCollection ohne features-Liste`);
  return { info, features: doc.features };
}

function nextLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  for (const l of links) {
    if (isObject(l) && l.rel === 'next' && typeof l.href === 'string') return l.href;
  }
  return undefined;
}

/**
 * Streams GeoJSON text sequences (RFC 8142, records prefixed by RS) and newline-delimited
 * GeoJSON (one Feature per line, GDAL's GeoJSONSeq): one JSON text at a time in memory.
 */
export async function* parseGeoJsonSeq(chunks: AsyncIterable<string>, label: string): AsyncGenerator<{ feature: unknown; line: number }> {
  let rest = '';
  let line = 0;
  const parseLine = (text: string, n: number) => {
    const t = text.replace(/^\u001e+/, '').trim();
    if (!t) return undefined;
    try {
      return JSON.parse(t) as unknown;
    } catch (e) {
      throw new GeoSourceError(`${label}:${n}: kein gültiges GeoJSON: ${(e as Error).message}`);
    }
  };
  for await (const chunk of chunks) {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const text = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      line++;
      const feature = parseLine(text, line);
      if (feature !== undefined) yield { feature, line };
    }
  }
  line++;
  const last = parseLine(rest, line);
  if (last !== undefined) yield { feature: last, line };
}

import { CrsRegistry, parseSrsName, type CoordinateEncoding } from './crs.js';
import type { GeoConfig } from './config.js';
import { GeoSourceError, GeometryError } from './errors.js';
import { Reprojector } from './reproject.js';
import type { LocatedFeature } from './wfs.js';

/**
 * Turns source features of one layer into raw `feature` records: feature key, geometry
 * reprojected to WGS84 lon/lat with its bbox, properties. One Reprojector per srsName and
 * encoding, so the axis order is decided once per CRS and run.
 */
export class FeatureRecords {
  private readonly registry: CrsRegistry;
  private readonly reprojectors = new Map<string, Reprojector>();
  private readonly notes = new Set<string>();
  /** the CRS of the first geometry (what core.geo_layer.source_crs records) */
  sourceCrs: string | undefined;

  constructor(
    private readonly config: GeoConfig,
    private readonly note: (message: string) => void,
  ) {
    this.registry = new CrsRegistry(Object.fromEntries(Object.entries(config.proj4Defs).map(([k, v]) => [k, { proj4: v }])));
  }

  private reprojector(srsName: string, encoding: CoordinateEncoding): Reprojector {
    const cacheKey = `${encoding}\u0001${srsName}`;
    let rp = this.reprojectors.get(cacheKey);
    if (rp) return rp;
    const srs = parseSrsName(srsName);
    if (!srs)
      throw new GeoSourceError(
        `srsName ${JSON.stringify(srsName)} nicht erkannt (erwartet EPSG:…, urn:ogc:def:crs:EPSG::…, http://www.opengis.net/def/crs/EPSG/0/…)`,
        'GEO_UNKNOWN_CRS',
      );
    const def = this.registry.get(srs.code);
    if (!def) {
      throw new GeoSourceError(
        `Koordinatenreferenzsystem ${srs.code} unbekannt – proj4-Definition in der Quelle unter proj4Defs ergänzen (bekannt: ${this.registry.codes().join(', ')})`,
        'GEO_UNKNOWN_CRS',
      );
    }
    rp = new Reprojector(srs, def, encoding, {
      axisOrder: this.config.axisOrder,
      area: this.config.area,
      note: (m) => {
        if (this.notes.has(m)) return;
        this.notes.add(m);
        this.note(m);
      },
    });
    this.reprojectors.set(cacheKey, rp);
    this.sourceCrs ??= srs.code;
    return rp;
  }

  private srsFor(own: string | undefined, item: LocatedFeature): string {
    const srs = own ?? this.config.crs ?? item.fallbackSrs ?? (item.encoding === 'geojson' ? 'OGC:CRS84' : undefined);
    if (!srs) {
      throw new GeoSourceError(`${item.position}: Geometrie ohne srsName, und die Quelle nennt kein crs`, 'GEO_UNKNOWN_CRS');
    }
    return srs;
  }

  /** The raw record of one feature (problems of the feature travel in it to the schema → quarantine). */
  record(item: LocatedFeature): Record<string, unknown> {
    const f = item.feature;
    const keyProperty = this.config.featureKey;
    const rawKey = keyProperty ? f.properties[keyProperty] : f.id;
    const key = typeof rawKey === 'string' ? rawKey.trim() : typeof rawKey === 'number' ? String(rawKey) : undefined;
    const data: Record<string, unknown> = {
      layer_key: this.config.layer,
      feature_key: key || undefined,
      key_source: keyProperty ? `property "${keyProperty}"` : item.encoding === 'geojson' ? 'id' : 'gml:id',
      geometry: null,
      bbox: null,
      properties: f.properties,
    };
    if (f.geometryError !== undefined) {
      data.geometry_error = f.geometryError;
    } else if (f.geometry) {
      const rp = this.reprojector(this.srsFor(f.srsName, item), item.encoding);
      try {
        const { geometry, bbox } = rp.project(f.geometry);
        data.geometry = geometry;
        data.bbox = bbox;
      } catch (e) {
        if (!(e instanceof GeometryError)) throw e;
        data.geometry_error = `${f.geometryProperty ? `${f.geometryProperty}: ` : ''}${e.message}`;
      }
    }
    if (this.config.nestedGeometries === 'keep' && f.extraGeometries?.length) {
      const properties = { ...f.properties };
      for (const extra of f.extraGeometries) {
        try {
          properties[extra.name] = this.reprojector(this.srsFor(extra.srsName, item), item.encoding).project(extra.geometry).geometry;
        } catch (e) {
          if (!(e instanceof GeometryError)) throw e;
        }
      }
      data.properties = properties;
    }
    return data;
  }
}

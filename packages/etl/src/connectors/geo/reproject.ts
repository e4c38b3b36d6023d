import proj4 from 'proj4';
import { declaredAxisOrder, type AxisOrder, type CoordinateEncoding, type CrsDefinition, type ParsedSrs } from './crs.js';
import { GeometryError } from './errors.js';
import { firstPair, type BBox, type GeoJsonGeometry, type Position, type SourceGeometry } from './geometry.js';

/**
 * Axis order of a source. `auto` follows the srsName's rules (crs.ts, declaredAxisOrder) and then
 * checks the first coordinate against the area of interest; `lonlat`/`easting-northing` (x first)
 * and `latlon`/`northing-easting` (y first) force an order without a check.
 */
export type AxisOrderSetting = 'auto' | 'lonlat' | 'latlon' | 'easting-northing' | 'northing-easting';

/** Germany with a margin: the data this platform loads lies here, whichever CRS it comes in. */
export const defaultArea: BBox = [5.0, 46.5, 16.0, 55.6];

export interface ReprojectOptions {
  axisOrder: AxisOrderSetting;
  /** area of interest [minLon, minLat, maxLon, maxLat] for the `auto` axis check */
  area: BBox;
  /** receives findings worth a log line (axis order followed from the data, …) */
  note(message: string): void;
}

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';
const SCALE = 1e7;
/** 7 decimals: about 1 cm, finer than any source we load; keeps the GeoJSON compact. */
const round = (v: number) => Math.round(v * SCALE) / SCALE;

const inArea = (p: readonly number[] | null, a: BBox) =>
  p !== null &&
  p.length >= 2 &&
  (p[0] as number) >= a[0] &&
  (p[0] as number) <= a[2] &&
  (p[1] as number) >= a[1] &&
  (p[1] as number) <= a[3];

/**
 * Reprojects source geometries of one CRS to WGS84 lon/lat (GeoJSON order), rounded to 7 decimals,
 * and computes their bbox. One instance per srsName of a run, so the axis decision is made once.
 */
export class Reprojector {
  /** the order the srsName declares (before the data check) */
  readonly declared: AxisOrder;
  private axis: AxisOrder | null;
  private readonly forward: ((xy: [number, number]) => [number, number]) | null;

  constructor(
    readonly srs: ParsedSrs,
    readonly def: CrsDefinition,
    encoding: CoordinateEncoding,
    private readonly options: ReprojectOptions,
  ) {
    this.declared = declaredAxisOrder(srs, def, encoding);
    const setting = options.axisOrder;
    this.axis = setting === 'auto' ? null : setting === 'lonlat' || setting === 'easting-northing' ? 'xy' : 'yx';
    if (def.wgs84Equivalent) {
      this.forward = null;
    } else {
      const converter = proj4(def.proj4, WGS84);
      this.forward = (xy) => converter.forward(xy);
    }
  }

  /** The axis order in use (the declared one until the first geometry decided it). */
  get axisOrder(): AxisOrder {
    return this.axis ?? this.declared;
  }

  private toWgs84(x: number, y: number): [number, number] | null {
    if (!this.forward) return [x, y];
    try {
      const p = this.forward([x, y]);
      return Number.isFinite(p[0]) && Number.isFinite(p[1]) ? p : null;
    } catch {
      return null;
    }
  }

  /**
   * The `auto` data check: the first coordinate, read in the declared order, must fall into the
   * area of interest; if it does not but the swapped order does, the data is followed (Essen's
   * ArcGIS writes northing first under an easting-first CRS; Jena's GeoJSON says EPSG::4326 in
   * URN form, i.e. lat/lon, but holds lon/lat). If neither fits, the declared order stays.
   */
  private decide(g: SourceGeometry): void {
    const pair = firstPair(g);
    if (!pair) return;
    const [a, b] = pair;
    const declared = this.declared === 'xy' ? this.toWgs84(a, b) : this.toWgs84(b, a);
    if (inArea(declared, this.options.area)) {
      this.axis = this.declared;
      return;
    }
    const swapped = this.declared === 'xy' ? this.toWgs84(b, a) : this.toWgs84(a, b);
    if (inArea(swapped, this.options.area)) {
      this.axis = this.declared === 'xy' ? 'yx' : 'xy';
      this.options.note(
        `Achsenreihenfolge: ${this.srs.raw} verlangt ${describe(this.declared, this.def)}, die Daten liegen aber ` +
          `${describe(this.axis, this.def)} vor (erste Koordinate ${a} ${b}) – den Daten wird gefolgt`,
      );
      return;
    }
    this.axis = this.declared;
    this.options.note(
      `Achsenreihenfolge: erste Koordinate ${a} ${b} (${this.srs.raw}) liegt in keiner Reihenfolge im Prüfgebiet ` +
        `${this.options.area.join(',')}; die Reihenfolge laut srsName (${describe(this.declared, this.def)}) bleibt`,
    );
  }

  /** Projects one geometry; throws GeometryError for odd coordinate lists or unprojectable points. */
  project(g: SourceGeometry): { geometry: GeoJsonGeometry; bbox: BBox } {
    if (this.axis === null) this.decide(g);
    const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
    const geometry = this.geometry(g, box);
    return { geometry, bbox: box };
  }

  private geometry(g: SourceGeometry, box: BBox): GeoJsonGeometry {
    switch (g.type) {
      case 'Point': {
        const [p] = this.positions(g.coordinates, box);
        if (!p || g.coordinates.length !== 2) throw new GeometryError('Point: needs exactly one coordinate pair');
        return { type: 'Point', coordinates: p };
      }
      case 'MultiPoint':
        return { type: 'MultiPoint', coordinates: this.positions(g.coordinates, box) };
      case 'LineString':
        return { type: 'LineString', coordinates: this.positions(g.coordinates, box) };
      case 'MultiLineString':
        return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => this.positions(l, box)) };
      case 'Polygon':
        return { type: 'Polygon', coordinates: g.coordinates.map((r) => this.positions(r, box)) };
      case 'MultiPolygon':
        return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => this.positions(r, box))) };
      case 'GeometryCollection':
        return { type: 'GeometryCollection', geometries: g.geometries.map((c) => this.geometry(c, box)) };
    }
  }

  private positions(flat: number[], box: BBox): Position[] {
    if (flat.length % 2 !== 0) throw new GeometryError(`odd number of coordinate values (${flat.length}): not pairs`);
    const n = flat.length / 2;
    const out = new Array<Position>(n);
    const swap = this.axisOrder === 'yx';
    const forward = this.forward;
    const xy: [number, number] = [0, 0];
    for (let k = 0, i = 0; k < n; k++, i += 2) {
      const a = flat[i] as number;
      const b = flat[i + 1] as number;
      let lon: number;
      let lat: number;
      if (forward) {
        xy[0] = swap ? b : a;
        xy[1] = swap ? a : b;
        const p = forward(xy);
        lon = p[0];
        lat = p[1];
      } else {
        lon = swap ? b : a;
        lat = swap ? a : b;
      }
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        throw new GeometryError(`coordinate ${a} ${b} cannot be projected from ${this.def.code} to WGS84`);
      }
      lon = round(lon);
      lat = round(lat);
      if (lon < box[0]) box[0] = lon;
      if (lat < box[1]) box[1] = lat;
      if (lon > box[2]) box[2] = lon;
      if (lat > box[3]) box[3] = lat;
      out[k] = [lon, lat];
    }
    return out;
  }
}

function describe(axis: AxisOrder, def: CrsDefinition): string {
  if (def.geographic) return axis === 'xy' ? 'Länge/Breite' : 'Breite/Länge';
  return axis === 'xy' ? 'Rechtswert/Hochwert' : 'Hochwert/Rechtswert';
}

/**
 * Coordinate reference systems the geo connector knows, how a srsName names them, and which axis
 * order a srsName implies. Everything is reprojected to WGS84 longitude/latitude (GeoJSON order).
 */

/** `xy`: first value is easting/longitude; `yx`: first value is northing/latitude. */
export type AxisOrder = 'xy' | 'yx';

export interface CrsDefinition {
  /** canonical code, e.g. `EPSG:25833`, `OGC:CRS84` */
  code: string;
  title: string;
  /** proj4 definition string */
  proj4: string;
  /** longitude/latitude in degrees (no projection) */
  geographic: boolean;
  /**
   * Axis order the CRS's authority defines (EPSG database): lat/lon for EPSG:4326 and 4258,
   * northing/easting for the Gauß-Krüger zones, easting/northing for UTM and Web Mercator.
   */
  authorityAxis: AxisOrder;
  /** same datum as WGS84 within a metre and geographic: no proj4 call needed */
  wgs84Equivalent?: boolean;
}

const utm = (zone: number) => `+proj=utm +zone=${zone} +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`;
const gk = (zone: number) =>
  `+proj=tmerc +lat_0=0 +lon_0=${zone * 3} +k=1 +x_0=${zone}500000 +y_0=0 +ellps=bessel ` +
  `+towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs`;
/** UTM with the zone number prefixed to the easting (32 359 252.07), as German surveying writes it. */
const utmZonePrefixed = (zone: number) =>
  `+proj=tmerc +lat_0=0 +lon_0=${zone * 6 - 183} +k=0.9996 +x_0=${zone}500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`;

const builtIn: CrsDefinition[] = [
  {
    code: 'OGC:CRS84',
    title: 'WGS 84 longitude/latitude (CRS84, GeoJSON)',
    proj4: '+proj=longlat +datum=WGS84 +no_defs',
    geographic: true,
    authorityAxis: 'xy',
    wgs84Equivalent: true,
  },
  {
    code: 'EPSG:4326',
    title: 'WGS 84',
    proj4: '+proj=longlat +datum=WGS84 +no_defs',
    geographic: true,
    authorityAxis: 'yx',
    wgs84Equivalent: true,
  },
  {
    code: 'EPSG:4258',
    title: 'ETRS89',
    proj4: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
    geographic: true,
    authorityAxis: 'yx',
    wgs84Equivalent: true,
  },
  { code: 'EPSG:25832', title: 'ETRS89 / UTM zone 32N', proj4: utm(32), geographic: false, authorityAxis: 'xy' },
  { code: 'EPSG:25833', title: 'ETRS89 / UTM zone 33N (Rostock)', proj4: utm(33), geographic: false, authorityAxis: 'xy' },
  { code: 'EPSG:4647', title: 'ETRS89 / UTM zone 32N (zE-N)', proj4: utmZonePrefixed(32), geographic: false, authorityAxis: 'xy' },
  { code: 'EPSG:5650', title: 'ETRS89 / UTM zone 33N (zE-N)', proj4: utmZonePrefixed(33), geographic: false, authorityAxis: 'xy' },
  // ESRI's code for ETRS89 / UTM 32N (zE-N); ArcGIS servers publish it as "EPSG::102329" (Essen).
  { code: 'ESRI:102329', title: 'ETRS_1989_UTM_Zone_N32 (ESRI)', proj4: utmZonePrefixed(32), geographic: false, authorityAxis: 'xy' },
  { code: 'EPSG:31467', title: 'DHDN / 3-degree Gauss-Krüger zone 3', proj4: gk(3), geographic: false, authorityAxis: 'yx' },
  { code: 'EPSG:31468', title: 'DHDN / 3-degree Gauss-Krüger zone 4', proj4: gk(4), geographic: false, authorityAxis: 'yx' },
  { code: 'EPSG:31469', title: 'DHDN / 3-degree Gauss-Krüger zone 5', proj4: gk(5), geographic: false, authorityAxis: 'yx' },
  {
    code: 'EPSG:3857',
    title: 'WGS 84 / Pseudo-Mercator',
    proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
    geographic: false,
    authorityAxis: 'xy',
  },
];

/** Codes that name another entry (servers publish ESRI codes under the EPSG authority). */
const aliases: Record<string, string> = {
  'EPSG:102329': 'ESRI:102329',
  'EPSG:900913': 'EPSG:3857',
  'EPSG:3785': 'EPSG:3857',
  'EPSG:102100': 'EPSG:3857',
  'ESRI:102100': 'EPSG:3857',
};

/** How a srsName was written; the axis-order rules depend on it. */
export type SrsForm = 'short' | 'urn' | 'uri' | 'gml-xml' | 'crs84';

export interface ParsedSrs {
  /** canonical code (`EPSG:25833`, `OGC:CRS84`, `ESRI:102329` …) */
  code: string;
  form: SrsForm;
  /** the srsName as written */
  raw: string;
}

const crs84Pattern =
  /^(?:(?:urn:(?:x-)?ogc:def:crs:OGC:[\d.]*:CRS84)|(?:https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[\d.]+\/CRS84)|CRS:?84|OGC:CRS84)$/i;

/**
 * Parses a srsName in all its forms: `EPSG:25832`, `urn:ogc:def:crs:EPSG::25833` (also with a
 * version, `urn:x-ogc:…`), `http://www.opengis.net/def/crs/EPSG/0/4326`,
 * `http://www.opengis.net/gml/srs/epsg.xml#4326`, and the CRS84 URNs/URIs. Null if unrecognised.
 */
export function parseSrsName(srsName: string): ParsedSrs | null {
  const raw = srsName.trim();
  if (crs84Pattern.test(raw)) return { code: 'OGC:CRS84', form: 'crs84', raw };
  let m = /^(EPSG|ESRI):(\d+)$/i.exec(raw);
  if (m) return { code: `${m[1]?.toUpperCase()}:${m[2]}`, form: 'short', raw };
  m = /^urn:(?:x-)?ogc:def:crs:(EPSG|ESRI):(?:[\d.]*:)?(\d+)$/i.exec(raw);
  if (m) return { code: `${m[1]?.toUpperCase()}:${m[2]}`, form: 'urn', raw };
  m = /^https?:\/\/www\.opengis\.net\/def\/crs\/(EPSG|ESRI)\/[^/]+\/(\d+)$/i.exec(raw);
  if (m) return { code: `${m[1]?.toUpperCase()}:${m[2]}`, form: 'uri', raw };
  m = /^https?:\/\/www\.opengis\.net\/gml\/srs\/epsg\.xml#(\d+)$/i.exec(raw);
  if (m) return { code: `EPSG:${m[1]}`, form: 'gml-xml', raw };
  return null;
}

/** The CRS registry: the built-in definitions plus those a source adds in its config (`proj4Defs`). */
export class CrsRegistry {
  private readonly defs = new Map<string, CrsDefinition>();

  constructor(extra: Record<string, { proj4: string; geographic?: boolean; authorityAxis?: AxisOrder }> = {}) {
    for (const d of builtIn) this.defs.set(d.code, d);
    for (const [code, d] of Object.entries(extra)) {
      const geographic = d.geographic ?? /\+proj=longlat/.test(d.proj4);
      this.defs.set(code.toUpperCase(), {
        code: code.toUpperCase(),
        title: code,
        proj4: d.proj4,
        geographic,
        authorityAxis: d.authorityAxis ?? (geographic ? 'yx' : 'xy'),
      });
    }
  }

  /** The definition of a canonical code (aliases resolved), or undefined. */
  get(code: string): CrsDefinition | undefined {
    const upper = code.toUpperCase();
    return this.defs.get(upper) ?? this.defs.get(aliases[upper] ?? '');
  }

  codes(): string[] {
    return [...this.defs.keys()];
  }
}

/** What encoding the coordinates came in; the axis-order conventions differ between them. */
export type CoordinateEncoding = 'gml32' | 'gml31' | 'gml2' | 'geojson';

/**
 * The axis order a srsName declares for the coordinates that follow it (the "auto" rules):
 *
 * 1. CRS84 (and GeoJSON without a `crs` member): longitude/latitude.
 * 2. URN (`urn:ogc:def:crs:EPSG::4326`) and URI (`http://www.opengis.net/def/crs/EPSG/0/4326`)
 *    forms: the authority's order — lat/lon for EPSG:4326 and 4258, northing/easting for the
 *    Gauß-Krüger zones 31466–31469, easting/northing for UTM (25832, 25833) and 3857. The same
 *    holds for a GeoJSON `crs` member in URN form (the Rostock WFS delivers [lat, lon] then).
 * 3. GML 3.2 (WFS 2.0) always uses the authority's order for geographic CRSs, even when the
 *    srsName is the short `EPSG:4326`.
 * 4. Otherwise the short form `EPSG:4326` (WFS 1.0/1.1, GML 2/3.1) and the old
 *    `…/gml/srs/epsg.xml#4326` form mean x/y: longitude/latitude, easting/northing.
 *
 * With `axisOrder: auto` the data is then checked against the area of interest (see
 * Reprojector): a source whose coordinates contradict its srsName is followed by its data.
 */
export function declaredAxisOrder(srs: ParsedSrs, def: CrsDefinition, encoding: CoordinateEncoding): AxisOrder {
  switch (srs.form) {
    case 'crs84':
    case 'gml-xml':
      return 'xy';
    case 'urn':
    case 'uri':
      return def.authorityAxis;
    case 'short':
      return encoding === 'gml32' && def.geographic ? def.authorityAxis : 'xy';
  }
}

import { GeometryError } from './errors.js';
import type { SourceGeometry } from './geometry.js';

/** A parsed XML element as fast-xml-parser gives it (namespace prefixes removed, attributes as `@_name`). */
export type XmlNode = Record<string, unknown>;

/** Element names that are GML geometries (GML 2, 3.1.1, 3.2). */
export const geometryNames = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'Curve',
  'MultiLineString',
  'MultiCurve',
  'CompositeCurve',
  'Polygon',
  'Surface',
  'MultiPolygon',
  'MultiSurface',
  'CompositeSurface',
  'MultiGeometry',
  'LinearRing',
]);

interface Inherited {
  srsName: string | undefined;
  dim: number;
  /** coordinate texts cut out of the feature before parsing (see gml-feature.ts), by marker */
  coords: readonly string[];
}

const asNode = (v: unknown): XmlNode => (v && typeof v === 'object' && !Array.isArray(v) ? (v as XmlNode) : {});
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const plainText = (v: unknown): string => {
  const t = v && typeof v === 'object' && !Array.isArray(v) ? (v as XmlNode)['#text'] : v;
  return typeof t === 'string' ? t : typeof t === 'number' ? String(t) : '';
};

/** The geometry inside a property element, if it holds one: [element name, node]. */
export function geometryChild(value: unknown): [string, XmlNode] | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  for (const key of Object.keys(value)) {
    if (geometryNames.has(key)) return [key, asNode((value as XmlNode)[key])];
  }
  return null;
}

/** The srsName a geometry element declares (or undefined). */
export function srsNameOf(node: XmlNode): string | undefined {
  const s = node['@_srsName'];
  return typeof s === 'string' && s.trim() ? s.trim() : undefined;
}

/**
 * Parses whitespace-separated numbers into `out`, keeping the first two of every `dim` values.
 * Line breaks in a posList may fall anywhere, even between the two values of one pair (GeoServer).
 */
function pushNumbers(text: string, dim: number, out: number[], what: string): void {
  const tokens = text.split(/\s+/);
  let k = 0;
  for (const token of tokens) {
    if (token === '') continue;
    const v = Number(token);
    if (Number.isNaN(v)) throw new GeometryError(`${what}: "${token.slice(0, 40)}" is not a number`);
    if (k % dim < 2) out.push(v);
    k++;
  }
  if (k % dim !== 0) throw new GeometryError(`${what}: ${k} values do not form ${dim}-dimensional positions`);
}

/** Marks a coordinate text cut out of a feature: U+0001 and its index. */
export const COORDS_MARK = '\u0001';

/** Coordinates of a Point, LineString, LinearRing or LineStringSegment as a flat list of pairs. */
function positions(node: XmlNode, inh: Inherited): number[] {
  const textOf = (v: unknown) => {
    const t = plainText(v);
    return t.charCodeAt(0) === 1 ? (inh.coords[Number(t.slice(1))] ?? '') : t;
  };
  const out: number[] = [];
  const dimOf = (v: unknown) => {
    const d = Number(asNode(v)['@_srsDimension'] ?? asNode(v)['@_dimension'] ?? NaN);
    return Number.isInteger(d) && d >= 2 ? d : inh.dim;
  };
  if (node.posList !== undefined) {
    for (const pl of list(node.posList)) pushNumbers(textOf(pl), dimOf(pl), out, 'posList');
  } else if (node.pos !== undefined) {
    for (const p of list(node.pos)) {
      const values: number[] = [];
      const t = textOf(p).trim();
      pushNumbers(t, 1, values, 'pos');
      if (values.length < 2) throw new GeometryError(`pos: "${t}" is not a coordinate pair`);
      out.push(values[0] as number, values[1] as number);
    }
  } else if (node.coordinates !== undefined) {
    // GML 2: "x,y x,y" with configurable separators
    for (const c of list(node.coordinates)) {
      const n = asNode(c);
      const cs = typeof n['@_cs'] === 'string' ? n['@_cs'] : ',';
      const ts = typeof n['@_ts'] === 'string' && n['@_ts'].trim() ? n['@_ts'] : ' ';
      const decimal = typeof n['@_decimal'] === 'string' ? n['@_decimal'] : '.';
      const tuples = textOf(c)
        .trim()
        .split(ts === ' ' ? /\s+/ : ts);
      for (const tuple of tuples) {
        if (!tuple.trim()) continue;
        const parts = tuple.split(cs).map((s) => Number(decimal === '.' ? s : s.replace(decimal, '.')));
        if (parts.length < 2 || parts.some((v) => Number.isNaN(v)))
          throw new GeometryError(`coordinates: "${tuple}" is not a coordinate pair`);
        out.push(parts[0] as number, parts[1] as number);
      }
    }
  } else if (node.coord !== undefined) {
    for (const c of list(node.coord)) {
      const n = asNode(c);
      const x = Number(textOf(n.X));
      const y = Number(textOf(n.Y));
      if (Number.isNaN(x) || Number.isNaN(y)) throw new GeometryError(`coord: X/Y not numbers`);
      out.push(x, y);
    }
  } else {
    throw new GeometryError('geometry without coordinates (no posList, pos, coordinates or coord)');
  }
  return out;
}

function inherit(node: XmlNode, inh: Inherited): Inherited {
  const d = Number(node['@_srsDimension'] ?? NaN);
  return { srsName: srsNameOf(node) ?? inh.srsName, dim: Number.isInteger(d) && d >= 2 ? d : inh.dim, coords: inh.coords };
}

/** A LinearRing or Ring (of curve members) as one flat list. */
function ring(boundary: unknown, inh: Inherited): number[] {
  const b = asNode(boundary);
  if (b.LinearRing !== undefined) {
    const n = asNode(b.LinearRing);
    return positions(n, inherit(n, inh));
  }
  if (b.Ring !== undefined) {
    const r = asNode(b.Ring);
    const out: number[] = [];
    for (const member of list(r.curveMember)) {
      const g = firstGeometry(member, inherit(r, inh));
      if (g && g.type === 'LineString') appendLine(out, g.coordinates);
    }
    return out;
  }
  throw new GeometryError('polygon boundary without LinearRing');
}

/** Appends a line, dropping its first position when it repeats the last one already there. */
function appendLine(out: number[], line: number[]): void {
  const n = out.length;
  const skip = n >= 2 && out[n - 2] === line[0] && out[n - 1] === line[1] ? 2 : 0;
  for (let i = skip; i < line.length; i++) out.push(line[i] as number);
}

function polygon(node: XmlNode, inh: Inherited): number[][] {
  const exterior = node.exterior ?? node.outerBoundaryIs;
  if (exterior === undefined) throw new GeometryError('Polygon without exterior ring');
  const rings = [ring(exterior, inh)];
  for (const interior of list(node.interior ?? node.innerBoundaryIs)) rings.push(ring(interior, inh));
  return rings;
}

function firstGeometry(value: unknown, inh: Inherited): SourceGeometry | null {
  const child = geometryChild(value);
  return child ? geometry(child[0], child[1], inh) : null;
}

/** Members of a Multi* geometry: `xMember` elements (each one geometry) and `xMembers` (several). */
function members(node: XmlNode, single: string, plural: string, inh: Inherited): SourceGeometry[] {
  const out: SourceGeometry[] = [];
  for (const m of list(node[single])) {
    const g = firstGeometry(m, inh);
    if (g) out.push(g);
  }
  for (const ms of list(node[plural])) {
    for (const [name, value] of Object.entries(asNode(ms))) {
      if (!geometryNames.has(name)) continue;
      for (const v of list(value)) out.push(geometry(name, asNode(v), inh));
    }
  }
  return out;
}

/**
 * Reads a GML geometry element (already parsed) into a SourceGeometry. srsName and srsDimension
 * are inherited from enclosing geometries (GeoServer declares them on the MultiSurface only);
 * z values are dropped. `coords` resolves coordinate texts cut out before parsing. Throws
 * GeometryError for what cannot be read.
 */
export function readGmlGeometry(name: string, node: XmlNode, coords: readonly string[] = []): SourceGeometry {
  return geometry(name, node, { srsName: undefined, dim: 2, coords });
}

function geometry(name: string, node: XmlNode, parent: Inherited): SourceGeometry {
  const inh = inherit(node, parent);
  switch (name) {
    case 'Point':
      return { type: 'Point', coordinates: positions(node, inh) };
    case 'LineString':
    case 'LinearRing':
      return { type: 'LineString', coordinates: positions(node, inh) };
    case 'Curve': {
      const out: number[] = [];
      for (const segments of list(node.segments)) {
        for (const [segName, seg] of Object.entries(asNode(segments))) {
          if (segName.startsWith('@_')) continue;
          for (const s of list(seg)) {
            const sn = asNode(s);
            appendLine(out, positions(sn, inherit(sn, inh)));
          }
        }
      }
      return { type: 'LineString', coordinates: out };
    }
    case 'Polygon':
      return { type: 'Polygon', coordinates: polygon(node, inh) };
    case 'Surface': {
      const patches = list(asNode(node.patches).PolygonPatch).map((p) => polygon(asNode(p), inherit(asNode(p), inh)));
      if (patches.length === 0) throw new GeometryError('Surface without PolygonPatch');
      return patches.length === 1
        ? { type: 'Polygon', coordinates: patches[0] as number[][] }
        : { type: 'MultiPolygon', coordinates: patches };
    }
    case 'MultiPoint': {
      const flat: number[] = [];
      for (const g of members(node, 'pointMember', 'pointMembers', inh)) flat.push(...(g.type === 'Point' ? g.coordinates : []));
      return { type: 'MultiPoint', coordinates: flat };
    }
    case 'MultiLineString':
    case 'MultiCurve':
    case 'CompositeCurve': {
      const lines = members(node, name === 'MultiLineString' ? 'lineStringMember' : 'curveMember', 'curveMembers', inh);
      return { type: 'MultiLineString', coordinates: lines.flatMap((g) => (g.type === 'LineString' ? [g.coordinates] : [])) };
    }
    case 'MultiPolygon':
    case 'MultiSurface':
    case 'CompositeSurface': {
      const polys = members(node, name === 'MultiPolygon' ? 'polygonMember' : 'surfaceMember', 'surfaceMembers', inh);
      return {
        type: 'MultiPolygon',
        coordinates: polys.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [])),
      };
    }
    case 'MultiGeometry':
      return { type: 'GeometryCollection', geometries: members(node, 'geometryMember', 'geometryMembers', inh) };
    default:
      throw new GeometryError(`unsupported GML geometry <${name}>`);
  }
}

/** The srsName that applies to a geometry: its own, else the first one found on a nested element. */
export function effectiveSrsName(node: XmlNode): string | undefined {
  const own = srsNameOf(node);
  if (own) return own;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@_') || k === '#text') continue;
    for (const item of list(v)) {
      if (item && typeof item === 'object') {
        const s = effectiveSrsName(item as XmlNode);
        if (s) return s;
      }
    }
  }
  return undefined;
}

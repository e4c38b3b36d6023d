import { XMLParser } from 'fast-xml-parser';
import { GeoSourceError, GeometryError } from './errors.js';
import { COORDS_MARK, effectiveSrsName, geometryChild, readGmlGeometry, type XmlNode } from './gml-geometry.js';
import type { SourceFeature } from './source-feature.js';
import { convertValue, type PropertyTypes } from './property-types.js';

// One parser for all members: namespace prefixes removed (the member string carries no xmlns
// declarations of the root), values kept as text (typing follows the schema, see PropertyTypes).
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  // no path strings for callbacks we do not use: building them costs a tenth of the parse
  jPath: false,
});

const skipped = new Set(['boundedBy']);

/**
 * Coordinate texts (posList, pos, coordinates) are most of a feature's bytes. They are cut out
 * with one native regex pass and replaced by a marker before fast-xml-parser walks the feature
 * character by character; the geometry reader takes them back by marker.
 */
const coordinateText = /(<(?:[\w.-]+:)?(?:posList|pos|coordinates)\b[^>]*>)([^<]+)/g;

/** A non-geometry property value: text (typed per schema), null for xsi:nil, else plain JSON. */
function propertyValue(name: string, v: unknown, types: PropertyTypes, coords: readonly string[]): unknown {
  // an attribute that happens to be called pos/posList/coordinates: its text was cut out too
  if (typeof v === 'string') return convertValue(name, v.charCodeAt(0) === 1 ? (coords[Number(v.slice(1))] ?? '') : v, types);
  if (!v || typeof v !== 'object') return v ?? null;
  if (Array.isArray(v)) return v.map((x) => propertyValue(name, x, types, coords));
  const node = v as XmlNode;
  if (node['@_nil'] === 'true' || node['@_nil'] === '1') return null;
  if ('#text' in node) return propertyValue(name, String(node['#text']), types, coords);
  const entries = Object.entries(node).filter(([k]) => !k.startsWith('@_'));
  if (entries.length === 0) return typeof node['@_href'] === 'string' ? node['@_href'] : null;
  return Object.fromEntries(entries.map(([k, x]) => [k, propertyValue(k, x, types, coords)]));
}

/**
 * Parses one feature element (a string handed out by GmlMemberSplitter) into a SourceFeature:
 * gml:id (or fid) as id, the first geometry property as geometry, every other child element as
 * a property. A geometry that cannot be read is reported in `geometryError` (the feature is then
 * quarantined), never thrown.
 */
export function parseGmlFeature(xml: string, types: PropertyTypes): SourceFeature {
  const coords: string[] = [];
  const slim = xml.replace(coordinateText, (_, open: string, text: string) => `${open}${COORDS_MARK}${coords.push(text) - 1}`);
  let doc: XmlNode;
  try {
    doc = parser.parse(slim) as XmlNode;
  } catch (e) {
    throw new GeoSourceError(`GML-Feature nicht lesbar: ${(e as Error).message}`);
  }
  const name = Object.keys(doc)[0];
  const el = name ? doc[name] : undefined;
  const node: XmlNode = el && typeof el === 'object' ? (el as XmlNode) : {};
  const rawId = node['@_id'] ?? node['@_fid'];
  const feature: SourceFeature = {
    id: typeof rawId === 'string' && rawId ? rawId : undefined,
    geometry: null,
    srsName: undefined,
    properties: {},
  };
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text' || skipped.has(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    const plain: unknown[] = [];
    for (const v of values) {
      const g = geometryChild(v);
      if (!g) {
        plain.push(propertyValue(key, v, types, coords));
        continue;
      }
      const [geomName, geomNode] = g;
      const srsName = effectiveSrsName(geomNode);
      if (feature.geometry === null && feature.geometryError === undefined) {
        feature.geometryProperty = key;
        feature.srsName = srsName;
        try {
          feature.geometry = readGmlGeometry(geomName, geomNode, coords);
        } catch (e) {
          if (!(e instanceof GeometryError)) throw e;
          feature.geometryError = `${key}: ${e.message}`;
        }
      } else {
        try {
          (feature.extraGeometries ??= []).push({ name: key, geometry: readGmlGeometry(geomName, geomNode, coords), srsName });
        } catch (e) {
          if (!(e instanceof GeometryError)) throw e;
          // an unreadable second geometry only loses that property; the feature stays valid
          feature.extraGeometries ??= [];
        }
      }
    }
    if (plain.length > 0) feature.properties[key] = plain.length === 1 && values.length === 1 ? plain[0] : plain;
  }
  return feature;
}

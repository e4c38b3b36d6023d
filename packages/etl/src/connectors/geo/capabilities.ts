import { XMLParser } from 'fast-xml-parser';
import { GeoSourceError } from './errors.js';
import { parseExceptionReport } from './exception-report.js';
import type { BBox } from './geometry.js';

export interface WfsFeatureType {
  name: string;
  title: string | undefined;
  defaultCrs: string | undefined;
  otherCrs: string[];
  outputFormats: string[];
  wgs84BoundingBox: BBox | undefined;
}

export interface WfsCapabilities {
  version: string | undefined;
  featureTypes: WfsFeatureType[];
  /** GetFeature's allowed outputFormat values */
  outputFormats: string[];
  /** server cap on features per request (WFS 2.0 constraint CountDefault) */
  countDefault: number | undefined;
  implementsResultPaging: boolean | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name: string) =>
    ['FeatureType', 'Operation', 'Parameter', 'Constraint', 'Value', 'OtherCRS', 'OtherSRS', 'Format', 'ows:Value'].includes(name),
});

type Node = Record<string, unknown>;
const node = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.map(node) : v === undefined ? [] : [node(v)]);
const text = (v: unknown): string | undefined => {
  const t = typeof v === 'string' ? v : typeof node(v)['#text'] === 'string' ? (node(v)['#text'] as string) : undefined;
  return t?.trim() || undefined;
};
const texts = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(text).filter((t): t is string => !!t);

function parameterValues(p: Node): string[] {
  return [...texts(node(p.AllowedValues).Value), ...texts(p.Value)];
}

function constraint(list: Node[], name: string): string | undefined {
  const c = list.find((x) => x['@_name'] === name);
  return c ? text(c.DefaultValue) : undefined;
}

/**
 * Reads WFS 1.1 and 2.0 capabilities: feature types with their CRSs, GetFeature's output
 * formats, and the paging constraints. Tolerates what real servers publish (ArcGIS: an
 * ESRI code as DefaultCRS, a broken namespace URI, no CountDefault).
 */
export function parseCapabilities(xml: string, label: string): WfsCapabilities {
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    throw new GeoSourceError(`${label}: GetCapabilities nicht lesbar: ${(e as Error).message}`);
  }
  if (doc.ExceptionReport || doc.ServiceExceptionReport) throw parseExceptionReport(xml);
  const root = node(doc.WFS_Capabilities);
  if (!doc.WFS_Capabilities) {
    const first = Object.keys(doc).find((k) => !k.startsWith('?'));
    throw new GeoSourceError(`${label}: keine WFS-Capabilities (Wurzelelement ${first ?? 'fehlt'})`);
  }
  const ops = node(root.OperationsMetadata);
  const operations = nodes(ops.Operation);
  const getFeature = operations.find((o) => o['@_name'] === 'GetFeature');
  const outputFormats = nodes(getFeature?.Parameter)
    .filter((p) => p['@_name'] === 'outputFormat')
    .flatMap(parameterValues);
  const constraints = [...nodes(ops.Constraint), ...nodes(getFeature?.Constraint)];
  const countDefault = Number(constraint(constraints, 'CountDefault'));
  const paging = constraint(constraints, 'ImplementsResultPaging');
  const featureTypes = nodes(node(root.FeatureTypeList).FeatureType).map((ft): WfsFeatureType => {
    const bbox = node(ft.WGS84BoundingBox);
    const lower = text(bbox.LowerCorner)?.split(/\s+/).map(Number);
    const upper = text(bbox.UpperCorner)?.split(/\s+/).map(Number);
    return {
      name: text(ft.Name) ?? '',
      title: text(ft.Title),
      defaultCrs: text(ft.DefaultCRS) ?? text(ft.DefaultSRS),
      otherCrs: [...texts(ft.OtherCRS), ...texts(ft.OtherSRS)],
      outputFormats: texts(node(ft.OutputFormats).Format),
      wgs84BoundingBox: lower?.length === 2 && upper?.length === 2 ? ([lower[0], lower[1], upper[0], upper[1]] as BBox) : undefined,
    };
  });
  return {
    version: typeof root['@_version'] === 'string' ? root['@_version'] : undefined,
    featureTypes,
    outputFormats,
    countDefault: Number.isInteger(countDefault) && countDefault > 0 ? countDefault : undefined,
    implementsResultPaging: paging === undefined ? undefined : paging.toUpperCase() === 'TRUE',
  };
}

/** The feature type by full name, or by its local part when the prefix differs (`app:bezirke` ~ `bezirke`). */
export function findFeatureType(caps: WfsCapabilities, typeName: string): WfsFeatureType | undefined {
  const localOf = (n: string) => n.slice(n.indexOf(':') + 1);
  return caps.featureTypes.find((f) => f.name === typeName) ?? caps.featureTypes.find((f) => localOf(f.name) === localOf(typeName));
}

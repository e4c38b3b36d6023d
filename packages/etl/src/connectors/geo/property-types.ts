import { XMLParser } from 'fast-xml-parser';

/** Property name → type, from the source config or the WFS's DescribeFeatureType. */
export type PropertyType = 'string' | 'number' | 'integer' | 'boolean';
export type PropertyTypes = Readonly<Record<string, PropertyType>>;

const numeric = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * GML delivers every attribute as text. Where the schema is known the value becomes a JSON number
 * or boolean; text that does not fit the declared type stays text (properties are free-form
 * jsonb, nothing is lost). Without a known type a value stays text.
 */
export function convertValue(name: string, text: string, types: PropertyTypes): unknown {
  const type = types[name];
  if (type === undefined || type === 'string') return text;
  const t = text.trim();
  if (type === 'boolean') return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : text;
  if (!numeric.test(t)) return text;
  const v = Number(t);
  return type === 'integer' && !Number.isInteger(v) ? text : v;
}

const xsdTypes: Record<string, PropertyType> = {
  string: 'string',
  int: 'integer',
  integer: 'integer',
  long: 'integer',
  short: 'integer',
  byte: 'integer',
  nonNegativeInteger: 'integer',
  positiveInteger: 'integer',
  unsignedInt: 'integer',
  unsignedLong: 'integer',
  unsignedShort: 'integer',
  double: 'number',
  float: 'number',
  decimal: 'number',
  boolean: 'boolean',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
});

/**
 * Reads the property types of a DescribeFeatureType answer (an XML Schema): every `xs:element`
 * with a name and a simple XSD type (`xsd:int`, `xsd:double`, `xs:boolean` …). Elements of GML
 * types (geometries) and unknown types are left out: their values stay as they are.
 */
export function parseDescribeFeatureType(xsd: string): Record<string, PropertyType> {
  const out: Record<string, PropertyType> = {};
  const visit = (node: unknown, inElement: boolean): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, inElement);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'element') {
        for (const el of value as Record<string, unknown>[]) {
          const name = el['@_name'];
          const type = el['@_type'];
          if (typeof name === 'string' && typeof type === 'string') {
            const t = xsdTypes[type.slice(type.indexOf(':') + 1)];
            if (t && !/^gml:/i.test(type)) out[name] = t;
          }
          // restrictions (<xs:simpleType><xs:restriction base="xs:string">) inside the element
          const base = findRestriction(el);
          if (typeof name === 'string' && base && !(name in out)) out[name] = base;
          visit(el, true);
        }
      } else if (!key.startsWith('@_')) {
        visit(value, inElement);
      }
    }
  };
  visit(parser.parse(xsd), false);
  return out;
}

function findRestriction(el: Record<string, unknown>): PropertyType | undefined {
  const simple = (el.simpleType as Record<string, unknown>[] | undefined)?.[0];
  const restriction = (simple?.restriction as Record<string, unknown>[] | undefined)?.[0];
  const base = restriction?.['@_base'];
  return typeof base === 'string' ? xsdTypes[base.slice(base.indexOf(':') + 1)] : undefined;
}

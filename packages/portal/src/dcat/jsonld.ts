import type { Quad } from 'n3';
import { prefixes, RDF_LANG_STRING, RDF_TYPE, XSD_STRING } from './namespaces.js';

type JsonValue = { '@id': string } | { '@value': string; '@language'?: string; '@type'?: string };
type NodeObject = { '@id': string; '@type'?: string[] } & Record<string, JsonValue[] | string | string[]>;

/**
 * JSON-LD 1.1 of a graph: an @context of the DCAT-AP.de prefixes and a flat @graph of node
 * objects (one per subject, in the order subjects first appear). Properties and types are
 * compact IRIs (`dcat:keyword`), values are expanded value objects, so every triple reads back
 * without any context processing beyond prefix expansion. Blank nodes are `_:b1` …
 */
export function writeJsonLd(quads: Quad[]): string {
  const byNamespace = Object.entries(prefixes).sort((a, b) => b[1].length - a[1].length);
  const compact = (iri: string) => {
    for (const [prefix, namespace] of byNamespace) {
      const local = iri.slice(namespace.length);
      // a compact IRI's suffix must not look like a path ("//") or be empty
      if (iri.startsWith(namespace) && local.length > 0 && !local.startsWith('//')) return `${prefix}:${local}`;
    }
    return iri;
  };
  const id = (term: Quad['subject'] | Quad['object']) => (term.termType === 'BlankNode' ? `_:${term.value}` : term.value);

  const nodes = new Map<string, NodeObject>();
  for (const q of quads) {
    const key = id(q.subject);
    let node = nodes.get(key);
    if (!node) {
      node = { '@id': key };
      nodes.set(key, node);
    }
    const o = q.object;
    if (q.predicate.value === RDF_TYPE && o.termType === 'NamedNode') {
      (node['@type'] ??= []).push(compact(o.value));
      continue;
    }
    let value: JsonValue;
    if (o.termType === 'NamedNode' || o.termType === 'BlankNode') value = { '@id': id(o) };
    else if (o.termType === 'Literal') {
      value = o.language
        ? { '@value': o.value, '@language': o.language }
        : o.datatype.value === XSD_STRING || o.datatype.value === RDF_LANG_STRING
          ? { '@value': o.value }
          : { '@value': o.value, '@type': o.datatype.value };
    } else throw new Error(`JSON-LD: unsupported object ${o.termType}`);
    const property = compact(q.predicate.value);
    const list = node[property];
    if (Array.isArray(list)) (list as JsonValue[]).push(value);
    else node[property] = [value];
  }
  return `${JSON.stringify({ '@context': prefixes, '@graph': [...nodes.values()] }, null, 2)}\n`;
}

import type { Quad } from 'n3';
import { prefixes, RDF_LANG_STRING, RDF_TYPE, XSD_STRING } from './namespaces.js';

// XML 1.0 cannot carry these code points at all (not even as references): they are replaced by
// U+FFFD. Our metadata comes from declarations and never holds them; the replacement keeps the
// document well-formed should one slip in.
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const text = (value: string) =>
  value.replace(notXml, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

const attribute = (value: string) =>
  value
    .replace(notXml, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');

const ncName = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/** Splits an IRI into namespace and an XML-name local part, as RDF/XML writes predicates and types. */
function split(iri: string): [string, string] {
  const at = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  const local = iri.slice(at + 1);
  if (at < 0 || !ncName.test(local)) throw new Error(`RDF/XML cannot name the property ${iri}`);
  return [iri.slice(0, at + 1), local];
}

/**
 * RDF/XML (https://www.w3.org/TR/rdf-syntax-grammar/) of a flat graph: one node element per
 * subject, in the order subjects first appear, typed by its first rdf:type (so `//dcat:Dataset`
 * finds the datasets), every other triple a property element; blank nodes by rdf:nodeID.
 */
export function writeRdfXml(quads: Quad[]): string {
  const known = new Map<string, string>(Object.entries(prefixes).map(([p, iri]) => [iri, p]));
  const used = new Map<string, string>([[prefixes.rdf, 'rdf']]);
  const qname = (iri: string) => {
    const [namespace, local] = split(iri);
    let prefix = used.get(namespace) ?? known.get(namespace);
    if (!prefix) prefix = `ns${used.size}`;
    used.set(namespace, prefix);
    return `${prefix}:${local}`;
  };

  const subjects = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = `${q.subject.termType}|${q.subject.value}`;
    const list = subjects.get(key);
    if (list) list.push(q);
    else subjects.set(key, [q]);
  }

  const body: string[] = [];
  for (const list of subjects.values()) {
    const subject = list[0]!.subject;
    const typeIndex = list.findIndex((q) => q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode');
    const element = typeIndex >= 0 ? qname(list[typeIndex]!.object.value) : 'rdf:Description';
    const id = subject.termType === 'BlankNode' ? `rdf:nodeID="${attribute(subject.value)}"` : `rdf:about="${attribute(subject.value)}"`;
    body.push(`  <${element} ${id}>`);
    list.forEach((q, i) => {
      if (i === typeIndex) return;
      const p = qname(q.predicate.value);
      const o = q.object;
      if (o.termType === 'NamedNode') body.push(`    <${p} rdf:resource="${attribute(o.value)}"/>`);
      else if (o.termType === 'BlankNode') body.push(`    <${p} rdf:nodeID="${attribute(o.value)}"/>`);
      else if (o.termType === 'Literal') {
        const datatype = o.datatype.value;
        const attrs = o.language
          ? ` xml:lang="${attribute(o.language)}"`
          : datatype === XSD_STRING || datatype === RDF_LANG_STRING
            ? ''
            : ` rdf:datatype="${attribute(datatype)}"`;
        body.push(`    <${p}${attrs}>${text(o.value)}</${p}>`);
      } else throw new Error(`RDF/XML: unsupported object ${o.termType}`);
    });
    body.push(`  </${element}>`);
  }
  const xmlns = [...used].map(([iri, prefix]) => ` xmlns:${prefix}="${attribute(iri)}"`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${xmlns}>\n${body.join('\n')}\n</rdf:RDF>\n`;
}

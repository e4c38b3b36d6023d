// Test helpers: read RDF/XML and JSON-LD back into triples without our writers, so the tests can
// check that every serialisation carries the same triples as the Turtle (which n3 parses). No
// RDF/XML or JSON-LD parser is installed; these read the syntax the RDF/XML and JSON-LD specs
// define for what a flat DCAT graph uses (node and property elements, rdf:about/nodeID/resource/
// datatype, xml:lang, nested node elements; JSON-LD node and value objects with prefix
// expansion), and fail loudly on anything else rather than guess.
import { Parser, type Quad } from 'n3';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XML = 'http://www.w3.org/XML/1998/namespace';

/** A triple as a comparable line: N-Triples terms, blank nodes by their label in the document. */
export type TripleLine = string;

const esc = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
const iriTerm = (iri: string) => `<${iri}>`;
const blankTerm = (label: string) => `_:${label}`;
const literalTerm = (value: string, language?: string, datatype?: string) =>
  `"${esc(value)}"${language ? `@${language.toLowerCase()}` : datatype && datatype !== 'http://www.w3.org/2001/XMLSchema#string' ? `^^<${datatype}>` : ''}`;

/** Turtle/N-Triples through n3, keeping the document's blank-node labels. */
export function readTurtle(text: string): TripleLine[] {
  return new Parser({ blankNodePrefix: '' }).parse(text).map(lineOf);
}

export function lineOf(q: Quad): TripleLine {
  const term = (t: Quad['subject'] | Quad['object']): string =>
    t.termType === 'NamedNode'
      ? iriTerm(t.value)
      : t.termType === 'BlankNode'
        ? blankTerm(t.value)
        : t.termType === 'Literal'
          ? literalTerm(t.value, t.language || undefined, t.datatype.value)
          : `?${t.value}`;
  return `${term(q.subject)} ${iriTerm(q.predicate.value)} ${term(q.object)} .`;
}

// ───────────────────────────── XML ─────────────────────────────

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const decode = (s: string) =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e === 'lt'
      ? '<'
      : e === 'gt'
        ? '>'
        : e === 'amp'
          ? '&'
          : e === 'quot'
            ? '"'
            : e === 'apos'
              ? "'"
              : String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );

/** A strict little XML reader: elements, attributes, text, entities; refuses anything malformed. */
export function parseXml(text: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`XML not well-formed at ${at}: ${why}`);
  };
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(text.slice(at))![0];
      at += ws.length;
      if (text.startsWith('<?', at)) at = text.indexOf('?>', at) + 2 || fail('unterminated PI');
      else if (text.startsWith('<!--', at)) at = text.indexOf('-->', at) + 3 || fail('unterminated comment');
      else return;
    }
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(
      text.slice(at),
    );
    if (!open) return fail('expected a start tag');
    at += open[0].length;
    const attrs: Record<string, string> = {};
    for (const a of open[2]!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]! in attrs) fail(`duplicate attribute ${a[1]}`);
      attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
    }
    const node: XmlElement = { name: open[1]!, attrs, children: [] };
    if (open[3]) return node;
    for (;;) {
      const close = `</${node.name}`;
      if (text.startsWith(close, at)) {
        at += close.length;
        const end = /^\s*>/.exec(text.slice(at)) ?? fail('bad end tag');
        at += end[0].length;
        return node;
      }
      if (text.startsWith('</', at)) fail(`mismatched end tag, expected ${node.name}`);
      if (text.startsWith('<!--', at)) at = text.indexOf('-->', at) + 3 || fail('unterminated comment');
      else if (text.startsWith('<', at)) node.children.push(element());
      else {
        const next = text.indexOf('<', at);
        if (next < 0) fail('unterminated element');
        const chunk = text.slice(at, next);
        if (/[<&](?!(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);)/.test(chunk)) fail('bare & in text');
        node.children.push(decode(chunk));
        at = next;
      }
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (at !== text.length) fail('content after the root element');
  return root;
}

/** RDF/XML → triples (the node/property element grammar of RDF 1.1 XML Syntax, without parseType and reification). */
export function readRdfXml(text: string): TripleLine[] {
  const triples: TripleLine[] = [];
  let fresh = 0;
  // xml:base is not applied: a relative IRI is refused rather than resolved wrongly
  const absolute = (iri: string | undefined) => {
    if (iri !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(iri)) throw new Error(`relative IRI ${iri}`);
    return iri;
  };
  const resolve = (qname: string, scope: Map<string, string>) => {
    const [prefix, local] = qname.includes(':') ? qname.split(':', 2) : ['', qname];
    const namespace = prefix === 'xml' ? XML : scope.get(prefix!);
    if (namespace === undefined) throw new Error(`undeclared prefix in ${qname}`);
    return namespace + local!;
  };
  const scoped = (el: XmlElement, outer: Map<string, string>) => {
    const scope = new Map(outer);
    for (const [k, v] of Object.entries(el.attrs)) {
      if (k === 'xmlns') scope.set('', v);
      else if (k.startsWith('xmlns:')) scope.set(k.slice(6), v);
    }
    return scope;
  };
  const elements = (el: XmlElement) => {
    for (const c of el.children) if (typeof c === 'string' && c.trim()) throw new Error(`unexpected text in ${el.name}`);
    return el.children.filter((c): c is XmlElement => typeof c !== 'string');
  };
  const nodeElement = (el: XmlElement, outer: Map<string, string>, lang: string | undefined): string => {
    const scope = scoped(el, outer);
    const about = absolute(el.attrs['rdf:about']);
    const nodeId = el.attrs['rdf:nodeID'];
    const subject = about !== undefined ? iriTerm(about) : blankTerm(nodeId ?? `x${++fresh}`);
    const type = resolve(el.name, scope);
    if (type !== `${RDF}Description`) triples.push(`${subject} <${RDF}type> ${iriTerm(type)} .`);
    const language = el.attrs['xml:lang'] ?? lang;
    for (const [k, v] of Object.entries(el.attrs)) {
      if (k.startsWith('xmlns') || ['rdf:about', 'rdf:nodeID', 'xml:lang'].includes(k)) continue;
      triples.push(`${subject} ${iriTerm(resolve(k, scope))} ${literalTerm(v, language)} .`);
    }
    for (const prop of elements(el)) propertyElement(subject, prop, scope, language);
    return subject;
  };
  const propertyElement = (subject: string, el: XmlElement, outer: Map<string, string>, lang: string | undefined) => {
    const scope = scoped(el, outer);
    const predicate = iriTerm(resolve(el.name, scope));
    const language = el.attrs['xml:lang'] ?? lang;
    if (el.attrs['rdf:parseType'] !== undefined) throw new Error('rdf:parseType is not read here');
    if (el.attrs['rdf:resource'] !== undefined) triples.push(`${subject} ${predicate} ${iriTerm(absolute(el.attrs['rdf:resource'])!)} .`);
    else if (el.attrs['rdf:nodeID'] !== undefined) triples.push(`${subject} ${predicate} ${blankTerm(el.attrs['rdf:nodeID'])} .`);
    else {
      const nested = el.children.filter((c): c is XmlElement => typeof c !== 'string');
      if (nested.length === 1) triples.push(`${subject} ${predicate} ${nodeElement(nested[0]!, scope, language)} .`);
      else if (nested.length > 1) throw new Error(`property ${el.name} holds several nodes`);
      else {
        const value = el.children.filter((c): c is string => typeof c === 'string').join('');
        const datatype = el.attrs['rdf:datatype'];
        triples.push(`${subject} ${predicate} ${literalTerm(value, datatype ? undefined : language, datatype)} .`);
      }
    }
  };
  const root = parseXml(text);
  const scope = scoped(root, new Map());
  if (resolve(root.name, scope) !== `${RDF}RDF`) throw new Error('the root element is not rdf:RDF');
  for (const el of elements(root)) nodeElement(el, scope, root.attrs['xml:lang']);
  return triples;
}

// ───────────────────────────── JSON-LD ─────────────────────────────

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** JSON-LD with an @context of prefixes (term → IRI) and @graph of node objects → triples. */
export function readJsonLd(text: string): TripleLine[] {
  const doc = JSON.parse(text) as { '@context'?: Record<string, Json>; '@graph'?: Json[] };
  const context = doc['@context'] ?? {};
  for (const [k, v] of Object.entries(context)) if (typeof v !== 'string') throw new Error(`context term ${k} is not a plain prefix`);
  const expand = (value: string) => {
    const i = value.indexOf(':');
    if (i > 0) {
      const prefix = value.slice(0, i);
      const suffix = value.slice(i + 1);
      const namespace = context[prefix];
      if (typeof namespace === 'string' && !suffix.startsWith('//')) return namespace + suffix;
    }
    if (!/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('_:')) throw new Error(`not an absolute IRI: ${value}`);
    return value;
  };
  const term = (id: string) => (id.startsWith('_:') ? blankTerm(id.slice(2)) : iriTerm(expand(id)));
  const triples: TripleLine[] = [];
  let fresh = 0;
  const node = (obj: Record<string, Json>): string => {
    const subject = typeof obj['@id'] === 'string' ? term(obj['@id']) : blankTerm(`j${++fresh}`);
    for (const [key, raw] of Object.entries(obj)) {
      if (key === '@id') continue;
      const values = Array.isArray(raw) ? raw : [raw];
      if (key === '@type') {
        for (const t of values) {
          if (typeof t !== 'string') throw new Error(`@type holds a non-string: ${JSON.stringify(t)}`);
          triples.push(`${subject} <${RDF}type> ${iriTerm(expand(t))} .`);
        }
        continue;
      }
      if (key.startsWith('@')) throw new Error(`keyword ${key} is not read here`);
      const predicate = iriTerm(expand(key));
      for (const v of values) {
        if (typeof v === 'string') triples.push(`${subject} ${predicate} ${literalTerm(v)} .`);
        else if (v && typeof v === 'object' && !Array.isArray(v)) {
          if ('@value' in v) {
            const datatype = typeof v['@type'] === 'string' ? expand(v['@type']) : undefined;
            const language = typeof v['@language'] === 'string' ? v['@language'] : undefined;
            const raw = v['@value'];
            if (typeof raw !== 'string') throw new Error(`@value is not a string: ${JSON.stringify(raw)}`);
            triples.push(`${subject} ${predicate} ${literalTerm(raw, language, datatype)} .`);
          } else if (Object.keys(v).length === 1 && typeof v['@id'] === 'string')
            triples.push(`${subject} ${predicate} ${term(v['@id'])} .`);
          else triples.push(`${subject} ${predicate} ${node(v)} .`);
        } else throw new Error(`value of ${key} is not read here: ${JSON.stringify(v)}`);
      }
    }
    return subject;
  };
  for (const n of doc['@graph'] ?? []) {
    if (!n || typeof n !== 'object' || Array.isArray(n)) throw new Error('@graph holds a non-object');
    node(n);
  }
  return triples;
}

import type { Quad } from 'n3';
import { writeJsonLd } from './jsonld.js';
import { prefixes } from './namespaces.js';
import { writeRdfXml } from './rdfxml.js';

/** The serialisations of the DCAT endpoints, by URL extension (ckanext-dcat's set plus N-Triples). */
export const formats = {
  ttl: { contentType: 'text/turtle; charset=utf-8' },
  n3: { contentType: 'text/n3; charset=utf-8' },
  nt: { contentType: 'application/n-triples; charset=utf-8' },
  rdf: { contentType: 'application/rdf+xml; charset=utf-8' },
  xml: { contentType: 'application/rdf+xml; charset=utf-8' },
  jsonld: { contentType: 'application/ld+json; charset=utf-8' },
} as const;

export type Format = keyof typeof formats;

export const isFormat = (value: string): value is Format => Object.hasOwn(formats, value);

async function writeWithN3(quads: Quad[], format: 'text/turtle' | 'application/n-triples'): Promise<string> {
  // n3 is loaded with the first DCAT request (see graph.ts), not at start
  const { Writer } = await import('n3');
  const writer = new Writer(format === 'text/turtle' ? { prefixes, format } : { format });
  writer.addQuads(quads);
  return new Promise((resolve, reject) => writer.end((error, result: string) => (error ? reject(toError(error)) : resolve(result))));
}

const toError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/** Turtle and N-Triples by n3's Writer; RDF/XML and JSON-LD by our own small writers. */
export async function serialize(quads: Quad[], format: Format): Promise<string> {
  switch (format) {
    case 'ttl':
    case 'n3':
      return writeWithN3(quads, 'text/turtle');
    case 'nt':
      return writeWithN3(quads, 'application/n-triples');
    case 'rdf':
    case 'xml':
      return writeRdfXml(quads);
    case 'jsonld':
      return writeJsonLd(quads);
  }
}

const byMediaType: Record<string, Format> = {
  'text/turtle': 'ttl',
  'application/x-turtle': 'ttl',
  'text/n3': 'n3',
  'application/n-triples': 'nt',
  'application/rdf+xml': 'rdf',
  'application/ld+json': 'jsonld',
};

/**
 * Content negotiation for /catalog (as ckanext-dcat's parse_accept_header, by q-value):
 * an RDF media type → that format; text/html ranked first → 'html' (the portal page); no Accept
 * header or only wildcards → Turtle; nothing we can produce → undefined (406).
 */
export function negotiate(accept: string | undefined): Format | 'html' | undefined {
  if (!accept?.trim()) return 'ttl';
  const ranked = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
      return { type, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.type && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranked) {
    if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
    const format = byMediaType[type];
    if (format) return format;
    if (type === '*/*' || type === 'text/*') return 'ttl';
    if (type === 'application/*') return 'rdf';
  }
  return undefined;
}

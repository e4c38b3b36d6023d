// The serialisers on awkward values, read back by independent readers (read-back.testing.ts).
import { DataFactory, type BlankNode, type NamedNode, type Quad } from 'n3';
import { describe, expect, it } from 'vitest';
import { lineOf, readJsonLd, readRdfXml, readTurtle } from './read-back.testing.js';
import { negotiate, serialize } from './serialize.js';

const namedNode = (iri: string) => DataFactory.namedNode(iri);
const literal = (value: string, languageOrDatatype?: string | ReturnType<typeof namedNode>) =>
  DataFactory.literal(value, languageOrDatatype);
const blankNode = (label: string) => DataFactory.blankNode(label);
const quad = (s: NamedNode | BlankNode, p: NamedNode, o: Quad['object']) => DataFactory.quad(s, p, o);
const dct = (local: string) => namedNode(`http://purl.org/dc/terms/${local}`);

const awkward: Quad[] = [
  quad(namedNode('http://example.org/d?a=1&b=%3C2%3E'), dct('title'), literal('A & B <tag> "quoted" \'single\' > end', 'de')),
  quad(namedNode('http://example.org/d?a=1&b=%3C2%3E'), dct('description'), literal('Zeile 1\nZeile 2\r\nTab\there  ')),
  quad(
    namedNode('http://example.org/d?a=1&b=%3C2%3E'),
    dct('issued'),
    literal('2026-11-25T10:00:00.000Z', namedNode('http://www.w3.org/2001/XMLSchema#dateTime')),
  ),
  quad(namedNode('http://example.org/d?a=1&b=%3C2%3E'), dct('temporal'), blankNode('b1')),
  quad(blankNode('b1'), namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), dct('PeriodOfTime')),
  quad(
    blankNode('b1'),
    namedNode('http://www.w3.org/ns/dcat#startDate'),
    literal('2022-12-01', namedNode('http://www.w3.org/2001/XMLSchema#date')),
  ),
  quad(
    namedNode('http://example.org/d?a=1&b=%3C2%3E'),
    namedNode('http://example.org/vocab#unknownProperty'),
    literal('Ümläute, € und 😀'),
  ),
  quad(namedNode('http://example.org/d?a=1&b=%3C2%3E'), dct('subject'), namedNode('mailto:opendata@rostock.de')),
  quad(namedNode('http://example.org/d?a=1&b=%3C2%3E'), dct('alternative'), literal('')),
];

describe('serialisers', () => {
  it('write the same triples in Turtle, N-Triples, RDF/XML and JSON-LD, however awkward the values', async () => {
    const expected = awkward.map(lineOf).sort();
    expect(readTurtle(await serialize(awkward, 'ttl')).sort()).toEqual(expected);
    expect(readTurtle(await serialize(awkward, 'nt')).sort()).toEqual(expected);
    expect(readRdfXml(await serialize(awkward, 'rdf')).sort()).toEqual(expected);
    expect(readJsonLd(await serialize(awkward, 'jsonld')).sort()).toEqual(expected);
  });

  it('keeps RDF/XML well-formed where XML 1.0 cannot carry a character (replaced by U+FFFD)', async () => {
    const control = [quad(namedNode('http://example.org/x'), dct('title'), literal('bell\u0007 and form feed\u000C'))];
    const xml = await serialize(control, 'rdf');
    expect(readRdfXml(xml)).toEqual(['<http://example.org/x> <http://purl.org/dc/terms/title> "bell\uFFFD and form feed\uFFFD" .']);
  });

  it('types RDF/XML node elements by their first rdf:type', async () => {
    const xml = await serialize(awkward, 'rdf');
    expect(xml).toContain('<dct:PeriodOfTime rdf:nodeID="b1">');
    expect(xml).toContain('<rdf:Description rdf:about="http://example.org/d?a=1&amp;b=%3C2%3E">');
  });
});

describe('content negotiation', () => {
  it('follows q-values and knows the RDF media types', () => {
    expect(negotiate(undefined)).toBe('ttl');
    expect(negotiate('')).toBe('ttl');
    expect(negotiate('application/ld+json')).toBe('jsonld');
    expect(negotiate('text/turtle;q=0.2, application/rdf+xml')).toBe('rdf');
    expect(negotiate('application/n-triples;q=0.9, text/turtle;q=0.1')).toBe('nt');
    expect(negotiate('text/html;q=0.9, application/ld+json;q=0.8')).toBe('html');
    expect(negotiate('application/ld+json;q=0, text/n3')).toBe('n3');
    expect(negotiate('application/*')).toBe('rdf');
    expect(negotiate('image/png, application/pdf')).toBeUndefined();
  });
});

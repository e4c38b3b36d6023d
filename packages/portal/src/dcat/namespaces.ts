/** The RDF vocabularies of DCAT-AP.de 3.0 as prefix → namespace IRI (the prefixes the spec's examples use). */
export const prefixes = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dcatap: 'http://data.europa.eu/r5r/',
  dcatde: 'http://dcat-ap.de/def/dcatde/',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  geo: 'http://www.opengis.net/ont/geosparql#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
} as const;

type Prefix = keyof typeof prefixes;

/** `ns('dcat', 'Dataset')` → the full IRI. */
export const ns = (prefix: Prefix, local: string): string => `${prefixes[prefix]}${local}`;

export const RDF_TYPE = ns('rdf', 'type');
export const XSD_STRING = ns('xsd', 'string');
export const RDF_LANG_STRING = ns('rdf', 'langString');

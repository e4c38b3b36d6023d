import { DataFactory, type BlankNode, type NamedNode, type Quad } from 'n3';
import { dcatVocabulary, type DcatAgent, type DcatCatalogPage, type DcatDatasetRow } from '@hro/api/domain';
import { ns, RDF_TYPE } from './namespaces.js';

const namedNode = (iri: string) => DataFactory.namedNode(iri);
const literal = (value: string, languageOrDatatype?: string | NamedNode) => DataFactory.literal(value, languageOrDatatype);
const blankNode = (label: string) => DataFactory.blankNode(label);
const quad = (s: Subject, p: NamedNode, o: Quad['object']) => DataFactory.quad(s, p, o);
const { fileTypes, fileTypeUri, frequencyUri, mediaTypeUri, licenseRequiresAttribution, MUNICIPALITY_LEVEL_URI } = dcatVocabulary;

type Subject = NamedNode | BlankNode;

const EU_LANGUAGE = 'http://publications.europa.eu/resource/authority/language/';
const ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right/';
const DATA_THEME_SCHEME = 'http://publications.europa.eu/resource/authority/data-theme';
const LOCAL_AUTHORITY = 'http://purl.org/adms/publishertype/LocalAuthority';

/** Collects the triples of one DCAT document; blank nodes are numbered per document (b1, b2 …). */
class GraphBuilder {
  readonly quads: Quad[] = [];
  private blanks = 0;
  private readonly agents = new Map<string, NamedNode>();

  constructor(readonly baseUrl: string) {}

  blank(): BlankNode {
    return blankNode(`b${++this.blanks}`);
  }

  add(subject: Subject, predicate: string, object: Quad['object']): void {
    this.quads.push(quad(subject, namedNode(predicate), object));
  }

  iri(subject: Subject, predicate: string, iri: string): void {
    this.add(subject, predicate, namedNode(iri));
  }

  text(subject: Subject, predicate: string, value: string, language?: string): void {
    this.add(subject, predicate, literal(value, language));
  }

  typed(subject: Subject, predicate: string, value: string, datatype: string): void {
    this.add(subject, predicate, literal(value, namedNode(datatype)));
  }

  dateTime(subject: Subject, predicate: string, value: Date): void {
    this.typed(subject, predicate, value.toISOString(), ns('xsd', 'dateTime'));
  }

  /** An organization as foaf:Agent, written once per document however many datasets name it. */
  agent(org: DcatAgent): NamedNode {
    const known = this.agents.get(org.id);
    if (known) return known;
    const node = namedNode(`${this.baseUrl}/organization/${encodeURIComponent(org.name)}`);
    this.agents.set(org.id, node);
    this.iri(node, RDF_TYPE, ns('foaf', 'Agent'));
    this.text(node, ns('foaf', 'name'), org.title, 'de');
    this.iri(node, ns('dct', 'type'), LOCAL_AUTHORITY);
    if (org.email) this.iri(node, ns('foaf', 'mbox'), `mailto:${org.email}`);
    return node;
  }
}

export const datasetIri = (baseUrl: string, name: string): string => `${baseUrl}/dataset/${encodeURIComponent(name)}`;

/** The download of a resource in its own format (the downloads route of the portal). */
export const downloadUrl = (baseUrl: string, datasetName: string, resourceId: string, format: string): string =>
  `${datasetIri(baseUrl, datasetName)}/resource/${resourceId}/download?format=${encodeURIComponent(format.toLowerCase())}`;

/** WKT polygon of a bbox in CRS84 (lon lat), the default CRS of geo:wktLiteral. */
const wktBox = ([minLon, minLat, maxLon, maxLat]: number[]): string =>
  `POLYGON((${minLon} ${minLat}, ${maxLon} ${minLat}, ${maxLon} ${maxLat}, ${minLon} ${maxLat}, ${minLon} ${minLat}))`;

/**
 * One dcat:Dataset with its distributions (DCAT-AP.de 3.0). The IRI is the dataset's page URL by
 * name, as stable as the declaration (a database rebuild gives new ids, not new names), and
 * dct:identifier carries the same IRI, so a harvester recognises the dataset across runs.
 */
function addDataset(g: GraphBuilder, d: DcatDatasetRow): NamedNode {
  const node = namedNode(datasetIri(g.baseUrl, d.name));
  g.iri(node, RDF_TYPE, ns('dcat', 'Dataset'));
  g.text(node, ns('dct', 'title'), d.title, 'de');
  // dct:description is mandatory: a dataset declared without notes is described by its title
  g.text(node, ns('dct', 'description'), d.notes.trim() || d.title, 'de');
  g.text(node, ns('dct', 'identifier'), node.value);
  // the IRI is the portal's page of the dataset, too
  g.iri(node, ns('dcat', 'landingPage'), node.value);
  for (const tag of d.tags) g.text(node, ns('dcat', 'keyword'), tag, 'de');
  for (const theme of d.themes) g.iri(node, ns('dcat', 'theme'), theme);
  g.iri(node, ns('dct', 'language'), `${EU_LANGUAGE}DEU`);
  g.iri(node, ns('dct', 'accessRights'), `${ACCESS_RIGHT}${d.private ? 'NON_PUBLIC' : 'PUBLIC'}`);
  g.dateTime(node, ns('dct', 'issued'), d.metadataCreated);
  g.dateTime(node, ns('dct', 'modified'), d.metadataModified);
  if (d.updateFrequency) g.iri(node, ns('dct', 'accrualPeriodicity'), frequencyUri(d.updateFrequency));

  if (d.organization) {
    g.add(node, ns('dct', 'publisher'), g.agent(d.organization));
    if (d.organization.contributorId) g.iri(node, ns('dcatde', 'contributorID'), d.organization.contributorId);
    if (d.organization.email) {
      const contact = g.blank();
      g.add(node, ns('dcat', 'contactPoint'), contact);
      // vcard:Organization is a vcard:Kind, but the shapes check the class without the vCard
      // ontology (a remote import): both types are stated
      g.iri(contact, RDF_TYPE, ns('vcard', 'Organization'));
      g.iri(contact, RDF_TYPE, ns('vcard', 'Kind'));
      g.text(contact, ns('vcard', 'fn'), d.organization.title, 'de');
      g.iri(contact, ns('vcard', 'hasEmail'), `mailto:${d.organization.email}`);
    }
  }

  // Spatial coverage through dct:spatial (3.0; dcatde:politicalGeocodingURI is deprecated), the
  // level of the key beside it; a geo dataset also gets the extent of its features.
  if (d.spatialUri) {
    g.iri(node, ns('dct', 'spatial'), d.spatialUri);
    g.iri(namedNode(d.spatialUri), RDF_TYPE, ns('dct', 'Location'));
    if (d.spatialUri.includes('/politicalGeocoding/municipalityKey/'))
      g.iri(node, ns('dcatde', 'politicalGeocodingLevelURI'), MUNICIPALITY_LEVEL_URI);
  }
  if (d.spatialBbox && d.spatialBbox.length === 4) {
    const location = g.blank();
    g.add(node, ns('dct', 'spatial'), location);
    g.iri(location, RDF_TYPE, ns('dct', 'Location'));
    g.typed(location, ns('dcat', 'bbox'), wktBox(d.spatialBbox), ns('geo', 'wktLiteral'));
  }
  if (d.temporalStart || d.temporalEnd) {
    const period = g.blank();
    g.add(node, ns('dct', 'temporal'), period);
    g.iri(period, RDF_TYPE, ns('dct', 'PeriodOfTime'));
    if (d.temporalStart) g.typed(period, ns('dcat', 'startDate'), d.temporalStart, ns('xsd', 'date'));
    if (d.temporalEnd) g.typed(period, ns('dcat', 'endDate'), d.temporalEnd, ns('xsd', 'date'));
  }

  // a declared attribution always; otherwise the publisher, where the licence asks for naming the source
  const attribution =
    d.licenseAttribution ?? (d.licenseUri && licenseRequiresAttribution(d.licenseUri) ? d.organization?.title : undefined);
  for (const r of d.resources) {
    const dist = namedNode(`${datasetIri(g.baseUrl, d.name)}/resource/${r.id}`);
    g.add(node, ns('dcat', 'distribution'), dist);
    g.iri(dist, RDF_TYPE, ns('dcat', 'Distribution'));
    g.text(dist, ns('dct', 'title'), r.name, 'de');
    // a direct download: its URL is the access URL too (DCAT-AP.de convention 39)
    const url = downloadUrl(g.baseUrl, d.name, r.id, r.format);
    g.iri(dist, ns('dcat', 'accessURL'), url);
    g.iri(dist, ns('dcat', 'downloadURL'), url);
    const type = fileTypes[r.format.toUpperCase()];
    if (type) g.iri(dist, ns('dct', 'format'), fileTypeUri(type.code));
    const mediaType = r.mimetype ?? type?.mediaType;
    if (mediaType) g.iri(dist, ns('dcat', 'mediaType'), mediaTypeUri(mediaType));
    if (d.licenseUri) g.iri(dist, ns('dct', 'license'), d.licenseUri);
    if (attribution) g.text(dist, ns('dcatde', 'licenseAttributionByText'), attribution);
    g.dateTime(dist, ns('dct', 'issued'), r.created);
    g.dateTime(dist, ns('dct', 'modified'), r.lastModified ?? d.dataModified ?? d.metadataModified);
  }
  return node;
}

/** The triples of one dataset's document (/dataset/<name>.ttl). */
export function datasetGraph(baseUrl: string, dataset: DcatDatasetRow): Quad[] {
  const g = new GraphBuilder(baseUrl);
  addDataset(g, dataset);
  return g.quads;
}

export interface PageLinks {
  /** the URL of a page of this listing (same path and parameters, another page) */
  pageUrl: (page: number) => string;
}

/**
 * The catalog page: dcat:Catalog with its datasets, and the paging node harvesters follow. The
 * node is both hydra:PagedCollection with firstPage/lastPage/nextPage/previousPage as literals
 * (what ckanext-dcat writes and its harvester reads) and hydra:PartialCollectionView with
 * first/last/next/previous as IRIs (current Hydra, read by udata and newer ckanext-dcat). As in
 * ckanext-dcat, an empty result carries no paging node.
 */
export function catalogGraph(baseUrl: string, page: DcatCatalogPage, links: PageLinks): Quad[] {
  const g = new GraphBuilder(baseUrl);
  const catalog = namedNode(baseUrl);
  const meta = page.catalog;
  g.iri(catalog, RDF_TYPE, ns('dcat', 'Catalog'));
  g.text(catalog, ns('dct', 'title'), meta.title, 'de');
  g.text(catalog, ns('dct', 'description'), meta.description || meta.title, 'de');
  if (meta.publisher) g.add(catalog, ns('dct', 'publisher'), g.agent(meta.publisher));
  g.iri(catalog, ns('dct', 'language'), `${EU_LANGUAGE}${meta.language}`);
  g.iri(catalog, ns('foaf', 'homepage'), meta.homepage ?? `${baseUrl}/`);
  g.iri(catalog, ns('dct', 'spatial'), dcatVocabulary.ROSTOCK_SPATIAL_URI);
  g.iri(catalog, ns('dcat', 'themeTaxonomy'), DATA_THEME_SCHEME);
  if (meta.modified) g.dateTime(catalog, ns('dct', 'modified'), meta.modified);
  for (const d of page.datasets) g.add(catalog, ns('dcat', 'dataset'), addDataset(g, d));

  if (page.total > 0) {
    const last = Math.max(1, Math.ceil(page.total / page.pageSize));
    const view = namedNode(links.pageUrl(page.page));
    g.iri(view, RDF_TYPE, ns('hydra', 'PagedCollection'));
    g.iri(view, RDF_TYPE, ns('hydra', 'PartialCollectionView'));
    g.typed(view, ns('hydra', 'totalItems'), String(page.total), ns('xsd', 'integer'));
    g.typed(view, ns('hydra', 'itemsPerPage'), String(page.pageSize), ns('xsd', 'integer'));
    const link = (name: string, legacy: string, target: number) => {
      g.text(view, ns('hydra', legacy), links.pageUrl(target));
      g.iri(view, ns('hydra', name), links.pageUrl(target));
    };
    link('first', 'firstPage', 1);
    link('last', 'lastPage', last);
    // ckanext-dcat: past the last page, "previous" points at the last page
    if (page.page > 1)
      link('previous', 'previousPage', (page.page - 1) * page.pageSize + page.datasets.length <= page.total ? page.page - 1 : last);
    if (page.page * page.pageSize < page.total) link('next', 'nextPage', page.page + 1);
  }
  return g.quads;
}

/**
 * The controlled vocabularies DCAT-AP.de 3.0 asks for, as far as the catalog uses them
 * (https://www.dcat-ap.de/def/dcatde/3.0/spec/#kontrollierte-vokabulare). Declarations are checked
 * against these lists, so a dataset file cannot name a frequency the EU table does not have.
 */

/** EU authority table "frequency" (http://publications.europa.eu/resource/authority/frequency). */
export const frequencyCodes = [
  'HOURLY',
  'DAILY',
  'WEEKLY',
  'BIWEEKLY',
  'MONTHLY',
  'BIMONTHLY',
  'QUARTERLY',
  'ANNUAL',
  'ANNUAL_2',
  'ANNUAL_3',
  'BIENNIAL',
  'TRIENNIAL',
  'CONT',
  'UPDATE_CONT',
  'IRREG',
  'NEVER',
  'UNKNOWN',
  'OTHER',
] as const;
export type FrequencyCode = (typeof frequencyCodes)[number];

export const frequencyUri = (code: string): string => `http://publications.europa.eu/resource/authority/frequency/${code}`;

/** CKAN resource format → EU authority table "file-type" code and IANA media type. */
export const fileTypes: Record<string, { code: string; mediaType: string }> = {
  CSV: { code: 'CSV', mediaType: 'text/csv' },
  TSV: { code: 'TSV', mediaType: 'text/tab-separated-values' },
  JSON: { code: 'JSON', mediaType: 'application/json' },
  GEOJSON: { code: 'GEOJSON', mediaType: 'application/geo+json' },
  XLSX: { code: 'XLSX', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  XML: { code: 'XML', mediaType: 'application/xml' },
};

export const fileTypeUri = (code: string): string => `http://publications.europa.eu/resource/authority/file-type/${code}`;

/** DCAT-AP.de's media-type IRIs are the IANA registry pages (the shapes test the prefix). */
export const mediaTypeUri = (mediaType: string): string => `https://www.iana.org/assignments/media-types/${mediaType}`;

/** Rostock (AGS 13003000) in the political-geocoding vocabulary, and the level of that key. */
export const ROSTOCK_SPATIAL_URI = 'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/13003000';
export const MUNICIPALITY_LEVEL_URI = 'http://dcat-ap.de/def/politicalGeocoding/Level/municipality';

/** The licence every dataset gets unless its declaration names another (DCAT-AP.de: dl-by-de/2.0). */
export const DEFAULT_LICENSE = 'dl-by-de/2.0';

/**
 * Licences of the dcat-ap.de vocabulary whose terms require naming the source: their
 * distributions carry dcatde:licenseAttributionByText (DCAT-AP.de convention 35).
 */
export function licenseRequiresAttribution(licenseUri: string): boolean {
  const id = licenseUri.replace(/^http:\/\/dcat-ap\.de\/def\/licenses\//, '');
  return (
    /^(dl-by-|dl-by-nc-|cc-by(\/|-|$))/.test(id) || id === 'odby' || id === 'odbl' || id.startsWith('geoNutz') || id.startsWith('geonutz')
  );
}

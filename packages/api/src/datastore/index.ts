// The DataStore: CKAN's datastore_search/datastore_info over the views behind catalog resources,
// and the streamed exports (dumps and downloads) of the same rows.
export { datastoreSearch, datastoreInfo, DEFAULT_FTS_LANGUAGE, type DatastoreSearchResult } from './datastore.search.js';
export { openDownload, describeDownload, openDump, type ExportSource, type ExportColumn, type DataVersion } from './datastore.export.js';
export { dumpParams, dumpFormats, ROWS_DEFAULT, ROWS_MAX, type DumpFormat, type SearchParams } from './datastore.params.js';
export { copyCsvField, copyCsvRows } from './datastore.encode.js';
export { jsonText, decodeValue, type ValueKind } from './datastore.columns.js';
export type { DatastoreResource } from './datastore.resource.js';

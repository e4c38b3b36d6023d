import { searchDatasets, type DatasetSearchResult, type DomainContext, type SearchClause } from '@hro/api/domain';
import { indexDocument, packageDict } from './dictize.js';
import { searchQueryError, pyValueRepr, validationError } from './errors.js';
import { boolParam, intParam, isMissing, listParam, naturalParam, ParamErrors, textParam, type Params } from './params.js';
import { parseLucene, parseQ, parseSort } from './solr-query.js';

/**
 * package_search (ckan/logic/action/get.py, ckan/lib/search/query.py): CKAN's parameter schema
 * (default_package_search_schema) and its errors, Solr's parameters, the result with `facets`
 * and `search_facets`.
 */

/** The parameters CKAN passes on to Solr (VALID_SOLR_PARAMETERS); anything else is refused. */
const solrParameters = new Set([
  'q',
  'fl',
  'fq',
  'rows',
  'sort',
  'start',
  'wt',
  'qf',
  'bf',
  'boost',
  'facet',
  'facet.mincount',
  'facet.limit',
  'facet.field',
  'extras',
  'fq_list',
  'tie',
  'defType',
  'mm',
  'df',
]);
/** Taken out by the action before the search; `ext_*` go to extras. */
const actionParameters = new Set(['include_private', 'include_drafts', 'include_deleted', 'use_default_schema']);

export const DEFAULT_SORT = 'score desc, metadata_modified desc';
/** CKAN's ckan.search.rows_max */
export const ROWS_MAX = 1000;
/** CKAN's search.facets.limit */
export const FACET_LIMIT = 50;

type Dict = Record<string, unknown>;

/** facet.field: a JSON list of strings (convert_to_json_if_string, list_of_strings). */
function facetFieldsOf(params: Params, errors: ParamErrors): string[] {
  let value = params['facet.field'];
  if (isMissing(value)) return [];
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return errors.add('facet.field', 'Could not parse as valid JSON') ?? [];
    }
  }
  if (!Array.isArray(value)) return errors.add('facet.field', 'Not a list') ?? [];
  const list: unknown[] = value;
  const notString = list.find((v) => typeof v !== 'string');
  if (notString !== undefined) return errors.add('facet.field', `Not a string: ${pyValueRepr(notString)}`) ?? [];
  return list as string[];
}

/** Solr's fl: field names separated by commas or spaces, given as text or a list. */
function fieldListOf(value: unknown): string[] | null {
  if (isMissing(value) || value === '') return null;
  const names = listParam(value)
    .flatMap((v) => v.split(/[\s,]+/))
    .filter(Boolean);
  return names.length > 0 ? names : null;
}

export interface SearchOutcome {
  found: DatasetSearchResult;
  sort: string;
  fl: string[] | null;
  facetsEnabled: boolean;
}

/** Validates the parameters and runs the search. */
export async function runPackageSearch(ctx: DomainContext, params: Params): Promise<SearchOutcome> {
  const errors = new ParamErrors();
  const q = textParam(params.q);
  const fq = textParam(params.fq);
  const rowsGiven = naturalParam(params, 'rows', errors);
  const start = naturalParam(params, 'start', errors) ?? 0;
  const mincount = naturalParam(params, 'facet.mincount', errors) ?? 1;
  const limit = intParam(params, 'facet.limit', errors) ?? FACET_LIMIT;
  const facetFields = facetFieldsOf(params, errors);
  errors.check();

  const unknown = Object.keys(params)
    .filter((k) => !solrParameters.has(k) && !actionParameters.has(k) && !k.startsWith('ext_'))
    .sort();
  if (unknown.length > 0) throw searchQueryError(`Invalid search parameters: ${pyValueRepr(unknown)}`);

  const includePrivate = boolParam(params, 'include_private', false, () => validationError({ include_private: ['Not a boolean'] }));
  const sortText = textParam(params.sort);
  const sort = sortText === undefined || sortText === '' || sortText === 'rank' ? DEFAULT_SORT : sortText;
  const parsedSort = parseSort(sort);
  const query = parseQ(q);
  const filters: SearchClause[] = [];
  for (const text of [...(fq === undefined || fq.trim() === '' ? [] : [fq]), ...listParam(params.fq_list)]) {
    if (text.trim() !== '') filters.push(parseLucene(text, 'fq').clause);
  }
  const facetsEnabled = textParam(params.facet)?.toLowerCase() !== 'false';
  const found = await searchDatasets(ctx, {
    query: query.clause,
    filters,
    rankText: query.rankText,
    fallback: query.freeText,
    includePrivate,
    sort: parsedSort,
    rows: Math.min(rowsGiven ?? 10, ROWS_MAX),
    start,
    facets: { fields: facetsEnabled ? [...new Set(facetFields)] : [], limit, mincount },
  });
  return { found, sort, fl: fieldListOf(params.fl), facetsEnabled };
}

/** Orders a facet's items as CKAN does after its extensions ran: by display name, descending. */
const byDisplayNameDesc = (a: { display_name: string }, b: { display_name: string }) =>
  a.display_name < b.display_name ? 1 : a.display_name > b.display_name ? -1 : 0;

/** The result dict of package_search. */
export function packageSearchResult(outcome: SearchOutcome, siteUrl: string): Dict {
  const { found, sort, fl } = outcome;
  const results = found.results.map((record) => {
    if (!fl) return packageDict(record, siteUrl);
    const doc = indexDocument(record, siteUrl);
    if (fl.includes('*')) return doc;
    return Object.fromEntries(fl.filter((f) => f in doc).map((f) => [f, doc[f]]));
  });
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<string, { title: string; items: { name: string; display_name: string; count: number }[] }> = {};
  for (const [field, values] of Object.entries(found.facets)) {
    facets[field] = Object.fromEntries(values.map((v) => [v.name, v.count]));
    searchFacets[field] = {
      title: field,
      items: values
        .map((v) => ({ name: v.name, display_name: v.displayName.trim() ? v.displayName : v.name, count: v.count }))
        .sort(byDisplayNameDesc),
    };
  }
  return { count: found.count, facets, results, sort, search_facets: searchFacets };
}

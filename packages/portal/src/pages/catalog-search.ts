import { searchDatasets, type DatasetSearchResult, type DomainContext, type SearchClause, type TermField } from '@hro/api/domain';
import { parseQ, type ParsedQuery } from '../ckan/solr-query.js';

/**
 * The dataset search of the pages: the same domain search as CKAN's package_search
 * (`searchDatasets`, with q in the same query language), driven by the page's parameters.
 * Selected facet values become filters that must all hold, as on CKAN's own search page.
 */

export const facetParams = ['organization', 'groups', 'tags', 'res_format', 'license_id'] as const satisfies readonly TermField[];
export type FacetParam = (typeof facetParams)[number];

export const facetTitles: Record<FacetParam, string> = {
  organization: 'Herausgeber',
  groups: 'Themen',
  tags: 'Schlagwörter',
  res_format: 'Formate',
  license_id: 'Lizenzen',
};

/** The offered orders: value of `sort` → package_search sort and label. */
export const sortOptions = {
  relevanz: {
    label: 'Relevanz',
    sort: [
      { field: 'score', dir: 'desc' },
      { field: 'metadata_modified', dir: 'desc' },
    ],
  },
  'name-auf': { label: 'Name (A–Z)', sort: [{ field: 'title_string', dir: 'asc' }] },
  'name-ab': { label: 'Name (Z–A)', sort: [{ field: 'title_string', dir: 'desc' }] },
  geaendert: { label: 'Zuletzt geändert', sort: [{ field: 'metadata_modified', dir: 'desc' }] },
  neu: { label: 'Zuletzt veröffentlicht', sort: [{ field: 'metadata_created', dir: 'desc' }] },
} as const;
export type SortOption = keyof typeof sortOptions;

export const PAGE_SIZE = 20;
const MAX_PAGE = 500;

export interface SearchForm {
  q: string;
  filters: Record<FacetParam, string[]>;
  sort: SortOption;
  page: number;
}

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .slice(0, 20)
    .map((v) => v.slice(0, 200));

/** Reads the page's query string; anything unknown or out of range falls back to the default. */
export function readSearchForm(query: Record<string, unknown>): SearchForm {
  const q = list(query.q)[0] ?? '';
  const filters = Object.fromEntries(facetParams.map((f) => [f, list(query[f])])) as Record<FacetParam, string[]>;
  const sortText = list(query.sort)[0];
  const sort: SortOption = sortText && Object.hasOwn(sortOptions, sortText) ? (sortText as SortOption) : q ? 'relevanz' : 'geaendert';
  const pageNumber = Number(list(query.page)[0] ?? '1');
  const page = Number.isInteger(pageNumber) && pageNumber >= 1 ? Math.min(pageNumber, MAX_PAGE) : 1;
  return { q: q.slice(0, 500), filters, sort, page };
}

/** q as package_search reads it; text that is no valid query is searched for as plain words. */
function queryOf(q: string): ParsedQuery {
  try {
    return parseQ(q);
  } catch {
    const words = q.replace(/[^\p{L}\p{N}\s-]/gu, ' ').trim();
    return words
      ? { clause: { op: 'text', field: 'text', value: words, mode: 'words' }, rankText: words, freeText: true }
      : { clause: { op: 'all' }, rankText: null, freeText: false };
  }
}

export function runSearch(
  ctx: DomainContext,
  form: Pick<SearchForm, 'q' | 'filters' | 'sort'> & { rows: number; start: number },
  facets: readonly string[] = facetParams,
  extraFilters: SearchClause[] = [],
): Promise<DatasetSearchResult> {
  const query = queryOf(form.q);
  const filters: SearchClause[] = [...extraFilters];
  for (const field of facetParams) for (const value of form.filters[field]) filters.push({ op: 'term', field, value });
  return searchDatasets(ctx, {
    query: query.clause,
    filters,
    rankText: query.rankText,
    fallback: query.freeText,
    // as CKAN's search page: internal datasets too, for those the policy lets read them
    includePrivate: true,
    sort: sortOptions[form.sort].sort.map((s) => ({ ...s })),
    rows: form.rows,
    start: form.start,
    facets: { fields: [...facets], limit: 50, mincount: 1 },
  });
}

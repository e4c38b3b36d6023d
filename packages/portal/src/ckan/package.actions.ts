import { NotFoundError } from '@hro/api';
import { autocompleteDatasets, can, CatalogForbiddenError, publicDatasetNames, showDataset, type DomainContext } from '@hro/api/domain';
import type { CkanAction } from './actions.js';
import { packageDict } from './dictize.js';
import { notAuthorized, notFound } from './errors.js';
import { naturalParam, pagination, ParamErrors, positiveParam, required, textParam } from './params.js';
import { packageSearchResult, runPackageSearch } from './package-search.js';

/** The name CKAN puts into "User … not authorized" messages: the key or token subject, '' for anonymous. */
export const userName = (ctx: DomainContext) => ctx.viewer.subject ?? '';

/** A domain miss or refusal as CKAN's 404 / 403 (with its auth function's message). */
export function rethrow(ctx: DomainContext, e: unknown, what: 'package' | 'resource'): never {
  if (e instanceof NotFoundError) throw notFound();
  if (e instanceof CatalogForbiddenError) throw notAuthorized(`User ${userName(ctx)} not authorized to read ${what} ${e.id}`);
  throw e;
}

export const packageActions: Record<string, CkanAction> = {
  package_list: {
    help: `Return a list of the names of the site's datasets (packages), sorted by name.

Internal (private) datasets are never listed here, whoever asks; use package_search with
include_private=true.

:param limit: if given, the list of datasets will be broken into pages of at most \`\`limit\`\`
    datasets per page and only one page will be returned at a time (optional)
:type limit: int
:param offset: when \`\`limit\`\` is given, the offset to start returning packages from
:type offset: int

:rtype: list of strings`,
    run: async (ctx, params) => {
      const { limit, offset } = pagination(params);
      // CKAN applies limit and offset only when they are truthy: limit=0 lists everything
      return publicDatasetNames(ctx, { limit: limit || undefined, offset: offset || 0 });
    },
  },

  current_package_list_with_resources: {
    help: `Return a list of the site's datasets (packages) and their resources, most recently modified first.

:param limit: the number of datasets per page (optional, default: 10, at most 1000)
:type limit: int
:param offset: the offset to start returning datasets from (optional)
:type offset: int
:param page: when \`\`limit\`\` is given, which page to return; deprecated, use \`\`offset\`\`
:type page: int

:rtype: list of dictionaries`,
    run: async (ctx, params, env) => {
      const errors = new ParamErrors();
      const limit = naturalParam(params, 'limit', errors);
      let offset = naturalParam(params, 'offset', errors) ?? 0;
      const page = positiveParam(params, 'page', errors);
      errors.check();
      if (params.offset === undefined && page !== undefined) offset = limit ? (page - 1) * limit : 0;
      const outcome = await runPackageSearch(ctx, {
        q: '',
        rows: limit,
        start: offset,
        include_private: can(ctx.viewer, 'catalog.read_private'),
      });
      return packageSearchResult(outcome, env.baseUrl).results;
    },
  },

  package_show: {
    help: `Return the metadata of a dataset (package) and its resources.

:param id: the id or name of the dataset
:type id: string

:rtype: dictionary`,
    run: async (ctx, params, env) => {
      const reference = textParam(params.id) || textParam(required(params, 'name_or_id'));
      if (!reference) throw notFound();
      try {
        return packageDict(await showDataset(ctx, reference), env.baseUrl);
      } catch (e) {
        rethrow(ctx, e, 'package');
      }
    },
  },

  package_search: {
    help: `Search for datasets (packages) with Solr's query syntax, on the site's PostgreSQL.

:param q: the query (default: everything). Words search the full text (German, accents ignored;
    when no dataset contains the words, names and titles resembling them are returned);
    \`\`field:value\`\` matches name, title, notes, tags, groups, organization, res_format,
    license_id, id, owner_org, capacity; \`\`metadata_modified:[2024-01-01T00:00:00Z TO *]\`\`
    matches a range; AND, OR, NOT, -, + and parentheses combine clauses
:type q: string
:param fq: a filter in the same syntax (does not affect relevance)
:type fq: string
:param fq_list: more filters
:type fq_list: list of strings
:param sort: e.g. \`\`name asc\`\`, \`\`title_string asc\`\`, \`\`metadata_modified desc\`\`
    (default: \`\`score desc, metadata_modified desc\`\`)
:type sort: string
:param rows: the number of datasets to return (default: 10, at most 1000)
:type rows: int
:param start: the offset of the first dataset to return
:type start: int
:param facet.field: the fields to count values of, as a JSON list (tags, groups,
    organization, res_format, license_id)
:type facet.field: list of strings
:param facet.limit: the number of values per facet (default: 50; -1: all)
:type facet.limit: int
:param facet.mincount: the least count a value needs to be listed (default: 1)
:type facet.mincount: int
:param fl: the index fields to return instead of whole dataset dicts
:type fl: list of strings
:param include_private: include internal datasets (only for the steering team and admins)
:type include_private: bool

:rtype: dictionary with count, results, facets, search_facets and sort`,
    run: async (ctx, params, env) => packageSearchResult(await runPackageSearch(ctx, params), env.baseUrl),
  },

  package_autocomplete: {
    help: `Return a list of datasets (packages) whose name or title contains a string.

:param q: the string to search for
:type q: string
:param limit: the maximum number of datasets to return (optional, default: 10)
:type limit: int

:rtype: list of dictionaries with name, title, match_field and match_displayed`,
    run: async (ctx, params) => {
      const errors = new ParamErrors();
      if (params.q === undefined) errors.add('q', 'Missing value');
      const limit = naturalParam(params, 'limit', errors) ?? 10;
      errors.check();
      const q = textParam(params.q) ?? '';
      const lower = q.toLowerCase();
      return (await autocompleteDatasets(ctx, q, limit)).map((d) =>
        d.name.includes(lower)
          ? { name: d.name, title: d.title, match_field: 'name', match_displayed: d.name }
          : { name: d.name, title: d.title, match_field: 'title', match_displayed: `${d.title} (${d.name})` },
      );
    },
  },
};

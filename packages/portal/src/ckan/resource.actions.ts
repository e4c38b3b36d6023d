import {
  autocompleteFormats,
  resourceOrderFields,
  resourceSearchFields,
  searchResources,
  showResource,
  type ResourceOrderField,
  type ResourceSearchField,
} from '@hro/api/domain';
import type { CkanAction } from './actions.js';
import { resourceDict } from './dictize.js';
import { notFound, validationError } from './errors.js';
import { rethrow } from './package.actions.js';
import { isMissing, listParam, naturalParam, ParamErrors, required, textParam } from './params.js';

/**
 * resource_search's terms: `query` (`field:value`, one or a list) or the deprecated `fields`
 * (a dict whose text values are split into words), with CKAN's messages.
 */
function conditionsOf(params: Record<string, unknown>): { field: string; terms: string[] }[] {
  const { query, fields } = params;
  if (isMissing(query) && isMissing(fields)) throw validationError({ query: 'Missing value' });
  if (!isMissing(query) && !isMissing(fields)) throw validationError({ fields: 'Do not specify if using "query" parameter' });
  const byField = new Map<string, string[]>();
  if (!isMissing(query)) {
    for (const pair of listParam(query)) {
      const colon = pair.indexOf(':');
      if (colon < 0) throw validationError({ query: 'Must be <field>:<value> pair(s)' });
      // a later pair for the same field replaces an earlier one (CKAN builds a dict)
      byField.set(pair.slice(0, colon), [pair.slice(colon + 1)]);
    }
  } else {
    if (typeof fields !== 'object' || Array.isArray(fields) || fields === null) throw validationError({ fields: 'Must be a dict' });
    for (const [field, value] of Object.entries(fields)) {
      byField.set(field, typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : listParam(value));
    }
  }
  return [...byField.entries()].map(([field, terms]) => ({ field, terms }));
}

export const resourceActions: Record<string, CkanAction> = {
  resource_show: {
    help: `Return the metadata of a resource.

:param id: the id of the resource
:type id: string

:rtype: dictionary`,
    run: async (ctx, params, env) => {
      const id = textParam(required(params, 'id'));
      if (!id) throw notFound();
      try {
        return resourceDict((await showResource(ctx, id)).resource, env.baseUrl);
      } catch (e) {
        rethrow(ctx, e, 'resource');
      }
    },
  },

  resource_search: {
    help: `Search for resources of public datasets whose attributes match.

:param query: \`\`field:term\`\` (or a list of them; all must match). Text attributes (name,
    description, format, url, mimetype …) match when they contain the term, case-insensitive;
    \`\`hash\`\` matches a prefix; dates and sizes match exactly
:type query: string or list of strings
:param fields: deprecated: a dict of field and terms (split into words); use \`\`query\`\`
:type fields: dict
:param order_by: a resource attribute to sort by (optional)
:type order_by: string
:param offset: apply an offset to the query (optional)
:type offset: int
:param limit: apply a limit to the query (optional)
:type limit: int

:returns: a dictionary with \`\`count\`\` (all matches) and \`\`results\`\` (the page)
:rtype: dictionary`,
    run: async (ctx, params, env) => {
      const errors = new ParamErrors();
      const offset = naturalParam(params, 'offset', errors);
      const limit = naturalParam(params, 'limit', errors);
      errors.check();
      const conditions = conditionsOf(params);
      for (const { field } of conditions) {
        if (!(resourceSearchFields as readonly string[]).includes(field)) {
          throw validationError({ query: `Field "${field}" not recognised in resource_search.` });
        }
      }
      const orderBy = textParam(params.order_by);
      const found = await searchResources(ctx, {
        conditions: conditions as { field: ResourceSearchField; terms: string[] }[],
        // CKAN orders only by an attribute the resource has and ignores any other
        orderBy: orderBy && (resourceOrderFields as readonly string[]).includes(orderBy) ? (orderBy as ResourceOrderField) : undefined,
        limit,
        offset,
        siteUrl: env.baseUrl,
      });
      // as CKAN's resource_list_dictize: the page comes out ordered by position
      const results = [...found.results].sort((a, b) => a.position - b.position).map((r) => resourceDict(r, env.baseUrl));
      return { count: found.count, results };
    },
  },

  format_autocomplete: {
    help: `Return a list of resource formats (lower case) that contain a string, most used first.

:param q: the string to search for
:type q: string
:param limit: the maximum number of formats to return (optional, default: 5)
:type limit: int

:rtype: list of strings`,
    run: async (ctx, params) => {
      const errors = new ParamErrors();
      if (params.q === undefined) errors.add('q', 'Missing value');
      const limit = naturalParam(params, 'limit', errors) ?? 5;
      errors.check();
      return (await autocompleteFormats(ctx, textParam(params.q) ?? '', limit)).map((f) => f.toLowerCase());
    },
  },
};

import { listLicenses, listTags } from '@hro/api/domain';
import type { CkanAction } from './actions.js';
import { licenseDict } from './dictize.js';
import { notFound } from './errors.js';
import { boolParam, isMissing, listParam, naturalParam, ParamErrors, required, textParam } from './params.js';
import { validationError } from './errors.js';

/** tag_list, license_list and help_show; help_show reads the texts of the whole action registry. */
export function siteActions(registry: () => Record<string, CkanAction>): Record<string, CkanAction> {
  return {
    tag_list: {
      help: `Return a list of the site's tags (of the datasets you may see), by name.

:param query: only tags whose name contains this (case-insensitive; several: all of them)
    (optional; \`\`q\`\` is accepted as well)
:type query: string or list of strings
:param offset: with query, the offset to start from (optional)
:type offset: int
:param limit: with query, the maximum number of tags (optional)
:type limit: int
:param vocabulary_id: a tag vocabulary (there are none: free tags only)
:type vocabulary_id: string
:param all_fields: return tag dictionaries instead of names (optional, default: False)
:type all_fields: bool

:rtype: list of strings or dictionaries`,
      run: async (ctx, params) => {
        const vocabulary = textParam(params.vocabulary_id);
        if (vocabulary) throw notFound(`could not find vocabulary '${vocabulary}'`);
        const raw = isMissing(params.query) || params.query === '' ? params.q : params.query;
        const terms = listParam(raw)
          .map((t) => t.trim())
          .filter(Boolean);
        const errors = new ParamErrors();
        const offset = terms.length ? naturalParam(params, 'offset', errors) : undefined;
        const limit = terms.length ? naturalParam(params, 'limit', errors) : undefined;
        errors.check();
        const allFields = boolParam(params, 'all_fields', false, () => validationError({ all_fields: ['Not a boolean'] }));
        const tags = await listTags(ctx, { terms, offset, limit });
        return allFields
          ? tags.map((t) => ({ display_name: t.name, id: t.id, name: t.name, vocabulary_id: null }))
          : tags.map((t) => t.name);
      },
    },

    license_list: {
      help: `Return the list of licenses available for datasets on the site.

:rtype: list of dictionaries`,
      run: async (ctx) => (await listLicenses(ctx)).map(licenseDict),
    },

    help_show: {
      help: `Return the help string for a particular API action.

:param name: action function name (e.g. \`package_search\`)
:type name: string

:returns: the help string for the action
:rtype: string`,
      run: async (_ctx, params) => {
        const name = textParam(required(params, 'name')) ?? '';
        const action = Object.hasOwn(registry(), name) ? registry()[name] : undefined;
        if (!action) throw notFound('Action function not found');
        return action.help;
      },
    },
  };
}

import { NotFoundError } from '@hro/api';
import { can, listGroups, searchDatasets, showGroup, type DomainContext, type GroupKind, type GroupRecordWithCount } from '@hro/api/domain';
import type { ActionEnv, CkanAction } from './actions.js';
import { groupDict, packageDict, type GroupDictOptions } from './dictize.js';
import { notFound, validationError } from './errors.js';
import { DEFAULT_SORT } from './package-search.js';
import { boolParam, isMissing, listParam, naturalParam, ParamErrors, required, textParam, type Params } from './params.js';
import { parseSort } from './solr-query.js';

/**
 * organization_list/_show and group_list/_show (ckan/logic/action/get.py: _group_or_org_list,
 * _group_or_org_show) with their include_* switches and CKAN's limits: 1000 names, 25 dicts
 * with all_fields (ckan.group_and_organization_list_max / _all_fields_max).
 */

const LIST_MAX = 1000;
const LIST_ALL_FIELDS_MAX = 25;

const notABool = () => validationError({ message: 'Parameter is not an bool' });

type GroupSort = { field: 'name' | 'title' | 'package_count'; dir: 'asc' | 'desc' };

/** _unpick_search with one criterion over name, title, package_count ("packages" alone: most first). */
function groupSort(sort: string): GroupSort {
  const trimmed = sort.trim();
  const spec = trimmed === 'packages' || trimmed === 'package_count' ? 'package_count desc' : trimmed;
  const parts = spec.split(',');
  const sorts = parts.map((part): GroupSort => {
    const [field = '', order = 'asc'] = part.trim().split(/\s+/);
    if (!['name', 'packages', 'package_count', 'title'].includes(field))
      throw validationError({ message: `Cannot sort by field \`${field}\`` });
    const dir = order.toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw validationError({ message: `Invalid sort direction \`${dir}\`` });
    return {
      field: field === 'packages' ? 'package_count' : (field as 'name' | 'title' | 'package_count'),
      dir,
    };
  });
  if (sorts.length > 1) throw validationError({ message: 'Too many sort criteria provided only 1 allowed' });
  return sorts[0] ?? { field: 'title', dir: 'asc' };
}

/** The include_* switches of a show (defaults: everything but the datasets themselves). */
function showOptions(params: Params, defaults: boolean): Omit<GroupDictOptions, 'packages'> & { datasets: boolean } {
  return {
    datasets: boolParam(params, 'include_datasets', false, notABool),
    packageCount: boolParam(params, 'include_dataset_count', true, notABool),
    extras: boolParam(params, 'include_extras', defaults, notABool),
    tags: boolParam(params, 'include_tags', defaults, notABool),
    groups: boolParam(params, 'include_groups', defaults, notABool),
    users: boolParam(params, 'include_users', defaults, notABool),
    followers: boolParam(params, 'include_followers', defaults, notABool),
  };
}

/**
 * The first datasets of an organization or group, as CKAN lists them in a show with
 * include_datasets: a package_search's default page (10, relevance then newest). Members of an
 * organization see its internal datasets too; here that is whoever may read internal datasets.
 */
async function datasetsOf(ctx: DomainContext, kind: GroupKind, group: GroupRecordWithCount, env: ActionEnv) {
  const found = await searchDatasets(ctx, {
    query: { op: 'all' },
    filters: [
      kind === 'organization' ? { op: 'term', field: 'owner_org', value: group.id } : { op: 'term', field: 'groups', value: group.name },
    ],
    rankText: null,
    fallback: false,
    includePrivate: kind === 'organization' && can(ctx.viewer, 'catalog.read_private'),
    sort: parseSort(DEFAULT_SORT),
    rows: 10,
    start: 0,
    facets: { fields: [], limit: 0, mincount: 1 },
  });
  return found.results.map((r) => packageDict(r, env.baseUrl));
}

function showAction(kind: GroupKind): CkanAction {
  const noun = kind === 'organization' ? 'an organization' : 'a group';
  return {
    help: `Return the details of ${noun}.

:param id: the id or name of the ${kind}
:type id: string
:param include_datasets: include a truncated list of the ${kind}'s datasets (optional, default: False)
:type include_datasets: bool
:param include_dataset_count: include the count of the ${kind}'s datasets (optional, default: True)
:type include_dataset_count: bool
:param include_extras: include the extras (optional, default: True)
:type include_extras: bool
:param include_users: include the users (optional, default: True)
:type include_users: bool
:param include_groups: include the sub-groups (optional, default: True)
:type include_groups: bool
:param include_tags: include the tags (optional, default: True)
:type include_tags: bool
:param include_followers: include the number of followers (optional, default: True)
:type include_followers: bool

:rtype: dictionary`,
    run: async (ctx, params, env) => {
      const id = textParam(required(params, 'id'));
      const options = showOptions(params, true);
      if (!id) throw notFound();
      let group: GroupRecordWithCount;
      try {
        group = await showGroup(ctx, kind, id);
      } catch (e) {
        if (e instanceof NotFoundError) throw notFound();
        throw e;
      }
      const packages = options.datasets ? await datasetsOf(ctx, kind, group, env) : undefined;
      return groupDict(group, env.baseUrl, { ...options, packages });
    },
  };
}

function listAction(kind: GroupKind): CkanAction {
  const plural = kind === 'organization' ? 'organizations' : 'groups';
  return {
    help: `Return a list of the names of the site's ${plural}.

:param sort: \`\`name\`\`, \`\`title\`\` or \`\`package_count\`\` with \`\`asc\`\` or \`\`desc\`\`
    (optional, default: \`\`title asc\`\`)
:type sort: string
:param limit: the maximum number of ${plural} returned (optional, default: 1000, with all_fields 25)
:type limit: int
:param offset: when \`\`limit\`\` is given, the offset to start returning ${plural} from
:type offset: int
:param ${plural}: only the ${plural} with these names (optional)
:type ${plural}: list of strings
:param q: only ${plural} whose name, title or description contains this (optional)
:type q: string
:param all_fields: return ${kind} dictionaries instead of names (optional, default: False)
:type all_fields: bool
:param include_dataset_count: with all_fields, include the dataset count (optional, default: True)
:type include_dataset_count: bool

:rtype: list of strings`,
    run: async (ctx, params, env) => {
      const errors = new ParamErrors();
      const limitGiven = params.limit ? naturalParam(params, 'limit', errors) : undefined;
      const offset = params.offset ? naturalParam(params, 'offset', errors) : undefined;
      errors.check();
      const allFields = boolParam(params, 'all_fields', false, notABool);
      const max = allFields ? LIST_ALL_FIELDS_MAX : LIST_MAX;
      const limit = limitGiven === undefined || limitGiven === 0 || limitGiven > max ? max : limitGiven;
      const names = isMissing(params[plural]) ? undefined : listParam(params[plural]);
      const sort = groupSort(textParam(params.sort) || textParam(params.order_by) || 'title');
      const options = showOptions(params, false);
      const groups = await listGroups(ctx, kind, { names, q: textParam(params.q) || undefined, sort, limit, offset: offset ?? 0 });
      if (!allFields) return groups.map((g) => g.name);
      return groups.map((g) => groupDict(g, env.baseUrl, options));
    },
  };
}

export const groupActions: Record<string, CkanAction> = {
  organization_list: listAction('organization'),
  organization_show: showAction('organization'),
  group_list: listAction('group'),
  group_show: showAction('group'),
};

import { datasetNames, type DomainContext } from '@hro/api/domain';
import { ValidationError } from '@hro/api';

export interface ActionEnv {
  baseUrl: string;
  siteTitle: string;
}

type Params = Record<string, unknown>;

export interface CkanAction {
  /** CKAN's help text of the action (returned by help_show). */
  help: string;
  run(ctx: DomainContext, params: Params, env: ActionEnv): Promise<unknown>;
}

function intParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0) throw ValidationError.of(name, 'Must be a natural number');
  return n;
}

/**
 * The CKAN Action API (https://docs.ckan.org/en/2.11/api/). Each action is a thin adapter over a
 * domain action, which decides access.
 */
export const actions: Record<string, CkanAction> = {
  status_show: {
    help: "Return a dictionary with information about the site's configuration.\n\n:rtype: dictionary",
    run: async (_ctx, _params, env) => ({
      site_title: env.siteTitle,
      site_description: 'Offene Daten und Steuerungsdaten der Digitalen Verwaltung Rostock 2030',
      site_url: env.baseUrl,
      ckan_version: '2.11.0',
      error_emails_to: null,
      locale_default: 'de',
      extensions: ['datastore', 'dcat'],
    }),
  },
  package_list: {
    help: "Return a list of the names of the site's datasets (packages).\n\n:param limit: if given, the list of datasets will be broken into pages of\n    at most ``limit`` datasets per page and only one page will be returned\n    at a time (optional)\n:type limit: int\n:param offset: when ``limit`` is given, the offset to start\n    returning packages from\n:type offset: int\n\n:rtype: list of strings",
    run: async (ctx, params) => {
      const limit = intParam(params, 'limit');
      const offset = intParam(params, 'offset');
      return datasetNames(ctx, { limit, offset: limit === undefined ? 0 : offset });
    },
  },
};

import type { DomainContext } from '@hro/api/domain';
import { datastoreActions } from './datastore.actions.js';
import { groupActions } from './group.actions.js';
import { packageActions } from './package.actions.js';
import { resourceActions } from './resource.actions.js';
import { siteActions } from './site.actions.js';

export interface ActionEnv {
  baseUrl: string;
  siteTitle: string;
  /** the request's path and query (datastore_search's `_links` are built from it, as CKAN does) */
  path?: string;
}

type Params = Record<string, unknown>;

export interface CkanAction {
  /** CKAN's help text of the action (returned by help_show). */
  help: string;
  run(ctx: DomainContext, params: Params, env: ActionEnv): Promise<unknown>;
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
  ...packageActions,
  ...resourceActions,
  ...groupActions,
  ...datastoreActions,
  ...siteActions(() => actions),
};

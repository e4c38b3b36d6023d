import { authorize, can, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';

export interface DatasetLabelsRow {
  name: string;
  view: string | null;
  groups: string[];
  tags: string[];
}

/** The view, group names and tag names of datasets (for loaders), as visible to the viewer. */
export function labelsOfDatasets(ctx: DomainContext, names: readonly string[]): Promise<DatasetLabelsRow[]> {
  return runAction(ctx, 'dataset.labels', async (c) => {
    authorize(c, 'catalog.read');
    const { rows } = await c.pool.query<DatasetLabelsRow>(
      `select d.name, d.source_view as view,
              array(select g.name from catalog.dataset_group dg join catalog."group" g on g.id = dg.group_id where dg.dataset_id = d.id order by g.name) as groups,
              array(select t.name from catalog.dataset_tag dt join catalog.tag t on t.id = dt.tag_id where dt.dataset_id = d.id order by t.name) as tags
       from catalog.dataset d
       where d.name = any($1) and d.state = 'active' and (not d.private or $2)`,
      [names, can(c.viewer, 'catalog.read_private')],
    );
    return rows;
  });
}

import 'reflect-metadata';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { FilterSpec } from '../domain/filter.js';
import type { OrderOption } from '../domain/order.js';
import { BooleanFilter, DateTimeFilter, StringFilter } from '../graphql/filters.js';

const nameSpec: FilterSpec = {
  fields: {
    name: { sql: '{t}.name', kind: 'string' },
    title: { sql: '{t}.title', kind: 'string' },
  },
};

/**
 * Catalog datasets over the relation of catalog.service.ts. Every filter is ANDed with the
 * viewer's visibility (no private datasets for anonymous users and developers), so a condition on
 * `private` can narrow what one may see but never widen it.
 */
export const datasetFilterSpec: FilterSpec = {
  fields: {
    name: { sql: '{t}.name', kind: 'string' },
    title: { sql: '{t}.title', kind: 'string' },
    notes: { sql: '{t}.notes', kind: 'string' },
    licenseId: { sql: '{t}.license_id', kind: 'string' },
    organizationName: { sql: '{t}.organization_name', kind: 'string' },
    private: { sql: '{t}.private', kind: 'boolean' },
    metadataCreated: { sql: '{t}.metadata_created', kind: 'date' },
    metadataModified: { sql: '{t}.metadata_modified', kind: 'date' },
  },
  relations: {
    groups: {
      spec: nameSpec,
      relation: '(select dg.dataset_id, g.name, g.title from catalog.dataset_group dg join catalog."group" g on g.id = dg.group_id)',
      alias: 'dsg',
      join: 'dsg.dataset_id = {t}.id',
    },
    tags: {
      spec: nameSpec,
      relation: '(select dt.dataset_id, t.name, t.name as title from catalog.dataset_tag dt join catalog.tag t on t.id = dt.tag_id)',
      alias: 'dst',
      join: 'dst.dataset_id = {t}.id',
    },
  },
};

@InputType({ description: 'Conditions on a group or tag of a dataset (by its name or title).' })
export class CatalogNameFilter {
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter | null;
}

@InputType({ description: 'Conditions on catalog datasets; fields combine with and; use and/or/not for more.' })
export class DatasetFilter {
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) title?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) notes?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) licenseId?: StringFilter | null;
  @Field(() => StringFilter, { nullable: true }) organizationName?: StringFilter | null;
  @Field(() => BooleanFilter, { nullable: true, description: 'Internal datasets (only the steering team sees any).' })
  private?: BooleanFilter | null;
  @Field(() => DateTimeFilter, { nullable: true }) metadataCreated?: DateTimeFilter | null;
  @Field(() => DateTimeFilter, { nullable: true }) metadataModified?: DateTimeFilter | null;
  @Field(() => CatalogNameFilter, { nullable: true, description: 'At least one group meets these conditions.' })
  groups?: CatalogNameFilter | null;
  @Field(() => CatalogNameFilter, { nullable: true, description: 'At least one tag meets these conditions (title = name).' })
  tags?: CatalogNameFilter | null;
  @Field(() => [DatasetFilter], { nullable: true }) and?: DatasetFilter[] | null;
  @Field(() => [DatasetFilter], { nullable: true }) or?: DatasetFilter[] | null;
  @Field(() => DatasetFilter, { nullable: true }) not?: DatasetFilter | null;
}

export enum DatasetOrderBy {
  NAME_ASC = 'NAME_ASC',
  NAME_DESC = 'NAME_DESC',
  TITLE_ASC = 'TITLE_ASC',
  TITLE_DESC = 'TITLE_DESC',
  METADATA_MODIFIED_ASC = 'METADATA_MODIFIED_ASC',
  METADATA_MODIFIED_DESC = 'METADATA_MODIFIED_DESC',
  METADATA_CREATED_ASC = 'METADATA_CREATED_ASC',
  METADATA_CREATED_DESC = 'METADATA_CREATED_DESC',
}
registerEnumType(DatasetOrderBy, {
  name: 'DatasetOrderBy',
  description: 'Order of datasets; ties are broken by name in the same direction.',
});

// timestamps as epoch seconds with microseconds: a JavaScript Date in a cursor would lose them
const epoch = (column: string) => `extract(epoch from ${column})`;

export const datasetOrders: Record<DatasetOrderBy, OrderOption> = {
  NAME_ASC: undefined,
  NAME_DESC: { expr: 'name', direction: 'desc' },
  TITLE_ASC: { expr: 'lower(core.immutable_unaccent(title)) collate "C"', direction: 'asc' },
  TITLE_DESC: { expr: 'lower(core.immutable_unaccent(title)) collate "C"', direction: 'desc' },
  METADATA_MODIFIED_ASC: { expr: epoch('metadata_modified'), direction: 'asc' },
  METADATA_MODIFIED_DESC: { expr: epoch('metadata_modified'), direction: 'desc' },
  METADATA_CREATED_ASC: { expr: epoch('metadata_created'), direction: 'asc' },
  METADATA_CREATED_DESC: { expr: epoch('metadata_created'), direction: 'desc' },
};

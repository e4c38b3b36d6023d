-- Search over the catalog as CKAN's package_search does it on Solr, but on PostgreSQL (issue 6).
--
-- CKAN's dismax query weighs name^4 title^4 tags^2 groups^2 text; the German full-text document
-- of a dataset follows that: name and title weigh A, tags and group titles B, the description C,
-- the publisher and the resources' names and descriptions D. Everything through unaccent, so
-- "Gebuhren" finds "Gebühren" and "Strasse" finds "Straße".
--
-- The document depends on rows of other tables (tags, groups, organization, resources); triggers
-- on those keep it current. Bulk writes (a catalog sync, the benchmark's seed) use
-- statement-level triggers with transition tables: one UPDATE per statement, not one per row.

create or replace function catalog.dataset_search_document(p_id uuid, p_name text, p_title text, p_notes text, p_organization uuid)
  returns tsvector language sql stable parallel safe as $$
  select
    setweight(to_tsvector('german', core.immutable_unaccent(replace(coalesce(p_name, ''), '-', ' '))), 'A') ||
    setweight(to_tsvector('german', core.immutable_unaccent(coalesce(p_title, ''))), 'A') ||
    setweight(to_tsvector('german', core.immutable_unaccent(coalesce((
      select string_agg(t.name, ' ') from catalog.dataset_tag dt join catalog.tag t on t.id = dt.tag_id where dt.dataset_id = p_id
    ), '') || ' ' || coalesce((
      select string_agg(g.title, ' ') from catalog.dataset_group dg join catalog."group" g on g.id = dg.group_id where dg.dataset_id = p_id
    ), ''))), 'B') ||
    setweight(to_tsvector('german', core.immutable_unaccent(coalesce(p_notes, ''))), 'C') ||
    setweight(to_tsvector('german', core.immutable_unaccent(coalesce((
      select o.title from catalog.organization o where o.id = p_organization
    ), '') || ' ' || coalesce((
      select string_agg(r.name || ' ' || r.description, ' ') from catalog.resource r where r.dataset_id = p_id
    ), ''))), 'D')
$$;

create or replace function catalog.dataset_search_vector() returns trigger language plpgsql as $$
begin
  new.search_vector := catalog.dataset_search_document(new.id, new.name, new.title, new.notes, new.organization_id);
  return new;
end $$;

drop trigger if exists dataset_search_vector on catalog.dataset;
create trigger dataset_search_vector before insert or update of name, title, notes, organization_id on catalog.dataset
  for each row execute function catalog.dataset_search_vector();

-- The labels package_search filters and counts (Solr keeps them in the document, as multi-valued
-- string fields): kept beside the document, so facets count arrays of the matched rows instead
-- of joining three tables, and `tags:x` is an array containment the GIN indexes answer.
alter table catalog.dataset
  add column if not exists tag_names text[] not null default '{}',
  add column if not exists group_names text[] not null default '{}',
  add column if not exists res_formats text[] not null default '{}';
comment on column catalog.dataset.tag_names is 'names of the dataset''s tags (kept by triggers; for search filters and facets)';
comment on column catalog.dataset.group_names is 'names of the dataset''s groups (kept by triggers; for search filters and facets)';
comment on column catalog.dataset.res_formats is 'distinct formats of the dataset''s resources (kept by triggers; for search filters and facets)';

-- Recomputes the search columns of the given datasets in one statement.
create or replace function catalog.refresh_dataset_search(p_ids uuid[]) returns void language sql as $$
  update catalog.dataset d set
    tag_names = coalesce((select array_agg(t.name order by t.name) from catalog.dataset_tag dt join catalog.tag t on t.id = dt.tag_id
                          where dt.dataset_id = d.id), '{}'),
    group_names = coalesce((select array_agg(g.name order by g.name) from catalog.dataset_group dg join catalog."group" g on g.id = dg.group_id
                            where dg.dataset_id = d.id), '{}'),
    res_formats = coalesce((select array_agg(distinct r.format) from catalog.resource r where r.dataset_id = d.id), '{}'),
    search_vector = catalog.dataset_search_document(d.id, d.name, d.title, d.notes, d.organization_id)
  where d.id = any(p_ids)
$$;

-- The datasets named in a transition table (column dataset_id).
create or replace function catalog.refresh_search_from_rows() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform catalog.refresh_dataset_search(array(select distinct dataset_id from old_rows));
  else
    perform catalog.refresh_dataset_search(array(select distinct dataset_id from new_rows));
  end if;
  return null;
end $$;

create trigger dataset_tag_search_ins after insert on catalog.dataset_tag
  referencing new table as new_rows for each statement execute function catalog.refresh_search_from_rows();
create trigger dataset_tag_search_del after delete on catalog.dataset_tag
  referencing old table as old_rows for each statement execute function catalog.refresh_search_from_rows();
create trigger dataset_group_search_ins after insert on catalog.dataset_group
  referencing new table as new_rows for each statement execute function catalog.refresh_search_from_rows();
create trigger dataset_group_search_del after delete on catalog.dataset_group
  referencing old table as old_rows for each statement execute function catalog.refresh_search_from_rows();
create trigger resource_search_ins after insert on catalog.resource
  referencing new table as new_rows for each statement execute function catalog.refresh_search_from_rows();
create trigger resource_search_del after delete on catalog.resource
  referencing old table as old_rows for each statement execute function catalog.refresh_search_from_rows();

-- Renames and retitles are rare and touch few rows; the catalog sync rewrites titles on every
-- start, so only a real change recomputes anything.
create or replace function catalog.refresh_search_of_resource() returns trigger language plpgsql as $$
begin
  perform catalog.refresh_dataset_search(array[new.dataset_id, old.dataset_id]);
  return null;
end $$;
create trigger resource_search_upd after update of name, description, format, dataset_id on catalog.resource
  for each row when ((old.name, old.description, old.format, old.dataset_id) is distinct from (new.name, new.description, new.format, new.dataset_id))
  execute function catalog.refresh_search_of_resource();

create or replace function catalog.refresh_search_of_label() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'tag' then
    perform catalog.refresh_dataset_search(array(select dataset_id from catalog.dataset_tag where tag_id = new.id));
  elsif tg_table_name = 'group' then
    perform catalog.refresh_dataset_search(array(select dataset_id from catalog.dataset_group where group_id = new.id));
  else
    perform catalog.refresh_dataset_search(array(select id from catalog.dataset where organization_id = new.id));
  end if;
  return null;
end $$;
create trigger tag_search_upd after update of name on catalog.tag
  for each row when (old.name is distinct from new.name) execute function catalog.refresh_search_of_label();
create trigger group_search_upd after update of name, title on catalog."group"
  for each row when ((old.name, old.title) is distinct from (new.name, new.title)) execute function catalog.refresh_search_of_label();
create trigger organization_search_upd after update of title on catalog.organization
  for each row when (old.title is distinct from new.title) execute function catalog.refresh_search_of_label();

select catalog.refresh_dataset_search(array(select id from catalog.dataset));

-- Filters of package_search (fq=tags:…, groups:…, res_format:…) are array containments.
create index if not exists dataset_tag_names_idx on catalog.dataset using gin (tag_names);
create index if not exists dataset_group_names_idx on catalog.dataset using gin (group_names);
create index if not exists dataset_res_formats_idx on catalog.dataset using gin (res_formats);
-- the relabelling triggers find a tag's or group's datasets
create index if not exists dataset_tag_tag_idx on catalog.dataset_tag (tag_id, dataset_id);
create index if not exists dataset_group_group_idx on catalog.dataset_group (group_id, dataset_id);
-- the default order (score, then metadata_modified desc) and harvesters' metadata_modified ranges
create index if not exists dataset_modified_idx on catalog.dataset (metadata_modified desc);
-- package_autocomplete and the trigram fallback of package_search
create index if not exists dataset_name_trgm_idx on catalog.dataset using gin (name gin_trgm_ops);

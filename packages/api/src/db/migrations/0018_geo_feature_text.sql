-- A feature's geometry and attributes also as the text PostgreSQL writes for them, computed when a
-- run writes the feature rather than on every read. GraphQL's geoFeatures sends that text into its
-- answers as it is (db/raw-json.ts): jsonb's output function was ≈ 40 % of PostgreSQL's CPU on a
-- page of 100 features (bench/graphql, query d), and data change only when an ETL run commits.
-- STORED: PostgreSQL 18 would otherwise make the columns virtual, computed on each read again.
alter table core.geo_feature
  add column geometry_text text generated always as (geometry::text) stored,
  add column properties_text text generated always as (properties::text) stored;

comment on column core.geo_feature.geometry_text is 'geometry as text (jsonb''s output), kept by PostgreSQL: read by GraphQL''s geoFeatures';
comment on column core.geo_feature.properties_text is 'properties as text (jsonb''s output), kept by PostgreSQL: read by GraphQL''s geoFeatures';

-- The view as in 0008, with the two texts appended (a view can only gain columns at its end).
create or replace view open.geo_features as
select
  l.key as layer_key,
  f.feature_key,
  f.geometry,
  (f.bbox[1])[0] as bbox_min_lon,
  (f.bbox[1])[1] as bbox_min_lat,
  (f.bbox[0])[0] as bbox_max_lon,
  (f.bbox[0])[1] as bbox_max_lat,
  f.properties,
  f.last_run_id,
  f.bbox,
  f.geometry_text,
  f.properties_text
from core.geo_feature f
join core.geo_layer l on l.id = f.layer_id
where l.published;

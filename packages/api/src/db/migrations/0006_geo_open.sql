-- Geodaten (ETL connector `geo`, sources hro-stadtbereiche, hro-parkscheinautomaten,
-- hro-bewohnerparkgebiete …): which layers are public, and the public views of their features.

-- A layer is published only when its source says so (`published: true` in sources.yaml): a
-- layer loaded for internal steering never reaches the open schema by accident.
alter table core.geo_layer add column if not exists published boolean not null default false;
comment on column core.geo_layer.published is 'the layer appears in open.geo_layers / open.geo_features (set from the source config)';

create view open.geo_layers as
select
  l.key,
  l.title,
  l.source_crs,
  (select count(*) from core.geo_feature f where f.layer_id = l.id) as feature_count,
  l.last_run_id
from core.geo_layer l
where l.published;

comment on view open.geo_layers is 'Veröffentlichte Geodaten-Layer mit Ausgangs-Koordinatenreferenzsystem und Anzahl der Objekte';

-- Features of the published layers: geometry as GeoJSON in WGS84 (lon/lat), the bbox as numbers
-- (box: [1] is the lower-left, [0] the upper-right corner), the source's attributes as jsonb.
create view open.geo_features as
select
  l.key as layer_key,
  f.feature_key,
  f.geometry,
  (f.bbox[1])[0] as bbox_min_lon,
  (f.bbox[1])[1] as bbox_min_lat,
  (f.bbox[0])[0] as bbox_max_lon,
  (f.bbox[0])[1] as bbox_max_lat,
  f.properties,
  f.last_run_id
from core.geo_feature f
join core.geo_layer l on l.id = f.layer_id
where l.published;

comment on view open.geo_features is 'Objekte der veröffentlichten Geodaten-Layer: Geometrie (GeoJSON, WGS84), Ausdehnung, Attribute';

-- One view per published dataset with its attributes as columns (dataset stadtbereiche.yaml).
create view open.stadtbereiche as
select
  f.feature_key as code,
  f.properties->>'bezeichnung' as bezeichnung,
  f.properties->>'uuid' as uuid,
  f.properties->>'gemeinde_schluessel' as gemeinde_schluessel,
  f.properties->>'gemeinde_name' as gemeinde_name,
  f.geometry,
  (f.bbox[1])[0] as bbox_min_lon,
  (f.bbox[1])[1] as bbox_min_lat,
  (f.bbox[0])[0] as bbox_max_lon,
  (f.bbox[0])[1] as bbox_max_lat,
  f.last_run_id
from core.geo_feature f
join core.geo_layer l on l.id = f.layer_id
where l.key = 'stadtbereiche' and l.published;

comment on view open.stadtbereiche is 'Die 21 Stadtbereiche der Hanse- und Universitätsstadt Rostock (Code A–U, Bezeichnung, Geometrie in WGS84)';

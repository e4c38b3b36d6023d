-- The native bbox in open.geo_features, so bbox queries through the view use the GiST index of
-- core.geo_feature.bbox (the numeric columns stay for CSV and CKAN consumers).
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
  f.bbox
from core.geo_feature f
join core.geo_layer l on l.id = f.layer_id
where l.published;

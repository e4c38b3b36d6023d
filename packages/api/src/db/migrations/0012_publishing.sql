-- Publishing by declaration (issue 6): what the catalog needs beyond 0001 to derive DCAT-AP.de
-- and to move metadata_modified when an ETL run changes a dataset's data; the public KPI
-- definitions and the open views of the steering KPIs and of the WFS layers.

-- The attribution text a licence such as dl-by-de/2.0 asks for (dcatde:licenseAttributionByText);
-- NULL: the publisher's name. The fingerprint of the view's data as last seen (row count and a sum
-- of row hashes over every column but the lineage columns): an ETL run that changes it moves
-- metadata_modified and data_modified (catalog.modified.ts). The bbox of a geo dataset
-- (min lon, min lat, max lon, max lat; WGS84), recomputed with the fingerprint.
alter table catalog.dataset
  add column if not exists license_attribution text,
  add column if not exists data_fingerprint text,
  add column if not exists data_modified timestamptz,
  add column if not exists spatial_bbox double precision[];

comment on column catalog.dataset.data_fingerprint is 'row count and hash sum of the source view (without lineage columns) when data_modified was last set';
comment on column catalog.dataset.data_modified is 'when an ETL run last changed the rows of the source view';
comment on column catalog.dataset.spatial_bbox is 'extent of a geo dataset: {min lon, min lat, max lon, max lat} in WGS84';

-- The KPI catalog (packages/api/src/kpis/kpi.catalog.ts) as rows, so SQL can tell public KPIs
-- from internal ones. Written at every catalog sync and inside every ETL run's snapshot write;
-- a KPI that is not listed here (or is internal) never reaches open.kpi_values.
create table if not exists core.kpi_definition (
  id text primary key,
  title text not null,
  definition text not null,
  unit text not null check (unit in ('count', 'share', 'EUR')),
  internal boolean not null,
  dimensions text[] not null default '{}',
  synced_at timestamptz not null default now()
);

-- The steering KPIs as open data: every snapshot (one per ETL run and dimension cut) of every
-- public KPI — a time series. Statistical disclosure control as in open.service_metrics_monthly:
-- a count of 1 to 4 is withheld (NULL) and the row marked `suppressed`; for a share the numerator,
-- the denominator and their difference are counts, and the row is withheld when any of them is
-- 1 to 4 (else the share and its denominator would give the small count away). Zero stays
-- visible. KPIs are aggregates over services, projects, procedures and org units: no personal data.
create view open.kpi_values as
with s as (
  select
    s.kpi_id,
    d.title,
    d.unit,
    s.run_id,
    r.source,
    s.computed_at,
    s.dimensions,
    s.value,
    s.numerator,
    s.denominator,
    case d.unit
      when 'count' then s.value > 0 and s.value < 5
      when 'share' then (s.numerator > 0 and s.numerator < 5) or (s.denominator > 0 and s.denominator < 5)
        or (s.denominator - s.numerator > 0 and s.denominator - s.numerator < 5)
      else false
    end as small
  from core.kpi_snapshot s
  join core.kpi_definition d on d.id = s.kpi_id and not d.internal
  join etl.run r on r.id = s.run_id and r.status = 'succeeded' and not r.dry_run
)
select
  kpi_id,
  title as kpi_title,
  unit,
  dimensions,
  case when small then null else value end as value,
  case when small then null else numerator end as numerator,
  case when small then null else denominator end as denominator,
  coalesce(small, false) as suppressed,
  run_id,
  source,
  computed_at
from s;

comment on view open.kpi_values is
  'Steuerungskennzahlen (öffentliche KPIs) je ETL-Lauf und Ausprägung; Werte von 1 bis 4 unterdrückt und markiert';

-- The WFS layers of the samples, one dataset each (as OpenData.HRO publishes them): the
-- properties as columns, numbers only where the source sends numbers (a text in a number field
-- becomes NULL instead of failing every read of the view).
create view open.parkscheinautomaten as
select
  f.feature_key as uuid,
  case when jsonb_typeof(p->'nummer') = 'number' then (p->>'nummer')::numeric end as nummer,
  p->>'bezeichnung' as bezeichnung,
  p->>'zone' as zone,
  case when jsonb_typeof(p->'handyparkzone') = 'number' then (p->>'handyparkzone')::numeric end as handyparkzone,
  p->>'tarif' as tarif,
  p->>'bewirtschaftungszeiten' as bewirtschaftungszeiten,
  case when jsonb_typeof(p->'normaltarif_parkdauer_min') = 'number' then (p->>'normaltarif_parkdauer_min')::numeric end
    as normaltarif_parkdauer_min,
  p->>'normaltarif_parkdauer_min_einheit' as normaltarif_parkdauer_min_einheit,
  case when jsonb_typeof(p->'normaltarif_parkdauer_max') = 'number' then (p->>'normaltarif_parkdauer_max')::numeric end
    as normaltarif_parkdauer_max,
  p->>'normaltarif_parkdauer_max_einheit' as normaltarif_parkdauer_max_einheit,
  case when jsonb_typeof(p->'normaltarif_gebuehren_max') = 'number' then (p->>'normaltarif_gebuehren_max')::numeric end
    as normaltarif_gebuehren_max,
  case when jsonb_typeof(p->'normaltarif_gebuehren_pro_stunde') = 'number' then (p->>'normaltarif_gebuehren_pro_stunde')::numeric end
    as normaltarif_gebuehren_pro_stunde,
  p->>'normaltarif_gebuehrenschritte' as normaltarif_gebuehrenschritte,
  case when jsonb_typeof(p->'veranstaltungstarif_parkdauer_min') = 'number' then (p->>'veranstaltungstarif_parkdauer_min')::numeric end
    as veranstaltungstarif_parkdauer_min,
  p->>'veranstaltungstarif_parkdauer_min_einheit' as veranstaltungstarif_parkdauer_min_einheit,
  case when jsonb_typeof(p->'veranstaltungstarif_parkdauer_max') = 'number' then (p->>'veranstaltungstarif_parkdauer_max')::numeric end
    as veranstaltungstarif_parkdauer_max,
  p->>'veranstaltungstarif_parkdauer_max_einheit' as veranstaltungstarif_parkdauer_max_einheit,
  case when jsonb_typeof(p->'veranstaltungstarif_gebuehren_max') = 'number' then (p->>'veranstaltungstarif_gebuehren_max')::numeric end
    as veranstaltungstarif_gebuehren_max,
  case when jsonb_typeof(p->'veranstaltungstarif_gebuehren_pro_stunde') = 'number'
    then (p->>'veranstaltungstarif_gebuehren_pro_stunde')::numeric end as veranstaltungstarif_gebuehren_pro_stunde,
  p->>'veranstaltungstarif_gebuehrenschritte' as veranstaltungstarif_gebuehrenschritte,
  p->>'zugelassene_muenzen' as zugelassene_muenzen,
  p->>'bewohnerparkgebiet' as bewohnerparkgebiet,
  case when jsonb_typeof(p->'stellplaetze_pkw') = 'number' then (p->>'stellplaetze_pkw')::numeric end as stellplaetze_pkw,
  case when jsonb_typeof(p->'stellplaetze_bus') = 'number' then (p->>'stellplaetze_bus')::numeric end as stellplaetze_bus,
  f.geometry,
  (f.bbox[1])[0] as bbox_min_lon,
  (f.bbox[1])[1] as bbox_min_lat,
  (f.bbox[0])[0] as bbox_max_lon,
  (f.bbox[0])[1] as bbox_max_lat,
  f.last_run_id
from core.geo_feature f
join core.geo_layer l on l.id = f.layer_id
cross join lateral (select f.properties as p) as props
where l.key = 'parkscheinautomaten' and l.published;

comment on view open.parkscheinautomaten is 'Parkscheinautomaten der Hanse- und Universitätsstadt Rostock (WFS-Layer): Zone, Tarife, Stellplätze, Geometrie';

create view open.bewohnerparkgebiete as
select
  f.feature_key as uuid,
  f.properties->>'bezeichnung' as bezeichnung,
  f.properties->>'adressen' as adressen,
  f.geometry,
  (f.bbox[1])[0] as bbox_min_lon,
  (f.bbox[1])[1] as bbox_min_lat,
  (f.bbox[0])[0] as bbox_max_lon,
  (f.bbox[0])[1] as bbox_max_lat,
  f.last_run_id
from core.geo_feature f
join core.geo_layer l on l.id = f.layer_id
where l.key = 'bewohnerparkgebiete' and l.published;

comment on view open.bewohnerparkgebiete is 'Bewohnerparkgebiete der Hanse- und Universitätsstadt Rostock (WFS-Layer): Bezeichnung, Straßen und Hausnummern, Geometrie';

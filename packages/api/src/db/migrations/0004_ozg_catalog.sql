-- OZG / LeiKa service catalog (ETL connector `ozg`, source `ozg-katalog`): what the KDN export
-- carries beyond 0001's service model, the OZG code lists, and the public views of the services.

-- LeiKa entries carry a type, a legal basis with links, and a law; the catalog an implementation
-- status text (KDN: offen / in Planung / in Bearbeitung / umgesetzt) beside the normalised one.
alter table core.service
  add column if not exists leika_type text,
  add column if not exists legal_basis text,
  add column if not exists legal_basis_urls text[] not null default '{}',
  add column if not exists law_name text,
  add column if not exists law_abbreviation text,
  add column if not exists implementation_status_raw text;

comment on column core.service.leika_type is 'LeiKa-Typ as the source writes it (free text: "1", "2/3", "1, 2/3", "44")';
comment on column core.service.legal_basis is 'Rechtsgrundlage without the links the source embeds in […]';
comment on column core.service.legal_basis_urls is 'the links of the Rechtsgrundlage, in source order, without duplicates';
comment on column core.service.implementation_status_raw is 'implementation status as the source writes it (KDN status code list)';

create index if not exists service_topic_idx on core.service (topic_id);

-- The OZG code lists of the catalog (Reifegrad, Priorität, Status, Zuständigkeit …) in long
-- format. Quirk kept visible: the Reifegrad codes 1–5 are NAMED "0"–"4"; the name is the level.
create table core.ozg_code (
  list text not null,
  code text not null,
  level smallint,
  name text not null,
  last_run_id bigint references etl.run (id),
  primary key (list, code)
);

-- Every administrative service (OZG services, LeiKa entries, local services) with its topic,
-- its current maturity and its implementation status. No personal data: the catalog holds none,
-- and the responsible org unit and handling procedure stay internal.
create view open.services as
select
  s.key,
  s.kind,
  s.leika_key,
  s.ozg_id,
  p.key as parent_key,
  s.title,
  s.description,
  t.key as topic_key,
  t.kind as topic_kind,
  t.name as topic_name,
  case when t.kind = 'lebenslage' then t.name end as lebenslage,
  coalesce(tp.key, case when t.kind = 'themenfeld' then t.key end) as themenfeld_key,
  coalesce(tp.name, case when t.kind = 'themenfeld' then t.name end) as themenfeld,
  s.leika_type,
  s.legal_basis,
  array_to_string(s.legal_basis_urls, ' ') as legal_basis_urls,
  m11.level as maturity_1_1,
  m20.level as maturity_2_0,
  -- online: the current IST level in OZG-Reifegradmodell 1.1 is 3 or higher — the level from
  -- which the model counts a service as offered online in conformity with the OZG (application
  -- including all evidence online). NULL when no level is known. Model 2.0 (levels 0–7) has no
  -- flag here: no threshold is defined for it on this platform yet.
  m11.level >= 3 as online,
  s.implementation_status,
  s.implementation_status_raw,
  s.last_run_id
from core.service s
left join core.service p on p.id = s.parent_id
left join core.ozg_topic t on t.id = s.topic_id
left join core.ozg_topic tp on tp.id = t.parent_id
left join core.service_maturity m11 on m11.service_id = s.id and m11.model = '1.1' and m11.kind = 'ist' and m11.valid_to is null
left join core.service_maturity m20 on m20.service_id = s.id and m20.model = '2.0' and m20.kind = 'ist' and m20.valid_to is null;

comment on view open.services is
  'Verwaltungsleistungen (OZG-Leistungen, LeiKa-Leistungen) mit Thema, aktuellem Reifegrad und Umsetzungsstatus, ohne personenbezogene Daten';

-- Maturity in both models, IST and SOLL, with its history (valid_to is null for the current row).
create view open.service_maturity as
select
  s.key as service_key,
  m.model,
  m.kind,
  m.level,
  m.target_date,
  m.valid_from,
  m.valid_to,
  -- online in model 1.1: level 3 or higher (see open.services); NULL for model 2.0
  case when m.model = '1.1' then m.level >= 3 end as online
from core.service_maturity m
join core.service s on s.id = m.service_id;

comment on view open.service_maturity is 'Reifegrade der Verwaltungsleistungen (Modell 1.1 und 2.0, IST und SOLL) mit Verlauf';

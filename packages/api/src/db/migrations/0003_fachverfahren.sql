-- Fachverfahren (ETL connector `fachverfahren`, sources fachverfahren-inventar, -schnittstellen,
-- -fallzahlen): what the procedure inventory carries beyond 0001's model, the deletion rule for
-- procedures, and the public views of the inventory and of the monthly case numbers.

-- The inventory's "Ämter" cell as exported ("06.3; 32", "50"): codes that name no org unit of
-- core.org_unit are not linked in core.procedure_org_unit, but stay visible here.
alter table core.procedure add column if not exists owner_org_units_raw text not null default '';
comment on column core.procedure.owner_org_units_raw is 'Ämter as the inventory export writes them; unknown codes are kept here only';

-- The inventory is a full-refresh source: a procedure it no longer lists is deleted. A service
-- handled by that procedure keeps existing and loses the link (its interfaces, org-unit links
-- and IST/SOLL history go with the procedure, by 0001's cascades).
alter table core.service drop constraint if exists service_procedure_id_fkey;
alter table core.service
  add constraint service_procedure_id_fkey foreign key (procedure_id) references core.procedure (id) on delete set null;

-- The public part of the inventory: no annual cost, no user numbers, no SOLL planning.
create view open.procedures as
select
  p.key,
  p.name,
  p.vendor,
  p.lifecycle_phase,
  p.ozg_ready,
  p.dms_connection,
  coalesce((
    select string_agg(o.code, ' ' order by o.code)
    from core.procedure_org_unit po join core.org_unit o on o.id = po.org_unit_id
    where po.procedure_id = p.id and po.role = 'owner'
  ), '') as owner_org_units,
  p.last_run_id
from core.procedure p;

comment on view open.procedures is
  'Fachverfahren der Stadtverwaltung: Hersteller, Lebenszyklusphase, OZG-Fähigkeit, DMS-Anbindung, zuständige Ämter (ohne Kosten und Nutzerzahlen)';

-- Monthly case numbers per service. Statistical disclosure control: a count from 1 to 4 could
-- point at single persons and is published as NULL; so is the median processing time of a month
-- with 1 to 4 applications. Zero stays visible (it names nobody, and "no online application"
-- is what OZG steering needs to see). `suppressed` tells a reader that a NULL hides a small count.
create view open.service_metrics_monthly as
with m as (
  select
    s.key as service_key,
    s.leika_key,
    s.title as service_title,
    m.month,
    o.code as org_unit,
    m.applications_online,
    m.applications_offline,
    m.appointments,
    m.median_processing_days,
    coalesce(m.applications_online, 0) + coalesce(m.applications_offline, 0) as applications,
    m.run_id
  from core.service_metric m
  join core.service s on s.id = m.service_id
  left join core.org_unit o on o.id = m.org_unit_id
)
select
  service_key,
  leika_key,
  service_title,
  month,
  org_unit,
  case when applications_online between 1 and 4 then null else applications_online end as applications_online,
  case when applications_offline between 1 and 4 then null else applications_offline end as applications_offline,
  case when appointments between 1 and 4 then null else appointments end as appointments,
  case when applications between 1 and 4 then null else median_processing_days end as median_processing_days,
  coalesce(
    applications_online between 1 and 4 or applications_offline between 1 and 4 or appointments between 1 and 4
      or (applications between 1 and 4 and median_processing_days is not null),
    false
  ) as suppressed,
  run_id as last_run_id
from m;

comment on view open.service_metrics_monthly is
  'Fallzahlen je Verwaltungsleistung und Monat (Anträge online/offline, Termine, Median der Bearbeitungstage); Werte von 1 bis 4 unterdrückt';

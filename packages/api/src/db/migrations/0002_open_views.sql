-- Public views. Only what may be published: no personal data, no internal costs.
-- Every open dataset is one view here plus a metadata file (packages/api/datasets/*.yaml).

create view open.initiatives as
select
  i.key,
  i.title,
  f.key as field_key,
  f.name as field_name,
  p.name as pillar_name,
  ou.code as responsible_org_unit,
  ou.name as responsible_org_unit_name,
  i.responsible_raw,
  coalesce((
    select string_agg(o.code, ' ' order by o.code)
    from core.initiative_org_unit io join core.org_unit o on o.id = io.org_unit_id
    where io.initiative_id = i.id and io.role = 'involved'
  ), '') as involved_org_units,
  i.priority,
  i.size,
  i.size_alternative,
  i.status,
  i.status_raw,
  array_to_string(i.focus_points, E'\n') as focus_points,
  array_to_string(i.benefits, E'\n') as benefits,
  i.last_run_id
from core.initiative i
join core.navigator_field f on f.id = i.field_id
left join core.pillar p on p.id = f.pillar_id
left join core.org_unit ou on ou.id = i.responsible_org_unit_id;

comment on view open.initiatives is 'Vorhaben der Strategie Digitale Verwaltung Rostock 2030 (Anhang), ohne personenbezogene Daten';

create view open.pillars as
select key, name, description, position from core.pillar;

create view open.navigator_fields as
select f.key, f.name, f.appendix_section, p.key as pillar_key, f.position
from core.navigator_field f left join core.pillar p on p.id = f.pillar_id;

create view open.org_units as
select o.code, o.name, o.kind, p.code as parent_code
from core.org_unit o left join core.org_unit p on p.id = o.parent_id;

-- The council paper's project list (Anlage 1, marked "öffentlich"). Projects from the project
-- tool stay internal (core only) until a rule publishes them.
create view open.projects as
select
  p.key,
  p.title,
  array_to_string(p.goals, E'\n') as goals,
  array_to_string(p.results, E'\n') as results,
  p.status,
  p.status_raw,
  i.key as initiative_key,
  o.code as org_unit,
  p.last_run_id
from core.project p
left join core.initiative i on i.id = p.initiative_id
left join core.org_unit o on o.id = p.org_unit_id
where p.source = 'council-paper';

comment on view open.projects is 'Digitalisierungsprojekte aus der Anlage der Informationsvorlage (öffentlich)';

-- Lineage for open rows: which run of which source last wrote a row, and where in the source it
-- stood. The public part of etl.run (no error texts, no cursors) is its own view.

create view open.etl_runs as
select id, source, status, started_at, finished_at, rows_read, rows_loaded, rows_unchanged, rows_quarantined
from etl.run
where not dry_run;

comment on view open.etl_runs is 'ETL-Läufe (öffentlicher Teil): Quelle, Zeit, Zählungen';

create or replace view open.initiatives as
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
  i.last_run_id,
  i.source_position
from core.initiative i
join core.navigator_field f on f.id = i.field_id
left join core.pillar p on p.id = f.pillar_id
left join core.org_unit ou on ou.id = i.responsible_org_unit_id;

create or replace view open.projects as
select
  p.key,
  p.title,
  array_to_string(p.goals, E'\n') as goals,
  array_to_string(p.results, E'\n') as results,
  p.status,
  p.status_raw,
  i.key as initiative_key,
  o.code as org_unit,
  p.last_run_id,
  p.source_position
from core.project p
left join core.initiative i on i.id = p.initiative_id
left join core.org_unit o on o.id = p.org_unit_id
where p.source = 'council-paper';

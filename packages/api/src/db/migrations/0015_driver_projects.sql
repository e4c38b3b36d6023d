-- The strategy's driver projects as steering tools (issue 9): OZG-Monitoring, IT-Bebauung and the
-- program report "Geplantes und Erreichtes". What they need beyond 0001–0012:
--   1. OZG targets (SOLL) set by the steering team through the API beside those of the maturity
--      file, with who set them and why;
--   2. the history of the service attributes the monthly report shows (title, org unit, procedure,
--      EfA …), so the report of a past month reads that month's state;
--   3. the status history of the Vorhaben and when projects and milestones first appeared;
--   4. the standard OZG report as a function of its Stichtag, its public part per month as an open
--      view, and the program's change log (everything for the steering team, the public part open).
-- See packages/api/src/monitoring/README.md and packages/api/src/program/README.md.

-- ───────────────────────── 1. OZG targets set through the API ─────────────────────────

-- origin: 'source' (an ETL run wrote the row, see run_id) or 'api' (the steering team, see
-- changed_by: the API key id or token subject; closed_by: who replaced or removed it through the
-- API). The ozg connector leaves a target set or removed through the API as it is until the file's
-- own value for that target changes (packages/etl/src/connectors/ozg/merge.ts).
alter table core.service_maturity
  add column if not exists origin text not null default 'source',
  add column if not exists changed_by text,
  add column if not exists closed_by text,
  add column if not exists note text;
alter table core.service_maturity add constraint service_maturity_origin_check check (origin in ('source', 'api'));
create index if not exists service_maturity_history_idx on core.service_maturity (service_id, model, kind, valid_from);

comment on column core.service_maturity.origin is 'source: written by an ETL run (run_id); api: set by the steering team (changed_by)';
comment on column core.service_maturity.changed_by is 'API key id or token subject of whoever set the row through the API';
comment on column core.service_maturity.closed_by is 'API key id or token subject of whoever replaced or removed the row through the API';

-- ───────────────────────── 2. history of the service attributes ─────────────────────────

-- One row per state of a service's reported attributes, [valid_from, valid_to). Codes and keys
-- are stored as text (not ids) and the service id has no foreign key: the history outlives a
-- deleted procedure, org unit or service. Written by statement-level triggers on core.service,
-- whoever writes (ETL merge, a future API), set-based over the statement's transition tables.
create table core.service_history (
  id bigint generated always as identity primary key,
  service_id integer not null,
  key text not null,
  kind text not null,
  title text not null,
  ozg_id text,
  leika_key text,
  themenfeld text,
  responsible_org_unit text,
  procedure_key text,
  efa boolean,
  valid_from timestamptz not null,
  valid_to timestamptz
);
create index service_history_service_idx on core.service_history (service_id, valid_from desc);
create index service_history_current_idx on core.service_history (service_id) where valid_to is null;

comment on table core.service_history is
  'States of the reported service attributes over time (trigger-written); services that existed before migration 0015 start at -infinity';

-- Inserted services open a history row.
create function core.service_history_insert() returns trigger language plpgsql as $$
begin
  insert into core.service_history
    (service_id, key, kind, title, ozg_id, leika_key, themenfeld, responsible_org_unit, procedure_key, efa, valid_from)
  select n.id, n.key, n.kind, n.title, n.ozg_id, n.leika_key,
         coalesce(tp.name, case when t.kind = 'themenfeld' then t.name end), o.code, p.key, n.efa, now()
  from new_rows n
  left join core.ozg_topic t on t.id = n.topic_id
  left join core.ozg_topic tp on tp.id = t.parent_id
  left join core.org_unit o on o.id = n.responsible_org_unit_id
  left join core.procedure p on p.id = n.procedure_id;
  return null;
end $$;

-- Updated services whose reported attributes changed: the current row closes, a new one opens
-- (a second change in the same transaction leaves a zero-length row, valid at no instant).
-- Set-based over the transition tables: one join per statement, whatever the number of rows.
create function core.service_history_update() returns trigger language plpgsql as $$
begin
  update core.service_history h set valid_to = now()
  from new_rows n join old_rows o on o.id = n.id
  where h.service_id = n.id and h.valid_to is null
    and (o.key, o.kind, o.title, o.ozg_id, o.leika_key, o.topic_id, o.responsible_org_unit_id, o.procedure_id, o.efa)
        is distinct from (n.key, n.kind, n.title, n.ozg_id, n.leika_key, n.topic_id, n.responsible_org_unit_id, n.procedure_id, n.efa);
  insert into core.service_history
    (service_id, key, kind, title, ozg_id, leika_key, themenfeld, responsible_org_unit, procedure_key, efa, valid_from)
  select n.id, n.key, n.kind, n.title, n.ozg_id, n.leika_key,
         coalesce(tp.name, case when t.kind = 'themenfeld' then t.name end), ou.code, p.key, n.efa, now()
  from new_rows n
  join old_rows o on o.id = n.id
  left join core.ozg_topic t on t.id = n.topic_id
  left join core.ozg_topic tp on tp.id = t.parent_id
  left join core.org_unit ou on ou.id = n.responsible_org_unit_id
  left join core.procedure p on p.id = n.procedure_id
  where (o.key, o.kind, o.title, o.ozg_id, o.leika_key, o.topic_id, o.responsible_org_unit_id, o.procedure_id, o.efa)
        is distinct from (n.key, n.kind, n.title, n.ozg_id, n.leika_key, n.topic_id, n.responsible_org_unit_id, n.procedure_id, n.efa);
  return null;
end $$;

create function core.service_history_delete() returns trigger language plpgsql as $$
begin
  update core.service_history h set valid_to = now() from old_rows o where h.service_id = o.id and h.valid_to is null;
  return null;
end $$;

create trigger service_history_insert after insert on core.service
  referencing new table as new_rows for each statement execute function core.service_history_insert();
create trigger service_history_update after update on core.service
  referencing old table as old_rows new table as new_rows for each statement execute function core.service_history_update();
create trigger service_history_delete after delete on core.service
  referencing old table as old_rows for each statement execute function core.service_history_delete();

-- Services loaded before this migration: their state is known from now on only; a report of an
-- earlier month reads it as that month's state (a stated limit, README of monitoring/).
insert into core.service_history
  (service_id, key, kind, title, ozg_id, leika_key, themenfeld, responsible_org_unit, procedure_key, efa, valid_from)
select s.id, s.key, s.kind, s.title, s.ozg_id, s.leika_key,
       coalesce(tp.name, case when t.kind = 'themenfeld' then t.name end), o.code, p.key, s.efa, '-infinity'
from core.service s
left join core.ozg_topic t on t.id = s.topic_id
left join core.ozg_topic tp on tp.id = t.parent_id
left join core.org_unit o on o.id = s.responsible_org_unit_id
left join core.procedure p on p.id = s.procedure_id;

-- ───────────────────── 3. Vorhaben status history, first appearance ─────────────────────

create table core.initiative_status_history (
  id bigint generated always as identity primary key,
  initiative_id integer not null,
  initiative_key text not null,
  status text,
  status_raw text not null,
  valid_from timestamptz not null,
  valid_to timestamptz
);
create index initiative_status_history_idx on core.initiative_status_history (initiative_id, valid_from desc);

create function core.initiative_status_insert() returns trigger language plpgsql as $$
begin
  insert into core.initiative_status_history (initiative_id, initiative_key, status, status_raw, valid_from)
  select n.id, n.key, n.status, n.status_raw, now() from new_rows n;
  return null;
end $$;

create function core.initiative_status_update() returns trigger language plpgsql as $$
begin
  update core.initiative_status_history h set valid_to = now()
  from new_rows n join old_rows o on o.id = n.id
  where h.initiative_id = n.id and h.valid_to is null and (o.status, o.status_raw) is distinct from (n.status, n.status_raw);
  insert into core.initiative_status_history (initiative_id, initiative_key, status, status_raw, valid_from)
  select n.id, n.key, n.status, n.status_raw, now()
  from new_rows n join old_rows o on o.id = n.id
  where (o.status, o.status_raw) is distinct from (n.status, n.status_raw);
  return null;
end $$;

create function core.initiative_status_delete() returns trigger language plpgsql as $$
begin
  update core.initiative_status_history h set valid_to = now() from old_rows o where h.initiative_id = o.id and h.valid_to is null;
  return null;
end $$;

create trigger initiative_status_insert after insert on core.initiative
  referencing new table as new_rows for each statement execute function core.initiative_status_insert();
create trigger initiative_status_update after update on core.initiative
  referencing old table as old_rows new table as new_rows for each statement execute function core.initiative_status_update();
create trigger initiative_status_delete after delete on core.initiative
  referencing old table as old_rows for each statement execute function core.initiative_status_delete();

insert into core.initiative_status_history (initiative_id, initiative_key, status, status_raw, valid_from)
select id, key, status, status_raw, '-infinity' from core.initiative;

-- When a project or milestone first appeared (an ETL run inserted it). Rows that existed before
-- this migration keep NULL: their first appearance is unknown, and they are no news.
alter table core.project add column if not exists first_seen_at timestamptz;
alter table core.project alter column first_seen_at set default now();
alter table core.milestone add column if not exists first_seen_at timestamptz;
alter table core.milestone alter column first_seen_at set default now();

-- The driver-project flag is public (the strategy names the Treiberprojekte): appended to the
-- Vorhaben's open view (0007's definition plus one column).
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
  i.source_position,
  i.is_driver_project as driver_project
from core.initiative i
join core.navigator_field f on f.id = i.field_id
left join core.pillar p on p.id = f.pillar_id
left join core.org_unit ou on ou.id = i.responsible_org_unit_id;

-- ───────────────────────────── 4. the OZG report ─────────────────────────────

-- Implementation status from the maturity (model 1.1, levels 0–4; definition in
-- packages/api/src/monitoring/README.md): IST 4 → end_to_end (Online-Transaktion, digital notice),
-- IST 3 → online, IST 2 → in_progress (form assistant online, online application not yet), else
-- planned when a target above the current level is set in either model, else NULL (not planned).
create function core.ozg_status(ist_1_1 smallint, soll_1_1 smallint, ist_2_0 smallint, soll_2_0 smallint)
returns text language sql immutable parallel safe as $$
  select case
    when ist_1_1 >= 4 then 'end_to_end'
    when ist_1_1 = 3 then 'online'
    when ist_1_1 = 2 then 'in_progress'
    when soll_1_1 > coalesce(ist_1_1, -1) or soll_2_0 > coalesce(ist_2_0, -1) then 'planned'
  end $$;

-- The standard OZG report as of the END of a Stichtag (Europe/Berlin): every OZG service
-- (kind ozg) and every other service with a maturity row, with the attributes, IST and SOLL in
-- both models as they stood then. Reproducible: it reads only rows valid at that instant
-- (valid_from < end of day <= valid_to). A target is missed when its date is on or before the
-- Stichtag and the IST level of its model is below the target level (or unknown).
create function core.ozg_report_rows(stichtag date)
returns table (
  service_id integer,
  service_key text,
  kind text,
  ozg_id text,
  leika_key text,
  title text,
  themenfeld text,
  org_unit text,
  procedure_key text,
  efa boolean,
  ist_1_1 smallint,
  soll_1_1 smallint,
  target_date_1_1 date,
  ist_2_0 smallint,
  soll_2_0 smallint,
  target_date_2_0 date,
  status text,
  online boolean,
  target_missed boolean,
  days_since_target integer
)
language sql stable as $$
  with t as (select ((stichtag + 1)::timestamp at time zone 'Europe/Berlin') as at),
  m as (
    select mm.service_id,
      max(mm.level) filter (where mm.model = '1.1' and mm.kind = 'ist') as ist_1_1,
      max(mm.level) filter (where mm.model = '1.1' and mm.kind = 'soll') as soll_1_1,
      max(mm.target_date) filter (where mm.model = '1.1' and mm.kind = 'soll') as target_date_1_1,
      max(mm.level) filter (where mm.model = '2.0' and mm.kind = 'ist') as ist_2_0,
      max(mm.level) filter (where mm.model = '2.0' and mm.kind = 'soll') as soll_2_0,
      max(mm.target_date) filter (where mm.model = '2.0' and mm.kind = 'soll') as target_date_2_0
    from core.service_maturity mm, t
    where mm.valid_from < t.at and (mm.valid_to is null or mm.valid_to >= t.at)
    group by mm.service_id
  ),
  s as (
    select distinct on (h.service_id) h.*
    from core.service_history h, t
    where h.valid_from < t.at and (h.valid_to is null or h.valid_to >= t.at)
    order by h.service_id, h.valid_from desc
  ),
  r as (
    select s.service_id, s.key, s.kind, s.ozg_id, s.leika_key, s.title, s.themenfeld, s.responsible_org_unit, s.procedure_key, s.efa,
           m.ist_1_1, m.soll_1_1, m.target_date_1_1, m.ist_2_0, m.soll_2_0, m.target_date_2_0,
           case when m.target_date_1_1 <= stichtag and m.soll_1_1 > coalesce(m.ist_1_1, -1) then m.target_date_1_1 end as missed_1_1,
           case when m.target_date_2_0 <= stichtag and m.soll_2_0 > coalesce(m.ist_2_0, -1) then m.target_date_2_0 end as missed_2_0
    from s left join m on m.service_id = s.service_id
    where s.kind = 'ozg' or m.service_id is not null
  )
  select r.service_id, r.key, r.kind, r.ozg_id, r.leika_key, r.title, r.themenfeld, r.responsible_org_unit, r.procedure_key, r.efa,
         r.ist_1_1, r.soll_1_1, r.target_date_1_1, r.ist_2_0, r.soll_2_0, r.target_date_2_0,
         core.ozg_status(r.ist_1_1, r.soll_1_1, r.ist_2_0, r.soll_2_0),
         r.ist_1_1 >= 3,
         r.missed_1_1 is not null or r.missed_2_0 is not null,
         stichtag - least(r.missed_1_1, r.missed_2_0)
  from r
$$;

comment on function core.ozg_report_rows(date) is
  'Standard OZG report as of the end of a Stichtag (Europe/Berlin); see packages/api/src/monitoring/README.md';

-- The public part of the report as of any Stichtag: a parameterized open view. Without the
-- responsible org unit, the handling procedure and EfA reuse, which stay internal as in
-- open.services; IST and SOLL levels are public (open.service_maturity).
create function open.ozg_report(stichtag date)
returns table (
  service_key text,
  kind text,
  ozg_id text,
  leika_key text,
  title text,
  themenfeld text,
  ist_1_1 smallint,
  soll_1_1 smallint,
  target_date_1_1 date,
  ist_2_0 smallint,
  soll_2_0 smallint,
  target_date_2_0 date,
  status text,
  online boolean,
  target_missed boolean,
  days_since_target integer
)
language sql stable as $$
  select service_key, kind, ozg_id, leika_key, title, themenfeld, ist_1_1, soll_1_1, target_date_1_1, ist_2_0, soll_2_0,
         target_date_2_0, status, online, target_missed, days_since_target
  from core.ozg_report_rows(stichtag)
$$;

comment on function open.ozg_report(date) is 'OZG-Bericht (öffentlicher Teil) zum Ende eines Stichtags';

-- The public part of the monthly report, for every month since the platform holds OZG data (the
-- first service or maturity row) up to the current month: the Stichtag of a month is its last
-- day, of the current month today (preliminary).
-- The view names core.service_history and core.service_maturity itself (not only through the
-- function), so the catalog sees which tables its data come from (catalog.modified.ts).
create view open.ozg_monthly_report as
with bounds as (
  select date_trunc('month', least(
           (select min(valid_from) from core.service_history where valid_from > '-infinity'),
           (select min(valid_from) from core.service_maturity)) at time zone 'Europe/Berlin')::date as first_month,
         date_trunc('month', now() at time zone 'Europe/Berlin')::date as current_month,
         (now() at time zone 'Europe/Berlin')::date as today
),
months as (
  select g::date as month, b.current_month, b.today
  from bounds b, generate_series(b.first_month, b.current_month, interval '1 month') as g
  where b.first_month is not null
)
select
  m.month,
  least((m.month + interval '1 month' - interval '1 day')::date, m.today) as stichtag,
  m.month = m.current_month as preliminary,
  r.service_key,
  r.kind,
  r.ozg_id,
  r.leika_key,
  r.title,
  r.themenfeld,
  r.ist_1_1,
  r.soll_1_1,
  r.target_date_1_1,
  r.ist_2_0,
  r.soll_2_0,
  r.target_date_2_0,
  r.status,
  r.online,
  r.target_missed,
  r.days_since_target
from months m
cross join lateral open.ozg_report(least((m.month + interval '1 month' - interval '1 day')::date, m.today)) r;

comment on view open.ozg_monthly_report is
  'OZG-Monatsbericht (öffentlicher Teil): je Monat und Leistung Reifegrad IST/SOLL in beiden Modellen, Umsetzungsstatus, verfehlte Ziele';

-- ─────────────────────── 5. the program's change log ───────────────────────

-- What changed, when: one row per event, derived from the history tables. `detail`: the new
-- normalised status of a status change, the maturity model of a level or target change, the source
-- of a new project. `public` marks what
-- anonymous readers may see (open.program_changes): status changes of the Vorhaben, new projects
-- of the council paper's public list, OZG maturity and target changes. Project status history,
-- the project tool's projects and all milestones are internal (as in GraphQL).
create view core.program_change as
-- a Vorhaben's status that replaced an earlier one
select h.valid_from as occurred_at, 'initiative_status'::text as kind, 'initiative'::text as subject_type,
       h.initiative_key as subject_key, i.title as subject_title, f.key as field_key, null::text as parent_key,
       h.status as detail, prev.status_raw as old_value, h.status_raw as new_value, true as public
from core.initiative_status_history h
join core.initiative_status_history prev on prev.initiative_id = h.initiative_id and prev.valid_to = h.valid_from
left join core.initiative i on i.id = h.initiative_id
left join core.navigator_field f on f.id = i.field_id
where h.valid_from > '-infinity'
union all
-- a project that appeared
select p.first_seen_at, 'project_new', 'project', p.key, p.title, f.key, i.key, p.source, null, p.status, p.source = 'council-paper'
from core.project p
left join core.initiative i on i.id = p.initiative_id
left join core.navigator_field f on f.id = i.field_id
where p.first_seen_at is not null
union all
-- a project status that replaced an earlier one
select h.valid_from, 'project_status', 'project', p.key, p.title, f.key, i.key, h.status, prev.status_raw, h.status_raw, false
from core.project_status_history h
join core.project_status_history prev on prev.project_id = h.project_id and prev.valid_to = h.valid_from
join core.project p on p.id = h.project_id
left join core.initiative i on i.id = p.initiative_id
left join core.navigator_field f on f.id = i.field_id
union all
-- a milestone that appeared, was done, or passed its due day open (or was done late)
select e.occurred_at, e.kind, 'milestone', m.key, m.title, f.key, p.key, null, e.old_value, e.new_value, false
from core.milestone m
join core.project p on p.id = m.project_id
left join core.initiative i on i.id = p.initiative_id
left join core.navigator_field f on f.id = i.field_id
cross join lateral (values
  (m.first_seen_at, 'milestone_new', null::text, m.due_date::text),
  ((m.done_date::timestamp at time zone 'Europe/Berlin'), 'milestone_done', m.due_date::text, m.done_date::text),
  (case when m.due_date is not null and ((m.due_date + 1)::timestamp at time zone 'Europe/Berlin') <= now()
             and ((m.done_date is null and not m.is_closed) or m.done_date > m.due_date)
        then (m.due_date + 1)::timestamp at time zone 'Europe/Berlin' end, 'milestone_overdue', m.due_date::text, m.done_date::text)
) as e(occurred_at, kind, old_value, new_value)
where e.occurred_at is not null
union all
-- an OZG maturity level or target that replaced an earlier one, or a target set through the API
select mm.valid_from, case mm.kind when 'ist' then 'service_level' else 'service_target' end, 'service', s.key, s.title,
       null, null, 'Reifegradmodell ' || mm.model,
       prev.level::text || coalesce(' bis ' || prev.target_date::text, ''),
       mm.level::text || coalesce(' bis ' || mm.target_date::text, ''), true
from core.service_maturity mm
join core.service s on s.id = mm.service_id
left join core.service_maturity prev
  on prev.service_id = mm.service_id and prev.model = mm.model and prev.kind = mm.kind and prev.valid_to = mm.valid_from
where prev.id is not null or mm.origin = 'api'
union all
-- a target removed (closed without a successor)
select mm.valid_to, 'service_target_removed', 'service', s.key, s.title, null, null, 'Reifegradmodell ' || mm.model,
       mm.level::text || coalesce(' bis ' || mm.target_date::text, ''), null, true
from core.service_maturity mm
join core.service s on s.id = mm.service_id
where mm.kind = 'soll' and mm.valid_to is not null
  and not exists (select 1 from core.service_maturity nx
                  where nx.service_id = mm.service_id and nx.model = mm.model and nx.kind = mm.kind and nx.valid_from = mm.valid_to);

comment on view core.program_change is 'Änderungen im Programm (Vorhaben, Projekte, Meilensteine, OZG-Reifegrade und -Ziele), mit Öffentlichkeitsmerker';

create view open.program_changes as
select date_trunc('month', occurred_at at time zone 'Europe/Berlin')::date as month, occurred_at, kind, subject_type, subject_key,
       subject_title, field_key, parent_key, detail, old_value, new_value
from core.program_change
where public;

comment on view open.program_changes is
  'Geplantes und Erreichtes: Änderungen an Vorhaben, öffentlichen Projekten und OZG-Reifegraden/-Zielen, je Monat';

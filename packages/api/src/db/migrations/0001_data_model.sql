-- The full data model of ARCHITECTURE.md: etl (runs, quarantine, cursors, queue), staging (raw rows),
-- core (steering model), catalog (CKAN/DCAT view of open) and open (public views, see 0002).
-- Every core row carries last_run_id: the ETL run that last wrote it (lineage).

create extension if not exists pg_trgm;
create extension if not exists unaccent;
create extension if not exists btree_gist;

create schema if not exists etl;
create schema if not exists staging;
create schema if not exists core;
create schema if not exists catalog;
create schema if not exists open;

-- unaccent() is only STABLE (its dictionary could change); indexes need an IMMUTABLE wrapper.
create or replace function core.immutable_unaccent(text) returns text
  language sql immutable parallel safe strict
  as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- ───────────────────────────── etl ─────────────────────────────

create table etl.run (
  id bigint generated always as identity primary key,
  source text not null,
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  dry_run boolean not null default false,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  rows_read bigint not null default 0,
  rows_loaded bigint not null default 0,
  rows_unchanged bigint not null default 0,
  rows_quarantined bigint not null default 0,
  rows_deleted bigint not null default 0,
  cursor_from text,
  cursor_to text,
  schema_drift jsonb,
  error_code text,
  error_message text,
  -- read = loaded + unchanged + quarantined, once a run has finished successfully
  constraint run_counts_add_up check (status <> 'succeeded' or rows_read = rows_loaded + rows_unchanged + rows_quarantined)
);
create index run_source_started_idx on etl.run (source, started_at desc);
create index run_status_idx on etl.run (status) where status = 'running';

create table etl.quarantine (
  id bigint generated always as identity primary key,
  run_id bigint not null references etl.run (id) on delete cascade,
  source text not null,
  position text not null,
  raw jsonb not null,
  reason_code text not null,
  reason text not null,
  created_at timestamptz not null default now()
);
create index quarantine_run_idx on etl.quarantine (run_id);

create table etl.cursor (
  source text primary key,
  value text not null,
  run_id bigint not null references etl.run (id),
  updated_at timestamptz not null default now()
);

-- Per-source schedule and the last known column set (for schema-drift detection).
create table etl.source_state (
  source text primary key,
  known_columns text[],
  last_success_run_id bigint references etl.run (id),
  updated_at timestamptz not null default now()
);

-- ─────────────────────────── staging ───────────────────────────

-- Raw rows of one run, loosely typed, kept for lineage; written with COPY.
create table staging.row (
  run_id bigint not null references etl.run (id) on delete cascade,
  seq bigint not null,
  entity text not null,
  position text not null,
  record jsonb not null,
  primary key (run_id, seq)
);

-- ───────────────────────────── core ─────────────────────────────

create table core.pillar (
  id integer generated always as identity primary key,
  key text not null unique,
  name text not null,
  description text,
  position smallint not null,
  last_run_id bigint references etl.run (id)
);

create table core.navigator_field (
  id integer generated always as identity primary key,
  key text not null unique,
  name text not null,
  appendix_section text,
  pillar_id integer references core.pillar (id),
  position smallint not null,
  last_run_id bigint references etl.run (id)
);

create table core.org_unit (
  id integer generated always as identity primary key,
  code text not null unique,
  name text not null,
  parent_id integer references core.org_unit (id),
  kind text not null check (kind in ('amt', 'unit', 'office')),
  last_run_id bigint references etl.run (id),
  check (parent_id is null or parent_id <> id)
);
create index org_unit_parent_idx on core.org_unit (parent_id);

create table core.initiative (
  id integer generated always as identity primary key,
  key text not null unique,
  title text not null,
  field_id integer not null references core.navigator_field (id),
  target_field_raw text,
  responsible_org_unit_id integer references core.org_unit (id),
  responsible_raw text not null default '',
  involved_raw text not null default '',
  priority smallint check (priority between 1 and 3),
  size text check (size in ('A', 'B', 'C')),
  size_alternative text check (size_alternative in ('A', 'B', 'C')),
  prio_size_raw text not null default '',
  status text,
  status_raw text not null default '',
  focus_points text[] not null default '{}',
  benefits text[] not null default '{}',
  focus_points_raw text not null default '',
  benefits_raw text not null default '',
  is_driver_project boolean not null default false,
  source_position text,
  last_run_id bigint references etl.run (id)
);
create index initiative_field_idx on core.initiative (field_id);
create index initiative_responsible_idx on core.initiative (responsible_org_unit_id);
create index initiative_title_trgm_idx on core.initiative using gin (core.immutable_unaccent(title) gin_trgm_ops);

create table core.initiative_org_unit (
  initiative_id integer not null references core.initiative (id) on delete cascade,
  org_unit_id integer not null references core.org_unit (id),
  role text not null check (role in ('responsible', 'involved')),
  primary key (initiative_id, org_unit_id, role)
);
create index initiative_org_unit_org_idx on core.initiative_org_unit (org_unit_id);

create table core.project (
  id integer generated always as identity primary key,
  key text not null unique,
  title text not null,
  title_raw text,
  goals text[] not null default '{}',
  results text[] not null default '{}',
  goals_raw text not null default '',
  results_raw text not null default '',
  status text check (status in ('planned', 'in_progress', 'on_hold', 'done', 'cancelled')),
  status_raw text not null default '',
  initiative_id integer references core.initiative (id),
  org_unit_id integer references core.org_unit (id),
  source text not null,
  external_id text,
  project_type text,
  start_date date,
  due_date date,
  source_updated_at timestamptz,
  source_position text,
  last_run_id bigint references etl.run (id),
  unique (source, external_id)
);
create index project_status_idx on core.project (status);
create index project_initiative_idx on core.project (initiative_id);
create index project_org_unit_idx on core.project (org_unit_id);
create index project_title_trgm_idx on core.project using gin (core.immutable_unaccent(title) gin_trgm_ops);

create table core.milestone (
  id integer generated always as identity primary key,
  project_id integer not null references core.project (id) on delete cascade,
  key text not null,
  title text not null,
  due_date date,
  done_date date,
  is_closed boolean not null default false,
  last_run_id bigint references etl.run (id),
  unique (project_id, key)
);
create index milestone_open_due_idx on core.milestone (due_date) where done_date is null and not is_closed;

-- One row per observed status change (valid_to is null for the current one).
create table core.project_status_history (
  id bigint generated always as identity primary key,
  project_id integer not null references core.project (id) on delete cascade,
  status text,
  status_raw text not null,
  valid_from timestamptz not null,
  valid_to timestamptz,
  run_id bigint references etl.run (id),
  exclude using gist (project_id with =, tstzrange(valid_from, valid_to) with &&)
);

create table core.procedure (
  id integer generated always as identity primary key,
  key text not null unique,
  name text not null,
  vendor text,
  description text,
  lifecycle_phase text check (lifecycle_phase in ('planning', 'introduction', 'operation', 'phase_out', 'retired')),
  annual_cost numeric(14, 2) check (annual_cost >= 0),
  users integer check (users >= 0),
  ozg_ready boolean,
  dms_connection text check (dms_connection in ('none', 'one_way', 'two_way')),
  -- SOLL of the IT-Bebauung
  target_action text check (target_action in ('keep', 'replace', 'retire', 'consolidate')),
  target_dms_connection text check (target_dms_connection in ('none', 'one_way', 'two_way')),
  target_date date,
  end_of_life_date date,
  source_position text,
  last_run_id bigint references etl.run (id)
);
create index procedure_name_trgm_idx on core.procedure using gin (core.immutable_unaccent(name) gin_trgm_ops);

create table core.procedure_org_unit (
  procedure_id integer not null references core.procedure (id) on delete cascade,
  org_unit_id integer not null references core.org_unit (id),
  role text not null default 'owner' check (role in ('owner', 'user')),
  primary key (procedure_id, org_unit_id, role)
);
create index procedure_org_unit_org_idx on core.procedure_org_unit (org_unit_id);

-- The interface graph between procedures (may contain cycles).
create table core.procedure_interface (
  id integer generated always as identity primary key,
  from_procedure_id integer not null references core.procedure (id) on delete cascade,
  to_procedure_id integer not null references core.procedure (id) on delete cascade,
  kind text not null default 'data',
  direction text not null default 'one_way' check (direction in ('one_way', 'two_way')),
  description text,
  last_run_id bigint references etl.run (id),
  unique (from_procedure_id, to_procedure_id, kind)
);
create index procedure_interface_to_idx on core.procedure_interface (to_procedure_id);

-- IST/SOLL history of a procedure: a snapshot per change.
create table core.procedure_history (
  id bigint generated always as identity primary key,
  procedure_id integer not null references core.procedure (id) on delete cascade,
  snapshot jsonb not null,
  valid_from timestamptz not null,
  run_id bigint references etl.run (id)
);
create index procedure_history_idx on core.procedure_history (procedure_id, valid_from desc);

-- OZG catalogue reference: topic fields (Themenfelder) and life situations (Lebenslagen).
create table core.ozg_topic (
  id integer generated always as identity primary key,
  key text not null unique,
  name text not null,
  kind text not null check (kind in ('themenfeld', 'lebenslage')),
  parent_id integer references core.ozg_topic (id),
  last_run_id bigint references etl.run (id)
);

create table core.service (
  id integer generated always as identity primary key,
  -- our natural key: "ozg:<id>" for OZG services, "leika:<key>" for LeiKa entries
  key text not null unique,
  kind text not null check (kind in ('ozg', 'leika', 'local')),
  leika_key text,
  ozg_id text,
  parent_id integer references core.service (id),
  title text not null,
  description text,
  topic_id integer references core.ozg_topic (id),
  responsible_org_unit_id integer references core.org_unit (id),
  procedure_id integer references core.procedure (id),
  efa boolean,
  implementation_status text check (implementation_status in ('planned', 'in_progress', 'online', 'end_to_end')),
  source_position text,
  last_run_id bigint references etl.run (id)
);
create unique index service_leika_key_uq on core.service (leika_key) where leika_key is not null;
create unique index service_ozg_id_uq on core.service (ozg_id) where ozg_id is not null and kind = 'ozg';
create index service_parent_idx on core.service (parent_id);
create index service_org_unit_idx on core.service (responsible_org_unit_id);
create index service_procedure_idx on core.service (procedure_id);
create index service_title_trgm_idx on core.service using gin (core.immutable_unaccent(title) gin_trgm_ops);

-- Maturity in both OZG models, IST and SOLL, with history (valid_to is null for the current row).
-- Model 1.1: levels 0–4, "online" from 3. Model 2.0 (July 2025): levels 0–7, 13 criteria.
create table core.service_maturity (
  id bigint generated always as identity primary key,
  service_id integer not null references core.service (id) on delete cascade,
  model text not null check (model in ('1.1', '2.0')),
  kind text not null check (kind in ('ist', 'soll')),
  level smallint not null,
  target_date date,
  criteria jsonb,
  valid_from timestamptz not null default now(),
  valid_to timestamptz,
  run_id bigint references etl.run (id),
  check ((model = '1.1' and level between 0 and 4) or (model = '2.0' and level between 0 and 7)),
  check (kind = 'soll' or target_date is null)
);
create unique index service_maturity_current_uq on core.service_maturity (service_id, model, kind) where valid_to is null;

-- The strategy's nine-question OZG checklist and each service's answers.
create table core.checklist_question (
  key text primary key,
  position smallint not null unique,
  question text not null,
  last_run_id bigint references etl.run (id)
);

create table core.service_checklist (
  service_id integer not null references core.service (id) on delete cascade,
  question_key text not null references core.checklist_question (key),
  fulfilled boolean not null,
  run_id bigint references etl.run (id),
  primary key (service_id, question_key)
);

-- Monthly case numbers per service (large fact table; distribution key for Citus: service_id).
create table core.service_metric (
  service_id integer not null references core.service (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  applications_online integer check (applications_online >= 0),
  applications_offline integer check (applications_offline >= 0),
  appointments integer check (appointments >= 0),
  median_processing_days numeric(8, 2) check (median_processing_days >= 0),
  org_unit_id integer references core.org_unit (id),
  run_id bigint references etl.run (id),
  primary key (service_id, month)
);
create index service_metric_month_idx on core.service_metric (month);

create table core.geo_layer (
  id integer generated always as identity primary key,
  key text not null unique,
  title text not null,
  source_crs text,
  source_url text,
  last_run_id bigint references etl.run (id)
);

-- Geometry as GeoJSON in WGS84 (no PostGIS in the embedded cluster); bbox natively for GiST.
-- Large fact table; distribution key for Citus: layer_id.
create table core.geo_feature (
  id bigint generated always as identity primary key,
  layer_id integer not null references core.geo_layer (id) on delete cascade,
  feature_key text not null,
  geometry jsonb,
  bbox box,
  properties jsonb not null default '{}',
  source_position text,
  last_run_id bigint references etl.run (id),
  unique (layer_id, feature_key)
);
create index geo_feature_bbox_idx on core.geo_feature using gist (bbox);

-- Each KPI's value per ETL run (and per dimension cut), so every KPI has a time series.
create table core.kpi_snapshot (
  id bigint generated always as identity primary key,
  kpi_id text not null,
  run_id bigint not null references etl.run (id) on delete cascade,
  computed_at timestamptz not null default now(),
  dimensions jsonb not null default '{}',
  value numeric,
  numerator numeric,
  denominator numeric,
  unique (kpi_id, run_id, dimensions)
);
create index kpi_snapshot_kpi_idx on core.kpi_snapshot (kpi_id, computed_at desc);

-- Access: API keys are stored hashed (scrypt); the plain key is shown once.
create table core.api_key (
  id integer generated always as identity primary key,
  prefix text not null unique,
  hash text not null,
  name text not null,
  role text not null check (role in ('developer', 'steering', 'admin')),
  status text not null default 'active' check (status in ('requested', 'active', 'revoked')),
  contact text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  usage_count bigint not null default 0
);

create table core.audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  target text,
  details jsonb
);
create index audit_log_at_idx on core.audit_log (at desc);

-- Data changes only when a run commits; caches key on this version (pushed via NOTIFY).
create table core.data_version (
  id boolean primary key default true check (id),
  version bigint not null default 0,
  changed_at timestamptz not null default now()
);
insert into core.data_version (id, version) values (true, 0);

-- ─────────────────────────── catalog ───────────────────────────

create table catalog.license (
  id text primary key,
  title text not null,
  url text,
  dcat_uri text,
  od_conformance text not null default 'approved'
);

create table catalog.organization (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z0-9_-]{2,100}$'),
  title text not null,
  description text not null default '',
  image_url text not null default '',
  contributor_id text,
  email text,
  created timestamptz not null default now()
);

create table catalog."group" (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z0-9_-]{2,100}$'),
  title text not null,
  description text not null default '',
  image_url text not null default '',
  dcat_theme text,
  created timestamptz not null default now()
);

create table catalog.tag (
  id uuid primary key default gen_random_uuid(),
  name text not null unique
);

create table catalog.dataset (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z0-9_-]{2,100}$'),
  title text not null,
  notes text not null default '',
  license_id text references catalog.license (id),
  organization_id uuid references catalog.organization (id),
  -- internal datasets are visible to steering and admin only (CKAN's "private")
  private boolean not null default false,
  source_view text,
  geo boolean not null default false,
  temporal_start date,
  temporal_end date,
  spatial_uri text,
  update_frequency text,
  version text,
  state text not null default 'active' check (state in ('active', 'draft', 'deleted')),
  extras jsonb not null default '{}',
  metadata_created timestamptz not null default now(),
  metadata_modified timestamptz not null default now(),
  search_vector tsvector
);
create index dataset_search_idx on catalog.dataset using gin (search_vector);
create index dataset_title_trgm_idx on catalog.dataset using gin (core.immutable_unaccent(title) gin_trgm_ops);
create index dataset_org_idx on catalog.dataset (organization_id);

create function catalog.dataset_search_vector() returns trigger language plpgsql as $$
begin
  new.search_vector :=
    setweight(to_tsvector('german', core.immutable_unaccent(coalesce(new.title, ''))), 'A') ||
    setweight(to_tsvector('german', core.immutable_unaccent(coalesce(new.notes, ''))), 'B');
  return new;
end $$;
create trigger dataset_search_vector before insert or update of title, notes on catalog.dataset
  for each row execute function catalog.dataset_search_vector();

create table catalog.dataset_group (
  dataset_id uuid not null references catalog.dataset (id) on delete cascade,
  group_id uuid not null references catalog."group" (id) on delete cascade,
  primary key (dataset_id, group_id)
);

create table catalog.dataset_tag (
  dataset_id uuid not null references catalog.dataset (id) on delete cascade,
  tag_id uuid not null references catalog.tag (id) on delete cascade,
  primary key (dataset_id, tag_id)
);

create table catalog.resource (
  id uuid primary key default gen_random_uuid(),
  dataset_id uuid not null references catalog.dataset (id) on delete cascade,
  name text not null,
  description text not null default '',
  format text not null,
  mimetype text,
  url text,
  position smallint not null default 0,
  view_name text,
  datastore_active boolean not null default false,
  created timestamptz not null default now(),
  last_modified timestamptz,
  unique (dataset_id, position)
);

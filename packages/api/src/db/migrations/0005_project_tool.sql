-- The project tool (OpenProject API v3 and its CSV/XLSX work-package export), see
-- packages/etl/src/connectors/openproject/README.md for the mapping.
--
-- core.project gets what a project of the tool has beyond the council paper's list: its parent in
-- the tool's hierarchy, the steering key it carries (P001/19, kept apart from `key`, which is
-- unique across sources: the council paper owns P001/19, the tool's row is OP-<identifier>), the
-- archived flag and the tool's custom fields.
alter table core.project
  add column parent_id integer references core.project (id) on delete set null,
  add column steering_key text,
  add column is_active boolean,
  add column custom_fields jsonb not null default '{}'::jsonb;
create index project_parent_idx on core.project (parent_id);
create index project_steering_key_idx on core.project (steering_key) where steering_key is not null;

comment on column core.project.steering_key is
  'Steuerungsschlüssel (z. B. P001/19), den ein Projekt des Projekttools trägt; verweist auf core.project.key der Informationsvorlage';

-- Every work package of the tool (tasks, phases, milestones …). Milestones are also written to
-- core.milestone; project dates and, where the tool sets no project status, the project status are
-- derived from these rows. No assignee, author or watcher: no personal data.
create table core.work_package (
  id integer generated always as identity primary key,
  source text not null,
  external_id text not null,
  project_id integer references core.project (id) on delete cascade,
  -- the tool's project id (API) or name (export), kept when the project is not readable
  project_external_id text,
  parent_external_id text,
  subject text not null,
  type text,
  is_milestone boolean not null default false,
  status text check (status in ('planned', 'in_progress', 'on_hold', 'done', 'cancelled')),
  status_raw text not null default '',
  is_closed boolean not null default false,
  start_date date,
  due_date date,
  estimated_time interval,
  percentage_done smallint check (percentage_done between 0 and 100),
  custom_fields jsonb not null default '{}'::jsonb,
  source_created_at timestamptz,
  source_updated_at timestamptz,
  source_position text,
  last_run_id bigint references etl.run (id),
  unique (source, external_id)
);
create index work_package_project_idx on core.work_package (project_id);
create index work_package_open_due_idx on core.work_package (due_date) where not is_closed;

-- Self-service developer keys (issue 10): a developer requests a key on the portal, an admin
-- approves or rejects it (admin page or CLI), and the holder of the request's status token
-- collects the key once. Keys can be rotated (a new secret for the same key row) and their use is
-- counted per day. See packages/api/src/access/api-key-request.service.ts.

-- 'approved': issued by an admin but not yet collected. Its secret does not exist yet — it is
-- made when the requester collects it — so the row holds a placeholder hash no key matches.
alter table core.api_key drop constraint if exists api_key_status_check;
alter table core.api_key
  add constraint api_key_status_check check (status in ('requested', 'approved', 'active', 'revoked')),
  add column if not exists rotated_at timestamptz;

-- A request from the portal. The requester keeps the status token; only its SHA-256 is stored
-- (the token is 256 random bits, so a fast hash is enough — unlike a password).
create table core.api_key_request (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 2 and 200),
  email text not null check (length(email) between 3 and 254),
  purpose text not null check (length(purpose) between 10 and 2000),
  terms_accepted_at timestamptz not null,
  token_hash text not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  decided_by text,
  reason text,
  api_key_id integer unique references core.api_key (id),
  collected_at timestamptz,
  check ((status = 'approved') = (api_key_id is not null)),
  check (collected_at is null or status = 'approved')
);
create index api_key_request_pending_idx on core.api_key_request (created_at) where status = 'pending';
create index api_key_request_email_idx on core.api_key_request (lower(email)) where status = 'pending';

-- Requests per key and day (Europe/Berlin), added up in memory by each API process and written
-- in batches (packages/api/src/access/key-usage.ts) — never one write per request.
create table core.api_key_usage (
  key_id integer not null references core.api_key (id) on delete cascade,
  day date not null,
  requests bigint not null default 0 check (requests >= 0),
  primary key (key_id, day)
);

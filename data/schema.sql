-- Shafaf store. All timestamps are TIMESTAMPTZ (instants); every connection runs with
-- TimeZone = 'Asia/Tehran' so that date_trunc/strftime see Tehran local time.
-- No PRIMARY KEY on the big tables: the importer guarantees uniqueness and merges by id
-- (DELETE + INSERT inside one transaction), which keeps bulk loads fast.

CREATE TABLE IF NOT EXISTS dataset (
  id INTEGER PRIMARY KEY,            -- always 1: one dataset per database file
  city VARCHAR NOT NULL DEFAULT 'tehran',
  as_of TIMESTAMPTZ,                 -- open cases are measured up to this instant
  updated_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS districts (
  district INTEGER PRIMARY KEY,      -- Tehran: 1..22; other cities: ids given to text labels
  name_fa VARCHAR NOT NULL,
  name_en VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS offices (
  office_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  district INTEGER NOT NULL,
  opened_on DATE,
  status VARCHAR
);

-- Access and capacity (issue 14, DESIGN metric 16): the optional `districts` file's population and
-- area, and the licensee (operator) of each office. Added with ALTER so that existing database files
-- gain the columns in place; all nullable: without a population the per-resident figures are null,
-- and an office without an operator counts as its own operator.
ALTER TABLE districts ADD COLUMN IF NOT EXISTS population BIGINT;          -- residents
ALTER TABLE districts ADD COLUMN IF NOT EXISTS area_km2 DOUBLE;
ALTER TABLE districts ADD COLUMN IF NOT EXISTS population_year INTEGER;    -- year of the count (e.g. 2016 census)
ALTER TABLE districts ADD COLUMN IF NOT EXISTS source VARCHAR;             -- where the figures come from
ALTER TABLE offices ADD COLUMN IF NOT EXISTS operator VARCHAR;             -- licensee; one may hold several offices

CREATE TABLE IF NOT EXISTS services (
  service_code VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,             -- Persian name as exported
  name_en VARCHAR,                   -- optional English name
  category VARCHAR,                  -- building_permit, technical_supervision, subdivision, inquiry, fees,
                                     -- business_licence, urban_services, transport, real_estate, ...
  sla_days INTEGER                   -- statutory deadline in calendar days (NULL: none)
);

CREATE TABLE IF NOT EXISTS cases (
  case_id VARCHAR NOT NULL,
  office_id VARCHAR NOT NULL,
  service_code VARCHAR NOT NULL,
  submitted_at TIMESTAMPTZ NOT NULL,
  closed_at TIMESTAMPTZ,             -- NULL while open
  status VARCHAR NOT NULL,           -- open, completed, rejected, withdrawn
  channel VARCHAR,                   -- in_person, online (NULL: unknown)
  due_at TIMESTAMPTZ                 -- optional per-case deadline; takes precedence over sla_days
);

CREATE TABLE IF NOT EXISTS complaints (
  complaint_id VARCHAR NOT NULL,
  office_id VARCHAR NOT NULL,
  case_id VARCHAR,
  received_at TIMESTAMPTZ NOT NULL,
  category VARCHAR NOT NULL,         -- delay, bribe_request, misconduct, wrong_information, fee_overcharge, other
  source VARCHAR,                    -- 137, 1888, office, online
  resolved_at TIMESTAMPTZ,
  substantiated BOOLEAN
);

CREATE SEQUENCE IF NOT EXISTS import_seq START 1;

CREATE TABLE IF NOT EXISTS import_log (
  import_id INTEGER PRIMARY KEY,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  username VARCHAR,                  -- who ran it (OS user for the CLI)
  source VARCHAR,                    -- cli, upload, demo
  files VARCHAR,                     -- JSON array of file names
  mode VARCHAR,                      -- contract, flat, demo
  status VARCHAR NOT NULL,           -- ok, failed
  message VARCHAR,
  rows_read INTEGER DEFAULT 0,
  rows_inserted INTEGER DEFAULT 0,
  rows_updated INTEGER DEFAULT 0,
  rows_unchanged INTEGER DEFAULT 0,
  rows_rejected INTEGER DEFAULT 0,
  as_of TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS rejects (
  import_id INTEGER NOT NULL,
  file VARCHAR NOT NULL,
  line INTEGER,                      -- 1-based physical line of the row's start (header = line 1)
  column_name VARCHAR,
  raw_value VARCHAR,
  reason VARCHAR NOT NULL,           -- reason code, see api/import/reasons.ts
  detail VARCHAR                     -- human-readable detail
);

-- Access control and audit (issue 4). Only tables added; the data tables above are untouched.

CREATE TABLE IF NOT EXISTS users (
  username VARCHAR PRIMARY KEY,      -- lower-case latin letters, digits, . _ -
  password_hash VARCHAR NOT NULL,    -- scrypt$N$r$p$salt$hash (api/auth/password.ts); never sent out
  role VARCHAR NOT NULL CHECK (role IN ('commissioner', 'manager', 'inspector', 'admin')),
  districts INTEGER[],               -- an inspector's districts (at least one); NULL for every other role
  created_at TIMESTAMPTZ NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS sessions (
  id_hash VARCHAR PRIMARY KEY,       -- SHA-256 of the cookie's session id: a stolen table is no login
  username VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  csrf_token VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS secrets (
  name VARCHAR PRIMARY KEY,          -- 'cookie': HMAC key of the session cookie when SHAFAF_SECRET is unset
  value VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;

CREATE TABLE IF NOT EXISTS audit_log (
  id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
  "at" TIMESTAMPTZ NOT NULL,        -- quoted: AT is a keyword
  username VARCHAR,                  -- NULL when nobody is known (e.g. a failed login for an unknown name)
  action VARCHAR NOT NULL,           -- login, login_failed, logout, import, export, user_add, user_remove
  detail VARCHAR,                    -- JSON text: filters, file names, counts, reasons
  ip VARCHAR
);

-- Users managed in the browser (issue 15). Only columns and a table added.

ALTER TABLE users ADD COLUMN IF NOT EXISTS last_login_at TIMESTAMPTZ;   -- last successful sign-in
-- Set when an admin chose the password (generated or typed): until the user sets their own, their
-- session may only change it (api/auth/middleware.ts).
ALTER TABLE users ADD COLUMN IF NOT EXISTS must_change_password BOOLEAN DEFAULT false;

CREATE TABLE IF NOT EXISTS login_failures (
  key VARCHAR NOT NULL,              -- 'user:<name>' or 'ip:<address>' (api/security/rate-limit.ts)
  at_ms DOUBLE NOT NULL              -- when, in milliseconds since the epoch
);

-- Public scorecards and open data (issue 16): off until an admin publishes. One row (id = 1) at most;
-- no row means never published. Every change is also in audit_log (publish / unpublish).
CREATE TABLE IF NOT EXISTS publication (
  id INTEGER PRIMARY KEY,            -- always 1
  published BOOLEAN NOT NULL,
  licence VARCHAR,                   -- the licence line shown with the open data, chosen by the admin
  published_at TIMESTAMPTZ,          -- when it was last turned on (shown on the public page)
  changed_at TIMESTAMPTZ NOT NULL,
  changed_by VARCHAR                 -- who changed it last (the OS user for the CLI)
);

-- Stages of a case (issue 11, DESIGN "events" and "stages" rows, metrics 11–15). Optional: a dataset
-- without an event log has both tables empty and the stage metrics answer with no rows.
-- `seq` is the export's row order (the importer numbers rows as read, across files in the order given):
-- events of one case at the same instant keep that order (DESIGN 11, a stable sort).
-- `resource` is a desk or person code, never a name; it stays in the database (no endpoint returns it).
CREATE TABLE IF NOT EXISTS stages (
  stage VARCHAR PRIMARY KEY,         -- a step's code
  name VARCHAR NOT NULL,             -- Persian name as exported
  name_en VARCHAR,
  actor VARCHAR CHECK (actor IS NULL OR actor IN ('office', 'municipality', 'citizen', 'other'))
);

CREATE TABLE IF NOT EXISTS events (
  case_id VARCHAR NOT NULL,
  stage VARCHAR NOT NULL,
  "at" TIMESTAMPTZ NOT NULL,         -- quoted: AT is a keyword
  lifecycle VARCHAR NOT NULL DEFAULT 'complete' CHECK (lifecycle IN ('start', 'complete')),
  actor VARCHAR CHECK (actor IS NULL OR actor IN ('office', 'municipality', 'citizen', 'other')),
  resource VARCHAR,
  stage_name VARCHAR,                -- the export's own name for the step, when it has no stages file
  seq BIGINT NOT NULL                -- export order: the tie-break for events at the same instant
);

-- 012_console: the operator console's accounts, sessions and transaction journal (docs/console-api.md).
--
-- Accounts: an operator signs in with a password (argon2id, PHC string: the hash carries its own salt and
-- parameters, so they can be raised without a migration) or through the region's identity provider (OpenID
-- Connect, matched by `oidc_subject`). Roles: viewer < operator < admin.
CREATE TABLE operator_account (
  username      text PRIMARY KEY CHECK (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  password_hash text CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
  oidc_subject  text UNIQUE,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Sessions: the cookie carries a random 32-byte token; only its SHA-256 is stored, so a read of this table does not
-- give anyone a session. `csrf_token` is the synchronizer token the console sends back on every change.
-- A session ends at `expires_at` (absolute) or after the idle time since `last_seen_at`, whichever comes first.
CREATE TABLE operator_session (
  token_hash   text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  username     text NOT NULL REFERENCES operator_account (username) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  via          text NOT NULL CHECK (via IN ('password', 'oidc')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX operator_session_expires_idx ON operator_session (expires_at);

-- The transaction journal: one row per HTTP exchange at the REST and SOAP doors, what an operator searches when a
-- hospital asks where its document went. Secrets are masked before the row is written (src/rest/raw-masking.ts)
-- and bodies are capped; the access log (008) stays the legal record, this is the operators' view.
CREATE TABLE exchange (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_at           timestamptz NOT NULL,
  ms                   integer NOT NULL,
  door                 text NOT NULL CHECK (door IN ('rest', 'soap')),
  action               text NOT NULL,
  method               text NOT NULL,
  path                 text NOT NULL,
  http_status          integer NOT NULL,
  outcome              text NOT NULL CHECK (outcome IN ('success', 'failure')),
  trace_id             text NOT NULL,
  workflow_instance_id text,
  patient_id           text,
  document_ids         text[] NOT NULL DEFAULT '{}',
  caller               text,
  request_headers      jsonb NOT NULL,
  request_body         text NOT NULL,
  request_truncated    boolean NOT NULL,
  response_headers     jsonb NOT NULL,
  response_body        text NOT NULL,
  response_truncated   boolean NOT NULL
);
-- The console's searches, each newest first: by time alone, or by one of the identifiers an operator is told.
CREATE INDEX exchange_started_idx ON exchange (started_at DESC, id DESC);
CREATE INDEX exchange_patient_idx ON exchange (patient_id, id DESC) WHERE patient_id IS NOT NULL;
CREATE INDEX exchange_workflow_idx ON exchange (workflow_instance_id, id DESC) WHERE workflow_instance_id IS NOT NULL;
CREATE INDEX exchange_trace_idx ON exchange (trace_id);
CREATE INDEX exchange_documents_idx ON exchange USING gin (document_ids);

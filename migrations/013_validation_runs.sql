-- 013_validation_runs: validations an operator can open in the console, each finding on its line of the CDA source
-- (the console's "validation explained" page): REST validations the bridge or the Gateway refused (origin 'rest',
-- with the request's trace id) and the playground's uploads (origin 'playground', with the operator's name).
-- `source` is the CDA itself, health data: rows live as long as validation_record's (FSE_VALIDATION_TTL_DAYS) and
-- are purged by age. See: docs/console-api.md (validations); src/stores/validation-run-store.ts.
CREATE TABLE validation_run (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  origin     text NOT NULL CHECK (origin IN ('rest', 'playground')),
  trace_id   text,
  operator   text,
  doc_type   text,
  valid      boolean NOT NULL,
  source     text NOT NULL,
  -- LocatedFinding[] (src/validation/finding-lines.ts): { id, severity, message, location?, line? }.
  findings   jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(findings) = 'array')
);
-- The console lists newest first; the purge deletes by age.
CREATE INDEX validation_run_created_at_idx ON validation_run (created_at DESC);
-- A transaction's page links to the validation of the same trace.
CREATE INDEX validation_run_trace_id_idx ON validation_run (trace_id);

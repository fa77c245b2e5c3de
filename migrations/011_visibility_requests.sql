-- 011_visibility_requests: citizens' requests to obscure or un-obscure a published document (P99), made by the
-- patient, their guardian or an operator on their behalf, each sent to the Gateway as a metadata update. Until the
-- Gateway confirms one, the stricter visibility applies locally: the access decision reads the latest request of each
-- document (pending or refused: obscured). Rows are never deleted; a request is settled once (confirmed or refused).
-- Patients and requesters are keyed by fiscal code (or the CX of another authority on a test bed).
-- See: privacy digest 4; src/stores/visibility-request-store.ts; docs/privacy.md (obscuring on request).
CREATE TABLE visibility_request (
  seq            bigserial PRIMARY KEY,
  id             uuid NOT NULL UNIQUE,
  unique_id      text NOT NULL,
  patient        text NOT NULL,
  obscured       boolean NOT NULL,
  requested_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  requested_by   text NOT NULL,
  requester_role text NOT NULL,
  channel        text NOT NULL,
  state          text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'refused')),
  settled_at     timestamptz,
  operation_id   text,
  reason         text,
  CHECK ((state = 'pending') = (settled_at IS NULL))
);
CREATE INDEX visibility_request_patient_idx ON visibility_request (patient, unique_id, seq DESC);
CREATE INDEX visibility_request_document_idx ON visibility_request (unique_id, seq DESC);

-- 010_relations: who acts for whom. A delegate the patient chose (kind delegate, SAML role ING), a parent of a minor
-- (parent, GEN), a guardian the court appointed (guardian, TUT); optionally limited to some document types (LOINC),
-- valid from/to, revoked by stamping revoked_at and who revoked (rows are never deleted: the access log refers to them).
-- See: privacy digest 5; src/stores/relation-store.ts.
CREATE TABLE person_relation (
  id             uuid PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('delegate', 'parent', 'guardian')),
  patient        text NOT NULL,
  agent          text NOT NULL,
  document_types text[],
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz,
  revoked_at     timestamptz,
  revoked_by     text,
  revoker_role   text,
  revoke_channel text,
  recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  recorded_by    text NOT NULL,
  recorder_role  text NOT NULL,
  channel        text NOT NULL,
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  CHECK (patient <> agent)
);
CREATE INDEX person_relation_agent_patient_idx ON person_relation (agent, patient);
CREATE INDEX person_relation_patient_idx ON person_relation (patient, recorded_at DESC);

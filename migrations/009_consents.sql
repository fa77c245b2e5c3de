-- 009_consents: patients' consultation consents, as the region (their RDA) records them. The latest row of a patient
-- is the consent in force; earlier rows stay as history (nothing is updated or deleted). Patients and the persons who
-- recorded a consent are keyed by fiscal code (or by the CX of another authority on a test bed).
-- See: privacy digest 3; src/stores/consent-store.ts.
CREATE TABLE consent_record (
  id            bigserial PRIMARY KEY,
  patient       text NOT NULL,
  consultation  boolean NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  recorded_by   text NOT NULL,
  recorder_role text NOT NULL,
  channel       text NOT NULL
);
CREATE INDEX consent_record_patient_idx ON consent_record (patient, id DESC);

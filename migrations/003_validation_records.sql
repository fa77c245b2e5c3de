-- 003_validation_records: what a VALIDATION leaves for the publication that follows (one use, 5 whole days).
-- See: Gateway API digest, 7.7. A re-validation replaces the row (the CDA key is the primary key).
CREATE TABLE validation_record (
  cda_key              text PRIMARY KEY,
  workflow_instance_id text NOT NULL,
  doc_type             text,
  created_at           timestamptz NOT NULL
);
-- purgeExpired deletes by age.
CREATE INDEX validation_record_created_at_idx ON validation_record (created_at);

-- 004_transaction_events: the status events behind GET /v1/status/{workflowInstanceId} and /status/search/{traceId}.
-- See: Gateway API digest, 9.1 (fields, ascending eventDate, 100 events by default) and 9.2 (types and statuses).
-- Event types and statuses are not constrained here: the Gateway's list grows, and unknown values must round-trip.
CREATE TABLE transaction_event (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_instance_id text,
  trace_id             text NOT NULL,
  span_id              text,
  event_type           text NOT NULL,
  event_status         text NOT NULL,
  event_date           timestamptz NOT NULL,
  message              text,
  document_id          text,
  subject              text,
  subject_role         text,
  activity             text,
  organization_id      text,
  issuer               text NOT NULL,
  expiring_date        timestamptz,
  extra                text CHECK (length(extra) <= 10000)
);
CREATE INDEX transaction_event_workflow_idx ON transaction_event (workflow_instance_id, event_date, id);
CREATE INDEX transaction_event_trace_idx ON transaction_event (trace_id, event_date, id);
CREATE INDEX transaction_event_expiring_idx ON transaction_event (expiring_date);

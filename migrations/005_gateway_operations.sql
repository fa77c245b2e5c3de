-- 005_gateway_operations: every publication-family call a producer makes, from receipt to the Gateway's answer.
-- The front door writes the row and enqueues a job carrying only its id; the worker forwards it to the national
-- Gateway and writes the answer back, which the front door relays. Rows are the durable record the middleware rules
-- require (traceability back to the producer) and the source of replays after a Gateway outage.
-- See: Gateway API digest, 1.4 (local indexing and recovery) and 1.5.
CREATE TABLE gateway_operation (
  id                   text PRIMARY KEY,          -- business key: a duplicate submission is the same row
  seq                  bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  kind                 text NOT NULL CHECK (kind IN ('create', 'replace', 'validate-and-create', 'validate-and-replace', 'delete', 'metadata', 'metadata-iti-57')),
  document_id          text NOT NULL,             -- the document the operation is about (new id for create/replace)
  target_id            text,                      -- the document replaced, deleted or updated (path id)
  method               text NOT NULL,
  path                 text NOT NULL,             -- relative to the Gateway base URL
  authorization_header text NOT NULL,
  signature_header     text NOT NULL,
  claims               jsonb NOT NULL,
  request_body         text,                      -- raw JSON as the producer sent it
  pdf                  bytea,
  callback_url         text,
  trace_id             text NOT NULL,
  span_id              text NOT NULL,
  state                text NOT NULL DEFAULT 'received'
                       CHECK (state IN ('received', 'sending', 'answered', 'local', 'forwarded', 'rejected')),
  local_indexed        boolean NOT NULL DEFAULT false,
  workflow_instance_id text,
  answer_status        integer,
  answer_content_type  text,
  answer_body          bytea,
  attempts             integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
-- Ordering per document: a replacement or deletion waits for earlier operations on the same document.
CREATE INDEX gateway_operation_document_idx ON gateway_operation (document_id, seq);
CREATE INDEX gateway_operation_target_idx ON gateway_operation (target_id, seq);
CREATE INDEX gateway_operation_pending_idx ON gateway_operation (state, seq) WHERE state IN ('received', 'sending', 'local');

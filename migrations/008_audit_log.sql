-- 008_audit_log: the access log. Every query, retrieve and metadata message, inbound and outbound, leaves one record:
-- when, who (subject, role, organization), why (purpose of use), which patient, which documents, outcome.
-- See: xds-ini digest 1.3 (transactions), 6.12-6.15 (organizations, roles, purposeofuse), 7.2 (SAML attributes);
-- docs/audit-log.md (the chain, its canonical form, what tampering it detects).
--
-- The records form one hash chain: record n stores hash(n - 1) as prev_hash and hash(n) = sha256(prev_hash ||
-- canonical form of n), computed by the bridge (src/audit/canonical-form.ts). The database guarantees the shape of the
-- chain; the bridge's `audit verify` checks the hashes.
--
-- * audit_chain_head is the one row holding the last id and hash. Writers lock it (SELECT ... FOR UPDATE) for the
--   time of one insert: that lock is what keeps one linear chain across several bridge processes, and it is the only
--   thing serialised (readers never wait for it; it is not a table lock).
-- * ids are chain positions, taken from the head under that lock, not from a sequence: a rolled-back writer leaves no
--   gap, so any gap is a deletion.
-- * the insert trigger refuses a record that does not extend the head (wrong id or prev_hash) and advances the head;
--   the head itself can move only through that trigger, and only forward.
-- * UPDATE, DELETE and TRUNCATE of audit_record are refused by statement triggers. Only the table owner or a superuser
--   can disable them (ALTER TABLE ... DISABLE TRIGGER, session_replication_role): run the bridge as a role that does
--   not own these tables, and the hash chain shows what such a privileged change did.
CREATE TABLE audit_chain_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id   bigint NOT NULL CHECK (last_id >= 0),
  last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$')
);
-- Genesis: the first record has id 1 and prev_hash 64 zeros.
INSERT INTO audit_chain_head (last_id, last_hash) VALUES (0, repeat('0', 64));

CREATE TABLE audit_record (
  id                bigint PRIMARY KEY CHECK (id > 0),
  -- Version of the canonical form this record was hashed with; part of the hashed text too.
  canonical_version smallint NOT NULL CHECK (canonical_version = 1),
  -- Taken from the database clock under the chain lock, so time order is chain (id) order.
  recorded_at       timestamptz NOT NULL,
  direction         text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  -- ITI-18, ITI-43, ITI-42, ITI-57, ITI-62, INI-delete, or a REST operation name.
  transaction       text NOT NULL,
  -- The system that called us, or that we called: a hospital application, INI, a region code.
  counterpart       text NOT NULL,
  subject_id        text,
  subject_role      text,
  organization_id   text,
  organization_name text,
  purpose_of_use    text,
  -- CX as the request named it.
  patient_id        text,
  -- uniqueIds of the documents read, returned or changed.
  document_ids      text[] NOT NULL CHECK (array_position(document_ids, NULL) IS NULL),
  outcome           text NOT NULL CHECK (outcome IN ('Success', 'PartialSuccess', 'Failure')),
  error_codes       text[] NOT NULL CHECK (array_position(error_codes, NULL) IS NULL),
  trace_id          text,
  -- SAML assertion ID or certificate SHA-256 fingerprint.
  credential_id     text,
  prev_hash         text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash              text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
-- "Who looked at my record": one patient's records, newest first (id order is time order, see recorded_at).
CREATE INDEX audit_record_patient_idx ON audit_record (patient_id, id) WHERE patient_id IS NOT NULL;
-- Exports and retention by period: recorded_at grows with the table, which a BRIN index serves at almost no cost.
CREATE INDEX audit_record_recorded_at_brin ON audit_record USING brin (recorded_at);

-- Functions resolve the tables through the schema they were created in, whatever the caller's search_path.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE FUNCTION audit_extend_chain() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  head audit_chain_head%ROWTYPE;
BEGIN
  SELECT * INTO head FROM audit_chain_head FOR UPDATE;
  IF NEW.id <> head.last_id + 1 OR NEW.prev_hash <> head.last_hash THEN
    RAISE EXCEPTION 'audit record % does not extend the chain head (id %)', NEW.id, head.last_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  UPDATE audit_chain_head SET last_id = NEW.id, last_hash = NEW.hash;
  RETURN NEW;
END
$$;

CREATE FUNCTION audit_guard_head() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  -- Depth 2: called from audit_extend_chain. A direct UPDATE (depth 1) could otherwise hide a truncated tail.
  IF pg_trigger_depth() < 2 OR NEW.last_id <> OLD.last_id + 1 THEN
    RAISE EXCEPTION 'the audit chain head moves only by appending a record' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_record
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_record_extend_chain BEFORE INSERT ON audit_record
  FOR EACH ROW EXECUTE FUNCTION audit_extend_chain();
CREATE TRIGGER audit_chain_head_guard BEFORE UPDATE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION audit_guard_head();
CREATE TRIGGER audit_chain_head_keep BEFORE INSERT OR DELETE OR TRUNCATE ON audit_chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- 001_registry: the XDS registry, modelled on ebRIM 3.0.
-- See: IHE ITI TF-3 4.2.3 (metadata), 4.1.x (ITI-18 stored query parameters); docs/registry-schema.md.
-- Single-valued attributes are typed columns; multi-valued ones (eventCodeList, confidentialityCode, authors,
-- referenceIdList, folder codeList) are child tables, so every stored query parameter has an index to use.
-- Dates (DTM, UTC, YYYY[MM[DD[hh[mm[ss]]]]]) are kept as sent; a generated 14-character key padded with zeros
-- orders and compares them whatever their precision.

-- Every identifiable object of the registry, whatever its kind: the target of Association source/target references
-- (an association may point to another association, see ITI-57 SubmitAssociation), and the set ITI-62 removes from.
CREATE TABLE registry_object (
  entry_uuid  text PRIMARY KEY,
  object_kind text NOT NULL CHECK (object_kind IN ('DocumentEntry', 'SubmissionSet', 'Folder', 'Association'))
);

-- ExtrinsicObject. availabilityStatus, version and logicalID are registry-set (ITI TF-3 4.1.x, 4.2.3.2).
CREATE TABLE document_entry (
  entry_uuid                     text PRIMARY KEY REFERENCES registry_object (entry_uuid) ON DELETE CASCADE,
  logical_id                     text NOT NULL,
  version                        integer NOT NULL CHECK (version >= 1),
  unique_id                      text NOT NULL CHECK (length(unique_id) <= 128),
  patient_id                     text NOT NULL,
  status                         text NOT NULL CHECK (status IN ('Approved', 'Deprecated')),
  object_type                    text NOT NULL CHECK (object_type IN ('stable', 'on-demand')),
  mime_type                      text NOT NULL,
  hash                           text CHECK (hash ~ '^[0-9a-f]{40}$'),
  size                           bigint CHECK (size >= 0),
  repository_unique_id           text,
  home_community_id              text,
  source_patient_id              text,
  source_patient_info            text[] NOT NULL DEFAULT '{}',
  creation_time                  text,
  creation_time_key              text GENERATED ALWAYS AS (rpad(creation_time, 14, '0')) STORED,
  service_start_time             text,
  service_start_time_key         text GENERATED ALWAYS AS (rpad(service_start_time, 14, '0')) STORED,
  service_stop_time              text,
  service_stop_time_key          text GENERATED ALWAYS AS (rpad(service_stop_time, 14, '0')) STORED,
  language_code                  text,
  title                          text,
  comments                       text,
  legal_authenticator            text,
  class_code                     text NOT NULL,
  class_scheme                   text NOT NULL,
  class_display                  text,
  type_code                      text NOT NULL,
  type_scheme                    text NOT NULL,
  type_display                   text,
  format_code                    text NOT NULL,
  format_scheme                  text NOT NULL,
  format_display                 text,
  healthcare_facility_type_code    text NOT NULL,
  healthcare_facility_type_scheme  text NOT NULL,
  healthcare_facility_type_display text,
  practice_setting_code          text NOT NULL,
  practice_setting_scheme        text NOT NULL,
  practice_setting_display       text,
  document_availability          text CHECK (document_availability IN ('Online', 'Offline')),
  -- Slots the model does not name (urn:ita:* and others): returned as they came, never queried.
  extra_slots                    jsonb NOT NULL DEFAULT '{}',
  registered_at                  timestamptz NOT NULL DEFAULT now(),
  -- Versions of one logical entry share the uniqueId (ITI-57); distinct logical entries may not.
  CONSTRAINT document_entry_unique_id_version_key UNIQUE (unique_id, version),
  CONSTRAINT document_entry_logical_id_version_key UNIQUE (logical_id, version)
);
-- FindDocuments: $XDSDocumentEntryPatientId (R) + $XDSDocumentEntryStatus (R) + creationTime range.
CREATE INDEX document_entry_patient_status_idx ON document_entry (patient_id, status, creation_time_key);
-- The other FindDocuments parameters always come with the patient id: lead with it.
CREATE INDEX document_entry_patient_class_idx ON document_entry (patient_id, class_code, class_scheme);
CREATE INDEX document_entry_patient_type_idx ON document_entry (patient_id, type_code, type_scheme);
CREATE INDEX document_entry_patient_practice_idx ON document_entry (patient_id, practice_setting_code, practice_setting_scheme);
CREATE INDEX document_entry_patient_facility_idx ON document_entry (patient_id, healthcare_facility_type_code, healthcare_facility_type_scheme);
CREATE INDEX document_entry_patient_format_idx ON document_entry (patient_id, format_code, format_scheme);
CREATE INDEX document_entry_patient_start_idx ON document_entry (patient_id, service_start_time_key);
CREATE INDEX document_entry_patient_stop_idx ON document_entry (patient_id, service_stop_time_key);
-- GetDocuments by $XDSDocumentEntryUniqueId is served by the unique constraint (unique_id leads);
-- by $XDSDocumentEntryLogicalID by the logical_id constraint; by $XDSDocumentEntryEntryUUID by the primary key.

-- Multi-valued coded attributes of a DocumentEntry: confidentialityCode and eventCodeList (AND/OR parameters).
CREATE TABLE document_entry_code (
  entry_uuid text NOT NULL REFERENCES document_entry (entry_uuid) ON DELETE CASCADE,
  attribute  text NOT NULL CHECK (attribute IN ('confidentialityCode', 'eventCodeList')),
  ord        integer NOT NULL,
  code       text NOT NULL,
  scheme     text NOT NULL,
  display    text,
  PRIMARY KEY (entry_uuid, attribute, ord)
);
CREATE INDEX document_entry_code_value_idx ON document_entry_code (attribute, code, scheme, entry_uuid);

-- Author classifications (ITI TF-3 4.2.3.1.4): one row per author, persons matched with LIKE.
CREATE TABLE document_entry_author (
  entry_uuid   text NOT NULL REFERENCES document_entry (entry_uuid) ON DELETE CASCADE,
  ord          integer NOT NULL,
  person       text,
  institutions text[] NOT NULL DEFAULT '{}',
  roles        text[] NOT NULL DEFAULT '{}',
  specialties  text[] NOT NULL DEFAULT '{}',
  telecom      text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (entry_uuid, ord)
);
-- $XDSDocumentEntryAuthorPerson: LIKE patterns; Italian values start with the fiscal code, so prefixes use this.
CREATE INDEX document_entry_author_person_idx ON document_entry_author (person text_pattern_ops, entry_uuid);

-- urn:ihe:iti:xds:2013:referenceIdList (CXi), for FindDocumentsByReferenceId.
CREATE TABLE document_entry_reference_id (
  entry_uuid text NOT NULL REFERENCES document_entry (entry_uuid) ON DELETE CASCADE,
  ord        integer NOT NULL,
  value      text NOT NULL,
  PRIMARY KEY (entry_uuid, ord)
);
CREATE INDEX document_entry_reference_id_value_idx ON document_entry_reference_id (value, entry_uuid);

-- RegistryPackage classified as SubmissionSet.
CREATE TABLE submission_set (
  entry_uuid           text PRIMARY KEY REFERENCES registry_object (entry_uuid) ON DELETE CASCADE,
  unique_id            text NOT NULL CONSTRAINT submission_set_unique_id_key UNIQUE,
  source_id            text NOT NULL,
  patient_id           text NOT NULL,
  submission_time      text NOT NULL,
  submission_time_key  text GENERATED ALWAYS AS (rpad(submission_time, 14, '0')) STORED,
  content_type_code    text NOT NULL,
  content_type_scheme  text NOT NULL,
  content_type_display text,
  title                text,
  comments             text,
  intended_recipients  text[] NOT NULL DEFAULT '{}',
  status               text NOT NULL CHECK (status IN ('Approved', 'Deprecated')),
  extra_slots          jsonb NOT NULL DEFAULT '{}'
);
-- FindSubmissionSets: patient id + status + submissionTime range; sourceId and contentType filters.
CREATE INDEX submission_set_patient_status_idx ON submission_set (patient_id, status, submission_time_key);
CREATE INDEX submission_set_source_idx ON submission_set (source_id);
CREATE INDEX submission_set_content_type_idx ON submission_set (patient_id, content_type_code, content_type_scheme);

CREATE TABLE submission_set_author (
  entry_uuid   text NOT NULL REFERENCES submission_set (entry_uuid) ON DELETE CASCADE,
  ord          integer NOT NULL,
  person       text,
  institutions text[] NOT NULL DEFAULT '{}',
  roles        text[] NOT NULL DEFAULT '{}',
  specialties  text[] NOT NULL DEFAULT '{}',
  telecom      text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (entry_uuid, ord)
);
CREATE INDEX submission_set_author_person_idx ON submission_set_author (person text_pattern_ops, entry_uuid);

-- RegistryPackage classified as Folder; lastUpdateTime is registry-set.
CREATE TABLE folder (
  entry_uuid           text PRIMARY KEY REFERENCES registry_object (entry_uuid) ON DELETE CASCADE,
  logical_id           text NOT NULL,
  version              integer NOT NULL CHECK (version >= 1),
  unique_id            text NOT NULL,
  patient_id           text NOT NULL,
  last_update_time     text NOT NULL,
  last_update_time_key text GENERATED ALWAYS AS (rpad(last_update_time, 14, '0')) STORED,
  title                text,
  comments             text,
  status               text NOT NULL CHECK (status IN ('Approved', 'Deprecated')),
  extra_slots          jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT folder_unique_id_version_key UNIQUE (unique_id, version),
  CONSTRAINT folder_logical_id_version_key UNIQUE (logical_id, version)
);
-- FindFolders: patient id + status + lastUpdateTime range.
CREATE INDEX folder_patient_status_idx ON folder (patient_id, status, last_update_time_key);

-- $XDSFolderCodeList (AND/OR).
CREATE TABLE folder_code (
  entry_uuid text NOT NULL REFERENCES folder (entry_uuid) ON DELETE CASCADE,
  ord        integer NOT NULL,
  code       text NOT NULL,
  scheme     text NOT NULL,
  display    text,
  PRIMARY KEY (entry_uuid, ord)
);
CREATE INDEX folder_code_value_idx ON folder_code (code, scheme, entry_uuid);

-- Association. Source and target must exist (ITI-62: no association may outlive its ends; deleting an end that is
-- still referenced fails, which is ebRIM's ReferencesExistException).
CREATE TABLE association (
  entry_uuid  text PRIMARY KEY REFERENCES registry_object (entry_uuid) ON DELETE CASCADE,
  type        text NOT NULL CHECK (type IN ('HasMember', 'RPLC', 'XFRM', 'APND', 'XFRM_RPLC', 'signs', 'IsSnapshotOf',
                                            'UpdateAvailabilityStatus', 'SubmitAssociation')),
  source_uuid text NOT NULL REFERENCES registry_object (entry_uuid),
  target_uuid text NOT NULL REFERENCES registry_object (entry_uuid),
  status      text NOT NULL CHECK (status IN ('Approved', 'Deprecated')),
  slots       jsonb NOT NULL DEFAULT '{}'
);
-- GetAssociations ($uuid as source or target), GetRelatedDocuments ($AssociationTypes), GetSubmissionSets.
CREATE INDEX association_source_idx ON association (source_uuid, type);
CREATE INDEX association_target_idx ON association (target_uuid, type);

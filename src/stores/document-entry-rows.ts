import { createHash } from 'node:crypto';
import { insertRows } from '../db/insert-rows.js';
import type { Queryable } from '../db/pool.js';
import type { EntryUuid, PatientId, RepositoryUniqueId, UniqueId } from '../domain/ids.js';
import type { AvailabilityStatus, DocumentEntry } from '../domain/xds.js';
import { authorOf, authorRows, authorsJsonSql, codeFromJson, codeOf, compact, type AuthorJson } from './row-values.js';

/** Writes one DocumentEntry and its child rows. The caller has inserted its `registry_object` row. */
export async function insertDocumentEntry(q: Queryable, e: DocumentEntry): Promise<void> {
  await insertRows(q, 'document_entry', [{
    entry_uuid: e.entryUuid, logical_id: e.logicalId, version: e.version, unique_id: e.uniqueId,
    patient_id: e.patientId, status: e.status, object_type: e.objectType, mime_type: e.mimeType,
    hash: e.hash, size: e.size, repository_unique_id: e.repositoryUniqueId, home_community_id: e.homeCommunityId,
    source_patient_id: e.sourcePatientId, source_patient_info: e.sourcePatientInfo,
    creation_time: e.creationTime, service_start_time: e.serviceStartTime, service_stop_time: e.serviceStopTime,
    language_code: e.languageCode, title: e.title, comments: e.comments, legal_authenticator: e.legalAuthenticator,
    class_code: e.classCode.code, class_scheme: e.classCode.scheme, class_display: e.classCode.display,
    type_code: e.typeCode.code, type_scheme: e.typeCode.scheme, type_display: e.typeCode.display,
    format_code: e.formatCode.code, format_scheme: e.formatCode.scheme, format_display: e.formatCode.display,
    healthcare_facility_type_code: e.healthcareFacilityTypeCode.code,
    healthcare_facility_type_scheme: e.healthcareFacilityTypeCode.scheme,
    healthcare_facility_type_display: e.healthcareFacilityTypeCode.display,
    practice_setting_code: e.practiceSettingCode.code, practice_setting_scheme: e.practiceSettingCode.scheme,
    practice_setting_display: e.practiceSettingCode.display,
    document_availability: e.documentAvailability, extra_slots: JSON.stringify(e.extraSlots),
  }]);
  const codes = [
    ...e.confidentialityCodes.map((c, ord) => ({ attribute: 'confidentialityCode', ord, c })),
    ...e.eventCodes.map((c, ord) => ({ attribute: 'eventCodeList', ord, c })),
  ];
  await insertRows(q, 'document_entry_code', codes.map(({ attribute, ord, c }) => ({
    entry_uuid: e.entryUuid, attribute, ord, code: c.code, scheme: c.scheme, display: c.display,
  })));
  await insertRows(q, 'document_entry_author', authorRows(e.entryUuid, e.authors));
  await insertRows(q, 'document_entry_reference_id', e.referenceIds.map((value, ord) => ({ entry_uuid: e.entryUuid, ord, value })));
}

interface CodeJson { code: string; scheme: string; display: string | null }

/** One row of {@link SELECT_DOCUMENT_ENTRIES}: the table's columns plus the aggregated child rows. */
interface DocumentEntryRow {
  entry_uuid: string; logical_id: string; version: number; unique_id: string; patient_id: string;
  status: AvailabilityStatus; object_type: 'stable' | 'on-demand'; mime_type: string; hash: string | null;
  size: string | null; repository_unique_id: string | null; home_community_id: string | null;
  source_patient_id: string | null; source_patient_info: string[]; creation_time: string | null;
  service_start_time: string | null; service_stop_time: string | null; language_code: string | null;
  title: string | null; comments: string | null; legal_authenticator: string | null;
  class_code: string; class_scheme: string; class_display: string | null;
  type_code: string; type_scheme: string; type_display: string | null;
  format_code: string; format_scheme: string; format_display: string | null;
  healthcare_facility_type_code: string; healthcare_facility_type_scheme: string; healthcare_facility_type_display: string | null;
  practice_setting_code: string; practice_setting_scheme: string; practice_setting_display: string | null;
  document_availability: 'Online' | 'Offline' | null; extra_slots: Record<string, string[]>;
  confidentiality_codes: CodeJson[]; event_codes: CodeJson[]; authors: AuthorJson[]; reference_ids: string[];
}

const codesJson = (attribute: string) => `(SELECT coalesce(json_agg(json_build_object('code', c.code, 'scheme', c.scheme,
    'display', c.display) ORDER BY c.ord), '[]')
    FROM document_entry_code c WHERE c.entry_uuid = d.entry_uuid AND c.attribute = '${attribute}')`;

/** The columns of `document_entry` a DocumentEntry is read from (listed, so a new column never changes a prepared plan). */
const COLUMNS = ['entry_uuid', 'logical_id', 'version', 'unique_id', 'patient_id', 'status', 'object_type', 'mime_type', 'hash',
  'size', 'repository_unique_id', 'home_community_id', 'source_patient_id', 'source_patient_info', 'creation_time',
  'service_start_time', 'service_stop_time', 'language_code', 'title', 'comments', 'legal_authenticator', 'class_code',
  'class_scheme', 'class_display', 'type_code', 'type_scheme', 'type_display', 'format_code', 'format_scheme', 'format_display',
  'healthcare_facility_type_code', 'healthcare_facility_type_scheme', 'healthcare_facility_type_display',
  'practice_setting_code', 'practice_setting_scheme', 'practice_setting_display', 'document_availability', 'extra_slots']
  .map((c) => `d.${c}`).join(', ');

/** A complete DocumentEntry per row; callers append `WHERE ...` on alias `d`. */
const SELECT_DOCUMENT_ENTRIES = `SELECT ${COLUMNS},
  ${codesJson('confidentialityCode')} AS confidentiality_codes,
  ${codesJson('eventCodeList')} AS event_codes,
  ${authorsJsonSql('document_entry_author', 'd')} AS authors,
  ARRAY(SELECT r.value FROM document_entry_reference_id r WHERE r.entry_uuid = d.entry_uuid ORDER BY r.ord) AS reference_ids
FROM document_entry d`;

function toDocumentEntry(r: DocumentEntryRow): DocumentEntry {
  return compact<DocumentEntry>({
    entryUuid: r.entry_uuid as EntryUuid, logicalId: r.logical_id as EntryUuid, version: r.version,
    uniqueId: r.unique_id as UniqueId, patientId: r.patient_id as PatientId, sourcePatientId: r.source_patient_id,
    sourcePatientInfo: r.source_patient_info, status: r.status, objectType: r.object_type, mimeType: r.mime_type,
    hash: r.hash, size: r.size === null ? null : Number(r.size),
    repositoryUniqueId: r.repository_unique_id as RepositoryUniqueId | null, homeCommunityId: r.home_community_id,
    creationTime: r.creation_time, serviceStartTime: r.service_start_time, serviceStopTime: r.service_stop_time,
    languageCode: r.language_code, title: r.title, comments: r.comments, legalAuthenticator: r.legal_authenticator,
    classCode: codeOf(r.class_code, r.class_scheme, r.class_display),
    typeCode: codeOf(r.type_code, r.type_scheme, r.type_display),
    formatCode: codeOf(r.format_code, r.format_scheme, r.format_display),
    healthcareFacilityTypeCode: codeOf(r.healthcare_facility_type_code, r.healthcare_facility_type_scheme, r.healthcare_facility_type_display),
    practiceSettingCode: codeOf(r.practice_setting_code, r.practice_setting_scheme, r.practice_setting_display),
    confidentialityCodes: r.confidentiality_codes.map(codeFromJson), eventCodes: r.event_codes.map(codeFromJson),
    authors: r.authors.map(authorOf), referenceIds: r.reference_ids,
    documentAvailability: r.document_availability, extraSlots: r.extra_slots,
  });
}

/**
 * Reads complete DocumentEntries. `condition` is a constant SQL fragment on alias `d` (with its ORDER BY/LIMIT);
 * values always travel as parameters.
 */
export async function selectDocumentEntries(q: Queryable, condition: string, params: readonly unknown[]): Promise<DocumentEntry[]> {
  const text = `${SELECT_DOCUMENT_ENTRIES} ${condition}`;
  // A named statement per distinct text: the four correlated subqueries cost more to plan (~1.5 ms) than to run on a
  // patient's entries, and the texts are few (one per parameter combination of the stored queries).
  const name = `de_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  const result = await q.query<DocumentEntryRow>({ name, text, values: [...params] });
  return result.rows.map(toDocumentEntry);
}

import type {
  AndOfOr, DocumentEntryContentFilters, DocumentEntryCriteria, DocumentEntryType, OrList, TimeRange,
} from '../../domain/stored-query.js';
import type { Code } from '../../domain/xds.js';
import type { SqlParams } from './sql-params.js';

/**
 * SQL conditions for the stored query parameters, on the aliases of `migrations/001_registry.sql` (`d` a
 * document_entry, `s` a submission_set, `f` a folder). Each returns one condition; callers join them with AND.
 * Codes match on code and scheme; several slots of an AND parameter become one EXISTS each; times compare the
 * zero-padded `*_key` columns. See: IHE ITI TF-2a 3.18.4.1.2.3; xds-ini digest 5.2; docs/registry-schema.md.
 */

/** Deterministic result order of each kind, oldest first. */
export const ORDER = {
  documentEntries: 'ORDER BY d.creation_time_key NULLS LAST, d.entry_uuid',
  submissionSets: 'ORDER BY s.submission_time_key, s.entry_uuid',
  folders: 'ORDER BY f.last_update_time_key, f.entry_uuid',
  associations: 'ORDER BY a.entry_uuid',
} as const;

/** `$XDSDocumentEntryType` absent returns stable entries only. See: IHE ITI TF-2a 3.18.4.1.2.3.7.1. */
export const DEFAULT_DOCUMENT_ENTRY_TYPES: OrList<DocumentEntryType> = ['stable'];

/** A DTM padded to 14 digits, as the generated `*_key` columns are. */
export const dtmKey = (dtm: string): string => dtm.padEnd(14, '0');

/** `(codeColumn, schemeColumn)` is one of `codes`. */
export function codeIn(codeColumn: string, schemeColumn: string, codes: OrList<Code>, p: SqlParams): string {
  const code = p.add(codes.map((c) => c.code));
  const scheme = p.add(codes.map((c) => c.scheme));
  return `(${codeColumn}, ${schemeColumn}) IN (SELECT * FROM unnest(${code}::text[], ${scheme}::text[]))`;
}

/** From inclusive, To exclusive, on a `*_key` column; an object without the time does not match a range. */
export function timeRange(keyColumn: string, range: TimeRange | undefined, p: SqlParams): string[] {
  return [
    ...(range?.from === undefined ? [] : [`${keyColumn} >= ${p.add(dtmKey(range.from))}`]),
    ...(range?.to === undefined ? [] : [`${keyColumn} < ${p.add(dtmKey(range.to))}`]),
  ];
}

/** One EXISTS per slot of a multi-valued DocumentEntry code (eventCodeList, confidentialityCode). */
function entryCodeGroups(attribute: 'eventCodeList' | 'confidentialityCode', groups: AndOfOr<Code> | undefined, p: SqlParams): string[] {
  return (groups ?? []).map((codes) => `EXISTS (SELECT 1 FROM document_entry_code c
      WHERE c.entry_uuid = d.entry_uuid AND c.attribute = '${attribute}'
        AND ${codeIn('c.code', 'c.scheme', codes, p)})`);
}

/** `$XDSDocumentEntryAuthorPerson`: LIKE patterns, ORed, against each author of the entry. */
function authorPersons(patterns: OrList<string> | undefined, p: SqlParams): string[] {
  if (patterns === undefined) return [];
  return [`EXISTS (SELECT 1 FROM document_entry_author a
      WHERE a.entry_uuid = d.entry_uuid AND a.person LIKE ANY(${p.add(patterns)}::text[]))`];
}

/** `$XDSDocumentEntryReferenceIdList`: one EXISTS per slot, its CXi values ORed. */
export function referenceIdGroups(groups: AndOfOr<string>, p: SqlParams): string[] {
  return groups.map((values) => `EXISTS (SELECT 1 FROM document_entry_reference_id r
      WHERE r.entry_uuid = d.entry_uuid AND r.value = ANY(${p.add(values)}::text[]))`);
}

const optionalCode = (codeColumn: string, schemeColumn: string, codes: OrList<Code> | undefined, p: SqlParams): string[] =>
  (codes === undefined ? [] : [codeIn(codeColumn, schemeColumn, codes, p)]);

/** The DocumentEntry filters of GetAll and the Get...AndContents queries, on alias `d`. */
export function contentFilterConditions(filters: DocumentEntryContentFilters, p: SqlParams): string[] {
  return [
    ...optionalCode('d.format_code', 'd.format_scheme', filters.formatCodes, p),
    ...entryCodeGroups('confidentialityCode', filters.confidentialityCodes, p),
    `d.object_type = ANY(${p.add(filters.documentEntryTypes ?? DEFAULT_DOCUMENT_ENTRY_TYPES)}::text[])`,
  ];
}

/**
 * The FindDocuments parameters, on alias `d`. The patient id and status come first: every other parameter filters
 * the rows the patient-leading index `document_entry_patient_status_idx` finds.
 */
export function documentEntryConditions(criteria: DocumentEntryCriteria, p: SqlParams): string[] {
  return [
    `d.patient_id = ${p.add(criteria.patientId)}`,
    `d.status = ANY(${p.add(criteria.statuses)}::text[])`,
    ...optionalCode('d.class_code', 'd.class_scheme', criteria.classCodes, p),
    ...optionalCode('d.type_code', 'd.type_scheme', criteria.typeCodes, p),
    ...optionalCode('d.practice_setting_code', 'd.practice_setting_scheme', criteria.practiceSettingCodes, p),
    ...optionalCode('d.healthcare_facility_type_code', 'd.healthcare_facility_type_scheme', criteria.healthcareFacilityTypeCodes, p),
    ...optionalCode('d.format_code', 'd.format_scheme', criteria.formatCodes, p),
    ...timeRange('d.creation_time_key', criteria.creationTime, p),
    ...timeRange('d.service_start_time_key', criteria.serviceStartTime, p),
    ...timeRange('d.service_stop_time_key', criteria.serviceStopTime, p),
    ...entryCodeGroups('eventCodeList', criteria.eventCodes, p),
    ...entryCodeGroups('confidentialityCode', criteria.confidentialityCodes, p),
    ...authorPersons(criteria.authorPersons, p),
    `d.object_type = ANY(${p.add(criteria.documentEntryTypes ?? DEFAULT_DOCUMENT_ENTRY_TYPES)}::text[])`,
  ];
}

/** Conditions joined for a WHERE clause. */
export const allOf = (conditions: readonly string[]): string => conditions.join('\n  AND ');

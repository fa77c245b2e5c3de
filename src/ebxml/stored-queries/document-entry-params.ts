import type { DocumentEntryContentFilters, DocumentEntryCriteria } from '../../domain/stored-query.js';
import { compact } from '../rim-read.js';
import { PARAM } from './parameter-names.js';
import {
  asCode, asDocumentEntryType, asMetadataLevel, asPatientId, asStatus, asString, codeValue, documentEntryTypeValue,
  statusValue,
} from './param-values.js';
import {
  andOrSlots, listSlot, optionalAndOr, optionalList, optionalSingle, optionalTimeRange, requiredList, requiredSingle,
  stringSlot, timeRangeSlots, type QueryParams, type QuerySlot,
} from './query-params.js';

/**
 * The DocumentEntry parameters that several stored queries share, decoded and encoded in one place: the full
 * FindDocuments set (also used by FindDocumentsByReferenceId) and the content filters of GetAll,
 * GetSubmissionSetAndContents and GetFolderAndContents. See: IHE ITI TF-2a 3.18.4.1.2.3.7.1, 3.18.4.1.2.3.7.4,
 * 3.18.4.1.2.3.7.10, 3.18.4.1.2.3.7.11.
 */

/** Checks `$MetadataLevel` when given; every query accepts it. See: xds-ini digest 5.1. */
export function checkMetadataLevel(params: QueryParams): void {
  optionalSingle(params, PARAM.metadataLevel, asMetadataLevel);
}

/** `$XDSDocumentEntryFormatCode`, `$XDSDocumentEntryConfidentialityCode` (AND/OR), `$XDSDocumentEntryType`. */
export function decodeContentFilters(params: QueryParams): DocumentEntryContentFilters {
  return compact<DocumentEntryContentFilters>({
    formatCodes: optionalList(params, PARAM.documentEntryFormatCode, asCode),
    confidentialityCodes: optionalAndOr(params, PARAM.documentEntryConfidentialityCode, asCode),
    documentEntryTypes: optionalList(params, PARAM.documentEntryType, asDocumentEntryType),
  });
}

export function encodeContentFilters(filters: DocumentEntryContentFilters): QuerySlot[] {
  return [
    ...listSlot(PARAM.documentEntryFormatCode, filters.formatCodes?.map(codeValue)),
    ...andOrSlots(PARAM.documentEntryConfidentialityCode, filters.confidentialityCodes?.map((group) => group.map(codeValue))),
    ...listSlot(PARAM.documentEntryType, filters.documentEntryTypes?.map(documentEntryTypeValue)),
  ];
}

/** The FindDocuments parameters. See: IHE ITI TF-2a 3.18.4.1.2.3.7.1; xds-ini digest 5.1. */
export function decodeDocumentEntryCriteria(params: QueryParams): DocumentEntryCriteria {
  checkMetadataLevel(params);
  return compact<DocumentEntryCriteria>({
    patientId: requiredSingle(params, PARAM.documentEntryPatientId, asPatientId),
    statuses: requiredList(params, PARAM.documentEntryStatus, asStatus),
    classCodes: optionalList(params, PARAM.documentEntryClassCode, asCode),
    typeCodes: optionalList(params, PARAM.documentEntryTypeCode, asCode),
    practiceSettingCodes: optionalList(params, PARAM.documentEntryPracticeSettingCode, asCode),
    healthcareFacilityTypeCodes: optionalList(params, PARAM.documentEntryHealthcareFacilityTypeCode, asCode),
    formatCodes: optionalList(params, PARAM.documentEntryFormatCode, asCode),
    eventCodes: optionalAndOr(params, PARAM.documentEntryEventCodeList, asCode),
    confidentialityCodes: optionalAndOr(params, PARAM.documentEntryConfidentialityCode, asCode),
    authorPersons: optionalList(params, PARAM.documentEntryAuthorPerson, asString),
    creationTime: optionalTimeRange(params, PARAM.documentEntryCreationTimeFrom, PARAM.documentEntryCreationTimeTo),
    serviceStartTime: optionalTimeRange(params, PARAM.documentEntryServiceStartTimeFrom, PARAM.documentEntryServiceStartTimeTo),
    serviceStopTime: optionalTimeRange(params, PARAM.documentEntryServiceStopTimeFrom, PARAM.documentEntryServiceStopTimeTo),
    documentEntryTypes: optionalList(params, PARAM.documentEntryType, asDocumentEntryType),
  });
}

export function encodeDocumentEntryCriteria(criteria: DocumentEntryCriteria): QuerySlot[] {
  const codes = (name: string, list: DocumentEntryCriteria['classCodes']) => listSlot(name, list?.map(codeValue));
  return [
    ...stringSlot(PARAM.documentEntryPatientId, criteria.patientId),
    ...listSlot(PARAM.documentEntryStatus, criteria.statuses.map(statusValue)),
    ...codes(PARAM.documentEntryClassCode, criteria.classCodes),
    ...codes(PARAM.documentEntryTypeCode, criteria.typeCodes),
    ...codes(PARAM.documentEntryPracticeSettingCode, criteria.practiceSettingCodes),
    ...codes(PARAM.documentEntryHealthcareFacilityTypeCode, criteria.healthcareFacilityTypeCodes),
    ...codes(PARAM.documentEntryFormatCode, criteria.formatCodes),
    ...andOrSlots(PARAM.documentEntryEventCodeList, criteria.eventCodes?.map((group) => group.map(codeValue))),
    ...andOrSlots(PARAM.documentEntryConfidentialityCode, criteria.confidentialityCodes?.map((group) => group.map(codeValue))),
    ...listSlot(PARAM.documentEntryAuthorPerson, criteria.authorPersons),
    ...timeRangeSlots(PARAM.documentEntryCreationTimeFrom, PARAM.documentEntryCreationTimeTo, criteria.creationTime),
    ...timeRangeSlots(PARAM.documentEntryServiceStartTimeFrom, PARAM.documentEntryServiceStartTimeTo, criteria.serviceStartTime),
    ...timeRangeSlots(PARAM.documentEntryServiceStopTimeFrom, PARAM.documentEntryServiceStopTimeTo, criteria.serviceStopTime),
    ...listSlot(PARAM.documentEntryType, criteria.documentEntryTypes?.map(documentEntryTypeValue)),
  ];
}

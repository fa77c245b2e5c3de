import type { DocumentEntry, Submission } from '../domain/xds.js';
import { parsePatientId, parseUniqueId, type PatientId, type UniqueId } from '../domain/ids.js';
import type { SignatureClaims } from '../jwt/claims.js';
import { xdsValueSets as defaultXdsValueSets, type XdsValueSets } from '../mappings/xds-value-sets.js';
import { sourceIdOf } from './build-submission.js';
import { formatDtm } from './dtm.js';
import {
  codeOf, codeOfValue, eventCodesOf, metadataError, newEntryUuid, requestSlots, serviceTime, withoutEmptySlots,
} from './metadata-codes.js';
import type { MetadataUpdateRequest } from '../domain/publication-request.js';
import { SLOT, SUBMISSION_SET_STATUS } from './vocabulary.js';

/**
 * Metadata update (PUT /metadata, /metadata-iti-57): the new version of a DocumentEntry, merged from the current
 * Approved entry and the request, and the ITI-57 Submission that carries it. See: Gateway API digest, 3.6;
 * xds-ini digest, 4.5 and 10 items 11-13.
 */

/** Options of {@link metadataUpdate} and {@link metadataUpdateSubmission}. */
export interface MetadataUpdateOptions {
  readonly xdsValueSets?: XdsValueSets;
}

/**
 * The new version's DocumentEntry: new entryUUID, same logicalID, version + 1, Approved. Merged from the request
 * (only the fields it carries): healthcareFacilityTypeCode, classCode, practiceSettingCode, eventCodeList (replaced
 * entirely, so sending or omitting `P99` obscures or un-obscures the document), service start/stop, and the slots
 * repository-type, description (all values) and administrativeRequest. Everything else is kept, including the
 * confidentialityCode (not a request field) and the author (INI's). Unlike the Gateway, the merge is not gated on
 * the practice setting, removes every old event code and keeps every description. See: xds-ini digest, 4.5 step 3,
 * 6.9 and 10 items 12, 13 and 21.
 */
export function metadataUpdate(current: DocumentEntry, request: MetadataUpdateRequest, options: MetadataUpdateOptions = {}): DocumentEntry {
  const xds = options.xdsValueSets ?? defaultXdsValueSets();
  const start = serviceTime(request.serviceStartTime);
  const stop = serviceTime(request.serviceStopTime);
  const entryUuid = newEntryUuid();
  return {
    ...current,
    entryUuid,
    logicalId: current.logicalId,
    version: current.version + 1,
    status: 'Approved',
    classCode: codeOf(xds.classCodes, request.classCode, 'classCode'),
    ...(request.healthcareFacilityType === undefined ? {}
      : { healthcareFacilityTypeCode: codeOfValue(xds.facilityTypes, request.healthcareFacilityType, 'healthcareFacilityTypeCode') }),
    ...(request.practiceSetting === undefined ? {}
      : { practiceSettingCode: codeOf(xds.practiceSettings, request.practiceSetting, 'practiceSettingCode') }),
    ...(request.eventCodes === undefined ? {} : { eventCodes: eventCodesOf(xds, request.eventCodes) }),
    ...(start === undefined ? {} : { serviceStartTime: start }),
    ...(stop === undefined ? {} : { serviceStopTime: stop }),
    extraSlots: withoutEmptySlots({ ...current.extraSlots, ...requestSlots(xds, request) }),
  };
}

/** What {@link metadataUpdateSubmission} needs. */
export interface MetadataUpdateInput {
  readonly current: DocumentEntry;
  readonly request: MetadataUpdateRequest;
  readonly claims: SignatureClaims;
  readonly now: Date;
}

/**
 * The ITI-57 Submission of a metadata update: the new DocumentEntry version, a SubmissionSet (patientId from the JWT
 * `person_id`, sourceId from the organization id, author copied from the document) and the HasMember carrying
 * `SubmissionSetStatus` Original and `PreviousVersion`. See: xds-ini digest, 4.5 (Gateway steps 4-5).
 */
export function metadataUpdateSubmission(input: MetadataUpdateInput, options: MetadataUpdateOptions = {}): Submission {
  const xds = options.xdsValueSets ?? defaultXdsValueSets();
  const { current, request, claims } = input;
  const entry = metadataUpdate(current, request, options);
  if (request.contentType === undefined || request.submissionSetUniqueId === undefined) {
    throw metadataError('Error: contentTypeCode and submissionSet uniqueId are required for a metadata update');
  }
  let patientId: PatientId;
  let uniqueId: UniqueId;
  try {
    patientId = parsePatientId(claims.person_id ?? '');
    uniqueId = parseUniqueId(request.submissionSetUniqueId);
  } catch {
    throw metadataError('Error: Invalid format for submissionSet patientId or uniqueId');
  }
  const submissionSetUuid = newEntryUuid();
  return {
    submissionSet: {
      entryUuid: submissionSetUuid,
      uniqueId,
      sourceId: sourceIdOf(claims.subject_organization_id ?? ''),
      patientId,
      submissionTime: formatDtm(input.now),
      contentTypeCode: codeOfValue(xds.contentTypes, request.contentType, 'contentTypeCode'),
      authors: current.authors,
      intendedRecipients: [],
      status: 'Approved',
      extraSlots: {},
    },
    documents: [{ entry }],
    folders: [],
    associations: [{
      entryUuid: newEntryUuid(),
      type: 'HasMember',
      sourceUuid: submissionSetUuid,
      targetUuid: entry.entryUuid,
      status: 'Approved',
      slots: { [SLOT.submissionSetStatus]: [SUBMISSION_SET_STATUS.original], [SLOT.previousVersion]: [String(current.version)] },
    }],
  };
}

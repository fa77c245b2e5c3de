import type { Association, Author, DocumentEntry, Submission, SubmissionSet } from '../domain/xds.js';
import {
  FISCAL_CODE_OID, IdFormatError, parsePatientId, parseRepositoryUniqueId, parseUniqueId, type EntryUuid, type PatientId,
  type RepositoryUniqueId, type UniqueId,
} from '../domain/ids.js';
import type { SignatureClaims } from '../jwt/claims.js';
import { valueSets as defaultValueSets, type ValueSets } from '../mappings/value-sets.js';
import { xdsValueSets as defaultXdsValueSets, findCode, type XdsValueSets } from '../mappings/xds-value-sets.js';
import type { CdaMetadata } from './cda-metadata.js';
import { formatDtm, toUtcDtm } from './dtm.js';
import {
  codeOf, codeOfValue, eventCodesOf, metadataError, newEntryUuid, requestSlots, serviceTime, withoutEmptySlots,
} from './metadata-codes.js';
import type { PublicationRequest } from '../domain/publication-request.js';
import {
  GATEWAY_CONSTANTS, OIDS, REFERENCE_ID_TYPE_ORDER, REPOSITORY_UNIQUE_ID, SLOT, SUBMISSION_SET_STATUS,
} from './vocabulary.js';

/**
 * Builds the XDS metadata of a publication exactly as the Gateway builds it for INI: one DocumentEntry, its
 * SubmissionSet and the HasMember association (SubmissionSetStatus Original), plus RPLC when replacing.
 * See: Gateway API digest, 3.3 step 14 and 8.2; xds-ini digest, 4.2, 8.1 and 8.2.
 */

/** What {@link buildSubmission} needs. */
export interface BuildSubmissionInput {
  readonly body: PublicationRequest;
  readonly claims: SignatureClaims;
  readonly cda: CdaMetadata;
  /** SHA-1 (lowercase hex) and byte length of the published PDF, not of the extracted CDA. */
  readonly pdf: { readonly sha1: string; readonly size: number };
  readonly now: Date;
  /** entryUUID of the Approved document being replaced: adds the RPLC association. See: xds-ini digest, 4.2 row 4. */
  readonly replaces?: EntryUuid;
  readonly valueSets?: ValueSets;
  readonly xdsValueSets?: XdsValueSets;
}

/**
 * Checks the request's repositoryUniqueId as the Gateway does when it builds metadata: the regex of the vocabulary,
 * with the organization part (as a number, left-padded to 3 digits) a known organization code.
 * See: Gateway API digest, 4 and 3.3 step 14.
 */
export function checkRepositoryUniqueId(value: string, sets: ValueSets = defaultValueSets()): RepositoryUniqueId {
  const org = REPOSITORY_UNIQUE_ID.exec(value)?.[1];
  const padded = org === undefined ? undefined : String(Number(org)).padStart(3, '0');
  if (padded !== undefined && sets.organizations.some((o) => o.code === padded)) {
    try {
      return parseRepositoryUniqueId(value);
    } catch (err) {
      if (!(err instanceof IdFormatError)) throw err;
    }
  }
  throw metadataError('Error: Invalid format for repositoryUniqueId');
}

/** SubmissionSet sourceId: region root + organization id with one leading `0` removed. See: Gateway API digest, 8.2. */
export function sourceIdOf(organizationId: string): string {
  return `${OIDS.regionRoot}.${organizationId.startsWith('0') ? organizationId.slice(1) : organizationId}`;
}

function parseOr<T>(parse: (v: string) => T, value: string, attribute: string): T {
  try {
    return parse(value);
  } catch (err) {
    if (err instanceof IdFormatError) throw metadataError(`Error: Invalid format for ${attribute}`);
    throw err;
  }
}

/** CDA `recordTarget/patientRole/id` (first) as CX; the JWT `person_id` if the CDA has none. See: xds-ini digest, 8.1. */
function patientIdOf(cda: CdaMetadata, claims: SignatureClaims): PatientId {
  const id = cda.patientIds[0];
  const cx = id?.extension && id.root ? `${id.extension}^^^&${id.root}&ISO` : (claims.person_id ?? '');
  return parseOr(parsePatientId, cx, 'patientId');
}

/**
 * The author the Gateway sends: authorPerson from the CDA's first `author/assignedAuthor/id` as XCN (falling back to
 * the JWT `sub`), authorInstitution from `locality`, authorRole from `subject_role`. See: xds-ini digest, 4.2, 8.1, 8.2.
 */
function authorOf(cda: CdaMetadata, claims: SignatureClaims): Author {
  const id = cda.authorIds[0];
  const subCf = claims.sub?.split('^')[0];
  const person = id?.extension && id.root
    ? `${id.extension}^^^^^^^^&${id.root}&ISO`
    : subCf ? `${subCf}^^^^^^^^&${FISCAL_CODE_OID}&ISO` : undefined;
  return {
    ...(person === undefined ? {} : { person }),
    institutions: claims.locality ? [claims.locality] : [],
    roles: claims.subject_role ? [claims.subject_role] : [],
    specialties: [],
    telecom: [],
  };
}

/** NRE orders of the CDA as CXi `referenceIdList` values. See: xds-ini digest, 8.1. */
function referenceIdsOf(cda: CdaMetadata): string[] {
  return cda.orderIds
    .filter((o) => o.root === OIDS.nreRoot && o.extension)
    .map((o) => `${o.extension ?? ''}^^^&${OIDS.nreAuthority}&ISO^${REFERENCE_ID_TYPE_ORDER}`);
}

function documentEntryOf(input: BuildSubmissionInput, xds: XdsValueSets, repositoryUniqueId: RepositoryUniqueId,
  patientId: PatientId, author: Author): DocumentEntry {
  const { body, claims, cda, pdf } = input;
  const entryUuid = newEntryUuid();
  const creationTime = cda.effectiveTime === undefined ? undefined : toUtcDtm(cda.effectiveTime);
  if (creationTime === undefined) throw metadataError('Error: Invalid format for creationTime');
  const typeEntry = findCode(xds.typeCodes, cda.code?.code);
  const typeDisplay = cda.codeDisplayName ?? typeEntry?.display;
  if (cda.code?.code === undefined) throw metadataError('Error: Invalid value for typeCode: null');
  const formatRoot = cda.templateRoots[0];
  if (formatRoot === undefined) throw metadataError('Error: Invalid value for formatCode: null');
  const formatDisplay = findCode(xds.formatCodes, formatRoot)?.display;
  const application = [claims.subject_application_id, claims.subject_application_vendor, claims.subject_application_version];
  const start = serviceTime(body.serviceStartTime);
  const stop = serviceTime(body.serviceStopTime);
  return {
    entryUuid,
    logicalId: entryUuid,
    version: 1,
    uniqueId: parseOr<UniqueId>(parseUniqueId, body.documentUniqueId, 'uniqueId'),
    patientId,
    sourcePatientId: patientId,
    sourcePatientInfo: [],
    status: 'Approved',
    objectType: 'stable',
    mimeType: GATEWAY_CONSTANTS.mimeType,
    hash: pdf.sha1.toLowerCase(),
    size: pdf.size,
    repositoryUniqueId,
    creationTime,
    ...(start === undefined ? {} : { serviceStartTime: start }),
    ...(stop === undefined ? {} : { serviceStopTime: stop }),
    languageCode: GATEWAY_CONSTANTS.languageCode,
    ...(cda.title === undefined ? {} : { title: cda.title }),
    classCode: codeOf(xds.classCodes, body.classCode, 'classCode'),
    typeCode: { code: cda.code.code, scheme: xds.typeCodes.scheme, ...(typeDisplay === undefined ? {} : { display: typeDisplay }) },
    formatCode: { code: formatRoot, scheme: xds.formatCodes.scheme, ...(formatDisplay === undefined ? {} : { display: formatDisplay }) },
    healthcareFacilityTypeCode: codeOfValue(xds.facilityTypes, body.healthcareFacilityType, 'healthcareFacilityTypeCode'),
    practiceSettingCode: codeOf(xds.practiceSettings, body.practiceSetting, 'practiceSettingCode'),
    confidentialityCodes: cda.confidentialityCode === undefined
      ? [] : [codeOf(xds.confidentialityCodes, cda.confidentialityCode, 'confidentialityCode')],
    eventCodes: eventCodesOf(xds, body.eventCodes ?? []),
    authors: [author],
    referenceIds: referenceIdsOf(cda),
    // Slot order as the Gateway sends them (xds-ini digest, 4.2 row 1.a); empty values are never sent.
    extraSlots: withoutEmptySlots({
      ...(body.repositoryType ? { [SLOT.repositoryType]: [body.repositoryType] } : {}),
      [SLOT.documentSigned]: [GATEWAY_CONSTANTS.documentSigned],
      ...requestSlots(xds, { descriptions: body.descriptions, administrativeRequests: body.administrativeRequests }),
      [SLOT.subjectApplication]: application.every((p) => p) ? [application.join('^')] : [],
    }),
  };
}

/**
 * Builds the Submission of a publication (or replacement) from the checked request, the token claims, the CDA and
 * the PDF. Ids are new `urn:uuid:` values. Failures are {@link metadataError}s, e.g. `Error: Invalid format for
 * repositoryUniqueId`. See: Gateway API digest, 8.2; xds-ini digest, 8.1 and 8.2.
 */
export function buildSubmission(input: BuildSubmissionInput): Submission {
  const xds = input.xdsValueSets ?? defaultXdsValueSets();
  const { body, claims } = input;
  const repositoryUniqueId = checkRepositoryUniqueId(body.repositoryUniqueId, input.valueSets ?? defaultValueSets());
  const patientId = patientIdOf(input.cda, claims);
  const author = authorOf(input.cda, claims);
  const entry = documentEntryOf(input, xds, repositoryUniqueId, patientId, author);
  const submissionSet: SubmissionSet = {
    entryUuid: newEntryUuid(),
    uniqueId: parseOr<UniqueId>(parseUniqueId, body.submissionSetUniqueId, 'submissionSet uniqueId'),
    sourceId: sourceIdOf(claims.subject_organization_id ?? ''),
    patientId,
    submissionTime: formatDtm(input.now),
    contentTypeCode: codeOfValue(xds.contentTypes, body.contentType, 'contentTypeCode'),
    authors: [author],
    intendedRecipients: [],
    status: 'Approved',
    extraSlots: {},
  };
  const associations: Association[] = [{
    entryUuid: newEntryUuid(),
    type: 'HasMember',
    sourceUuid: submissionSet.entryUuid,
    targetUuid: entry.entryUuid,
    status: 'Approved',
    slots: { [SLOT.submissionSetStatus]: [SUBMISSION_SET_STATUS.original] },
  }];
  if (input.replaces !== undefined) {
    associations.push({
      entryUuid: newEntryUuid(), type: 'RPLC', sourceUuid: entry.entryUuid, targetUuid: input.replaces, status: 'Approved', slots: {},
    });
  }
  return { submissionSet, documents: [{ entry }], folders: [], associations };
}

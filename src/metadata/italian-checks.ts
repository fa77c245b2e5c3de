import type { Code, DocumentEntry, SubmissionSet } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import { findCode, findEventCode, type XdsCodeSet, type XdsValueSets } from '../mappings/xds-value-sets.js';
import type { ValueSets } from '../mappings/value-sets.js';
import { FSE_MIME_TYPES, REPOSITORY_UNIQUE_ID, SLOT } from './vocabulary.js';

/**
 * The Italian Affinity Domain's rules on a DocumentEntry and a SubmissionSet: every coded attribute in its value set
 * and coding scheme (`mappings/xds-*.json`), the typeCode/classCode correlation, the `urn:ita:*` slots' shapes, the
 * repositoryUniqueId pattern and the FSE mime types. See: xds-ini digest 3.3, 6.3-6.11; Gateway API digest 10.12.
 */

const registryMetadataError = (codeContext: string, location: string): RegistryError =>
  registryError('XDSRegistryMetadataError', codeContext, location);

type Lookup = (set: XdsCodeSet, code: string) => unknown;

function inSet(errors: RegistryError[], set: XdsCodeSet, code: Code, what: string, where: string, lookup: Lookup = findCode): void {
  if (code.scheme !== set.scheme) {
    errors.push(registryMetadataError(`${what} ${code.code}: codingScheme ${code.scheme} is not ${set.scheme}`, where));
  } else if (lookup(set, code.code) === undefined) {
    errors.push(registryMetadataError(`${what} ${code.code} is not in the Affinity Domain value set ${set.scheme}`, where));
  }
}

function checkSlots(errors: RegistryError[], entry: DocumentEntry, xds: XdsValueSets): void {
  const where = entry.uniqueId;
  for (const value of entry.extraSlots[SLOT.administrativeRequest] ?? []) {
    const code = value.split('^')[0];
    if (!xds.administrativeRequests.some((a) => a.code === code)) {
      errors.push(registryMetadataError(`${SLOT.administrativeRequest} '${value}' is not CODE^Display with a known code`, where));
    }
  }
  for (const value of entry.extraSlots[SLOT.description] ?? []) {
    if (value.split('^').length !== 3) errors.push(registryMetadataError(`${SLOT.description} '${value}' is not CODE^Description^OID`, where));
  }
  const signed = entry.extraSlots[SLOT.documentSigned];
  if (signed !== undefined && !signed.every((v) => /^(true|false)\^/.test(v))) {
    errors.push(registryMetadataError(`${SLOT.documentSigned} must be 'true^...' or 'false^...'`, where));
  }
}

/** The Italian checks of one DocumentEntry. */
export function checkItalianDocumentEntry(entry: DocumentEntry, transaction: 'iti41' | 'iti42' | 'iti57', xds: XdsValueSets, sets: ValueSets): RegistryError[] {
  const errors: RegistryError[] = [];
  const where = entry.uniqueId;
  inSet(errors, xds.classCodes, entry.classCode, 'classCode', where);
  inSet(errors, xds.typeCodes, entry.typeCode, 'typeCode', where);
  inSet(errors, xds.formatCodes, entry.formatCode, 'formatCode', where);
  inSet(errors, xds.facilityTypes, entry.healthcareFacilityTypeCode, 'healthcareFacilityTypeCode', where);
  inSet(errors, xds.practiceSettings, entry.practiceSettingCode, 'practiceSettingCode', where);
  for (const c of entry.confidentialityCodes) inSet(errors, xds.confidentialityCodes, c, 'confidentialityCode', where);
  for (const c of entry.eventCodes) inSet(errors, xds.eventCodes, c, 'eventCodeList', where, (_set, code) => findEventCode(xds, code));
  const type = findCode(xds.typeCodes, entry.typeCode.code);
  if (type && type.classCode !== entry.classCode.code) {
    errors.push(registryMetadataError(`typeCode ${type.code} requires classCode ${type.classCode}, not ${entry.classCode.code}`, where));
  }
  const mimeTypes: readonly string[] = transaction === 'iti41' ? [FSE_MIME_TYPES.pdfWithCda, FSE_MIME_TYPES.pdf] : Object.values(FSE_MIME_TYPES);
  if (!mimeTypes.includes(entry.mimeType)) errors.push(registryMetadataError(`mimeType ${entry.mimeType} is not one of ${mimeTypes.join(', ')}`, where));
  const repository = entry.repositoryUniqueId;
  const org = repository === undefined ? undefined : REPOSITORY_UNIQUE_ID.exec(repository)?.[1];
  if (repository !== undefined && (org === undefined || !sets.organizations.some((o) => o.code === org.padStart(3, '0')))) {
    errors.push(registryMetadataError(`repositoryUniqueId ${repository} is not 2.16.840.1.113883.2.9.2.<region>.4.5.<n> of a known region`, where));
  }
  for (const role of entry.authors.flatMap((a) => a.roles)) {
    if (!sets.subjectRoles.some((r) => r.code === role)) errors.push(registryMetadataError(`authorRole ${role} is not in the Affinity Domain's roles`, where));
  }
  checkSlots(errors, entry, xds);
  return errors;
}

/** The Italian checks of a SubmissionSet. */
export function checkItalianSubmissionSet(ss: SubmissionSet, xds: XdsValueSets): RegistryError[] {
  const errors: RegistryError[] = [];
  inSet(errors, xds.contentTypes, ss.contentTypeCode, 'contentTypeCode', ss.uniqueId);
  return errors;
}

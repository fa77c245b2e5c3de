import { parseEntryUuid, parsePatientId, parseUniqueId, type EntryUuid, type PatientId, type UniqueId } from '../../domain/ids.js';
import type { DocumentEntryType } from '../../domain/stored-query.js';
import type { AssociationType, AvailabilityStatus, Code } from '../../domain/xds.js';
import { ASSOCIATION_TYPE, DOCUMENT_ENTRY, STATUS } from '../../metadata/vocabulary.js';
import { EbxmlError } from '../ebxml-error.js';

/**
 * Typed parameter values: each converter turns one value of a parameter into its domain type, each writer does the
 * reverse. A malformed value is `XDSRegistryError` naming the parameter: IHE has no dedicated code for it, and IPF
 * (`INVALID_QUERY_PARAMETER_VALUE`) and the NIST toolkit answer a registry error with status Failure.
 * See: IHE ITI TF-2a 3.18.4.1.2.3; xds-ini digest 5.2.
 */

/** Converts one value of `param`; throws {@link EbxmlError} when it is malformed. */
export type Convert<T> = (value: string, param: string) => T;

const invalid = (param: string, value: string, expected: string): EbxmlError =>
  new EbxmlError('XDSRegistryError', `${param}: invalid value '${value}', expected ${expected}`, { location: param });

function parsed<T>(parse: (value: string) => T, expected: string): Convert<T> {
  return (value, param) => {
    try {
      return parse(value);
    } catch (cause) {
      throw new EbxmlError('XDSRegistryError', `${param}: invalid value '${value}', expected ${expected}`, { location: param, cause });
    }
  };
}

export const asString: Convert<string> = (value) => value;

export const asEntryUuid: Convert<EntryUuid> = parsed(parseEntryUuid, 'a urn:uuid: entryUUID');

export const asUniqueId: Convert<UniqueId> = parsed(parseUniqueId, 'a uniqueId (OID or OID^extension)');

/** A CX patient id (`id^^^&OID&ISO`). See: IHE ITI TF-3 4.2.3.1.7; xds-ini digest 3.7. */
export const asPatientId: Convert<PatientId> = parsed(parsePatientId, 'a CX patient id id^^^&OID&ISO');

/** Full status URNs only. See: xds-ini digest 3.6. */
export const asStatus: Convert<AvailabilityStatus> = (value, param) => {
  if (value === STATUS.approved) return 'Approved';
  if (value === STATUS.deprecated) return 'Deprecated';
  throw invalid(param, value, 'a status URN urn:oasis:names:tc:ebxml-regrep:StatusType:Approved|Deprecated');
};

export const statusValue = (status: AvailabilityStatus): string =>
  status === 'Approved' ? STATUS.approved : STATUS.deprecated;

/**
 * A code as HL7 CE `code^^scheme` (the display component is ignored). The coding scheme is required: IPF's
 * `CodeValidation` and the NIST FindDocuments tests (`old_scheme`, `classcode_scheme_mismatch`) reject a bare code
 * or `code^^`. See: IHE ITI TF-2a 3.18.4.1.2.3 (coded values); xds-ini digest 3.7, 5.2.
 */
export const asCode: Convert<Code> = (value, param) => {
  const [code, , scheme, ...more] = value.split('^');
  if (code === undefined || code === '' || scheme === undefined || scheme === '' || more.length > 0) {
    throw invalid(param, value, 'a code code^^codingScheme');
  }
  return { code, scheme };
};

export const codeValue = (code: Code): string => `${code.code}^^${code.scheme}`;

/** HL7 DTM precisions: YYYY, YYYYMM, ... YYYYMMDDhhmmss. */
const DTM_LENGTHS: ReadonlySet<number> = new Set([4, 6, 8, 10, 12, 14]);

/** A DTM time (UTC, no zone), as `...From`/`...To` carry it. See: xds-ini digest 3.7, 5.2. */
export const asDtm: Convert<string> = (value, param) => {
  const digits = [...value].every((c) => c >= '0' && c <= '9');
  if (!digits || !DTM_LENGTHS.has(value.length)) throw invalid(param, value, 'a DTM YYYY[MM[DD[hh[mm[ss]]]]]');
  return value;
};

/** `$XDSDocumentEntryType`: the DocumentEntry objectType UUIDs. See: xds-ini digest 3.2. */
export const asDocumentEntryType: Convert<DocumentEntryType> = (value, param) => {
  if (value === DOCUMENT_ENTRY.objectTypeStable) return 'stable';
  if (value === DOCUMENT_ENTRY.objectTypeOnDemand) return 'on-demand';
  throw invalid(param, value, 'a DocumentEntry objectType UUID (stable or on-demand)');
};

export const documentEntryTypeValue = (type: DocumentEntryType): string =>
  type === 'stable' ? DOCUMENT_ENTRY.objectTypeStable : DOCUMENT_ENTRY.objectTypeOnDemand;

const ASSOCIATION_TYPE_BY_URN: ReadonlyMap<string, AssociationType> = new Map(
  (Object.entries(ASSOCIATION_TYPE) as [AssociationType, string][]).map(([short, urn]) => [urn, short]),
);

/** `$AssociationTypes`: full association type URNs. See: xds-ini digest 3.5, 5.2. */
export const asAssociationType: Convert<AssociationType> = (value, param) => {
  const type = ASSOCIATION_TYPE_BY_URN.get(value);
  if (type === undefined) throw invalid(param, value, 'an association type URN');
  return type;
};

export const associationTypeValue = (type: AssociationType): string => ASSOCIATION_TYPE[type];

/** `$MetadataLevel`: 1, or 2 with the Metadata Update option; both return the same objects here. */
export const asMetadataLevel: Convert<string> = (value, param) => {
  if (value !== '1' && value !== '2') throw invalid(param, value, '1 or 2');
  return value;
};

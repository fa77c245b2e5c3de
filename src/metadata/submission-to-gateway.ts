import type { CallerIdentity } from '../domain/caller.js';
import { FISCAL_CODE_OID } from '../domain/ids.js';
import type { Author, DocumentEntry, Submission, SubmissionSet } from '../domain/xds.js';
import { XdsError } from '../errors/xds-codes.js';
import type { SignatureClaims } from '../jwt/claims.js';
import { xdsValueSets, type XdsValueSets } from '../mappings/xds-value-sets.js';
import { SLOT } from './vocabulary.js';

/**
 * The SOAP-to-REST direction: the national Gateway request a legacy XDS.b submission becomes. A hospital speaking
 * ITI-41 has no JWTs, so the region signs them (certificate case 2) with claims taken from the caller's identity
 * (SAML assertion or mapped client certificate) and, where that is silent, from the ebRIM metadata itself. Italian
 * field names appear here because this is the Gateway's contract (STYLE rule 17). See: xds-ini digest 8.3; Gateway
 * API digest 4, 5.3, 5.4.
 */

/** The region the bridge serves, as its JWTs and requests name it. */
export interface RegionIdentity {
  /** Three-digit organization code (`120`). */
  readonly code: string;
  /** The organization's description, exactly as the Gateway's table spells it (`Regione Lazio`). */
  readonly name: string;
  /** The repositoryUniqueId of the region's repository. */
  readonly repositoryUniqueId: string;
  /** `id^vendor^version` used when neither the caller nor the metadata names the producing application. */
  readonly defaultApplication: string;
}

/**
 * Which Gateway operation, and its token rules. `access-update` is a metadata update that changes the P99 obscuring
 * (purpose ACCESS UPDATE, which the Gateway and INI accept for metadata updates only). See: Gateway API digest 5.4
 * (action and purpose per operation), 10.6; xds-ini digest 4.5 (last step), 6.14.
 */
export type GatewayOperationKind = 'create' | 'replace' | 'update' | 'access-update' | 'delete';

export interface GatewayRequestParts {
  /** The `requestBody` JSON, in the Gateway's field names. */
  readonly body: Record<string, unknown>;
  /** The FSE-JWT-Signature application claims (the minter adds `iss`, `aud`, times and `attachment_hash`). */
  readonly claims: SignatureClaims;
}

const LOINC = '2.16.840.1.113883.6.1';

/** `action_id` and `purpose_of_use` per operation. See: xds-ini digest 8.3 (last rows); Gateway API digest 5.4. */
const ACTION: Readonly<Record<GatewayOperationKind, { action: string; purpose: string }>> = {
  create: { action: 'CREATE', purpose: 'TREATMENT' },
  replace: { action: 'UPDATE', purpose: 'UPDATE' },
  update: { action: 'UPDATE', purpose: 'UPDATE' },
  'access-update': { action: 'UPDATE', purpose: 'ACCESS UPDATE' },
  delete: { action: 'DELETE', purpose: 'UPDATE' },
};

/** Pads a DTM to the Gateway's 14 digits (`yyyyMMddHHmmss`). See: xds-ini digest 8.3. */
const pad14 = (dtm: string | undefined): string | undefined => (dtm === undefined ? undefined : dtm.padEnd(14, '0'));

/** XCN `CF^...^^^^^^^&OID&ISO` -> CX `CF^^^&OID&ISO`, the shape of JWT `sub`. See: xds-ini digest 3.7, 10 item 16. */
export function xcnToCx(xcn: string | undefined): string | undefined {
  if (xcn === undefined) return undefined;
  const parts = xcn.split('^');
  const id = parts[0];
  const authority = parts[8] ?? `&${FISCAL_CODE_OID}&ISO`;
  return id ? `${id}^^^${authority}` : undefined;
}

function application(caller: CallerIdentity, entry: DocumentEntry, region: RegionIdentity): [string, string, string] {
  if (caller.applicationId && caller.applicationVendor && caller.applicationVersion) {
    return [caller.applicationId, caller.applicationVendor, caller.applicationVersion];
  }
  const fromSlot = entry.extraSlots[SLOT.subjectApplication]?.[0]?.split('^');
  const [id, vendor, version] = fromSlot && fromSlot.length === 3 ? fromSlot : region.defaultApplication.split('^');
  return [id ?? '', vendor ?? '', version ?? ''];
}

/** The request enum value of a coded value whose request spelling may differ (`MdsPN-DGC` -> `MdsPN_DGC`). */
function enumValue(set: { codes: readonly { code: string; value: string }[] }, code: string): string {
  return set.codes.find((c) => c.code === code)?.value ?? code;
}

/**
 * The metadata fields of a request body (what a metadata update may carry), from a DocumentEntry and the
 * SubmissionSet it comes in. See: Gateway API digest 3.6, 4; xds-ini digest 8.3.
 */
export function metadataFieldsOf(entry: DocumentEntry, ss: SubmissionSet, xds: XdsValueSets = xdsValueSets()): Record<string, unknown> {
  const slotValues = (name: string) => entry.extraSlots[name] ?? [];
  const body: Record<string, unknown> = {
    tipologiaStruttura: enumValue(xds.facilityTypes, entry.healthcareFacilityTypeCode.code),
    tipoDocumentoLivAlto: entry.classCode.code,
    assettoOrganizzativo: entry.practiceSettingCode.code,
    tipoAttivitaClinica: enumValue(xds.contentTypes, ss.contentTypeCode.code),
    identificativoSottomissione: ss.uniqueId,
  };
  if (entry.eventCodes.length > 0) body.attiCliniciRegoleAccesso = entry.eventCodes.map((c) => c.code);
  if (entry.serviceStartTime !== undefined) body.dataInizioPrestazione = pad14(entry.serviceStartTime);
  if (entry.serviceStopTime !== undefined) body.dataFinePrestazione = pad14(entry.serviceStopTime);
  const repositoryType = slotValues(SLOT.repositoryType)[0];
  if (repositoryType !== undefined) body.conservazioneANorma = repositoryType;
  if (slotValues(SLOT.description).length > 0) body.descriptions = slotValues(SLOT.description);
  if (slotValues(SLOT.administrativeRequest).length > 0) body.administrativeRequest = slotValues(SLOT.administrativeRequest).map((v) => v.split('^')[0]);
  return body;
}

/**
 * The FSE-JWT-Signature claims of a call about `entry`, for the caller: its SAML or certificate identity where it
 * speaks, the entry's first author otherwise. Throws XDSRepositoryMetadataError when no operator can be named.
 */
export function claimsOf(entry: DocumentEntry, caller: CallerIdentity, region: RegionIdentity, operation: GatewayOperationKind): SignatureClaims {
  const author: Author | undefined = entry.authors[0];
  const sub = caller.subjectId ?? xcnToCx(author?.person);
  if (sub === undefined) {
    throw new XdsError('XDSRepositoryMetadataError', `DocumentEntry ${entry.uniqueId}: no operator identity (SAML subject, client certificate or authorPerson)`, { location: entry.uniqueId });
  }
  const [appId, vendor, version] = application(caller, entry, region);
  return {
    sub,
    subject_role: caller.role ?? author?.roles[0],
    subject_organization_id: region.code,
    subject_organization: region.name,
    locality: caller.locality ?? author?.institutions[0],
    purpose_of_use: ACTION[operation].purpose,
    action_id: ACTION[operation].action,
    ...(operation === 'delete' ? {} : { resource_hl7_type: `('${entry.typeCode.code}^^${LOINC}')` }),
    person_id: entry.patientId,
    // A legacy producer cannot state the patient's consent; publication does not depend on it, the Gateway wants
    // the claim present, and the caller's assertion wins when it says otherwise. See: Gateway API digest 5.3.
    patient_consent: caller.patientConsent ?? true,
    subject_application_id: appId,
    subject_application_vendor: vendor,
    subject_application_version: version,
  };
}

/** The body and claims of a create or replace (validate-and-*) for one submitted DocumentEntry. */
export function gatewayRequestOf(submission: Submission, entry: DocumentEntry, caller: CallerIdentity, region: RegionIdentity,
  operation: 'create' | 'replace', xds: XdsValueSets = xdsValueSets()): GatewayRequestParts {
  const body = {
    healthDataFormat: 'CDA',
    identificativoDoc: entry.uniqueId,
    identificativoRep: region.repositoryUniqueId,
    ...metadataFieldsOf(entry, submission.submissionSet, xds),
  };
  return { body, claims: claimsOf(entry, caller, region, operation) };
}

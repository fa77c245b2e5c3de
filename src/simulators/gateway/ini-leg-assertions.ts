import type { SignatureClaims } from '../../jwt/claims.js';
import type { AssertionAttributeValues } from '../../saml/assertion-builder.js';
import { buildSignedAssertion } from '../../saml/assertion-signer.js';
import type { SamlSigner } from '../../saml/saml-signer.js';
import { FISCAL_CODE_OID } from '../../domain/ids.js';

/**
 * The assertions the simulated Gateway sends INI, per operation as the real one builds them: Issuer the JWT's
 * `subject_organization_id`, NameID and subject-id the operator (CF of `sub` re-suffixed with the MEF authority),
 * the JWT's role, purpose of use and action for writes; for its own reads (GetDocuments) role `GTW`, purposeofuse
 * `UPDATE`, action-id `READ`, and subject-id only when `use_subject_as_author`. See: xds-ini digest 6.2, 7.1-7.3.
 */

/** The Gateway's identity in `SubjectAuthenticator`. See: xds-ini digest 7.2 item 14. */
const SUBJECT_AUTHENTICATOR = 'GTW_950';

/** The operator as the Gateway names it: the part of `sub` before the first `^`, plus `^^^&<MEF OID>&ISO`. */
export function operatorOf(claims: SignatureClaims): string {
  return `${(claims.sub ?? '').split('^')[0] ?? ''}^^^&${FISCAL_CODE_OID}&ISO`;
}

export type AssertionUse = 'write' | 'read';

function attributesOf(claims: SignatureClaims, use: AssertionUse): AssertionAttributeValues {
  const operator = operatorOf(claims);
  const reading = use === 'read';
  const withSubject = !reading || claims.use_subject_as_author === true;
  return {
    ...(claims.patient_consent === undefined ? {} : { patientConsent: claims.patient_consent }),
    role: reading ? 'GTW' : claims.subject_role ?? '',
    ...(withSubject ? { subjectId: operator } : {}),
    ...(claims.resource_hl7_type ? { documentTypes: claims.resource_hl7_type } : {}),
    locality: claims.locality ?? '',
    purposeOfUse: reading ? 'UPDATE' : claims.purpose_of_use ?? '',
    organizationId: claims.subject_organization_id ?? '',
    organization: claims.subject_organization ?? '',
    resourceId: claims.person_id ?? '',
    actionId: reading ? 'READ' : claims.action_id ?? '',
    applicationId: claims.subject_application_id ?? '',
    applicationVendor: claims.subject_application_vendor ?? '',
    applicationVersion: claims.subject_application_version ?? '',
    subjectAuthenticator: SUBJECT_AUTHENTICATOR,
  };
}

/** Signs the assertion of one INI call made on behalf of the caller whose JWT claims these are. */
export function gatewayAssertion(claims: SignatureClaims, use: AssertionUse, signer: SamlSigner): string {
  return buildSignedAssertion({
    issuer: claims.subject_organization_id ?? '',
    subjectNameId: operatorOf(claims),
    attributes: attributesOf(claims, use),
  }, signer).xml;
}

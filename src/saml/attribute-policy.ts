import { isValidCxFiscalCode } from '../jwt/claims.js';
import type { ValueSets } from '../mappings/value-sets.js';
import { SAML_ATTRIBUTE, type SamlAttributeKey } from './assertion-attributes.js';
import { SamlError } from './saml-error.js';
import type { SignedAssertionContent } from './signed-assertion-reader.js';

/**
 * The attribute checks on a signed assertion: the attributes a use requires, single values, and the value sets of
 * `mappings/` (roles, purposes of use, organizations, action ids), with the patient id a well-formed CX.
 * Codes are compared exactly: SAML carries the codes themselves. See: xds-ini digest 6.12-6.15, 7.2, 7.6.
 */

/** What a use of the assertion requires of its attributes. */
export interface AttributePolicy {
  readonly required: readonly SamlAttributeKey[];
  /** The value sets to check against; `undefined` skips the value-set checks (not the shape checks). */
  readonly valueSets: ValueSets | undefined;
  /** action-id coherent with the operation (READ for ITI-18/43, CREATE for ITI-42, ...). See: xds-ini digest 7.6. */
  readonly allowedActionIds?: readonly string[];
  readonly allowedPurposesOfUse?: readonly string[];
}

/** What INI and the regions always send (digest 7.2), the default of `requiredAttributes`. */
export const DEFAULT_REQUIRED_ATTRIBUTES: readonly SamlAttributeKey[] = [
  'role', 'purposeOfUse', 'organizationId', 'organization', 'resourceId', 'actionId',
];

const OID = /^[0-2](\.(0|[1-9]\d*))+$/u;

/**
 * A well-formed CX with an ISO assigning authority (`ID^^^&OID&ISO`); with the MEF OID, ID must be a valid fiscal code
 * (special codes such as STP/ENI included: a patient may have one). See: xds-ini digest 3.7, 6.2.
 */
export function isWellFormedCx(value: string): boolean {
  const separator = value.indexOf('^^^');
  if (separator <= 0) return false;
  const id = value.slice(0, separator);
  const authority = value.slice(separator + 3).split('&');
  if (id.includes('^') || id.includes('&') || authority.length !== 3) return false;
  const [namespace, oid, type] = authority;
  if (namespace !== '' || oid === undefined || !OID.test(oid) || type !== 'ISO') return false;
  return isValidCxFiscalCode(value, true);
}

function valueOf(content: SignedAssertionContent, key: SamlAttributeKey): string | undefined {
  return content.attributes[SAML_ATTRIBUTE[key]]?.[0];
}

function refuse(key: SamlAttributeKey, value: string, why: string): never {
  throw new SamlError('attribute', `attribute ${SAML_ATTRIBUTE[key]} = ${JSON.stringify(value)} ${why}`);
}

function checkShape(content: SignedAssertionContent, required: readonly SamlAttributeKey[]): void {
  for (const key of Object.keys(SAML_ATTRIBUTE) as SamlAttributeKey[]) {
    const values = content.attributes[SAML_ATTRIBUTE[key]];
    if (values === undefined) {
      if (required.includes(key)) throw new SamlError('attribute', `required attribute ${SAML_ATTRIBUTE[key]} is missing`);
      continue;
    }
    // Every attribute of digest 7.2 has one value; an empty one is as good as none, and a second one is ambiguous.
    if (values.length !== 1 || values[0] === '') {
      throw new SamlError('attribute', `attribute ${SAML_ATTRIBUTE[key]} must have exactly one non-empty value`);
    }
  }
  const consent = valueOf(content, 'patientConsent');
  // CallerIdentity reads anything but "true" as false: "1" (a legal xs:boolean) would silently flip.
  if (consent !== undefined && consent !== 'true' && consent !== 'false') refuse('patientConsent', consent, 'is not true or false');
  const resourceId = valueOf(content, 'resourceId');
  if (resourceId !== undefined && !isWellFormedCx(resourceId)) refuse('resourceId', resourceId, 'is not a well-formed CX');
}

function checkValueSets(content: SignedAssertionContent, sets: ValueSets): void {
  const inSet = (key: SamlAttributeKey, list: readonly { code: string }[]): void => {
    const value = valueOf(content, key);
    if (value !== undefined && !list.some((entry) => entry.code === value)) refuse(key, value, 'is not in its value set');
  };
  inSet('role', sets.subjectRoles);
  inSet('purposeOfUse', sets.purposesOfUse);
  inSet('actionId', sets.actionIds);
  inSet('organizationId', sets.organizations);
  const organizationId = valueOf(content, 'organizationId');
  const organization = valueOf(content, 'organization');
  const entry = sets.organizations.find((o) => o.code === organizationId);
  // Code and display text must name the same organization, as the Gateway checks. See: xds-ini digest 6.12.
  if (entry !== undefined && organization !== undefined && entry.description.toLowerCase() !== organization.toLowerCase()) {
    refuse('organization', organization, `does not match organization-id ${entry.code} (${entry.description})`);
  }
}

/**
 * Applies the policy to the signed attributes.
 * @throws SamlError `attribute`.
 */
export function checkAttributes(content: SignedAssertionContent, policy: AttributePolicy): void {
  checkShape(content, policy.required);
  if (policy.valueSets !== undefined) checkValueSets(content, policy.valueSets);
  const actionId = valueOf(content, 'actionId');
  if (policy.allowedActionIds !== undefined && (actionId === undefined || !policy.allowedActionIds.includes(actionId))) {
    refuse('actionId', actionId ?? '', `is not allowed here (${policy.allowedActionIds.join(', ')})`);
  }
  const purpose = valueOf(content, 'purposeOfUse');
  if (policy.allowedPurposesOfUse !== undefined && (purpose === undefined || !policy.allowedPurposesOfUse.includes(purpose))) {
    refuse('purposeOfUse', purpose ?? '', `is not allowed here (${policy.allowedPurposesOfUse.join(', ')})`);
  }
}

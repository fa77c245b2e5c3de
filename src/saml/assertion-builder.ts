import { randomUUID } from 'node:crypto';
import { NS } from '../xml/xml-toolkit.js';
import { writeXml, type XmlBuilder } from '../xml/xml-writer.js';
import { SAML_ATTRIBUTE, type SamlAttributeKey } from './assertion-attributes.js';
import { AUTHN_CONTEXT_X509, NAME_FORMAT } from './saml-vocabulary.js';

/**
 * Builds the unsigned SAML 2.0 assertion INI expects, element by element through the project's XML writer.
 * See: xds-ini digest 7.1 (structure), 7.2 (attributes, order, NameFormats), 7.3 (per-operation values).
 */

/**
 * The attribute values of digest 7.2. Optional where the digest says a value may be absent; an absent (or empty)
 * value is left out, never sent empty (pitfall 24 applies to attributes as much as to slots).
 */
export interface AssertionAttributeValues {
  /** `resource:patient:consent`; omitted when unknown. */
  readonly patientConsent?: boolean;
  /** `subject:role` (AAS, APR, ...; `GTW` for the Gateway's own reads). See: xds-ini digest 6.13. */
  readonly role: string;
  /** `subject:subject-id`, operator CX; left out on reads unless the operator is the author. See: 7.2 item 3. */
  readonly subjectId?: string;
  /** `resource:hl7:type` (`('11502-2^^2.16.840.1.113883.6.1')`); may be absent on delete. See: 7.2 item 4. */
  readonly documentTypes?: string;
  /** `environment:locality`, XON of the operator's facility. */
  readonly locality: string;
  /** `subject:purposeofuse`. See: xds-ini digest 6.14. */
  readonly purposeOfUse: string;
  /** `subject:organization-id`, 3-digit code. See: xds-ini digest 6.12. */
  readonly organizationId: string;
  /** `subject:organization`, the display text of the code. */
  readonly organization: string;
  /** `resource:resource-id`, patient CX. */
  readonly resourceId: string;
  /** `action:action-id`: CREATE, READ, UPDATE, DELETE. See: xds-ini digest 6.15. */
  readonly actionId: string;
  readonly applicationId: string;
  readonly applicationVendor: string;
  readonly applicationVersion: string;
  /** `SubjectAuthenticator` (`GTW_950` for the Gateway; a region's own value is an open question, Appendix B). */
  readonly subjectAuthenticator?: string;
}

/** What an assertion states. */
export interface AssertionInput {
  /** `saml2:Issuer`: the organization code of the caller (`120`). */
  readonly issuer: string;
  /** `saml2:Subject/saml2:NameID`: operator CX (`CF^^^&2.16.840.1.113883.2.9.4.3.2&ISO`). */
  readonly subjectNameId: string;
  readonly attributes: AssertionAttributeValues;
  /** IssueInstant and AuthnInstant; the validity window defaults around it. Default: the current time. */
  readonly now?: Date;
  /** Default: `now` - 5 minutes. See: xds-ini digest 7.1 (short window). */
  readonly notBefore?: Date;
  /** Default: `now` + 1 hour. */
  readonly notOnOrAfter?: Date;
  /** Audience(s) of an `AudienceRestriction`; none by default, as the Gateway sends none. */
  readonly audience?: string | readonly string[];
}

/** An assertion ready to be signed: its ID and its XML (nothing else may edit it). */
export interface UnsignedAssertion {
  /** `_` + random UUID. */
  readonly id: string;
  readonly xml: string;
}

const MINUTE_MS = 60_000;

/** The 14 attributes in the order the Gateway emits them, with their NameFormat. See: xds-ini digest 7.2. */
const ATTRIBUTE_ORDER: readonly [SamlAttributeKey & keyof AssertionAttributeValues, string][] = [
  ['patientConsent', NAME_FORMAT.uri],
  ['role', NAME_FORMAT.uri],
  ['subjectId', NAME_FORMAT.uri],
  ['documentTypes', NAME_FORMAT.uri],
  ['locality', NAME_FORMAT.uri],
  ['purposeOfUse', NAME_FORMAT.uri],
  ['organizationId', NAME_FORMAT.uri],
  ['organization', NAME_FORMAT.uri],
  ['resourceId', NAME_FORMAT.uri],
  ['actionId', NAME_FORMAT.uri],
  ['applicationId', NAME_FORMAT.basic],
  ['applicationVendor', NAME_FORMAT.basic],
  ['applicationVersion', NAME_FORMAT.basic],
  ['subjectAuthenticator', NAME_FORMAT.basic],
];

const REQUIRED: readonly (keyof AssertionAttributeValues)[] = [
  'role', 'locality', 'purposeOfUse', 'organizationId', 'organization', 'resourceId', 'actionId',
  'applicationId', 'applicationVendor', 'applicationVersion',
];

function valueOf(attributes: AssertionAttributeValues, key: keyof AssertionAttributeValues): string | undefined {
  const value = attributes[key];
  if (value === undefined) return undefined;
  const text = typeof value === 'boolean' ? String(value) : value;
  return text === '' ? undefined : text;
}

function checkInput(input: AssertionInput, notBefore: Date, notOnOrAfter: Date): void {
  const missing: string[] = REQUIRED.filter((key) => valueOf(input.attributes, key) === undefined);
  if (input.subjectNameId === '') missing.unshift('subjectNameId');
  if (input.issuer === '') missing.unshift('issuer');
  if (missing.length > 0) throw new Error(`SAML assertion: missing ${missing.join(', ')}`);
  if (!(notBefore.getTime() < notOnOrAfter.getTime())) {
    throw new Error('SAML assertion: NotBefore must precede NotOnOrAfter');
  }
}

function addAttributes(statement: XmlBuilder, attributes: AssertionAttributeValues): void {
  for (const [key, nameFormat] of ATTRIBUTE_ORDER) {
    const value = valueOf(attributes, key);
    if (value === undefined) continue;
    statement
      .ele(NS.saml2, 'saml2:Attribute', { Name: SAML_ATTRIBUTE[key], NameFormat: nameFormat })
      // Every value is typed xs:string, which is why the exc-c14n transform keeps the xs prefix. See: 7.1, 7.4.
      .ele(NS.saml2, 'saml2:AttributeValue', { 'xsi:type': 'xs:string' }).txt(value).up()
      .up();
  }
}

/**
 * Builds the unsigned assertion. The saml2, xs and xsi namespaces are declared on the Assertion element itself so that
 * the signed subtree is self-contained wherever it is later placed. See: xds-ini digest 7.4 (implementation notes).
 * @throws Error when a required value is missing or the validity window is empty (a programming error, not input).
 */
export function buildAssertion(input: AssertionInput): UnsignedAssertion {
  const now = input.now ?? new Date();
  const notBefore = input.notBefore ?? new Date(now.getTime() - 5 * MINUTE_MS);
  const notOnOrAfter = input.notOnOrAfter ?? new Date(now.getTime() + 60 * MINUTE_MS);
  checkInput(input, notBefore, notOnOrAfter);
  const id = `_${randomUUID()}`;
  const instant = now.toISOString();
  const audiences = input.audience === undefined ? [] : typeof input.audience === 'string' ? [input.audience] : input.audience;
  const xml = writeXml((doc) => {
    const assertion = doc.ele(NS.saml2, 'saml2:Assertion', {
      'xmlns:saml2': NS.saml2, 'xmlns:xs': NS.xs, 'xmlns:xsi': NS.xsi, ID: id, IssueInstant: instant, Version: '2.0',
    });
    // No Format attribute on Issuer or NameID, no SubjectConfirmation: as the Gateway. See: xds-ini digest 7.1.
    assertion.ele(NS.saml2, 'saml2:Issuer').txt(input.issuer);
    assertion.ele(NS.saml2, 'saml2:Subject').ele(NS.saml2, 'saml2:NameID').txt(input.subjectNameId);
    const conditions = assertion.ele(NS.saml2, 'saml2:Conditions', {
      NotBefore: notBefore.toISOString(), NotOnOrAfter: notOnOrAfter.toISOString(),
    });
    if (audiences.length > 0) {
      const restriction = conditions.ele(NS.saml2, 'saml2:AudienceRestriction');
      for (const audience of audiences) restriction.ele(NS.saml2, 'saml2:Audience').txt(audience);
    }
    assertion.ele(NS.saml2, 'saml2:AuthnStatement', { AuthnInstant: instant })
      .ele(NS.saml2, 'saml2:AuthnContext')
      .ele(NS.saml2, 'saml2:AuthnContextClassRef').txt(AUTHN_CONTEXT_X509);
    addAttributes(assertion.ele(NS.saml2, 'saml2:AttributeStatement'), input.attributes);
  });
  return { id, xml };
}

import type { XmlElement } from 'libxml2-wasm';
import type { CallerIdentity } from '../domain/caller.js';
import { NS, parseXml } from '../xml/xml-toolkit.js';
import { identityOfAssertion } from './assertion-attributes.js';
import { SamlError } from './saml-error.js';

/**
 * Reads an assertion from the canonical XML its signature covers (never from the tree it arrived in, so that nothing
 * unsigned can be read: the lesson of every XSW attack). See: xds-ini digest 7.1, 7.2; xml-crypto README.
 */

/** What the signed assertion states, before any policy is applied. */
export interface SignedAssertionContent {
  readonly id: string;
  readonly issuer: string;
  readonly issueInstant: Date;
  readonly nameId: string;
  readonly nameIdFormat?: string;
  readonly notBefore?: Date;
  readonly notOnOrAfter?: Date;
  /** One list of audiences per `AudienceRestriction`. */
  readonly audienceRestrictions: readonly (readonly string[])[];
  /** Every attribute by Name, values trimmed, in document order. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** The attributes of digest 7.2 as a caller identity. */
  readonly identity: CallerIdentity;
}

const ns = { saml2: NS.saml2 };
/** xs:dateTime in UTC, as SAML requires for every time value. See: SAML 2.0 Core 1.3.3. */
const UTC_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z$/u;

function elements(el: XmlElement, xpath: string): XmlElement[] {
  return el.find(xpath, ns).filter((node): node is XmlElement => 'attrs' in node);
}

function one(el: XmlElement, xpath: string, what: string): XmlElement {
  const found = elements(el, xpath);
  if (found.length !== 1 || found[0] === undefined) throw new SamlError('malformed', `the assertion must have exactly one ${what}, found ${found.length}`);
  return found[0];
}

function atMostOne(el: XmlElement, xpath: string, what: string): XmlElement | undefined {
  const found = elements(el, xpath);
  if (found.length > 1) throw new SamlError('malformed', `the assertion has ${found.length} ${what} elements`);
  return found[0];
}

/** Parses a SAML time value; exported for the tests of the time checks. */
export function parseSamlInstant(value: string | undefined, what: string): Date {
  const match = value === undefined ? null : UTC_INSTANT.exec(value);
  // Fractions beyond milliseconds are dropped: Date has no finer resolution.
  const ms = match ? Date.parse(`${match[1]}${(match[2] ?? '.000').slice(0, 4).padEnd(4, '0')}Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new SamlError('malformed', `${what} ${value ?? '(none)'} is not a UTC xs:dateTime`);
  return new Date(ms);
}

function optionalInstant(el: XmlElement | undefined, name: string, what: string): Date | undefined {
  const value = el?.attr(name)?.value;
  return value === undefined ? undefined : parseSamlInstant(value, what);
}

function readAttributes(root: XmlElement): Record<string, string[]> {
  const attributes: Record<string, string[]> = {};
  for (const attribute of elements(root, 'saml2:AttributeStatement/saml2:Attribute')) {
    const name = attribute.attr('Name')?.value;
    if (name === undefined || name === '') throw new SamlError('attribute', 'a saml2:Attribute has no Name');
    // Two attributes with one Name leave a reader free to pick either: refused rather than guessed.
    if (Object.hasOwn(attributes, name)) throw new SamlError('attribute', `attribute ${name} is repeated`);
    const values = elements(attribute, 'saml2:AttributeValue');
    if (values.some((value) => elements(value, '*').length > 0)) {
      throw new SamlError('attribute', `attribute ${name} has a structured value; INI attributes are strings`);
    }
    attributes[name] = values.map((value) => value.content.trim());
  }
  return attributes;
}

/**
 * Parses the signed canonical XML and reads it.
 * @param expectedId the ID the Reference pointed to; the signed content must be that Assertion.
 * @throws SamlError `malformed` or `attribute`.
 */
export function readSignedAssertion(signedXml: string, expectedId: string): SignedAssertionContent {
  let doc;
  try {
    doc = parseXml(signedXml, 'signed-assertion.xml');
  } catch (error) {
    throw new SamlError('wrapping', 'the signed content cannot be parsed again', { cause: error });
  }
  try {
    const root = doc.root;
    if (root.name !== 'Assertion' || root.namespaceUri !== NS.saml2 || root.attr('ID')?.value !== expectedId) {
      throw new SamlError('wrapping', 'the signed content is not the referenced Assertion');
    }
    const issuer = one(root, 'saml2:Issuer', 'saml2:Issuer').content.trim();
    if (issuer === '') throw new SamlError('malformed', 'the Issuer is empty');
    const subject = one(root, 'saml2:Subject', 'saml2:Subject');
    const nameIdElement = one(subject, 'saml2:NameID', 'saml2:Subject/saml2:NameID');
    const nameId = nameIdElement.content.trim();
    if (nameId === '') throw new SamlError('malformed', 'the Subject NameID is empty');
    const conditions = atMostOne(root, 'saml2:Conditions', 'saml2:Conditions');
    const audienceRestrictions = conditions === undefined ? [] : elements(conditions, 'saml2:AudienceRestriction')
      .map((restriction) => elements(restriction, 'saml2:Audience').map((audience) => audience.content.trim()));
    return {
      id: expectedId,
      issuer,
      issueInstant: parseSamlInstant(root.attr('IssueInstant')?.value, 'IssueInstant'),
      nameId,
      nameIdFormat: nameIdElement.attr('Format')?.value,
      notBefore: optionalInstant(conditions, 'NotBefore', 'Conditions NotBefore'),
      notOnOrAfter: optionalInstant(conditions, 'NotOnOrAfter', 'Conditions NotOnOrAfter'),
      audienceRestrictions,
      attributes: readAttributes(root),
      identity: identityOfAssertion(root),
    };
  } finally {
    doc.dispose();
  }
}

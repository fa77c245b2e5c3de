import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { XmlDocument } from 'libxml2-wasm';
import { readValueSets } from '../../src/mappings/value-sets.ts';
import { verifyAssertion, type VerifyAssertionOptions } from '../../src/saml/assertion-verifier.ts';
import { isWellFormedCx } from '../../src/saml/attribute-policy.ts';
import { SAML_FAULT_SUBCODE, SamlError, type SamlFailureReason } from '../../src/saml/saml-error.ts';
import { DSIG } from '../../src/saml/saml-vocabulary.ts';
import { NOW, options, PATIENT, refused, signedSample, signWith, trustedSigner, unsignedSample } from './saml-fixtures.ts';
import { setText, tamper, the } from './xml-surgery.ts';

/**
 * The policy on a good signature: time window with skew against the `now` given, audience, issuer, required
 * attributes and value sets. See: xds-ini digest 6.12-6.15, 7.6.
 */

const MINUTE = 60_000;
const at = (offsetMs: number, extra: Partial<VerifyAssertionOptions> = {}): VerifyAssertionOptions =>
  ({ ...options, now: new Date(NOW.getTime() + offsetMs), ...extra });
/** Edits an unsigned sample, then has the trusted signer sign it: values the builder would never write. */
const signedAfter = (edit: (doc: XmlDocument) => void): string => signWith(tamper(unsignedSample(), edit));
const ROLE = "//saml2:Attribute[@Name='urn:oasis:names:tc:xacml:2.0:subject:role']";

describe('time: NotBefore/NotOnOrAfter with the skew, against the given now', () => {
  const window = { notBefore: new Date(NOW.getTime() + 10 * MINUTE), notOnOrAfter: new Date(NOW.getTime() + 70 * MINUTE) };

  test('expired exactly at NotOnOrAfter + skew, valid one millisecond before', () => {
    const xml = signedSample(window);
    assert.equal(verifyAssertion(xml, at(75 * MINUTE - 1)).issuer, '120');
    refused(xml, 'expired', /expired at/, at(75 * MINUTE));
    refused(xml, 'expired', undefined, at(70 * MINUTE, { clockSkewSeconds: 0 }));
  });

  test('not yet valid before NotBefore - skew; the skew is configurable', () => {
    const xml = signedSample(window);
    assert.equal(verifyAssertion(xml, at(5 * MINUTE)).issuer, '120');
    refused(xml, 'not-yet-valid', /valid from/, at(5 * MINUTE - 1));
    refused(xml, 'not-yet-valid', undefined, at(10 * MINUTE - 1, { clockSkewSeconds: 0 }));
    assert.equal(verifyAssertion(xml, at(10 * MINUTE, { clockSkewSeconds: 0 })).issuer, '120');
  });

  test('an IssueInstant beyond now + skew is refused even inside the window', () => {
    const xml = signedSample({ notBefore: new Date(NOW.getTime() - 60 * MINUTE) });
    refused(xml, 'not-yet-valid', /issued in the future/, at(-5 * MINUTE - 1));
    assert.equal(verifyAssertion(xml, at(-5 * MINUTE)).issuer, '120');
  });

  test('an assertion without NotOnOrAfter would never expire and is refused', () => {
    refused(signedAfter((doc) => { the(doc, '//saml2:Conditions').attr('NotOnOrAfter')!.remove(); }), 'malformed', /NotOnOrAfter is required/);
  });

  test('time values must be UTC xs:dateTime', () => {
    refused(signedAfter((doc) => { the(doc, '//saml2:Conditions').attr('NotBefore')!.value = '2025-01-10T09:00:00+01:00'; }), 'malformed', /UTC/);
  });
});

describe('audience and issuer', () => {
  test('an expected audience needs an AudienceRestriction that names it, in every restriction', () => {
    refused(signedSample(), 'audience', /no AudienceRestriction/, { ...options, audience: 'urn:region:120' });
    refused(signedSample({ audience: 'urn:region:090' }), 'audience', /not addressed/, { ...options, audience: 'urn:region:120' });
    const two = signedAfter((doc) => {
      the(doc, '//saml2:Conditions').addElement('AudienceRestriction', 'saml2').addElement('Audience', 'saml2').addText('urn:region:120');
      the(doc, '//saml2:Conditions').addElement('AudienceRestriction', 'saml2').addElement('Audience', 'saml2').addText('urn:region:090');
    });
    refused(two, 'audience', /not addressed/, { ...options, audience: 'urn:region:120' });
  });

  test('an issuer not allowed; an issuer the signing certificate may not speak for', () => {
    refused(signedSample({ issuer: '150' }), 'issuer', /150 is not allowed/);
    const bound = { ...options, trustedSigners: [{ certificate: trustedSigner.certificate, issuers: ['000'] }] };
    refused(signedSample(), 'issuer', /for the certificate/, bound);
    assert.equal(verifyAssertion(signedSample({ issuer: '000' }), bound).issuer, '000');
  });

  test('a pinned certificate outside its validity does not verify anything', () => {
    const later = new Date(NOW.getTime() + 10 * 365 * 24 * 60 * MINUTE);
    refused(signedSample(), 'untrusted-key', /not valid at/, { ...options, now: later });
    refused(signWith(unsignedSample(), { keyInfo: false }), 'untrusted-key', /no trusted SAML signer certificate is valid/, { ...options, now: later });
  });
});

describe('attributes: required ones and value sets', () => {
  test('a required attribute missing (subject-id, required by this use)', () => {
    const xml = signedSample({}, { subjectId: undefined });
    refused(xml, 'attribute', /required attribute urn:oasis:names:tc:xacml:1.0:subject:subject-id is missing/, {
      ...options, requiredAttributes: ['subjectId', 'role'],
    });
  });

  test('values outside their value sets: purposeofuse HACKING, an unknown role, a lower-case action', () => {
    refused(signedSample({}, { purposeOfUse: 'HACKING' }), 'attribute', /purposeofuse = "HACKING" is not in its value set/);
    refused(signedSample({}, { role: 'XXX' }), 'attribute', /subject:role/);
    refused(signedSample({}, { actionId: 'create' }), 'attribute', /action-id/);
    refused(signedSample({}, { organizationId: '121' }), 'attribute', /organization-id/);
  });

  test('organization and organization-id must name the same organization', () => {
    refused(signedSample({}, { organization: 'Regione Sicilia' }), 'attribute', /does not match organization-id 120/);
    assert.equal(verifyAssertion(signedSample({}, { organization: 'REGIONE LAZIO' }), options).identity.organizationId, '120');
  });

  test('the resource-id must be a well-formed CX, with a valid fiscal code under the MEF OID', () => {
    refused(signedSample({}, { resourceId: 'RSSMRA75C03F839K' }), 'attribute', /well-formed CX/);
    refused(signedSample({}, { resourceId: 'RSSMRA75C03F839X^^^&2.16.840.1.113883.2.9.4.3.2&ISO' }), 'attribute', /well-formed CX/);
    assert.equal(isWellFormedCx(PATIENT), true);
    assert.equal(isWellFormedCx('STP1234567890123^^^&2.16.840.1.113883.2.9.4.3.2&ISO'), true);
    assert.equal(isWellFormedCx('ABC123^^^&2.16.840.1.113883.2.9.4.3.7&ISO'), true);
    assert.equal(isWellFormedCx('ABC123^^^&2.16.840.1.113883.2.9.4.3.7&L'), false);
    assert.equal(isWellFormedCx('ABC123^^^&not.an.oid&ISO'), false);
  });

  test('a consent that is not true/false, a repeated attribute, a second value', () => {
    const consent = "//saml2:Attribute[@Name='urn:oasis:names:tc:xspa:1.0:resource:patient:consent']/saml2:AttributeValue";
    refused(signedAfter((doc) => setText(the(doc, consent), '1')), 'attribute', /not true or false/);
    refused(signedAfter((doc) => {
      const again = the(doc, ROLE).appendElement('Attribute', 'saml2');
      again.setAttr('Name', 'urn:oasis:names:tc:xacml:2.0:subject:role');
      again.addElement('AttributeValue', 'saml2').addText('DRS');
    }), 'attribute', /is repeated/);
    refused(signedAfter((doc) => { the(doc, ROLE).addElement('AttributeValue', 'saml2').addText('DRS'); }), 'attribute', /exactly one non-empty value/);
  });

  test('action-id and purposeofuse coherent with the operation', () => {
    refused(signedSample(), 'attribute', /not allowed here \(READ\)/, { ...options, allowedActionIds: ['READ'] });
    refused(signedSample(), 'attribute', /not allowed here/, { ...options, allowedPurposesOfUse: ['UPDATE'] });
    assert.equal(verifyAssertion(signedSample(), { ...options, allowedActionIds: ['CREATE'], allowedPurposesOfUse: ['TREATMENT'] }).identity.actionId, 'CREATE');
  });

  test('the value sets checked are the ones passed: deterministic and replaceable', () => {
    const sets = readValueSets();
    const narrowed = { ...sets, purposesOfUse: sets.purposesOfUse.filter((p) => p.code !== 'TREATMENT') };
    refused(signedSample(), 'attribute', /purposeofuse = "TREATMENT"/, { ...options, valueSets: narrowed });
    assert.equal(verifyAssertion(signedSample({}, { purposeOfUse: 'HACKING' }), { ...options, valueSets: false }).identity.purposeOfUse, 'HACKING');
  });
});

describe('options and errors', () => {
  test('SHA-1 is accepted in signature and digest only when allowed explicitly', () => {
    const xml = signWith(unsignedSample(), { signatureAlgorithm: DSIG.rsaSha1, digestAlgorithm: DSIG.sha1 });
    refused(xml, 'algorithm');
    const verified = verifyAssertion(xml, { ...options, algorithms: { allowRsaSha1: true, allowSha1Digest: true } });
    assert.equal(verified.signatureAlgorithm, DSIG.rsaSha1);
    assert.equal(verified.digestAlgorithm, DSIG.sha1);
  });

  test('a misconfiguration is an Error, not a refusal of the caller', () => {
    assert.throws(() => verifyAssertion(signedSample(), { ...options, allowedIssuers: [] }), (e: unknown) => !(e instanceof SamlError) && /allowedIssuers/.test(String(e)));
    assert.throws(() => verifyAssertion(signedSample(), { ...options, trustedSigners: [] }), /trustedSigners/);
  });

  test('every reason maps to a WS-Security subcode of the front door', () => {
    const expected: Record<SamlFailureReason, string> = {
      malformed: 'wsse:InvalidSecurityToken', unsigned: 'wsse:InvalidSecurityToken', wrapping: 'wsse:InvalidSecurity',
      algorithm: 'wsse:InvalidSecurity', 'untrusted-key': 'wsse:FailedAuthentication', 'bad-signature': 'wsse:FailedAuthentication',
      expired: 'wsse:InvalidSecurityToken', 'not-yet-valid': 'wsse:InvalidSecurityToken', audience: 'wsse:FailedAuthentication',
      issuer: 'wsse:FailedAuthentication', attribute: 'wsse:FailedAuthentication',
    };
    assert.deepEqual(SAML_FAULT_SUBCODE, expected);
    assert.equal(new SamlError('wrapping', 'x').faultSubcode, 'wsse:InvalidSecurity');
  });
});

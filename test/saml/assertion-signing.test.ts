import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { XmlElement } from 'libxml2-wasm';
import { DEV_P12_PASSWORD } from '../../src/certs/dev-ca.ts';
import { findAssertion, identityOfAssertion, SAML_ATTRIBUTE } from '../../src/saml/assertion-attributes.ts';
import { buildAssertion } from '../../src/saml/assertion-builder.ts';
import { buildSignedAssertion, signAssertion } from '../../src/saml/assertion-signer.ts';
import { verifyAssertion } from '../../src/saml/assertion-verifier.ts';
import { loadSamlSigner } from '../../src/saml/saml-signer.ts';
import { DSIG, NAME_FORMAT } from '../../src/saml/saml-vocabulary.ts';
import { NS, withXml } from '../../src/xml/xml-toolkit.ts';
import { writeXml } from '../../src/xml/xml-writer.ts';
import {
  attackerPki, NOW, OPERATOR, options, PATIENT, read, sampleInput, signedSample, signWith, trustedPki, trustedSigner, xmlCryptoAlone,
} from './saml-fixtures.ts';
import { ns, setText, tamper, the, wrap } from './xml-surgery.ts';

const MINUTE = 60_000;
const children = (el: XmlElement): XmlElement[] => el.find('*').filter((n): n is XmlElement => 'attrs' in n);

describe('building and signing', () => {
  test('PEM signer: the round trip gives back the identity, the raw attributes and the validity window', () => {
    const xml = signedSample();
    const verified = verifyAssertion(xml, options);
    assert.match(verified.id, /^_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(verified.issuer, '120');
    assert.deepEqual(verified.subject, { nameId: OPERATOR, format: undefined });
    assert.deepEqual(verified.validity, { notBefore: new Date(NOW.getTime() - 5 * MINUTE), notOnOrAfter: new Date(NOW.getTime() + 60 * MINUTE) });
    assert.deepEqual(verified.issueInstant, NOW);
    assert.deepEqual(verified.identity, {
      source: 'saml', subjectId: OPERATOR, role: 'AAS', organizationId: '120', organization: 'Regione Lazio',
      locality: 'LAB^^^^^&2.16.840.1.113883.2.9.4.1.3&ISO^^^^190111123456', purposeOfUse: 'TREATMENT', actionId: 'CREATE',
      resourceId: PATIENT, patientConsent: true, documentTypes: "('11502-2^^2.16.840.1.113883.6.1')",
      applicationId: 'BARMED', applicationVendor: 'FOO SPA', applicationVersion: 'V.4.2.0', issuer: '120', credentialId: verified.id,
    });
    assert.deepEqual(verified.attributes[SAML_ATTRIBUTE.subjectAuthenticator], ['REG_120']);
    assert.equal(Object.keys(verified.attributes).length, 14);
    assert.equal(verified.signatureAlgorithm, DSIG.rsaSha256);
    assert.equal(verified.digestAlgorithm, DSIG.sha256);
    assert.ok(verified.signer.raw.equals(trustedSigner.certificate.raw));
  });

  test('PKCS#12 signer: same key and certificate as the PEM files, and its assertions verify', () => {
    const p12 = loadSamlSigner({ pkcs12: readFileSync(trustedPki.signP12), password: DEV_P12_PASSWORD });
    // The keystore also holds the CA: the certificate chosen is the one of the key, not the first bag.
    assert.equal(p12.certificate.fingerprint256, trustedSigner.certificate.fingerprint256);
    assert.ok(p12.certificate.checkPrivateKey(trustedSigner.privateKey));
    const verified = verifyAssertion(buildSignedAssertion(sampleInput(), p12).xml, options);
    assert.equal(verified.identity.role, 'AAS');
    assert.throws(() => loadSamlSigner({ pkcs12: readFileSync(trustedPki.signP12), password: 'wrong' }), /cannot be read/);
    assert.throws(() => loadSamlSigner({ pkcs12: readFileSync(trustedPki.signP12), password: DEV_P12_PASSWORD, alias: 'other' }), /no private key named other/);
  });

  test('the loader refuses a certificate that does not match the key', () => {
    assert.throws(
      () => loadSamlSigner({ certificatePem: read(attackerPki.signCert), privateKeyPem: read(trustedPki.signKey) }),
      /no certificate in the PEM bundle matches the private key/,
    );
  });

  test('the signed XML has the shape of digest 7.4: Signature after Issuer, exc-c14n with PrefixList xs, RSA-SHA256, the certificate', () => {
    const xml = signedSample();
    assert.ok(xml.startsWith('<saml2:Assertion '), 'no XML declaration: the assertion goes into a header as it is');
    withXml(xml, (doc) => {
      const root = doc.root;
      assert.deepEqual(root.nsDeclarations, { saml2: NS.saml2, xs: NS.xs, xsi: NS.xsi });
      assert.deepEqual(children(root).map((c) => c.name), ['Issuer', 'Signature', 'Subject', 'Conditions', 'AuthnStatement', 'AttributeStatement']);
      const id = root.attr('ID')?.value;
      assert.equal(the(doc, '//ds:SignedInfo/ds:CanonicalizationMethod').attr('Algorithm')?.value, DSIG.excC14n);
      assert.equal(the(doc, '//ds:SignatureMethod').attr('Algorithm')?.value, DSIG.rsaSha256);
      assert.equal(the(doc, '//ds:Reference').attr('URI')?.value, `#${id}`);
      const transforms = doc.find('//ds:Transform', ns) as XmlElement[];
      assert.deepEqual(transforms.map((t) => t.attr('Algorithm')?.value), [DSIG.envelopedSignature, DSIG.excC14n]);
      const inclusive = the(transforms[1] as XmlElement, '*');
      assert.equal(inclusive.name, 'InclusiveNamespaces');
      assert.equal(inclusive.namespaceUri, DSIG.excC14n);
      assert.equal(inclusive.attr('PrefixList')?.value, 'xs');
      assert.equal(the(doc, '//ds:DigestMethod').attr('Algorithm')?.value, DSIG.sha256);
      const der = Buffer.from(the(doc, '//ds:KeyInfo/ds:X509Data/ds:X509Certificate').content, 'base64');
      assert.ok(new X509Certificate(der).raw.equals(trustedSigner.certificate.raw));
      const attributes = doc.find('//saml2:Attribute', ns) as XmlElement[];
      assert.deepEqual(attributes.map((a) => a.attr('Name')?.value), Object.values(SAML_ATTRIBUTE));
      assert.deepEqual(attributes.map((a) => a.attr('NameFormat')?.value), [...Array(10).fill(NAME_FORMAT.uri), ...Array(4).fill(NAME_FORMAT.basic)]);
      const values = doc.find('//saml2:AttributeValue', ns) as XmlElement[];
      assert.ok(values.every((v) => v.attr('type', 'xsi')?.value === 'xs:string'));
      assert.equal(the(doc, '//saml2:AuthnContextClassRef').content, 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509');
    });
  });

  test('plain xml-crypto, given only the certificate, verifies the signature; the attacker certificate does not', () => {
    const xml = signedSample();
    assert.equal(xmlCryptoAlone(xml), true);
    assert.equal(xmlCryptoAlone(xml, read(attackerPki.signCert)), false);
  });

  test('absent optional values are left out, never sent empty', () => {
    const xml = signedSample({}, { patientConsent: undefined, subjectId: undefined, documentTypes: '', subjectAuthenticator: undefined });
    const verified = verifyAssertion(xml, options);
    const names = Object.keys(verified.attributes);
    assert.equal(names.length, 10);
    for (const absent of [SAML_ATTRIBUTE.patientConsent, SAML_ATTRIBUTE.subjectId, SAML_ATTRIBUTE.documentTypes, SAML_ATTRIBUTE.subjectAuthenticator]) {
      assert.ok(!names.includes(absent), absent);
    }
    // Without subject-id the identity falls back to the NameID, as assertion-attributes reads it.
    assert.equal(verified.identity.subjectId, OPERATOR);
    assert.equal(verified.identity.patientConsent, undefined);
  });

  test('an AudienceRestriction is written when asked for, and read back', () => {
    const xml = signedSample({ audience: ['urn:ini', 'urn:region:120'] });
    const verified = verifyAssertion(xml, { ...options, audience: 'urn:region:120' });
    assert.deepEqual(verified.audiences, ['urn:ini', 'urn:region:120']);
  });

  test('the builder refuses missing required values and an empty window; the signer an expired certificate', () => {
    assert.throws(() => buildAssertion(sampleInput({}, { role: '' })), /missing role/);
    assert.throws(() => buildAssertion(sampleInput({ issuer: '' })), /missing issuer/);
    assert.throws(() => buildAssertion(sampleInput({ notBefore: NOW, notOnOrAfter: NOW })), /NotBefore must precede/);
    const later = new Date(NOW.getTime() + 10 * 365 * 24 * 60 * MINUTE);
    assert.throws(() => signAssertion(buildAssertion(sampleInput()), trustedSigner, later), /not valid at/);
  });

  test('the Assertion element of a parsed wsse:Security header verifies in place, and its identity matches', () => {
    const header = writeXml((doc) => doc.ele(NS.soap12, 'env:Envelope', { 'xmlns:xs': NS.xs })
      .ele(NS.soap12, 'env:Header').ele(NS.wsse, 'wsse:Security'));
    const envelope = wrap(header, '//wsse:Security', signedSample());
    withXml(envelope, (doc) => {
      const assertion = findAssertion(the(doc, '//wsse:Security'));
      assert.ok(assertion);
      const verified = verifyAssertion(assertion, options);
      assert.deepEqual(verified.identity, identityOfAssertion(assertion));
    });
  });

  test('an Assertion signed in place that relies on namespaces declared on the envelope verifies as an element', () => {
    // A sender that declares saml2, xs and xsi on the Envelope only: exc-c14n covers the assertion just the same.
    const envelope = writeXml((doc) => {
      const security = doc.ele(NS.soap12, 'env:Envelope', { 'xmlns:saml2': NS.saml2, 'xmlns:xs': NS.xs, 'xmlns:xsi': NS.xsi })
        .ele(NS.soap12, 'env:Header').ele(NS.wsse, 'wsse:Security');
      const assertion = security.ele(NS.saml2, 'saml2:Assertion', { ID: '_inherited', IssueInstant: NOW.toISOString(), Version: '2.0' });
      assertion.ele(NS.saml2, 'saml2:Issuer').txt('000');
      assertion.ele(NS.saml2, 'saml2:Subject').ele(NS.saml2, 'saml2:NameID').txt(OPERATOR);
      assertion.ele(NS.saml2, 'saml2:Conditions', { NotOnOrAfter: new Date(NOW.getTime() + MINUTE).toISOString() });
      assertion.ele(NS.saml2, 'saml2:AttributeStatement')
        .ele(NS.saml2, 'saml2:Attribute', { Name: SAML_ATTRIBUTE.role, NameFormat: NAME_FORMAT.uri })
        .ele(NS.saml2, 'saml2:AttributeValue', { 'xsi:type': 'xs:string' }).txt('INI');
    });
    const signed = signWith(envelope, {
      reference: "//*[local-name(.)='Assertion']",
      location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
    });
    withXml(signed, (doc) => {
      const assertion = the(doc, '//saml2:Assertion');
      assert.deepEqual(assertion.nsDeclarations, {});
      const verified = verifyAssertion(assertion, { ...options, requiredAttributes: ['role'] });
      assert.equal(verified.identity.role, 'INI');
      assert.equal(verified.issuer, '000');
    });
  });

  test('bytes are accepted as well as text', () => {
    assert.equal(verifyAssertion(Buffer.from(signedSample(), 'utf8'), options).issuer, '120');
  });
});

describe('interoperability of the verifier with other signers\' output', () => {
  test('a pretty-printed assertion (whitespace between elements) signed as it is', () => {
    const pretty = withXml(buildAssertion(sampleInput()).xml, (doc) => doc.root.toString({ format: true }));
    assert.ok(pretty.includes('\n  <saml2:Issuer>'));
    assert.equal(verifyAssertion(signWith(pretty), options).identity.role, 'AAS');
  });

  test('a Signature in the default namespace instead of the ds prefix', () => {
    const xml = signWith(buildAssertion(sampleInput()).xml, { prefix: '' });
    assert.ok(xml.includes('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">'));
    assert.equal(verifyAssertion(xml, options).issuer, '120');
  });

  test('the KeyInfo certificate wrapped in 76-character lines, as Java signers write it', () => {
    const xml = tamper(signedSample(), (doc) => {
      const base64 = trustedSigner.certificate.raw.toString('base64');
      setText(the(doc, '//ds:X509Certificate'), base64.replace(/.{76}/g, '$&\r\n'));
    });
    assert.equal(verifyAssertion(xml, options).issuer, '120');
  });
});

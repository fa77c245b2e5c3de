import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { verifyAssertion } from '../../src/saml/assertion-verifier.ts';
import type { SamlSigner } from '../../src/saml/saml-signer.ts';
import { DSIG } from '../../src/saml/saml-vocabulary.ts';
import { NS } from '../../src/xml/xml-toolkit.ts';
import {
  AFTER_ISSUER, attackerPki, attackerSigner, options, read, refused, signedSample, signWith, trustedPki, trustedSigner,
  unsignedSample, xmlCryptoAlone, xmlCryptoTrustingKeyInfo,
} from './saml-fixtures.ts';
import { setText, tamper, the } from './xml-surgery.ts';

/**
 * Keys, values, algorithms and transforms: an attacker who signs with their own key, edits signed values, or bends
 * the signature profile. See: xds-ini digest 7.4, 7.6; xml-crypto advisories CVE-2024-32962 (KeyInfo trusted),
 * CVE-2025-29774/29775 (SignedInfo and DigestValue tricks).
 */

const RESOURCE_VALUE = "//saml2:Attribute[@Name='urn:oasis:names:tc:xacml:1.0:resource:resource-id']/saml2:AttributeValue";
const PURPOSE_VALUE = "//saml2:Attribute[@Name='urn:oasis:names:tc:xspa:1.0:subject:purposeofuse']/saml2:AttributeValue";
const XPATH_TRANSFORM = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
const XSLT_TRANSFORM = 'http://www.w3.org/TR/1999/REC-xslt-19991116';
const certBase64 = (pemFile: string): string => new X509Certificate(read(pemFile)).raw.toString('base64');

describe('refused: keys', () => {
  test('a valid signature by an untrusted key carrying its own certificate in KeyInfo', () => {
    const xml = signWith(unsignedSample(), { signer: attackerSigner });
    assert.equal(xmlCryptoTrustingKeyInfo(xml), true, 'a verifier that takes the key from KeyInfo accepts it');
    refused(xml, 'untrusted-key', /KeyInfo certificate is not a trusted/);
  });

  test('the KeyInfo certificate swapped for an attacker\'s with the same subject', () => {
    const trusted = new X509Certificate(read(trustedPki.signCert));
    const attacker = new X509Certificate(read(attackerPki.signCert));
    assert.equal(attacker.subject, trusted.subject, 'same subject: only the bytes tell them apart');
    const xml = tamper(signedSample(), (doc) => setText(the(doc, '//ds:X509Certificate'), certBase64(attackerPki.signCert)));
    refused(xml, 'untrusted-key');
  });

  test('an attacker\'s signature presenting the trusted certificate in KeyInfo', () => {
    const impostor: SamlSigner = { ...trustedSigner, privateKey: attackerSigner.privateKey };
    refused(signWith(unsignedSample(), { signer: impostor }), 'bad-signature', /any trusted/);
  });

  test('an attacker\'s signature without KeyInfo: every pinned key is tried, none verifies', () => {
    const xml = signWith(unsignedSample(), { signer: attackerSigner, keyInfo: false });
    refused(xml, 'bad-signature', /any trusted/);
    // The same without KeyInfo by the trusted key verifies: the absence of KeyInfo is not what is refused.
    assert.equal(verifyAssertion(signWith(unsignedSample(), { keyInfo: false }), options).issuer, '120');
  });
});

describe('refused: signed values changed', () => {
  test('an attribute value modified after signing (another patient)', () => {
    const xml = tamper(signedSample(), (doc) => setText(the(doc, RESOURCE_VALUE), 'BNCGVN80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO'));
    refused(xml, 'bad-signature', /digest does not match/);
  });

  test('the purpose of use raised to EMERGENCY after signing', () => {
    refused(tamper(signedSample(), (doc) => setText(the(doc, PURPOSE_VALUE), 'EMERGENCY')), 'bad-signature');
  });

  test('NotOnOrAfter extended after signing', () => {
    const xml = tamper(signedSample(), (doc) => { the(doc, '//saml2:Conditions').attr('NotOnOrAfter')!.value = '2099-01-01T00:00:00.000Z'; });
    refused(xml, 'bad-signature');
  });

  test('the Assertion ID and the Reference URI changed together', () => {
    const xml = tamper(signedSample(), (doc) => {
      doc.root.attr('ID')!.value = '_other';
      the(doc, '//ds:Reference').attr('URI')!.value = '#_other';
    });
    refused(xml, 'bad-signature');
  });
});

describe('refused: algorithms and transforms', () => {
  test('RSA-SHA1 when not allowed; SHA-1 digest when not allowed', () => {
    refused(signWith(unsignedSample(), { signatureAlgorithm: DSIG.rsaSha1 }), 'algorithm', /SignatureMethod .*rsa-sha1 is not allowed/);
    refused(signWith(unsignedSample(), { digestAlgorithm: DSIG.sha1 }), 'algorithm', /DigestMethod .*sha1 is not allowed/);
  });

  test('an HMAC SignatureMethod keyed with the trusted certificate (key confusion)', () => {
    const sig = new SignedXml({ privateKey: trustedSigner.certificatePem, canonicalizationAlgorithm: DSIG.excC14n });
    sig.enableHMAC();
    sig.signatureAlgorithm = 'http://www.w3.org/2000/09/xmldsig#hmac-sha1';
    sig.addReference({
      xpath: "/*[local-name(.)='Assertion']", transforms: [DSIG.envelopedSignature, DSIG.excC14n], digestAlgorithm: DSIG.sha256,
    });
    sig.computeSignature(unsignedSample(), { prefix: 'ds', location: AFTER_ISSUER });
    refused(sig.getSignedXml(), 'algorithm', /hmac-sha1 is not allowed/);
  });

  test('an XPath transform added to the Reference', () => {
    const xml = tamper(signedSample(), (doc) => {
      the(doc, '//ds:Transform[2]').appendElement('Transform', 'ds').setAttr('Algorithm', XPATH_TRANSFORM);
    });
    refused(xml, 'algorithm', /transforms must be enveloped-signature then exc-c14n/);
  });

  test('an XSLT transform in place of exc-c14n', () => {
    const xml = tamper(signedSample(), (doc) => { the(doc, '//ds:Transform[2]').attr('Algorithm')!.value = XSLT_TRANSFORM; });
    refused(xml, 'algorithm', /transforms must be/);
  });

  test('an XPath filter hidden as a parameter of the enveloped-signature transform', () => {
    const xml = tamper(signedSample(), (doc) => { the(doc, '//ds:Transform[1]').addElement('XPath', 'ds'); });
    refused(xml, 'algorithm', /carries parameters other than InclusiveNamespaces/);
  });

  test('inclusive C14N for SignedInfo', () => {
    const xml = tamper(signedSample(), (doc) => {
      the(doc, '//ds:CanonicalizationMethod').attr('Algorithm')!.value = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
    });
    refused(xml, 'algorithm', /CanonicalizationMethod/);
  });

  test('a ds:Object inside the Signature, where wrapping attacks hide content', () => {
    refused(tamper(signedSample(), (doc) => { the(doc, '//ds:Signature').addElement('Object', 'ds'); }), 'wrapping', /other than SignedInfo/);
  });

  test('elements hidden where xml-crypto looks values up by local name: in DigestMethod, a second SignedInfo', () => {
    const inDigestMethod = tamper(signedSample(), (doc) => { the(doc, '//ds:DigestMethod').addElement('SignatureValue', 'ds').addText('AAAA'); });
    refused(inDigestMethod, 'algorithm', /DigestMethod carries parameters/);
    const stray = tamper(signedSample(), (doc) => {
      doc.root.addNsDeclaration(NS.ds, 'ds');
      the(doc, '//saml2:Subject').addElement('SignedInfo', 'ds');
    });
    refused(stray, 'wrapping', /exactly one ds:SignedInfo/);
  });

  test('a second Reference in SignedInfo', () => {
    const xml = tamper(signedSample(), (doc) => { the(doc, '//ds:Reference').appendElement('Reference', 'ds').setAttr('URI', '#_x'); });
    refused(xml, 'wrapping', /exactly one Reference, found 2/);
  });
});

describe('refused: input', () => {
  test('a DOCTYPE with an entity in the assertion', () => {
    // A DTD cannot be added through the DOM: it is written in front of the assertion's own text.
    const xml = `<!DOCTYPE saml2:Assertion [<!ENTITY cf "VRDMRC67T20I257E">]>${signedSample()}`;
    refused(xml, 'malformed', /DOCTYPE/);
  });

  test('not an assertion, not well-formed, too large, no ID', () => {
    refused('<saml2:Response xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1" Version="2.0"/>', 'malformed', /expected a saml2:Assertion/);
    refused('<saml2:Assertion', 'malformed', /not acceptable XML/);
    refused(signedSample(), 'malformed', /larger than 1000/, { ...options, maxLength: 1000 });
    refused(tamper(signedSample(), (doc) => { doc.root.attr('ID')!.remove(); }), 'malformed', /no valid ID/);
    refused(Buffer.from([0x3c, 0xff, 0xfe]), 'malformed', /not UTF-8/);
  });

  test('a relative namespace URI added after signing: libxml2 will not canonicalise it, and that is the sender\'s fault', () => {
    const xml = tamper(signedSample(), (doc) => { the(doc, '//saml2:Subject').addNsDeclaration('relative', 'rel'); });
    refused(xml, 'malformed', /canonicalised/);
  });

  test('sanity: every signed variant above starts from a signature plain xml-crypto accepts', () => {
    assert.equal(xmlCryptoAlone(signedSample()), true);
    assert.equal(xmlCryptoAlone(signWith(unsignedSample(), { keyInfo: false })), true);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { XmlDocument, XmlElement, XmlText } from 'libxml2-wasm';
import { verifyAssertion } from '../../src/saml/assertion-verifier.ts';
import { SamlError } from '../../src/saml/saml-error.ts';
import { singleAssertionOf } from '../../src/saml/security-header.ts';
import { NS, withXml } from '../../src/xml/xml-toolkit.ts';
import { writeXml } from '../../src/xml/xml-writer.ts';
import { OPERATOR, options, PATIENT, refused, signedSample, signWith, unsignedSample, xmlCryptoAlone } from './saml-fixtures.ts';
import { moveAfter, moveInto, setText, tamper, the, wrap } from './xml-surgery.ts';

/**
 * Signature wrapping (XSW) and its relatives: each variant keeps a genuine signature valid somewhere in the document
 * while putting other content where a careless reader looks. Every one must be refused, for the reason named.
 * See: Somorovsky et al., "On Breaking SAML" (XSW1-XSW8); xds-ini digest 7.6.
 */

const VICTIM = 'BNCGVN80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO';
const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';

/** The attacker's own assertion: another patient, a stronger role; unsigned, with an Advice after Conditions. */
function evilWithAdvice(): string {
  return tamper(unsignedSample({}, { resourceId: VICTIM, role: 'DRS' }), (doc) => {
    the(doc, '/saml2:Assertion/saml2:Conditions').appendElement('Advice', 'saml2');
  });
}

/** Moves the original's Signature (inside the nested original) to right after the evil root's Issuer. */
function hoistSignature(doc: XmlDocument): void {
  moveAfter(the(doc, '//saml2:Advice//ds:Signature'), the(doc, '/saml2:Assertion/saml2:Issuer'));
}

describe('refused: signed content moved or duplicated (XSW)', () => {
  test('XSW4-style: the signed original inside the evil assertion\'s Advice, its Signature hoisted to the evil root', () => {
    const xml = wrap(evilWithAdvice(), '//saml2:Advice', signedSample(), hoistSignature);
    refused(xml, 'wrapping', /nested/);
  });

  test('XSW7-style: the signed original inside an Extensions element of the evil assertion', () => {
    const evil = tamper(unsignedSample({}, { resourceId: VICTIM }), (doc) => {
      doc.root.addNsDeclaration(SAMLP, 'samlp');
      the(doc, '/saml2:Assertion/saml2:Conditions').appendElement('Extensions', 'samlp');
    });
    const xml = wrap(evil, "//*[local-name()='Extensions']", signedSample(), (doc) => {
      moveAfter(the(doc, '//ds:Signature'), the(doc, '/saml2:Assertion/saml2:Issuer'));
    });
    refused(xml, 'wrapping', /nested/);
  });

  test('XSW8-style: the original moved into a ds:Object of its own Signature, now under the evil root', () => {
    const xml = wrap(unsignedSample({}, { resourceId: VICTIM }), '/saml2:Assertion', signedSample(), (doc) => {
      const original = the(doc, '/saml2:Assertion/saml2:Assertion');
      const signature = the(original, 'ds:Signature');
      moveAfter(signature, the(doc, '/saml2:Assertion/saml2:Issuer'));
      moveInto(original, signature.addElement('Object', 'ds'));
    });
    withXml(xml, (doc) => assert.equal(doc.find('/saml2:Assertion/ds:Signature/ds:Object/saml2:Assertion', { saml2: NS.saml2, ds: NS.ds }).length, 1));
    refused(xml, 'wrapping', /nested/);
  });

  test('XSW6-style: the original directly inside the Signature under the evil root', () => {
    const xml = wrap(unsignedSample({}, { resourceId: VICTIM }), '/saml2:Assertion', signedSample(), (doc) => {
      const original = the(doc, '/saml2:Assertion/saml2:Assertion');
      const signature = the(original, 'ds:Signature');
      moveAfter(signature, the(doc, '/saml2:Assertion/saml2:Issuer'));
      moveInto(original, signature);
    });
    refused(xml, 'wrapping', /nested/);
  });

  test('XSW3/5-style at header level: an unsigned assertion first, the signed original after it', () => {
    const header = writeXml((doc) => doc.ele(NS.wsse, 'wsse:Security'));
    const twice = wrap(wrap(header, '/wsse:Security', unsignedSample({}, { resourceId: VICTIM })), '/wsse:Security', signedSample());
    withXml(twice, (doc) => {
      assert.throws(() => singleAssertionOf(doc.root), (e: unknown) => e instanceof SamlError && e.reason === 'wrapping');
    });
    withXml(wrap(header, '/wsse:Security', signedSample()), (doc) => {
      assert.equal(verifyAssertion(singleAssertionOf(doc.root), options).identity.resourceId, PATIENT);
    });
  });

  test('duplicate IDs: another element carries the Assertion ID (as ID, Id or wsu:Id)', () => {
    for (const [name, prefix] of [['ID', undefined], ['Id', undefined], ['Id', 'wsu']] as const) {
      const xml = tamper(signedSample(), (doc) => {
        if (prefix) doc.root.addNsDeclaration(NS.wsu, prefix);
        const holder = the(doc, '/saml2:Assertion/saml2:Subject').addElement('SubjectConfirmation', 'saml2');
        holder.setAttr(name, doc.root.attr('ID')?.value ?? '', prefix);
      });
      refused(xml, 'wrapping', /2 elements carry the Assertion ID/);
    }
  });

  test('a Reference to another element than the Assertion, by a trusted signer', () => {
    const withSubjectId = tamper(unsignedSample(), (doc) => { the(doc, '//saml2:Subject').setAttr('ID', '_subject'); });
    const xml = signWith(withSubjectId, { reference: "//*[local-name(.)='Subject']" });
    refused(xml, 'wrapping', /Reference URI #_subject is not #_/);
  });

  test('an empty Reference URI (the whole document) is not the Assertion ID either', () => {
    const xml = tamper(signedSample(), (doc) => { the(doc, '//ds:Reference').attr('URI')!.value = ''; });
    refused(xml, 'wrapping', /Reference URI/);
  });

  test('the Signature moved out of the Assertion\'s children: into the Subject, or next to the Assertion in the header', () => {
    const deeper = tamper(signedSample(), (doc) => { moveInto(the(doc, '//ds:Signature'), the(doc, '//saml2:Subject')); });
    refused(deeper, 'wrapping', /not a child of the Assertion/);
    const header = writeXml((doc) => doc.ele(NS.wsse, 'wsse:Security'));
    const outside = wrap(header, '/wsse:Security', signedSample(), (doc) => {
      moveAfter(the(doc, '//ds:Signature'), the(doc, '//saml2:Assertion'));
    });
    withXml(outside, (doc) => refused(the(doc, '//saml2:Assertion'), 'unsigned'));
  });

  test('the Signature elsewhere among the Assertion\'s children breaks the schema order and is refused', () => {
    const xml = tamper(signedSample(), (doc) => { moveAfter(the(doc, '//ds:Signature'), the(doc, '//saml2:AttributeStatement')); });
    refused(xml, 'malformed', /must follow saml2:Issuer/);
  });

  test('two signatures: the assertion signed a second time', () => {
    const xml = signWith(signedSample(), { location: { reference: "//*[local-name(.)='Signature']", action: 'after' } });
    refused(xml, 'wrapping', /2 ds:Signature elements/);
  });
});

describe('refused: content a reader sees but the signature does not cover', () => {
  /** Splits the text of `el` into `head`, a comment, and the rest: `VRD<!--x-->MRC...` (libxml2-wasm makes no empty comment). */
  function splitWithComment(el: XmlElement, head: number): void {
    const whole = el.content;
    setText(el, whole.slice(0, head));
    (el.firstChild as XmlText).appendComment('x').appendText(whole.slice(head));
  }

  test('a comment injected in the NameID keeps the signature valid but is refused', () => {
    const xml = tamper(signedSample(), (doc) => splitWithComment(the(doc, '//saml2:NameID'), 3));
    assert.equal(xmlCryptoAlone(xml), true, 'comments are outside the digest: the attack is real');
    withXml(xml, (doc) => assert.equal((the(doc, '//saml2:NameID').firstChild as XmlText).content, 'VRD'));
    refused(xml, 'wrapping', /comments/);
  });

  test('a comment injected in the resource-id: a first-text-node reader would see another patient id', () => {
    const xml = tamper(signedSample(), (doc) => {
      splitWithComment(the(doc, "//saml2:Attribute[@Name='urn:oasis:names:tc:xacml:1.0:resource:resource-id']/saml2:AttributeValue"), 16);
    });
    assert.equal(xmlCryptoAlone(xml), true);
    refused(xml, 'wrapping', /comments/);
  });

  test('a processing instruction in the NameID (xml-crypto digests its data as text, a DOM reader skips it)', () => {
    // libxml2-wasm cannot create a processing instruction, so this one edit is made on the text, at a unique marker.
    const signed = signedSample();
    const marker = `<saml2:NameID>${OPERATOR.replaceAll('&', '&amp;')}`;
    assert.ok(signed.includes(marker));
    const xml = signed.replace(marker, `<saml2:NameID><?x VRD?>${OPERATOR.slice(3).replaceAll('&', '&amp;')}`);
    assert.equal(xmlCryptoAlone(xml), true, 'the PI stands in for the text it replaced: the attack is real');
    refused(xml, 'wrapping', /processing instructions/);
  });
});

describe('control', () => {
  test('a parse and re-serialisation without edits still verifies (so the refusals above are caused by the edits)', () => {
    const xml = tamper(signedSample(), () => undefined);
    assert.equal(verifyAssertion(xml, options).identity.subjectId, OPERATOR);
  });

  test('moving nodes with the surgery helpers yields the expected structure', () => {
    const xml = wrap(evilWithAdvice(), '//saml2:Advice', signedSample(), hoistSignature);
    withXml(xml, (doc) => {
      assert.equal(doc.find('/saml2:Assertion/ds:Signature', { saml2: NS.saml2, ds: NS.ds }).length, 1);
      assert.equal(doc.find('//saml2:Advice/saml2:Assertion', { saml2: NS.saml2 }).length, 1);
    });
  });
});

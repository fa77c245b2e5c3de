import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cdaValidationKey, sha1Hex, sha256Hex } from '../../src/pdf/hashes.ts';
import { minimalCda, utf8 } from '../support/pdf-builders.ts';

/** See: Gateway API digest, 6.5. */

test('sha256Hex and sha1Hex: published test vectors and node:crypto', () => {
  const abc = utf8('abc');
  assert.equal(sha256Hex(abc), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-2
  assert.equal(sha1Hex(abc), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  const buffer = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
  assert.equal(sha256Hex(buffer), createHash('sha256').update(buffer).digest('hex'));
  assert.equal(sha1Hex(buffer), createHash('sha1').update(buffer).digest('hex'));
  assert.match(sha1Hex(buffer), /^[0-9a-f]{40}$/);
});

test('cdaValidationKey: SHA-256 Base64 of the masked canonical form', () => {
  const cda = '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1"/>'
    + '<legalAuthenticator><time value="20240101"/><signatureCode code="S"/><signature>abc</signature>'
    + '<assignedEntity><name>Mario</name></assignedEntity></legalAuthenticator></ClinicalDocument>';
  // Written by hand: C14N expands empty elements, drops the declaration; the mask applies inside legalAuthenticator only.
  const expected = '<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1"></id>'
    + '<legalAuthenticator><time value="PLACEHOLDER"></time><signatureCode code="PLACEHOLDER"></signatureCode>'
    + '<assignedEntity><name>PLACEHOLDER</name></assignedEntity></legalAuthenticator></ClinicalDocument>';
  assert.equal(cdaValidationKey(cda), createHash('sha256').update(expected).digest('base64'));
  assert.equal(cdaValidationKey(utf8(cda)), cdaValidationKey(cda));
});

test('cdaValidationKey: legalAuthenticator changes do not matter, other changes do', () => {
  const base = cdaValidationKey(minimalCda());
  const resigned = minimalCda().replace('20240101120000+0100', '20240301090000+0100').replace('RSSMRA70A01H501S', 'VRDLGI80A01F205X');
  assert.equal(cdaValidationKey(resigned), base);
  assert.equal(cdaValidationKey(minimalCda().replace('<legalAuthenticator>', '<legalAuthenticator><signature/>')), base);
  assert.notEqual(cdaValidationKey(minimalCda('Altro titolo')), base);
  assert.notEqual(cdaValidationKey(minimalCda().replace('DOC-1', 'DOC-2')), base);
});

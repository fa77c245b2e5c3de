import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDict, PDFHexString, PDFName, PDFString } from '@cantoo/pdf-lib';
import { extractCda, loadPdf } from '../../src/pdf/cda-extractor.ts';
import { signPdf } from '../../src/pdf/pades-sign.ts';
import { findSignatureDictionaries } from '../../src/pdf/signature-dictionaries.ts';
import { attachmentPdf, minimalCda, utf8 } from '../support/pdf-builders.ts';
import { createTestPki, lastContentsGap, verdictOf, withByte } from './pades-support.ts';

/** PAdES signing as the official tool does it, for producers. See: Gateway API digest, 6.4. */

const { signer } = createTestPki();

test('the signature dictionary has the official profile', async () => {
  const signed = await signPdf(await attachmentPdf(), signer);
  const [entry, ...others] = findSignatureDictionaries(await loadPdf(signed));
  assert.ok(entry);
  assert.equal(others.length, 0);
  assert.equal(entry.fieldName, 'Signature1');
  const { dict } = entry;
  assert.equal(dict.lookup(PDFName.of('Filter')), PDFName.of('Adobe.PPKLite'));
  assert.equal(dict.lookup(PDFName.of('SubFilter')), PDFName.of('ETSI.CAdES.detached'));
  const reason = dict.lookup(PDFName.of('Reason'));
  assert.ok(reason instanceof PDFHexString || reason instanceof PDFString);
  assert.equal(reason.decodeText(), 'Firma Digitale');
  assert.ok(dict.lookup(PDFName.of('M')) instanceof PDFString);
});

test('signing appends an incremental update: the original bytes are a prefix, the CDA still extracts', async () => {
  const original = await attachmentPdf(utf8(minimalCda('Firmato')));
  const signed = await signPdf(original, signer);
  assert.ok(Buffer.from(signed.subarray(0, original.length)).equals(original));
  const cda = await extractCda(signed, 'ATTACHMENT');
  assert.match(cda.cdaText, /<title>Firmato<\/title>/);
  const { end } = lastContentsGap(signed);
  assert.ok(end < signed.length, 'the second byte range reaches the end of the file');
});

test('a document saved with object streams (cross-reference stream) is signed with a cross-reference stream', async () => {
  const doc = await loadPdf(await attachmentPdf());
  const original = await doc.save({ useObjectStreams: true });
  const signed = await signPdf(original, signer);
  assert.ok(Buffer.from(signed.subarray(0, original.length)).equals(original));
  const update = Buffer.from(signed.subarray(original.length)).toString('latin1');
  assert.match(update, /\/Type \/XRef/);
  assert.doesNotMatch(update, /^xref$/m);
  assert.equal(await verdictOf(signed), 'valid');
  assert.equal((await extractCda(signed, 'ATTACHMENT')).mode, 'ATTACHMENT');
});

test('an existing AcroForm keeps its fields; the new field gets a fresh name', async () => {
  const once = await signPdf(await attachmentPdf(), signer);
  const twice = await signPdf(once, { ...signer, reason: 'Seconda firma' });
  const entries = findSignatureDictionaries(await loadPdf(twice));
  assert.deepEqual(entries.map((e) => e.fieldName), ['Signature1', 'Signature2']);
  const acroForm = (await loadPdf(twice)).catalog.lookup(PDFName.of('AcroForm'));
  assert.ok(acroForm instanceof PDFDict);
  assert.equal(acroForm.lookup(PDFName.of('SigFlags'))?.toString(), '3');
});

test('the input buffer is not modified', async () => {
  const original = await attachmentPdf();
  const copy = Uint8Array.from(original);
  await signPdf(original, signer);
  assert.deepEqual(original, copy);
});

/** OpenSSL as the independent verifier of the CMS: `openssl cms -verify -binary -noverify` over the byte ranges. */
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const needsOpenssl = { skip: openssl.status === 0 ? false : 'openssl is not installed' } as const;

function opensslCms(signed: Uint8Array, args: readonly string[]): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fse-openssl-'));
  const { start, end } = lastContentsGap(signed);
  const der = Buffer.from(Buffer.from(signed.subarray(start + 1, end - 1)).toString('latin1'), 'hex');
  writeFileSync(path.join(dir, 'sig.der'), der);
  writeFileSync(path.join(dir, 'content.bin'), Buffer.concat([signed.subarray(0, start), signed.subarray(end)]));
  const result = spawnSync('openssl', ['cms', ...args, '-inform', 'DER', '-in', path.join(dir, 'sig.der'), '-content', path.join(dir, 'content.bin')], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

test('openssl verifies the CMS over the byte ranges, and refuses it after a change', needsOpenssl, async () => {
  const signed = await signPdf(await attachmentPdf(), signer);
  const verify = ['-verify', '-binary', '-noverify', '-out', '/dev/null'];
  const good = opensslCms(signed, verify);
  assert.ok(good.ok, good.output);
  assert.match(good.output, /Verification successful/);
  assert.equal(opensslCms(withByte(signed, 10, 0x41), verify).ok, false);
});

test('openssl sees a CAdES CMS: detached, SHA-256 with RSA, signing-certificate-v2, no signing-time', needsOpenssl, async () => {
  const printed = opensslCms(await signPdf(await attachmentPdf(), signer), ['-cmsout', '-print', '-noout']);
  assert.ok(printed.ok, printed.output);
  assert.match(printed.output, /eContent: <ABSENT>/);
  assert.match(printed.output, /sha256WithRSAEncryption/);
  assert.match(printed.output, /id-smime-aa-signingCertificateV2/);
  assert.doesNotMatch(printed.output, /signingTime/);
});

test('an ECDSA P-256 signer (certificate made by openssl) verifies here and in openssl', needsOpenssl, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fse-ec-'));
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-subj', '/CN=Firma EC di prova', '-days', '1', '-keyout', keyFile, '-out', certFile], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const signed = await signPdf(await attachmentPdf(), { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') });
  assert.equal(await verdictOf(signed), 'valid');
  const checked = opensslCms(signed, ['-verify', '-binary', '-noverify', '-out', '/dev/null']);
  assert.ok(checked.ok, checked.output);
});

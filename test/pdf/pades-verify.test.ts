import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument, PDFHexString, PDFName, PDFString } from '@cantoo/pdf-lib';
import { addSignaturePlaceholder, fillSignature, signPdf } from '../../src/pdf/pades-sign.ts';
import { SIGNATURE_LIMITS } from '../../src/pdf/pades-verify.ts';
import { attachmentPdf, buildPdf } from '../support/pdf-builders.ts';
import { corpusDir, needsCatalog } from '../support/shared.ts';
import { createTestPki, invalidReason, lastContentsGap, verdictOf, withByte } from './pades-support.ts';

/** The Gateway's publication check of PAdES signatures. See: Gateway API digest, 6.4 and 11.1 (`/msg/sign-error`). */

const { signer, mismatched } = createTestPki();
const signingTime = new Date('2024-03-01T10:00:00Z');

test('an unsigned PDF and an empty signature field are "not signed"', async () => {
  assert.equal(await verdictOf(await attachmentPdf()), 'not signed');
  assert.equal(await verdictOf(await buildPdf({ emptySignatureField: true })), 'not signed');
});

test('a PDF signed here verifies', async () => {
  assert.equal(await verdictOf(await signPdf(await attachmentPdf(), { ...signer, signingTime })), 'valid');
});

test('one byte changed inside either signed range invalidates the signature', async () => {
  const signed = await signPdf(await attachmentPdf(), { ...signer, signingTime });
  // In the binary comment of the header line (first range): the file still parses.
  assert.match(await invalidReason(withByte(signed, 10, 0x41)), /CMS verification failed/);
  // A digit of /M, after /Contents (second range).
  const m = Buffer.from(signed).lastIndexOf('/M (D:2024');
  assert.ok(m > lastContentsGap(signed).end);
  assert.equal(await verdictOf(withByte(signed, m + '/M (D:'.length, 0x31)), 'invalid');
});

test('garbage in /Contents is invalid', async () => {
  const signed = await signPdf(await attachmentPdf(), { ...signer, signingTime });
  const { start, end } = lastContentsGap(signed);
  const garbage = Uint8Array.from(signed);
  garbage.set(Buffer.from('<' + 'ab'.repeat((end - start - 2) / 2) + '>'), start);
  assert.match(await invalidReason(garbage), /not DER|not a CMS|SignedData/);
});

test('a CMS whose certificate does not belong to the signing key is invalid', async () => {
  const prepared = await addSignaturePlaceholder(await attachmentPdf(), { signingTime });
  assert.match(await invalidReason(await fillSignature(prepared, mismatched)), /CMS verification failed/);
  await assert.rejects(signPdf(await attachmentPdf(), mismatched), /does not belong/);
});

describe('several signatures: every one must verify', () => {
  test('two valid signatures', async () => {
    const once = await signPdf(await attachmentPdf(), { ...signer, signingTime });
    assert.equal(await verdictOf(await signPdf(once, signer)), 'valid');
  });

  test('a valid signature followed by an invalid one, and the reverse', async () => {
    const valid = await signPdf(await attachmentPdf(), { ...signer, signingTime });
    assert.equal(await verdictOf(await fillSignature(await addSignaturePlaceholder(valid), mismatched)), 'invalid');
    const invalid = await fillSignature(await addSignaturePlaceholder(await attachmentPdf()), mismatched);
    assert.equal(await verdictOf(await signPdf(invalid, signer)), 'invalid');
  });

  test('a tampered first signature is still caught after a valid second one', async () => {
    const once = await signPdf(await attachmentPdf(), { ...signer, signingTime });
    const tampered = withByte(once, 10, 0x41);
    assert.equal(await verdictOf(await signPdf(tampered, signer)), 'invalid');
  });
});

test('the signed-looking PDF of the builders (fake /Sig dictionary) is invalid', async () => {
  assert.equal(await verdictOf(await buildPdf({ signed: true })), 'invalid');
});

describe('bounds on hostile signature dictionaries', () => {
  async function withSignature(entries: Record<string, unknown>): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    doc.addPage();
    const { context } = doc;
    const sig = context.register(context.obj({ Type: 'Sig', Filter: 'Adobe.PPKLite', SubFilter: 'ETSI.CAdES.detached', ...entries } as never));
    const field = context.register(context.obj({ FT: 'Sig', T: PDFString.of('S'), V: sig }));
    doc.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [field] }));
    return doc.save({ useObjectStreams: false });
  }
  const contents = PDFHexString.of('3000');

  test('a /ByteRange beyond the end of the file, negative, odd or missing', async () => {
    for (const ByteRange of [[0, 10, 20, 1e9], [0, -1, 20, 5], [0, 10, 20], [0, 1.5, 20, 5], undefined]) {
      assert.equal(await verdictOf(await withSignature({ ByteRange, Contents: contents })), 'invalid', String(ByteRange));
    }
  });

  test('a /Contents over the size limit, or missing', async () => {
    const huge = PDFHexString.of('00'.repeat(SIGNATURE_LIMITS.maxContentsBytes + 1));
    assert.equal(await verdictOf(await withSignature({ ByteRange: [0, 10, 20, 5], Contents: huge })), 'invalid');
    assert.equal(await verdictOf(await withSignature({ ByteRange: [0, 10, 20, 5] })), 'invalid');
  });

  test('an unsupported /SubFilter', async () => {
    const signed = await signPdf(await attachmentPdf(), { ...signer, signingTime });
    const at = Buffer.from(signed).lastIndexOf('/ETSI.CAdES.detached');
    const renamed = Uint8Array.from(signed);
    renamed.set(Buffer.from('/ETSI.CAdES.detacheX'), at);
    assert.match(await invalidReason(renamed), /unsupported \/SubFilter ETSI\.CAdES\.detacheX/);
  });
});

/**
 * The five signed PDFs of the corpus, with the verdicts this verifier gives and `openssl cms -verify` confirms on
 * the extracted /Contents: pdf-020's message digest does not match its byte range (its bytes changed after signing);
 * pdf-003 was updated after signing (its ranges stop before the end), which the Gateway accepts (6.4).
 */
const CORPUS_VERDICTS: Readonly<Record<string, 'valid' | 'invalid'>> = {
  'pdf-003.pdf': 'valid',
  'pdf-016.pdf': 'valid',
  'pdf-020.pdf': 'invalid',
  'pdf-028.pdf': 'valid',
  'pdf-040.pdf': 'valid',
};

describe('corpus', needsCatalog, () => {
  const pdfDir = (): string => path.join(corpusDir ?? '', 'pdf');

  for (const [name, expected] of Object.entries(CORPUS_VERDICTS)) {
    test(`${name} is ${expected}`, async () => {
      assert.equal(await verdictOf(await readFile(path.join(pdfDir(), name))), expected);
    });
  }

  test('every other corpus PDF is "not signed" (or not a readable PDF), never a crash', async () => {
    const names = (await readdir(pdfDir())).filter((n) => n.endsWith('.pdf') && !(n in CORPUS_VERDICTS));
    assert.ok(names.length > 0);
    for (const name of names) {
      const verdict = await verdictOf(await readFile(path.join(pdfDir(), name)));
      assert.ok(verdict === 'not signed' || verdict === 'unreadable', `${name}: ${verdict}`);
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import { hasSignature } from '../../src/pdf/pdf-signature.ts';
import { loadPdf } from '../../src/pdf/cda-extractor.ts';
import { attachmentPdf, buildPdf } from '../support/pdf-builders.ts';

/** See: Gateway API digest, 3.1 step 6 and 6.4. */

test('a /Sig field with a signature dictionary is a signature', async () => {
  assert.equal(await hasSignature(await buildPdf({ signed: true })), true);
});

test('an empty signature field and an unsigned PDF are not', async () => {
  assert.equal(await hasSignature(await buildPdf({ emptySignatureField: true })), false);
  assert.equal(await hasSignature(await attachmentPdf()), false);
});

test('/FT inherited from a parent field, and an already parsed document', async () => {
  const doc = await PDFDocument.create();
  doc.addPage();
  const { context } = doc;
  const sig = context.register(context.obj({ Type: 'Sig', Filter: 'Adobe.PPKLite' }));
  const widget = context.register(context.obj({ Type: 'Annot', Subtype: 'Widget', V: sig }));
  const parent = context.register(context.obj({ FT: 'Sig', T: PDFString.of('Firma'), Kids: [widget] }));
  doc.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [parent] }));
  const bytes = await doc.save();
  assert.equal(await hasSignature(await loadPdf(bytes)), true);
});

test('a /Type /Sig dictionary outside the field tree still counts', async () => {
  const doc = await PDFDocument.create();
  doc.addPage();
  doc.context.register(doc.context.obj({ Type: 'Sig', Filter: 'Adobe.PPKLite', SubFilter: 'ETSI.CAdES.detached' }));
  assert.equal(await hasSignature(await doc.save()), true);
});

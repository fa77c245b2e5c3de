import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { EXTRACTION_FAILED, PDF_LIMITS, extractCda, type CdaMode } from '../../src/pdf/cda-extractor.ts';
import { FseError } from '../../src/errors/fse-error.ts';
import type { ErrorCode } from '../../src/errors/catalogue.ts';
import { withXml } from '../../src/xml/xml-toolkit.ts';
import {
  attachmentPdf, buildPdf, cdaElement, invalidUtf8Cda, latin1Cda, minimalCda, notAPdf, rawFlateAttachmentPdf,
  truncatedPdf, utf8, xfaDatasets,
} from '../support/pdf-builders.ts';

/** See: Gateway API digest, 6.1-6.3 and 3.1 steps 4-5. */

async function rejects(pdf: Uint8Array, mode: CdaMode | undefined, code: ErrorCode, detail: string): Promise<void> {
  await assert.rejects(extractCda(pdf, mode), (err: unknown) => {
    assert.ok(err instanceof FseError, `expected FseError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.detail, detail);
    return true;
  });
}

const titleOf = (bytes: Uint8Array): string =>
  withXml(bytes, (doc) => doc.get('/hl7:ClinicalDocument/hl7:title', { hl7: 'urn:hl7-org:v3' })?.content ?? '');

describe('extractCda: ATTACHMENT', () => {
  test('flat name tree: the embedded bytes come back exactly', async () => {
    const cda = utf8(minimalCda());
    const result = await extractCda(await attachmentPdf(cda), 'ATTACHMENT');
    assert.deepEqual(result.cdaBytes, cda);
    assert.equal(result.cdaText, minimalCda());
    assert.equal(result.mode, 'ATTACHMENT');
    assert.equal(result.modeDeclared, true);
  });

  test('under /Kids, two levels deep, beside another attachment', async () => {
    const pdf = await buildPdf({
      attachments: [{ key: 'allegato.txt', bytes: utf8('altro') }, { key: 'cda.xml', bytes: utf8(minimalCda('Kids')) }],
      kidsDepth: 2,
    });
    assert.equal(titleOf((await extractCda(pdf, 'ATTACHMENT')).cdaBytes), 'Kids');
  });

  test('matched by the file specification /F when the key differs', async () => {
    const pdf = await buildPdf({ attachments: [{ key: 'CDA Attachment', fileName: 'cda.xml', bytes: utf8(minimalCda('F')), flate: false }] });
    assert.equal(titleOf((await extractCda(pdf, 'ATTACHMENT')).cdaBytes), 'F');
  });

  test('the name is case-sensitive, as in the Gateway code (6.1)', async () => {
    const pdf = await buildPdf({ attachments: [{ key: 'CDA.xml', bytes: utf8(minimalCda()) }] });
    await rejects(pdf, 'ATTACHMENT', 'cdaElement', EXTRACTION_FAILED);
  });

  test('two different cda.xml are refused; two identical copies are one', async () => {
    const two = await buildPdf({
      attachments: [{ key: 'cda.xml', bytes: utf8(minimalCda('A')) }, { key: 'copia', fileName: 'cda.xml', bytes: utf8(minimalCda('B')) }],
    });
    await rejects(two, 'ATTACHMENT', 'cdaElement', `${EXTRACTION_FAILED}: the PDF holds 2 different cda.xml embedded files (ATTACHMENT mode)`);
    const same = await buildPdf({
      attachments: [{ key: 'cda.xml', bytes: utf8(minimalCda('A')) }, { key: 'copia', fileName: 'cda.xml', bytes: utf8(minimalCda('A')) }],
    });
    assert.equal(titleOf((await extractCda(same)).cdaBytes), 'A');
  });

  test('name tree deeper than the limit', async () => {
    const pdf = await buildPdf({ attachments: [{ key: 'cda.xml', bytes: utf8(minimalCda()) }], kidsDepth: PDF_LIMITS.maxNameTreeDepth });
    await rejects(pdf, 'ATTACHMENT', 'cdaElement',
      `${EXTRACTION_FAILED}: the EmbeddedFiles name tree is deeper than ${PDF_LIMITS.maxNameTreeDepth} levels`);
  });

  test('a compression bomb stops at the decoded-size limit', async () => {
    const pdf = await rawFlateAttachmentPdf(new Uint8Array(PDF_LIMITS.maxDecodedBytes + 1));
    await rejects(pdf, undefined, 'cdaElement', `${EXTRACTION_FAILED}: the embedded file cda.xml is larger than 20 MB`);
  });
});

describe('extractCda: RESOURCE', () => {
  test('XFAResources datasets: the first ClinicalDocument, without the XFA wrapper', async () => {
    const result = await extractCda(await buildPdf({ xfa: xfaDatasets(cdaElement('XFA')) }), 'RESOURCE');
    assert.equal(result.mode, 'RESOURCE');
    withXml(result.cdaBytes, (doc) => {
      assert.equal(doc.root.name, 'ClinicalDocument');
      assert.equal(doc.root.namespaceUri, 'urn:hl7-org:v3');
    });
    assert.equal(titleOf(result.cdaBytes), 'XFA');
    assert.equal(result.cdaText, new TextDecoder().decode(result.cdaBytes));
  });

  test('namespaces declared on the wrapper are kept on the re-serialised CDA', async () => {
    const xfa = `<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/" xmlns="urn:hl7-org:v3"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><xfa:data><ClinicalDocument><id xsi:type="II" root="1"/>
      <title>NS</title></ClinicalDocument></xfa:data></xfa:datasets>`;
    const { cdaBytes } = await extractCda(await buildPdf({ xfa }), 'RESOURCE');
    assert.equal(titleOf(cdaBytes), 'NS');
    withXml(cdaBytes, (doc) => assert.equal(doc.get('//@xsi:type', { xsi: 'http://www.w3.org/2001/XMLSchema-instance' })?.content, 'II'));
  });

  test('XFA that does not parse is reported in RESOURCE mode', async () => {
    const pdf = await buildPdf({ xfa: '<xfa:datasets xmlns:xfa="x"><xfa:data>' });
    await assert.rejects(extractCda(pdf, 'RESOURCE'), (err: unknown) => err instanceof FseError && err.code === 'cdaElement'
      && err.detail.startsWith(`${EXTRACTION_FAILED}: the XFA datasets stream is not well-formed XML (`));
  });

  test('XFA without a ClinicalDocument, and an ATTACHMENT-only PDF asked in RESOURCE mode', async () => {
    await rejects(await buildPdf({ xfa: '<datasets><data/></datasets>' }), 'RESOURCE', 'cdaElement', EXTRACTION_FAILED);
    await rejects(await attachmentPdf(), 'RESOURCE', 'cdaElement', EXTRACTION_FAILED);
  });
});

describe('extractCda: mode omitted (RESOURCE, then ATTACHMENT)', () => {
  const both = () => buildPdf({ xfa: xfaDatasets(cdaElement('RES')), attachments: [{ key: 'cda.xml', bytes: utf8(minimalCda('ATT')) }] });

  test('both present: RESOURCE wins, modeDeclared is false', async () => {
    const result = await extractCda(await both());
    assert.equal(result.mode, 'RESOURCE');
    assert.equal(result.modeDeclared, false);
    assert.equal(titleOf(result.cdaBytes), 'RES');
    assert.equal(titleOf((await extractCda(await both(), 'ATTACHMENT')).cdaBytes), 'ATT');
  });

  test('attachment only: falls back to ATTACHMENT', async () => {
    const result = await extractCda(await attachmentPdf());
    assert.equal(result.mode, 'ATTACHMENT');
    assert.equal(result.modeDeclared, false);
  });

  test('broken XFA does not hide a valid attachment', async () => {
    const pdf = await buildPdf({ xfa: '<broken', attachments: [{ key: 'cda.xml', bytes: utf8(minimalCda('ATT')) }] });
    assert.equal((await extractCda(pdf)).mode, 'ATTACHMENT');
  });

  test('no CDA at all', async () => {
    await rejects(await buildPdf(), undefined, 'cdaElement', EXTRACTION_FAILED);
    await rejects(await buildPdf({ attachments: [{ key: 'altro.xml', bytes: utf8(minimalCda()) }] }), undefined, 'cdaElement', EXTRACTION_FAILED);
  });
});

describe('extractCda: file checks (3.1 step 4)', () => {
  test('empty file', async () => {
    await rejects(new Uint8Array(0), undefined, 'emptyFile', 'Il file fornito è vuoto.');
  });

  test('not a PDF', async () => {
    await rejects(notAPdf(), undefined, 'documentType', 'Il documento non è pdf.');
    await rejects(Uint8Array.from([0x25, 0x50, 0x44]), 'ATTACHMENT', 'documentType', 'Il documento non è pdf.');
  });

  test('truncated PDFs, at several lengths', async () => {
    for (const fraction of [0.05, 0.3, 0.8]) await rejects(await truncatedPdf(fraction), undefined, 'cdaElement', EXTRACTION_FAILED);
    await rejects(utf8('%PDF-1.7\n'), undefined, 'cdaElement', EXTRACTION_FAILED);
  });

  test('the PDF bytes are never changed', async () => {
    for (const pdf of [await attachmentPdf(), await buildPdf({ xfa: xfaDatasets() }), await truncatedPdf()]) {
      const copy = pdf.slice();
      await extractCda(pdf).catch(() => undefined);
      assert.deepEqual(pdf, copy);
    }
  });
});

describe('extractCda: CDA text encoding (6.1)', () => {
  test('ISO-8859-1 declared: decoded with that encoding, bytes untouched', async () => {
    const cda = latin1Cda();
    const result = await extractCda(await attachmentPdf(cda), 'ATTACHMENT');
    assert.deepEqual(result.cdaBytes, cda);
    assert.ok(result.cdaText.includes('<title>Città</title>'));
    assert.equal(titleOf(result.cdaBytes), 'Città');
  });

  test('invalid UTF-8 is refused with the encoding named', async () => {
    await rejects(await attachmentPdf(invalidUtf8Cda()), 'ATTACHMENT', 'cdaElement', `${EXTRACTION_FAILED}: the CDA is not valid utf-8`);
  });

  test('a UTF-8 BOM is stripped from the text, kept in the bytes', async () => {
    const cda = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(minimalCda())]);
    const result = await extractCda(await attachmentPdf(cda));
    assert.equal(result.cdaText, minimalCda());
    assert.deepEqual(result.cdaBytes, cda);
  });

  test('an unknown declared encoding', async () => {
    const cda = utf8(minimalCda('X', 'X-NONSENSE'));
    await rejects(await attachmentPdf(cda), undefined, 'cdaElement', `${EXTRACTION_FAILED}: the CDA declares an unsupported encoding "x-nonsense"`);
  });

  test('no well-formedness check in ATTACHMENT mode: the XSD stage reports it', async () => {
    const result = await extractCda(await attachmentPdf(utf8('<ClinicalDocument><unclosed>')));
    assert.equal(result.cdaText, '<ClinicalDocument><unclosed>');
  });
});

describe('extractCda: hostile name trees', () => {
  test('/Kids that loop back to the root stop at the limits', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const { context } = doc;
    const root = context.obj({});
    const rootRef = context.register(root);
    root.set(PDFName.of('Kids'), context.obj(Array.from({ length: 50 }, () => rootRef)));
    doc.catalog.set(PDFName.of('Names'), context.obj({ EmbeddedFiles: rootRef }));
    await assert.rejects(extractCda(await doc.save()), (err: unknown) => err instanceof FseError && err.code === 'cdaElement'
      && err.detail.startsWith(`${EXTRACTION_FAILED}: the EmbeddedFiles name tree`));
  });
});

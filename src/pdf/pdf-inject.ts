import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, StandardFonts, rgb, type PDFObject } from '@cantoo/pdf-lib';
import { CDA_FILE_NAME, loadPdf, textOf, walkNameTree } from './cda-extractor.js';

/**
 * Injection of a CDA into a PDF in ATTACHMENT mode, as the official FSE 2.0 pdf-generator does it.
 * See: Gateway API digest, 6.1 ("How the official pdf-generator injects").
 */

/**
 * Returns a new PDF carrying `cda` as the embedded file `cda.xml`: an EmbeddedFile stream of subtype
 * `application/xml` with its /Size, a file specification whose /F and /UF are `cda.xml`, listed under the key
 * `cda.xml` in a **flat** EmbeddedFiles name tree. The flat tree matters: one Gateway release reads only the flat
 * /Names array and the /F name (6.1). Unlike the official tool, other attachments are kept (the tree is rebuilt flat,
 * sorted by key as ISO 32000-1 7.9.6 requires); a previous `cda.xml` is replaced, so the result never holds two.
 * The file is also listed in the catalog's /AF array, which PDF/A-3 requires of embedded files.
 *
 * The PDF is rewritten: a signature it carried no longer verifies. Sign after injecting (6.4, FAQ).
 * @throws FseError `emptyFile`, `documentType` or `cdaElement` when `pdf` is not a readable PDF.
 */
export async function injectCda(pdf: Uint8Array, cda: Uint8Array): Promise<Uint8Array> {
  const doc = await loadPdf(pdf);
  const { context, catalog } = doc;
  const names = catalog.lookup(PDFName.of('Names'));
  const namesDict = names instanceof PDFDict ? names : context.obj({});
  catalog.set(PDFName.of('Names'), namesDict);

  const kept: Array<{ key: string; rawKey: PDFObject; value: PDFObject }> = [];
  const dropped: PDFObject[] = [];
  const previous = namesDict.lookup(PDFName.of('EmbeddedFiles'));
  if (previous instanceof PDFDict) {
    walkNameTree(previous, (key, value, [rawKey, rawValue]) => {
      if (key === undefined || rawKey === undefined || rawValue === undefined) return;
      const isCda = key === CDA_FILE_NAME || (value instanceof PDFDict
        && (textOf(value.lookup(PDFName.of('F'))) === CDA_FILE_NAME || textOf(value.lookup(PDFName.of('UF'))) === CDA_FILE_NAME));
      if (isCda) dropped.push(rawValue);
      else kept.push({ key, rawKey, value: rawValue });
    });
  }

  const stream = context.flateStream(cda, {
    Type: 'EmbeddedFile',
    Subtype: 'application/xml',
    Params: { Size: cda.length },
  });
  const fileSpec = context.register(context.obj({
    Type: 'Filespec',
    F: PDFString.of(CDA_FILE_NAME),
    UF: PDFString.of(CDA_FILE_NAME),
    EF: { F: context.register(stream) },
    // PDF/A-3 asks every associated file for a relationship; the CDA is the source the PDF was rendered from.
    AFRelationship: 'Source',
  }));
  kept.push({ key: CDA_FILE_NAME, rawKey: PDFString.of(CDA_FILE_NAME), value: fileSpec });
  kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const flat = context.obj([]);
  for (const entry of kept) {
    flat.push(entry.rawKey);
    flat.push(entry.value);
  }
  namesDict.set(PDFName.of('EmbeddedFiles'), context.obj({ Names: flat }));

  const af = catalog.lookup(PDFName.of('AF'));
  const associated = af instanceof PDFArray ? af : context.obj([]);
  for (let i = associated.size() - 1; i >= 0; i -= 1) {
    if (dropped.includes(associated.get(i))) associated.remove(i);
  }
  associated.push(fileSpec);
  catalog.set(PDFName.of('AF'), associated);

  // Classic cross-reference table and no object streams: the most widely readable form, like PDFBox's default output.
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

/**
 * A one-page A4 PDF with a title and a line of text, like the official tool's default sample, for the CLI and tests.
 */
export async function createSamplePdf(title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('fse-bridge');
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(title, { x: 50, y: 780, size: 18, font, color: rgb(0, 0, 0) });
  page.drawText('Documento di prova generato da fse-bridge: il CDA è allegato come cda.xml.', { x: 50, y: 750, size: 11, font });
  return doc.save({ useObjectStreams: false });
}

import { X509Certificate, createPrivateKey } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFDocument } from '@cantoo/pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER } from '@signpdf/utils';
import { loadPdf } from './cda-extractor.js';
import { CadesSigner, type SigningCredentials } from './cades-signer.js';
import { appendIncrementalUpdate } from './pdf-incremental.js';
import { topLevelFieldNames } from './signature-dictionaries.js';

/**
 * PAdES signing of a PDF the way the official FSE 2.0 tool signs (Filter Adobe.PPKLite, SubFilter
 * ETSI.CAdES.detached, SHA-256, signing-certificate-v2, Reason "Firma Digitale"), for the development CLI and tests:
 * producers sign after a successful validation and before publication. See: Gateway API digest, 6.4 (and its FAQ).
 *
 * The signature is appended as an incremental update: the signed file starts with the original bytes, so earlier
 * signatures stay valid and a document can carry several signatures. The signature field is invisible (zero /Rect)
 * and sits on the first page.
 */

/** Options of {@link signPdf}. */
export interface SignPdfOptions extends SigningCredentials {
  /** /Reason of the signature dictionary; the official tool writes "Firma Digitale" */
  readonly reason?: string;
  /** /M of the signature dictionary (PAdES keeps the claimed signing time there, not in the CMS); default now */
  readonly signingTime?: Date;
}

/** Bytes reserved for the CMS in /Contents: a 2048/4096-bit RSA signer with a chain of a few certificates fits. */
export const SIGNATURE_PLACEHOLDER_BYTES = 16_384;

/** Widget annotation flags: Print (4) and Locked (128). ISO 32000-1, 12.5.3. */
const WIDGET_FLAGS = 132;
/** SignaturesExist (1) and AppendOnly (2). ISO 32000-1, 12.7.2. */
const SIG_FLAGS = 3;

/**
 * Signs `pdf` with a PAdES baseline signature and returns the signed file (the original bytes plus an incremental
 * update). The input is never modified.
 * @throws Error when the key does not belong to the certificate, or the PDF is encrypted, has no page or no readable
 *   cross-reference; FseError from `loadPdf` when `pdf` is not a PDF.
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  const certificate = new X509Certificate(options.certPem);
  if (!certificate.checkPrivateKey(createPrivateKey(options.keyPem))) {
    throw new Error('the private key does not belong to the signer certificate');
  }
  const prepared = await addSignaturePlaceholder(pdf, options);
  return fillSignature(prepared, options);
}

/**
 * Step 2 of {@link signPdf}, exposed for tests that need a signature the checks of step 1 would refuse: fills the
 * placeholder's /ByteRange and /Contents (via `@signpdf/signpdf`) with a CAdES CMS made from `credentials`, unchecked.
 */
export async function fillSignature(prepared: Uint8Array, credentials: SigningCredentials): Promise<Uint8Array> {
  const signed = await new SignPdf().sign(Buffer.from(prepared), new CadesSigner(credentials));
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}

/**
 * Step 1 of {@link signPdf}: appends, as an incremental update, an invisible signature field on the first page whose
 * value is a signature dictionary with a /ByteRange placeholder (the form `@signpdf/signpdf` looks for) and a
 * zero-filled /Contents of {@link SIGNATURE_PLACEHOLDER_BYTES}.
 */
export async function addSignaturePlaceholder(pdf: Uint8Array, options: Pick<SignPdfOptions, 'reason' | 'signingTime'> = {}): Promise<Uint8Array> {
  const doc = await loadPdf(pdf);
  if (doc.isEncrypted) throw new Error('encrypted PDFs cannot be signed here');
  const { context } = doc;
  const catalogRef = context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw new Error('the PDF trailer has no indirect /Root');
  const page = doc.getPages()[0];
  if (!page) throw new Error('the PDF has no page to carry the signature field');
  const changed = new Set<PDFRef>();

  const placeholder = PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER);
  // /ByteRange must come before /Contents: @signpdf/signpdf looks for /Contents after the placeholder.
  const signature = context.register(context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: [PDFNumber.of(0), placeholder, placeholder, placeholder],
    Contents: PDFHexString.of('00'.repeat(SIGNATURE_PLACEHOLDER_BYTES)),
    Reason: PDFHexString.fromText(options.reason ?? 'Firma Digitale'),
    M: PDFString.fromDate(options.signingTime ?? new Date()),
  }));
  const widget = context.register(context.obj({
    Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFHexString.fromText(freshFieldName(doc)),
    F: WIDGET_FLAGS, Rect: [0, 0, 0, 0], V: signature, P: page.ref,
  }));
  changed.add(signature).add(widget);

  appendTo(doc, page.node, page.ref, 'Annots', widget, changed);
  const acroFormValue = doc.catalog.get(PDFName.of('AcroForm'));
  const existing = doc.catalog.lookup(PDFName.of('AcroForm'));
  const acroForm = existing instanceof PDFDict ? existing : context.obj({}) as PDFDict;
  let acroFormHolder = acroFormValue instanceof PDFRef ? acroFormValue : catalogRef;
  if (acroForm !== existing) {
    acroFormHolder = context.register(acroForm);
    doc.catalog.set(PDFName.of('AcroForm'), acroFormHolder);
    changed.add(catalogRef);
  }
  appendTo(doc, acroForm, acroFormHolder, 'Fields', widget, changed);
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(SIG_FLAGS));
  changed.add(acroFormHolder);

  return appendIncrementalUpdate(pdf, doc, changed);
}

/**
 * Appends `item` to the array `key` of `dict` (created if missing) and records which indirect object changed: the
 * array itself when it is indirect, else the object that holds `dict`.
 */
function appendTo(doc: PDFDocument, dict: PDFDict, holder: PDFRef, key: string, item: PDFRef, changed: Set<PDFRef>): void {
  const value = dict.get(PDFName.of(key));
  const array = dict.lookup(PDFName.of(key));
  if (value instanceof PDFRef && array instanceof PDFArray) {
    array.push(item);
    changed.add(value);
    return;
  }
  if (array instanceof PDFArray) array.push(item);
  else dict.set(PDFName.of(key), doc.context.obj([item]));
  changed.add(holder);
}

function freshFieldName(doc: PDFDocument): string {
  const used = topLevelFieldNames(doc);
  let n = 1;
  while (used.has(`Signature${n}`)) n += 1;
  return `Signature${n}`;
}

import { PDFArray, PDFDict, PDFName, type PDFDocument } from '@cantoo/pdf-lib';
import { loadPdf } from './cda-extractor.js';

/**
 * Whether a PDF carries a signature, for the Gateway's validation warning
 * `[SIGN_WARN - Attenzione il documento risulta firmato in validazione]`. Presence only: cryptographic verification
 * (required for publication) is a separate concern. See: Gateway API digest, 3.1 step 6 and 6.4.
 */

/** The Gateway's warning text for a signed PDF sent to validation. See: Gateway API digest, 3.1 step 6. */
export const SIGN_WARNING = '[SIGN_WARN - Attenzione il documento risulta firmato in validazione]';

const MAX_FIELD_DEPTH = 16;
const MAX_FIELDS = 10_000;

/**
 * True when an AcroForm field of type /Sig has a value (/V, the signature dictionary), or when any object of the file
 * is a signature dictionary (/Type /Sig), which also catches signatures whose field tree is damaged.
 * Accepts an already parsed document so that a caller which extracted the CDA does not parse the PDF twice.
 * @throws FseError from {@link loadPdf} when given bytes that are not a readable PDF.
 */
export async function hasSignature(pdf: Uint8Array | PDFDocument): Promise<boolean> {
  const doc = pdf instanceof Uint8Array ? await loadPdf(pdf) : pdf;
  return hasSignedField(doc) || hasSignatureDictionary(doc);
}

function hasSignedField(doc: PDFDocument): boolean {
  const acroForm = doc.catalog.lookup(PDFName.of('AcroForm'));
  const fields = acroForm instanceof PDFDict ? acroForm.lookup(PDFName.of('Fields')) : undefined;
  if (!(fields instanceof PDFArray)) return false;
  let visited = 0;
  // /FT is inheritable: a widget kid of a signature field carries no /FT of its own (ISO 32000-1, 12.7.3.1).
  const walk = (list: PDFArray, inheritedType: PDFName | undefined, depth: number): boolean => {
    if (depth > MAX_FIELD_DEPTH) return false;
    for (let i = 0; i < list.size(); i += 1) {
      visited += 1;
      if (visited > MAX_FIELDS) return false;
      const field = list.lookup(i);
      if (!(field instanceof PDFDict)) continue;
      const ownType = field.lookup(PDFName.of('FT'));
      const type = ownType instanceof PDFName ? ownType : inheritedType;
      if (type === PDFName.of('Sig') && field.lookup(PDFName.of('V')) instanceof PDFDict) return true;
      const kids = field.lookup(PDFName.of('Kids'));
      if (kids instanceof PDFArray && walk(kids, type, depth + 1)) return true;
    }
    return false;
  };
  return walk(fields, undefined, 1);
}

function hasSignatureDictionary(doc: PDFDocument): boolean {
  return doc.context.enumerateIndirectObjects().some(([, object]) => {
    const dict = object instanceof PDFDict ? object : undefined;
    return dict?.lookup(PDFName.of('Type')) === PDFName.of('Sig');
  });
}

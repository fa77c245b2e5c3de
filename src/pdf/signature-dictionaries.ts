import { PDFArray, PDFDict, PDFName, PDFRef, type PDFDocument } from '@cantoo/pdf-lib';
import { textOf } from './cda-extractor.js';

/**
 * The signature dictionaries of a PDF, found the way `hasSignature` (pdf-signature.ts) decides that a PDF is signed, so that the
 * validation warning and the publication check never disagree on "signed". See: Gateway API digest, 6.4.
 */

/** A signature dictionary and the name of the field that holds it (undefined for one found outside the field tree). */
export interface SignatureEntry {
  readonly fieldName: string | undefined;
  readonly dict: PDFDict;
}

const MAX_FIELD_DEPTH = 16;
const MAX_FIELDS = 10_000;

/**
 * Every /Sig field value (/V) of the AcroForm, in field order, each dictionary once even when several widgets share
 * it. When the field tree holds none, the indirect /Type /Sig dictionaries of the file instead: a signature whose field
 * tree is damaged is then judged on its cryptography rather than reported as missing.
 */
export function findSignatureDictionaries(doc: PDFDocument): SignatureEntry[] {
  const fromFields = signedFields(doc);
  if (fromFields.length > 0) return fromFields;
  return doc.context.enumerateIndirectObjects()
    .filter(([, object]) => object instanceof PDFDict && object.lookup(PDFName.of('Type')) === PDFName.of('Sig'))
    .map(([, object]) => ({ fieldName: undefined, dict: object as PDFDict }));
}

function signedFields(doc: PDFDocument): SignatureEntry[] {
  const acroForm = doc.catalog.lookup(PDFName.of('AcroForm'));
  const fields = acroForm instanceof PDFDict ? acroForm.lookup(PDFName.of('Fields')) : undefined;
  if (!(fields instanceof PDFArray)) return [];
  const found: SignatureEntry[] = [];
  const seen = new Set<PDFDict | PDFRef>();
  let visited = 0;
  // /FT is inheritable: a widget kid of a signature field carries no /FT of its own (ISO 32000-1, 12.7.3.1).
  const walk = (list: PDFArray, inheritedType: PDFName | undefined, prefix: string | undefined, depth: number): void => {
    if (depth > MAX_FIELD_DEPTH) return;
    for (let i = 0; i < list.size() && visited < MAX_FIELDS; i += 1) {
      visited += 1;
      const field = list.lookup(i);
      if (!(field instanceof PDFDict)) continue;
      const ownType = field.lookup(PDFName.of('FT'));
      const type = ownType instanceof PDFName ? ownType : inheritedType;
      const partial = textOf(field.lookup(PDFName.of('T')));
      const name = partial === undefined ? prefix : prefix === undefined ? partial : `${prefix}.${partial}`;
      const value = field.get(PDFName.of('V'));
      const dict = field.lookup(PDFName.of('V'));
      if (type === PDFName.of('Sig') && dict instanceof PDFDict) {
        const key = value instanceof PDFRef ? value : dict;
        if (!seen.has(key)) {
          seen.add(key);
          found.push({ fieldName: name, dict });
        }
      }
      const kids = field.lookup(PDFName.of('Kids'));
      if (kids instanceof PDFArray) walk(kids, type, name, depth + 1);
    }
  };
  walk(fields, undefined, undefined, 1);
  return found;
}

/** Field names already used at the top level of the AcroForm, so a new signature field gets a fresh one. */
export function topLevelFieldNames(doc: PDFDocument): Set<string> {
  const acroForm = doc.catalog.lookup(PDFName.of('AcroForm'));
  const fields = acroForm instanceof PDFDict ? acroForm.lookup(PDFName.of('Fields')) : undefined;
  const names = new Set<string>();
  if (!(fields instanceof PDFArray)) return names;
  for (let i = 0; i < fields.size() && i < MAX_FIELDS; i += 1) {
    const field = fields.lookup(i);
    const name = field instanceof PDFDict ? textOf(field.lookup(PDFName.of('T'))) : undefined;
    if (name !== undefined) names.add(name);
  }
  return names;
}

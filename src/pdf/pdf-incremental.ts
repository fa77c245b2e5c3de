import { PDFCrossRefStream, PDFDict, PDFName, PDFNumber, PDFRef, type PDFDocument, type PDFObject } from '@cantoo/pdf-lib';

/**
 * Incremental updates (ISO 32000-1, 7.5.6): the changed and new objects of a document parsed with pdf-lib are
 * appended after the original bytes with a cross-reference section that points back (/Prev) to the previous one.
 * The original bytes are never touched, so signatures already in the file keep verifying; pdf-lib's own `save()`
 * rewrites the whole file and would break them.
 */

const SEARCH_TAIL = 2048;
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * Returns `original` followed by an incremental update holding the objects `changed` as they now are in `doc`
 * (which must have been loaded from `original`). The new cross-reference section has the form of the previous one:
 * a classic table after a table, a cross-reference stream after a stream (ISO 32000-1, 7.5.8.4).
 * @throws Error when the original has no readable `startxref`.
 */
export function appendIncrementalUpdate(original: Uint8Array, doc: PDFDocument, changed: Iterable<PDFRef>): Uint8Array {
  const prev = lastStartXref(original);
  const useStream = !startsWithKeyword(original, prev, 'xref');
  const { context } = doc;
  const parts: Uint8Array[] = [original];
  let offset = original.length;
  const push = (bytes: Uint8Array): void => {
    parts.push(bytes);
    offset += bytes.length;
  };
  const last = original[original.length - 1];
  if (last !== 0x0a && last !== 0x0d) push(ascii('\n'));

  const entries: Array<{ ref: PDFRef; offset: number }> = [];
  const refs = [...new Set(changed)].sort((a, b) => a.objectNumber - b.objectNumber);
  for (const ref of refs) {
    const object = context.lookup(ref);
    if (object === undefined) throw new Error(`object ${ref.toString()} is not in the document`);
    entries.push({ ref, offset });
    push(indirectObject(ref, object));
  }

  const trailer = context.obj({}) as PDFDict;
  const { Root, Info, ID } = context.trailerInfo;
  if (Root) trailer.set(PDFName.of('Root'), Root);
  if (Info) trailer.set(PDFName.of('Info'), Info);
  if (ID) trailer.set(PDFName.of('ID'), ID);
  trailer.set(PDFName.of('Prev'), PDFNumber.of(prev));

  const xrefOffset = offset;
  if (useStream) {
    const xrefRef = context.nextRef();
    trailer.set(PDFName.of('Size'), PDFNumber.of(context.largestObjectNumber + 1));
    const stream = PDFCrossRefStream.create(trailer, true);
    for (const entry of entries) stream.addUncompressedEntry(entry.ref, entry.offset);
    stream.addUncompressedEntry(xrefRef, xrefOffset);
    push(indirectObject(xrefRef, stream));
  } else {
    trailer.set(PDFName.of('Size'), PDFNumber.of(context.largestObjectNumber + 1));
    push(ascii(`xref\n${xrefTable(entries)}trailer\n`));
    push(serialise(trailer));
    push(ascii('\n'));
  }
  push(ascii(`startxref\n${xrefOffset}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** The offset after the last `startxref` keyword of the file. */
export function lastStartXref(pdf: Uint8Array): number {
  const tail = Buffer.from(pdf.subarray(Math.max(0, pdf.length - SEARCH_TAIL))).toString('latin1');
  const at = tail.lastIndexOf('startxref');
  if (at < 0) throw new Error('the PDF has no startxref');
  let i = at + 'startxref'.length;
  while (i < tail.length && isWhite(tail.charCodeAt(i))) i += 1;
  let digits = '';
  while (i < tail.length && tail.charCodeAt(i) >= 0x30 && tail.charCodeAt(i) <= 0x39) digits += tail.charAt(i++);
  const value = Number(digits);
  if (digits === '' || !Number.isSafeInteger(value) || value >= pdf.length) throw new Error('the PDF has an unreadable startxref');
  return value;
}

function startsWithKeyword(pdf: Uint8Array, at: number, keyword: string): boolean {
  let i = at;
  while (i < pdf.length && isWhite(pdf[i] ?? 0)) i += 1;
  return Buffer.from(pdf.subarray(i, i + keyword.length)).toString('latin1') === keyword;
}

const isWhite = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;

/** Subsections of consecutive object numbers, 20-byte entries (ISO 32000-1, 7.5.4). */
function xrefTable(entries: ReadonlyArray<{ ref: PDFRef; offset: number }>): string {
  let text = '';
  let i = 0;
  while (i < entries.length) {
    let j = i;
    while (j + 1 < entries.length && entries[j + 1]!.ref.objectNumber === entries[j]!.ref.objectNumber + 1) j += 1;
    text += `${entries[i]!.ref.objectNumber} ${j - i + 1}\n`;
    for (let k = i; k <= j; k += 1) {
      const { ref, offset } = entries[k]!;
      text += `${String(offset).padStart(10, '0')} ${String(ref.generationNumber).padStart(5, '0')} n\r\n`;
    }
    i = j + 1;
  }
  return text;
}

function indirectObject(ref: PDFRef, object: PDFObject): Uint8Array {
  return Buffer.concat([ascii(`${ref.objectNumber} ${ref.generationNumber} obj\n`), serialise(object), ascii('\nendobj\n')]);
}

function serialise(object: PDFObject): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}

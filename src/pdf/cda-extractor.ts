import { inflateSync, constants as zlibConstants } from 'node:zlib';
import {
  PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, decodePDFRawStream, type PDFObject,
} from '@cantoo/pdf-lib';
import { FseError, isFseError } from '../errors/fse-error.js';
import { NS, XmlInputError, parseXml } from '../xml/xml-toolkit.js';

/**
 * Extraction of the CDA carried by a PDF, the way the national Gateway does it.
 * See: Gateway API digest, 6.1 (ATTACHMENT), 6.2 (RESOURCE), 6.3 (algorithm), 3.1 steps 4-5.
 */

/** How the CDA is injected into the PDF (the `mode` field of the validation/publication request body). */
export type CdaMode = 'ATTACHMENT' | 'RESOURCE';

/** The CDA found in a PDF. */
export interface ExtractedCda {
  /**
   * The CDA bytes: in ATTACHMENT mode exactly the embedded file's decoded bytes (XML declaration and BOM included),
   * in RESOURCE mode the UTF-8 re-serialisation of the ClinicalDocument element. Parse these, not `cdaText`:
   * libxml2 would re-read a string through its declared encoding (e.g. ISO-8859-1) and garble it.
   */
  readonly cdaBytes: Uint8Array;
  /** The CDA decoded with its declared encoding (default UTF-8), without BOM. */
  readonly cdaText: string;
  readonly mode: CdaMode;
  /** False when the caller gave no mode: the Gateway then answers with its `[WARNING_EXTRACT]` warning (3.1). */
  readonly modeDeclared: boolean;
}

/** Bounds that keep a hostile PDF from exhausting memory or time. The Gateway itself takes at most 5 MB (2.2). */
export const PDF_LIMITS = {
  maxDecodedBytes: 20 * 1024 * 1024,
  maxNameTreeDepth: 8,
  maxNameTreeEntries: 10_000,
} as const;

/** The Gateway's detail for every extraction failure. See: Gateway API digest, 6.3 and 11.1 (`/msg/cda-element`). */
export const EXTRACTION_FAILED = 'Error while extracting CDA from PDF document';
export const CDA_FILE_NAME = 'cda.xml';

const failed = (why?: string): FseError => new FseError('cdaElement', why ? `${EXTRACTION_FAILED}: ${why}` : EXTRACTION_FAILED);

/**
 * Checks the upload is a PDF and parses it read-only (no metadata update, never saved), so the bytes the producer
 * signed and hashed stay exactly as sent. See: Gateway API digest, 3.1 step 4, 6.4 and 6.5.
 * @throws FseError `emptyFile`, `documentType` ("Il documento non è pdf.") or `cdaElement` when unparseable.
 */
export async function loadPdf(pdf: Uint8Array): Promise<PDFDocument> {
  if (pdf.length === 0) throw new FseError('emptyFile', 'Il file fornito è vuoto.');
  const isPdf = pdf.length >= 4 && pdf[0] === 0x25 && pdf[1] === 0x50 && pdf[2] === 0x44 && pdf[3] === 0x46;
  if (!isPdf) throw new FseError('documentType', 'Il documento non è pdf.');
  try {
    const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
    doc.catalog.keys(); // a PDF without a usable trailer /Root fails here rather than later
    return doc;
  } catch (err) {
    throw new FseError('cdaElement', EXTRACTION_FAILED, { cause: err });
  }
}

/**
 * Extracts the CDA from a PDF. With a mode, only that mode is tried; without one, RESOURCE then ATTACHMENT, like the
 * Gateway (the caller adds the WARNING_EXTRACT warning when `modeDeclared` is false). See: Gateway API digest, 6.3.
 * @throws FseError `emptyFile`, `documentType` or `cdaElement` (never another exception for any input bytes).
 */
export async function extractCda(pdf: Uint8Array | PDFDocument, mode?: CdaMode): Promise<ExtractedCda> {
  // A caller that also checks signatures parses once with `loadPdf` and passes the document here.
  const doc = pdf instanceof Uint8Array ? await loadPdf(pdf) : pdf;
  try {
    const found = mode === undefined ? automatic(doc) : mode === 'RESOURCE' ? fromResource(doc) : fromAttachment(doc);
    if (!found) throw failed();
    const cdaText = decodeCdaText(found.bytes);
    return { cdaBytes: found.bytes, cdaText, mode: found.mode, modeDeclared: mode !== undefined };
  } catch (err) {
    if (isFseError(err)) throw err;
    throw new FseError('cdaElement', EXTRACTION_FAILED, { cause: err });
  }
}

interface Found { readonly bytes: Uint8Array; readonly mode: CdaMode }

/** RESOURCE first; an unusable XFA stream does not stop the ATTACHMENT attempt, but is reported if that finds nothing. */
function automatic(doc: PDFDocument): Found | undefined {
  let resourceError: FseError | undefined;
  try {
    const found = fromResource(doc);
    if (found) return found;
  } catch (err) {
    if (!isFseError(err)) throw err;
    resourceError = err;
  }
  const found = fromAttachment(doc);
  if (found) return found;
  if (resourceError) throw resourceError;
  return undefined;
}

// ---------------------------------------------------------------- ATTACHMENT (6.1)

/**
 * Every embedded file whose name-tree key, /UF or /F is exactly `cda.xml` (case-sensitive, as the Gateway's code),
 * in the flat /Names array and under /Kids. Identical copies count once; two different ones are refused, since the
 * bridge cannot know which one the Gateway would take.
 */
function fromAttachment(doc: PDFDocument): Found | undefined {
  const embeddedFiles = lookupDict(lookupDict(doc.catalog, 'Names'), 'EmbeddedFiles');
  if (!embeddedFiles) return undefined;
  const candidates: Uint8Array[] = [];
  walkNameTree(embeddedFiles, (key, value) => {
    if (!(value instanceof PDFDict)) return;
    const named = key === CDA_FILE_NAME || textOf(value.lookup(PDFName.of('UF'))) === CDA_FILE_NAME
      || textOf(value.lookup(PDFName.of('F'))) === CDA_FILE_NAME;
    if (!named) return;
    const ef = lookupDict(value, 'EF');
    const stream = ef?.lookup(PDFName.of('F')) ?? ef?.lookup(PDFName.of('UF'));
    if (!(stream instanceof PDFRawStream)) throw failed(`the ${CDA_FILE_NAME} file specification has no embedded file stream`);
    const bytes = decodeStream(stream, `embedded file ${CDA_FILE_NAME}`);
    if (!candidates.some((seen) => Buffer.from(seen).equals(bytes))) candidates.push(bytes);
  });
  if (candidates.length > 1) {
    throw failed(`the PDF holds ${candidates.length} different ${CDA_FILE_NAME} embedded files (ATTACHMENT mode)`);
  }
  const [bytes] = candidates;
  return bytes ? { bytes, mode: 'ATTACHMENT' } : undefined;
}

/** A name-tree leaf: the decoded key and resolved value, plus the raw objects for a caller that rebuilds the tree. */
export type NameTreeVisitor = (key: string | undefined, value: PDFObject | undefined, raw: readonly [PDFObject?, PDFObject?]) => void;

/**
 * Visits a name tree's leaves (flat /Names pairs and /Kids, recursively), within {@link PDF_LIMITS}.
 * @throws FseError `cdaElement` when the tree is deeper or larger than the limits.
 */
export function walkNameTree(root: PDFDict, visit: NameTreeVisitor): void {
  // Nodes count as entries too: /Kids pointing back up the tree would otherwise multiply work at every level.
  let entries = 0;
  const count = (): void => {
    entries += 1;
    if (entries > PDF_LIMITS.maxNameTreeEntries) throw failed(`the EmbeddedFiles name tree has more than ${PDF_LIMITS.maxNameTreeEntries} entries`);
  };
  const walk = (node: PDFDict, depth: number): void => {
    if (depth > PDF_LIMITS.maxNameTreeDepth) throw failed(`the EmbeddedFiles name tree is deeper than ${PDF_LIMITS.maxNameTreeDepth} levels`);
    count();
    const names = node.lookup(PDFName.of('Names'));
    if (names instanceof PDFArray) {
      for (let i = 0; i + 1 < names.size(); i += 2) {
        count();
        visit(textOf(names.lookup(i)), names.lookup(i + 1), [names.get(i), names.get(i + 1)]);
      }
    }
    const kids = node.lookup(PDFName.of('Kids'));
    if (kids instanceof PDFArray) {
      for (let i = 0; i < kids.size(); i += 1) {
        const kid = kids.lookup(i);
        if (kid instanceof PDFDict) walk(kid, depth + 1);
      }
    }
  };
  walk(root, 1);
}

// ---------------------------------------------------------------- RESOURCE (6.2)

/**
 * Catalog /Names /XFAResources /Names: entry 0 the string `datasets`, entry 1 the stream, exactly where the Gateway
 * looks. The XFA XML must parse; its first hl7 `ClinicalDocument` is re-serialised with inclusive C14N, which keeps
 * every in-scope namespace declaration (a plain subtree dump would lose those declared on the XFA wrapper, and
 * exclusive C14N would drop prefixes used only inside xsi:type values).
 * Not read: AcroForm /XFA and AcroForm /XFAResources, which the Gateway ignores; accepting them would let a PDF pass
 * here and fail there.
 */
function fromResource(doc: PDFDocument): Found | undefined {
  const resources = lookupDict(lookupDict(doc.catalog, 'Names'), 'XFAResources');
  const names = resources?.lookup(PDFName.of('Names'));
  if (!(names instanceof PDFArray) || names.size() < 2 || textOf(names.lookup(0)) !== 'datasets') return undefined;
  const stream = names.lookup(1);
  if (!(stream instanceof PDFRawStream)) throw failed('the XFA datasets entry is not a stream (RESOURCE mode)');
  const xml = decodeStream(stream, 'XFA datasets stream');
  let xfa;
  try {
    xfa = parseXml(xml, 'xfa-datasets.xml');
  } catch (err) {
    if (err instanceof XmlInputError) throw failed(`the XFA datasets stream is not well-formed XML (${err.message})`);
    throw err;
  }
  try {
    const clinicalDocument = xfa.get('//hl7:ClinicalDocument', { hl7: NS.hl7 });
    if (!clinicalDocument) return undefined;
    return { bytes: new TextEncoder().encode(clinicalDocument.canonicalizeToString()), mode: 'RESOURCE' };
  } finally {
    xfa.dispose();
  }
}

// ---------------------------------------------------------------- PDF objects

function lookupDict(dict: PDFDict | undefined, key: string): PDFDict | undefined {
  const value = dict?.lookup(PDFName.of(key));
  return value instanceof PDFDict ? value : undefined;
}

/** The text of a PDF string object (literal or hex, PDFDocEncoding or UTF-16), else undefined. */
export function textOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

/**
 * Decodes a stream's filters. A lone FlateDecode (by far the usual case) goes through zlib with an output cap, so a
 * compression bomb stops at the limit instead of filling memory; other filter chains use pdf-lib's decoders.
 */
function decodeStream(stream: PDFRawStream, label: string): Uint8Array {
  const max = PDF_LIMITS.maxDecodedBytes;
  const tooLarge = () => failed(`the ${label} is larger than ${max / (1024 * 1024)} MB`);
  if (stream.contents.length > max) throw tooLarge();
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  if (filters.length === 0) return stream.contents;
  try {
    const onlyFlate = filters.length === 1 && filters[0] === PDFName.of('FlateDecode')
      && !stream.dict.has(PDFName.of('DecodeParms'));
    const decoded = onlyFlate
      ? new Uint8Array(inflateSync(stream.contents, { maxOutputLength: max, finishFlush: zlibConstants.Z_SYNC_FLUSH }))
      : decodePDFRawStream(stream).decode();
    if (decoded.length > max) throw tooLarge();
    return decoded;
  } catch (err) {
    if (isFseError(err)) throw err;
    if (err instanceof RangeError) throw tooLarge();
    throw failed(`cannot decode the ${label} (${err instanceof Error ? err.message : String(err)})`);
  }
}

// ---------------------------------------------------------------- CDA text (6.1: "decoded with the declared encoding")

/**
 * Decodes CDA bytes with the encoding of their XML declaration (default UTF-8), strictly: a CDA that is not valid in
 * its own encoding is refused here with a clear message instead of reaching the validator as replacement characters.
 * Well-formedness is left to the XSD stage, which reports it the Gateway's way (7.1).
 */
export function decodeCdaText(bytes: Uint8Array): string {
  const utf16 = bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : undefined;
  const label = utf16 ?? declaredEncoding(bytes) ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw failed(`the CDA declares an unsupported encoding "${label}"`);
  }
  try {
    return decoder.decode(bytes); // ignoreBOM is false: a BOM of the decoder's own encoding is dropped
  } catch {
    throw failed(`the CDA is not valid ${label}`);
  }
}

/**
 * The `encoding` pseudo-attribute of an XML declaration, read from an ASCII-compatible prefix (XML 1.0, 4.3.3 and
 * appendix F). A tiny scanner rather than an XML parser, because the document itself may be malformed and that must
 * be reported by the XSD stage, not here.
 */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const head = Buffer.from(bytes.subarray(start, start + 512)).toString('latin1');
  if (!head.startsWith('<?xml') || !isSpace(head.charAt(5))) return undefined;
  const end = head.indexOf('?>');
  if (end < 0) return undefined;
  const declaration = head.slice(5, end);
  let i = 0;
  while (i < declaration.length) {
    while (isSpace(declaration.charAt(i))) i += 1;
    const eq = declaration.indexOf('=', i);
    if (eq < 0) return undefined;
    const name = declaration.slice(i, eq).trim();
    let q = eq + 1;
    while (isSpace(declaration.charAt(q))) q += 1;
    const quote = declaration.charAt(q);
    if (quote !== '"' && quote !== "'") return undefined;
    const close = declaration.indexOf(quote, q + 1);
    if (close < 0) return undefined;
    if (name === 'encoding') return declaration.slice(q + 1, close).trim().toLowerCase();
    i = close + 1;
  }
  return undefined;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFHexString, PDFName, PDFString, type PDFDict, type PDFRef } from '@cantoo/pdf-lib';

/**
 * In-memory PDFs for every CDA-in-PDF case, built with pdf-lib's low-level objects so the extractor is tested against
 * structures written independently of the bridge's own injector. See: Gateway API digest, 6.1-6.4.
 */

/** A minimal CDA; `marker` goes into the title so tests can tell two CDAs apart. */
export function minimalCda(marker = 'Referto di prova', encoding = 'UTF-8'): string {
  return `<?xml version="1.0" encoding="${encoding}"?>\n${cdaElement(marker)}`;
}

/** The ClinicalDocument element alone, without XML declaration. */
export function cdaElement(marker = 'Referto di prova'): string {
  return `<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <id root="2.16.840.1.113883.2.9.2.120.4.4" extension="DOC-1"/>
  <code code="11502-2" codeSystem="2.16.840.1.113883.6.1"/>
  <title>${marker}</title>
  <legalAuthenticator>
    <time value="20240101120000+0100"/>
    <signatureCode code="S"/>
    <assignedEntity><id root="2.16.840.1.113883.2.9.4.3.2" extension="RSSMRA70A01H501S"/></assignedEntity>
  </legalAuthenticator>
</ClinicalDocument>
`;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** `<?xml ... encoding="ISO-8859-1"?>` with the title "Città" written as one Latin-1 byte (0xE0). */
export function latin1Cda(): Uint8Array {
  return Uint8Array.from(Buffer.from(minimalCda('Città', 'ISO-8859-1'), 'latin1'));
}

/** No declaration (so UTF-8), with a lone 0xE8 byte: not valid UTF-8. */
export function invalidUtf8Cda(): Uint8Array {
  const [before, after] = cdaElement('MARK').split('MARK') as [string, string];
  return Uint8Array.from([...Buffer.from(before), 0xe8, 0x28, ...Buffer.from(after)]);
}

/** A ClinicalDocument element wrapped as XFA form data, as the HL7 Italia RESOURCE guideline shows. */
export function xfaDatasets(body: string = cdaElement()): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data>${body}</xfa:data></xfa:datasets>`;
}

interface Attachment {
  /** name-tree key */
  readonly key: string;
  /** file specification /F (and /UF); defaults to the key */
  readonly fileName?: string;
  readonly bytes: Uint8Array;
  /** compress with FlateDecode (default true) */
  readonly flate?: boolean;
}

interface BuildOptions {
  readonly attachments?: readonly Attachment[];
  /** put the attachments under /Kids (one or more levels) instead of a flat /Names array */
  readonly kidsDepth?: number;
  /** XFA datasets XML for RESOURCE mode */
  readonly xfa?: string;
  readonly signed?: boolean;
  /** a /Sig field without /V: an empty signature box, not a signature */
  readonly emptySignatureField?: boolean;
}

/** Builds a one-page PDF with the requested structures. */
export async function buildPdf(options: BuildOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  const { context, catalog } = doc;
  const names = context.obj({}) as PDFDict;

  if (options.attachments?.length) {
    const flat = context.obj([]);
    for (const a of options.attachments) {
      flat.push(PDFString.of(a.key));
      flat.push(fileSpec(doc, a));
    }
    let tree = context.obj({ Names: flat }) as PDFDict;
    for (let level = 0; level < (options.kidsDepth ?? 0); level += 1) {
      tree = context.obj({ Kids: [context.register(tree)] }) as PDFDict;
    }
    names.set(PDFName.of('EmbeddedFiles'), tree);
  }
  if (options.xfa !== undefined) {
    const stream = context.flateStream(utf8(options.xfa));
    names.set(PDFName.of('XFAResources'), context.register(context.obj({ Names: [PDFString.of('datasets'), context.register(stream)] })));
  }
  if (names.keys().length > 0) catalog.set(PDFName.of('Names'), names);
  if (options.signed || options.emptySignatureField) addSignatureField(doc, options.signed === true);
  return doc.save({ useObjectStreams: false });
}

function fileSpec(doc: PDFDocument, a: Attachment): PDFRef {
  const { context } = doc;
  const dict = { Type: 'EmbeddedFile', Subtype: 'application/xml', Params: { Size: a.bytes.length } };
  const stream = a.flate === false ? context.stream(a.bytes, dict) : context.flateStream(a.bytes, dict);
  const name = a.fileName ?? a.key;
  return context.register(context.obj({
    Type: 'Filespec', F: PDFString.of(name), UF: PDFHexString.fromText(name), EF: { F: context.register(stream) },
  }));
}

function addSignatureField(doc: PDFDocument, withValue: boolean): void {
  const { context } = doc;
  const field: Record<string, unknown> = { FT: 'Sig', T: PDFString.of('Signature1'), Type: 'Annot', Subtype: 'Widget', Rect: [0, 0, 0, 0] };
  if (withValue) {
    field.V = context.register(context.obj({
      Type: 'Sig', Filter: 'Adobe.PPKLite', SubFilter: 'ETSI.CAdES.detached',
      ByteRange: [0, 100, 200, 300], Contents: PDFHexString.of('00'.repeat(64)), Reason: PDFString.of('Firma Digitale'),
    }));
  }
  const fieldRef = context.register(context.obj(field as never));
  doc.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [fieldRef], SigFlags: 3 }));
}

/** A PDF whose only attachment is `cda.xml` in a flat name tree. */
export const attachmentPdf = (cda: Uint8Array = utf8(minimalCda())): Promise<Uint8Array> =>
  buildPdf({ attachments: [{ key: 'cda.xml', bytes: cda }] });

/** A CDA embedded as a stream compressed with raw zlib (bypassing pdf-lib), e.g. a compression bomb. */
export async function rawFlateAttachmentPdf(decoded: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  const { context } = doc;
  const stream = context.stream(deflateSync(decoded), { Type: 'EmbeddedFile', Filter: 'FlateDecode' });
  const spec = context.register(context.obj({ Type: 'Filespec', F: PDFString.of('cda.xml'), EF: { F: context.register(stream) } }));
  doc.catalog.set(PDFName.of('Names'), context.obj({ EmbeddedFiles: { Names: [PDFString.of('cda.xml'), spec] } }));
  return doc.save({ useObjectStreams: false });
}

/** The first `fraction` of a valid attachment PDF: a truncated upload. */
export async function truncatedPdf(fraction = 0.3): Promise<Uint8Array> {
  const whole = await attachmentPdf();
  return whole.slice(0, Math.floor(whole.length * fraction));
}

/** Bytes that are not a PDF (a bare XML file). */
export const notAPdf = (): Uint8Array => utf8(minimalCda());

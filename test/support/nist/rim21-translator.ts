import { randomUUID } from 'node:crypto';
import type { XmlElement, XmlNode } from 'libxml2-wasm';
import { XmlDocumentWriter } from '../../../src/xml/xml-writer.js';
import type { EntryUuid } from '../../../src/domain/ids.js';
import { EBXML_NS } from '../../../src/ebxml/rim-read.js';
import { rim, type XMLBuilder } from '../../../src/ebxml/rim-write.js';
import { ASSOCIATION_TYPE, DOCUMENT_ENTRY, FOLDER, OBJECT_TYPE, SUBMISSION_SET } from '../../../src/metadata/vocabulary.js';
import { withXml } from '../../../src/xml/xml-toolkit.js';

/**
 * Turns a NIST toolkit ebRIM 2.1 `rs:SubmitObjectsRequest` into an ebRIM 3.0 `lcm:SubmitObjectsRequest`, doing what
 * the toolkit's test engine does before it sends a Register.b: namespaces and element order of 3.0, short association
 * types to URNs, `<AssignUuids/>` (every symbolic id gets a fresh `urn:uuid:`, references rewritten), a fresh uniqueId
 * for every DocumentEntry, SubmissionSet and Folder, the test's patient id in every patientId ExternalIdentifier, and
 * the symbols of earlier steps (`$rplc_doc_uuid$`) substituted. ObjectRefs (the 2.1 scheme declarations) are dropped.
 */
const RIM21 = 'urn:oasis:names:tc:ebxml-regrep:rim:xsd:2.1';

export interface Rim21Context {
  /** The test's patient; undefined keeps the metadata's own (`<NoPatientId/>`). */
  readonly patientId: string | undefined;
  /** Symbols from earlier steps, e.g. `$rplc_doc_uuid$` -> an entryUUID. */
  readonly symbols: ReadonlyMap<string, string>;
  readonly newUniqueId: () => string;
}

export interface Translation {
  /** The ebRIM 3.0 SubmitObjectsRequest. */
  readonly xml: string;
  /** The toolkit's AssignedUuids: symbolic id -> entryUUID. */
  readonly uuids: ReadonlyMap<string, EntryUuid>;
  /** The toolkit's AssignedUids: symbolic id of the object -> its new uniqueId. */
  readonly uids: ReadonlyMap<string, string>;
}

const UNIQUE_ID_SCHEMES = new Set<string>([DOCUMENT_ENTRY.uniqueId, SUBMISSION_SET.uniqueId, FOLDER.uniqueId]);
const PATIENT_ID_SCHEMES = new Set<string>([DOCUMENT_ENTRY.patientId, SUBMISSION_SET.patientId, FOLDER.patientId]);
const SHORT_TYPES: Readonly<Record<string, string>> = ASSOCIATION_TYPE;

const isElement = (n: XmlNode): n is XmlElement => 'attr' in n;
const ns21 = { rim: RIM21 };
const kids = (el: XmlElement, xpath: string): XmlElement[] => el.find(xpath, ns21).filter(isElement);
const attr = (el: XmlElement, name: string): string | undefined => el.attr(name)?.value ?? undefined;

class Translator {
  readonly uuids = new Map<string, EntryUuid>();
  readonly uids = new Map<string, string>();

  constructor(private readonly ctx: Rim21Context) {}

  /** A value with the earlier steps' symbols substituted. */
  private sub(value: string): string {
    return this.ctx.symbols.get(value) ?? value;
  }

  /** The 3.0 id of a 2.1 id or reference: urn:uuid: ones kept, symbolic ones mapped once to a fresh UUID. */
  ref(raw: string): string {
    const value = this.sub(raw);
    if (value.startsWith('urn:uuid:')) return value;
    let uuid = this.uuids.get(value);
    if (uuid === undefined) {
      uuid = `urn:uuid:${randomUUID()}` as EntryUuid;
      this.uuids.set(value, uuid);
    }
    return uuid;
  }

  private slots(from: XmlElement, to: XMLBuilder): void {
    for (const slot of kids(from, 'rim:Slot')) {
      const list = rim(rim(to, 'Slot', { name: attr(slot, 'name') }), 'ValueList');
      for (const value of kids(slot, 'rim:ValueList/rim:Value')) rim(list, 'Value').txt(value.content);
    }
  }

  private localized(from: XmlElement, to: XMLBuilder, child: 'Name' | 'Description'): void {
    const [str] = kids(from, `rim:${child}/rim:LocalizedString`);
    const value = str === undefined ? undefined : attr(str, 'value');
    if (value !== undefined) rim(rim(to, child), 'LocalizedString', { value });
  }

  private classification(cl: XmlElement, to: XMLBuilder, owner?: string): void {
    const classified = attr(cl, 'classifiedObject') ?? owner;
    const out = rim(to, 'Classification', {
      id: `urn:uuid:${randomUUID()}`, objectType: OBJECT_TYPE.classification,
      classificationScheme: attr(cl, 'classificationScheme'), classificationNode: attr(cl, 'classificationNode'),
      classifiedObject: classified === undefined ? undefined : this.ref(classified), nodeRepresentation: attr(cl, 'nodeRepresentation'),
    });
    this.slots(cl, out);
    this.localized(cl, out, 'Name');
  }

  private externalIdentifier(ei: XmlElement, to: XMLBuilder, owner: string, ownerId: string): void {
    const scheme = attr(ei, 'identificationScheme') ?? '';
    let value = this.sub(attr(ei, 'value') ?? '');
    if (PATIENT_ID_SCHEMES.has(scheme)) value = this.ctx.patientId ?? value;
    if (UNIQUE_ID_SCHEMES.has(scheme)) {
      value = this.ctx.newUniqueId();
      this.uids.set(owner, value);
    }
    const out = rim(to, 'ExternalIdentifier', {
      id: `urn:uuid:${randomUUID()}`, objectType: OBJECT_TYPE.externalIdentifier, identificationScheme: scheme,
      registryObject: ownerId, value,
    });
    this.localized(ei, out, 'Name');
  }

  /** An ExtrinsicObject or RegistryPackage, children in 3.0 order. */
  private registryObject(el: XmlElement, to: XMLBuilder): void {
    const owner = attr(el, 'id') ?? '';
    const id = this.ref(owner);
    const attrs = el.name === 'ExtrinsicObject'
      ? { id, objectType: attr(el, 'objectType'), mimeType: attr(el, 'mimeType') }
      : { id, objectType: OBJECT_TYPE.registryPackage };
    const out = rim(to, el.name, attrs);
    this.slots(el, out);
    this.localized(el, out, 'Name');
    this.localized(el, out, 'Description');
    for (const cl of kids(el, 'rim:Classification')) this.classification(cl, out, owner);
    for (const ei of kids(el, 'rim:ExternalIdentifier')) this.externalIdentifier(ei, out, owner, id);
  }

  private association(el: XmlElement, to: XMLBuilder): void {
    const type = attr(el, 'associationType') ?? '';
    const id = attr(el, 'id');
    const out = rim(to, 'Association', {
      id: id === undefined ? `urn:uuid:${randomUUID()}` : this.ref(id), objectType: OBJECT_TYPE.association,
      associationType: SHORT_TYPES[type] ?? type,
      sourceObject: this.ref(attr(el, 'sourceObject') ?? ''), targetObject: this.ref(attr(el, 'targetObject') ?? ''),
    });
    this.slots(el, out);
  }

  translate(root: XmlElement): string {
    const doc = new XmlDocumentWriter();
    const list = rim(doc.root().ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'), 'RegistryObjectList');
    for (const el of kids(root, 'rim:LeafRegistryObjectList/*')) {
      if (el.name === 'ExtrinsicObject' || el.name === 'RegistryPackage') this.registryObject(el, list);
      else if (el.name === 'Classification') this.classification(el, list);
      else if (el.name === 'Association') this.association(el, list);
      else if (el.name !== 'ObjectRef') throw new Error(`ebRIM 2.1 translator: unexpected ${el.name}`);
    }
    return doc.end();
  }
}

/** Translates one ebRIM 2.1 submission (the text of a toolkit MetadataFile). */
export function translateRim21(source: string, ctx: Rim21Context): Translation {
  const translator = new Translator(ctx);
  const xml = withXml(source, (doc) => translator.translate(doc.root));
  return { xml, uuids: translator.uuids, uids: translator.uids };
}

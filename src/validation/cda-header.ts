import { XmlXPath, type XmlDocument, type XmlElement } from 'libxml2-wasm';
import { NS } from '../xml/xml-toolkit.js';

/** The parts of a CDA2 header that routing, JWT checks and the workflow id need. */
export interface CdaHeader {
  /** `ClinicalDocument/id` (the first one, as the Gateway reads it). */
  readonly id?: { readonly root?: string; readonly extension?: string };
  readonly code?: { readonly code?: string; readonly codeSystem?: string };
  /** `@root` of every `ClinicalDocument/templateId`, in document order. */
  readonly templateRoots: readonly string[];
  /** `@extension` of the first `ClinicalDocument/typeId`: selects the XSD. See: Gateway API digest, 7.2. */
  readonly typeIdExtension?: string;
  readonly patientIds: readonly { readonly root?: string; readonly extension?: string }[];
}

/** The header paths, compiled once per thread: every validation and publication reads them (string XPaths recompile). */
const XPATH = Object.fromEntries(Object.entries({
  id: '/hl7:ClinicalDocument/hl7:id[1]',
  code: '/hl7:ClinicalDocument/hl7:code[1]',
  typeId: '/hl7:ClinicalDocument/hl7:typeId[1]',
  templates: '/hl7:ClinicalDocument/hl7:templateId',
  patients: '/hl7:ClinicalDocument/hl7:recordTarget/hl7:patientRole/hl7:id',
}).map(([key, xpath]) => [key, XmlXPath.compile(xpath, { hl7: NS.hl7 })])) as Record<'id' | 'code' | 'typeId' | 'templates' | 'patients', XmlXPath>;

function attr(el: XmlElement | null, name: string): string | undefined {
  return el?.attr(name)?.value ?? undefined;
}

function first(doc: XmlDocument, xpath: XmlXPath): XmlElement | null {
  const node = doc.get(xpath);
  return node && 'attr' in node ? (node as XmlElement) : null;
}

/** Reads the header through namespace-aware XPath (never by string matching, whatever the prefixes). */
export function readCdaHeader(doc: XmlDocument): CdaHeader {
  const id = first(doc, XPATH.id);
  const code = first(doc, XPATH.code);
  const typeId = first(doc, XPATH.typeId);
  const templates = doc.find(XPATH.templates) as XmlElement[];
  const patients = doc.find(XPATH.patients) as XmlElement[];
  return {
    id: id ? { root: attr(id, 'root'), extension: attr(id, 'extension') } : undefined,
    code: code ? { code: attr(code, 'code'), codeSystem: attr(code, 'codeSystem') } : undefined,
    templateRoots: templates.map((t) => attr(t, 'root')).filter((r): r is string => !!r),
    typeIdExtension: attr(typeId, 'extension'),
    patientIds: patients.map((p) => ({ root: attr(p, 'root'), extension: attr(p, 'extension') })),
  };
}

/** True when the document element is `ClinicalDocument` in the HL7 v3 namespace. */
export function isClinicalDocument(doc: XmlDocument): boolean {
  return doc.root.name === 'ClinicalDocument' && doc.root.namespaceUri === NS.hl7;
}

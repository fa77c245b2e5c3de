import type { XmlDocument, XmlElement } from 'libxml2-wasm';
import { readCdaHeader, type CdaHeader } from '../validation/cda-header.js';
import { NS } from '../xml/xml-toolkit.js';

/** An `II` (instance identifier) as read from the CDA. */
export interface CdaIi {
  readonly root?: string;
  readonly extension?: string;
}

/**
 * The CDA header parts that XDS metadata is built from, on top of {@link CdaHeader}.
 * See: xds-ini digest, 8.1; Gateway API digest, 8.2.
 */
export interface CdaMetadata extends CdaHeader {
  /** `ClinicalDocument/code/@displayName`: the typeCode Name. */
  readonly codeDisplayName?: string;
  /** `ClinicalDocument/title` text. */
  readonly title?: string;
  /** `ClinicalDocument/effectiveTime/@value` (HL7 TS, usually with an offset). */
  readonly effectiveTime?: string;
  /** `ClinicalDocument/confidentialityCode/@code`. */
  readonly confidentialityCode?: string;
  /** `ClinicalDocument/author/assignedAuthor/id`, first author first. */
  readonly authorIds: readonly CdaIi[];
  /** `ClinicalDocument/inFulfillmentOf/order/id`, every one (the NRE ones become referenceIdList). */
  readonly orderIds: readonly CdaIi[];
}

const ns = { hl7: NS.hl7 };

function elements(doc: XmlDocument, xpath: string): XmlElement[] {
  return doc.find(xpath, ns).filter((n): n is XmlElement => 'attr' in n);
}

function attr(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attr(name)?.value ?? undefined;
}

function ii(el: XmlElement): CdaIi {
  return { root: attr(el, 'root'), extension: attr(el, 'extension') };
}

/** Reads the metadata-relevant header through namespace-aware XPath (never by string matching). */
export function readCdaMetadata(doc: XmlDocument): CdaMetadata {
  const title = elements(doc, '/hl7:ClinicalDocument/hl7:title[1]')[0]?.content.trim();
  return {
    ...readCdaHeader(doc),
    codeDisplayName: attr(elements(doc, '/hl7:ClinicalDocument/hl7:code[1]')[0], 'displayName'),
    title: title === '' ? undefined : title,
    effectiveTime: attr(elements(doc, '/hl7:ClinicalDocument/hl7:effectiveTime[1]')[0], 'value'),
    confidentialityCode: attr(elements(doc, '/hl7:ClinicalDocument/hl7:confidentialityCode[1]')[0], 'code'),
    authorIds: elements(doc, '/hl7:ClinicalDocument/hl7:author/hl7:assignedAuthor/hl7:id').map(ii),
    orderIds: elements(doc, '/hl7:ClinicalDocument/hl7:inFulfillmentOf/hl7:order/hl7:id').map(ii),
  };
}

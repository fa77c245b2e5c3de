import type { XmlElement } from 'libxml2-wasm';
import { EBXML_NS, elements } from '../../src/ebxml/rim-read.js';
import type { XMLBuilder } from '../../src/ebxml/rim-write.js';
import { withXml } from '../../src/xml/xml-toolkit.js';
import { writeXml } from '../../src/xml/xml-writer.js';

/** Encodes into a fresh `rim:RegistryObjectList`, serialises, re-parses with the toolkit and returns the XML text. */
export function encodeToXml(encode: (parent: XMLBuilder) => unknown): string {
  return writeXml((doc) => { encode(doc.ele(EBXML_NS.rim, 'rim:RegistryObjectList')); });
}

/** Parses `xml` and runs `decode` on the first element matching `xpath` (relative to the root element). */
export function decodeFirst<T>(xml: string, xpath: string, decode: (el: XmlElement) => T): T {
  return withXml(xml, (doc) => {
    const [el] = elements(doc.root, xpath);
    if (!el) throw new Error(`no ${xpath} in the encoded XML`);
    return decode(el);
  });
}

import { writeXml } from '../../../src/xml/xml-writer.js';
import type { EntryUuid, PatientId, UniqueId } from '../../../src/domain/ids.js';
import type { StoredQueryRequest } from '../../../src/domain/stored-query.js';
import { decodeAdhocQueryRequest, encodeAdhocQueryRequestDocument } from '../../../src/ebxml/adhoc-query-request.js';
import { EbxmlError } from '../../../src/ebxml/ebxml-error.js';
import type { XdsErrorCode } from '../../../src/errors/xds-codes.js';
import { EBXML_NS } from '../../../src/ebxml/rim-read.js';
import { rim } from '../../../src/ebxml/rim-write.js';
import { withXml } from '../../../src/xml/xml-toolkit.js';

/** Helpers of the stored query codec tests: XML in and out through the project's toolkit. */

export const PATIENT = 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId;
export const UUID_1 = 'urn:uuid:0b8e3c2a-6f4d-4e0a-9a53-7f1d2c3b4a51' as EntryUuid;
export const UUID_2 = 'urn:uuid:1c9f4d3b-7a5e-4f1b-8b64-8a2e3d4c5b62' as EntryUuid;
export const UID_1 = '2.16.840.1.113883.2.9.2.120.4.4^290700' as UniqueId;
export const UID_2 = '2.16.840.1.113883.2.9.2.120.4.4^290701' as UniqueId;

/** Decodes the AdhocQueryRequest that is the root of `xml`. */
export function decodeXml(xml: string): StoredQueryRequest {
  return withXml(xml, (doc) => decodeAdhocQueryRequest(doc.root));
}

/** typed -> AdhocQueryRequest XML -> typed. */
export function roundTrip(request: StoredQueryRequest): StoredQueryRequest {
  return decodeXml(encodeAdhocQueryRequestDocument(request));
}

/** A predicate for `assert.throws`: an EbxmlError with `code` whose codeContext mentions `mentions`. */
export function xdsError(code: XdsErrorCode, mentions?: string) {
  return (error: unknown): boolean => {
    if (!(error instanceof EbxmlError)) return false;
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.codeContext}`);
    if (mentions !== undefined && !error.codeContext.includes(mentions)) {
      throw new Error(`codeContext "${error.codeContext}" does not mention ${mentions}`);
    }
    return true;
  };
}

/**
 * An AdhocQueryRequest for query `id` with raw `slots` (name -> `rim:Value` texts, one entry per slot), built with
 * the project's XML writer so values are escaped by the serialiser.
 */
export function requestXml(id: string, slots: readonly (readonly [string, readonly string[]])[], returnType = 'LeafClass'): string {
  return writeXml((doc) => {
    const request = doc.ele(EBXML_NS.query, 'query:AdhocQueryRequest');
    request.ele(EBXML_NS.query, 'query:ResponseOption', { returnComposedObjects: 'true', returnType });
    const query = rim(request, 'AdhocQuery', { id });
    for (const [name, values] of slots) {
      const list = rim(rim(query, 'Slot', { name }), 'ValueList');
      for (const value of values) rim(list, 'Value').txt(value);
    }
  });
}

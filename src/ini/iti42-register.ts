import type { Submission } from '../domain/xds.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../ebxml/registry-response.js';
import { EBXML_NS } from '../ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../ebxml/submit-objects-request.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import type { XmlBuilder } from '../xml/xml-writer.js';
import type { IniRequester } from './ini-assertion.js';
import type { IniCall } from './ini-call.js';

/** The body of ITI-42 and ITI-57: the submission's objects in an `lcm:SubmitObjectsRequest`. See: xds-ini digest 4.2, 4.5. */
export const submitObjectsRequest = (submission: Submission) => (parent: XmlBuilder): void => {
  encodeRegistryObjectList(submission, parent.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest'));
};

/**
 * ITI-42 Register Document Set-b on INI's registry service: a publication, or a replacement with its RPLC (INI has
 * one action for both). See: xds-ini digest 1.3 row 8, 4.2, 4.7.
 */
export function iti42Register(call: IniCall, submission: Submission, requester: IniRequester): Promise<DecodedRegistryResponse> {
  return call({ service: 'registry', action: SOAP_ACTION.iti42, requester, body: submitObjectsRequest(submission), decode: decodeRegistryResponse });
}

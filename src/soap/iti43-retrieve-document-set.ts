import { decodeRetrieveRequest, encodeRetrieveResponse } from '../ebxml/retrieve-document-set.js';
import { retrieveDocumentSet, type RetrieveDeps } from '../operations/retrieve-document-set.js';
import type { MtomAttachment } from './mtom/mtom-builder.js';
import type { SoapHandler } from './soap-router.js';

/**
 * ITI-43 Retrieve Document Set over SOAP: the request may be plain or MTOM, the answer is always MTOM with one
 * xop:Include part per document. See: xds-ini digest 2.5, 4.3; IHE ITI TF-2b 3.43.
 */
export function iti43RetrieveDocumentSet(deps: RetrieveDeps): SoapHandler {
  return async (call) => {
    const requests = decodeRetrieveRequest(call.envelope.body);
    const response = await retrieveDocumentSet(requests, deps);
    const attachments: MtomAttachment[] = [];
    return {
      body: (parent) => { attachments.push(...encodeRetrieveResponse(response, parent)); },
      get attachments() { return attachments; },
    };
  };
}

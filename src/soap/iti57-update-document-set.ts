import { encodeRegistryResponse } from '../ebxml/registry-response.js';
import { decodeSubmitObjectsRequest } from '../ebxml/submit-objects-request.js';
import { updateDocumentSet, type UpdateDocumentSetDeps } from '../operations/update-document-set.js';
import type { SoapHandler } from './soap-router.js';

/** ITI-57 Update Document Set over SOAP. See: xds-ini digest 4.5; IHE ITI TF-2b 3.57. */
export function iti57UpdateDocumentSet(deps: UpdateDocumentSetDeps): SoapHandler {
  return async (call) => {
    const response = await updateDocumentSet(decodeSubmitObjectsRequest(call.envelope.body), call.caller, call.ctx, deps);
    return { body: (parent) => encodeRegistryResponse(response, parent) };
  };
}

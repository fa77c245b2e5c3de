import { encodeRegistryResponse } from '../ebxml/registry-response.js';
import { decodeSubmitObjectsRequest } from '../ebxml/submit-objects-request.js';
import { registerDocumentSet, type RegisterDocumentSetDeps } from '../operations/register-document-set.js';
import type { SoapHandler } from './soap-router.js';

/** ITI-42 Register Document Set-b over SOAP. See: xds-ini digest 4.2; IHE ITI TF-2b 3.42. */
export function iti42RegisterDocumentSet(deps: RegisterDocumentSetDeps): SoapHandler {
  return async (call) => {
    const response = await registerDocumentSet(decodeSubmitObjectsRequest(call.envelope.body), deps);
    return { body: (parent) => encodeRegistryResponse(response, parent) };
  };
}

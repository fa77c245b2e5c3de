import { encodeRegistryResponse } from '../ebxml/registry-response.js';
import { decodeRemoveDocumentsRequest } from '../ebxml/remove-documents-request.js';
import { removeDocuments, type RemoveDocumentsDeps } from '../operations/iti86-remove-documents.js';
import type { SoapHandler } from './soap-router.js';

/**
 * ITI-86 Remove Documents over SOAP, on the repository endpoint: decodes the RemoveDocumentsRequest, removes the
 * bytes and answers a RegistryResponse. The access log names the documents removed; their patient is no longer
 * known, the metadata having gone before (ITI-62). See: IHE ITI RMD 3.86.
 */
export function iti86RemoveDocuments(deps: RemoveDocumentsDeps): SoapHandler {
  return async (call) => {
    const requests = decodeRemoveDocumentsRequest(call.envelope.body);
    const response = await removeDocuments(requests, deps);
    return {
      body: (parent) => encodeRegistryResponse(response, parent),
      audit: [{ documentIds: response.removed.map((r) => r.documentUniqueId), outcome: response.status, errorCodes: response.errors.map((e) => e.code) }],
    };
  };
}

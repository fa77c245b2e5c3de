import { encodeRegistryResponse } from '../ebxml/registry-response.js';
import { decodeRemoveObjectsRequest } from '../ebxml/remove-objects-request.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import { deleteDocumentSet, type DeleteDocumentSetDeps } from '../operations/delete-document-set.js';
import type { SoapHandler } from './soap-router.js';

/**
 * ITI-62 Delete Document Set over SOAP, under both actions: IHE's (the request lists associations too) and INI's
 * delete (DocumentEntries only, associations cascade). See: xds-ini digest 4.6; IHE ITI TF-2b 3.62.
 */
export function iti62DeleteDocumentSet(deps: DeleteDocumentSetDeps): SoapHandler {
  return async (call) => {
    const uuids = decodeRemoveObjectsRequest(call.envelope.body);
    const response = await deleteDocumentSet({ uuids, cascade: call.action === SOAP_ACTION.iniDelete, caller: call.caller, ctx: call.ctx }, deps);
    return { body: (parent) => encodeRegistryResponse(response, parent) };
  };
}

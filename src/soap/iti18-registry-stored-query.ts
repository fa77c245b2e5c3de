import { decodeAdhocQueryRequest } from '../ebxml/adhoc-query-request.js';
import { encodeAdhocQueryResponse } from '../ebxml/adhoc-query-response.js';
import { registryStoredQuery, type RegistryStoredQueryDeps } from '../operations/registry-stored-query.js';
import type { SoapHandler } from './soap-router.js';

/**
 * ITI-18 Registry Stored Query over SOAP: AdhocQueryRequest in, AdhocQueryResponse out; the stored query engine
 * does the rest. See: xds-ini digest 4.4, 5; IHE ITI TF-2a 3.18.
 */
export function iti18RegistryStoredQuery(deps: RegistryStoredQueryDeps): SoapHandler {
  return async (call) => {
    const request = decodeAdhocQueryRequest(call.envelope.body);
    const response = await registryStoredQuery(request, deps);
    return { body: (parent) => encodeAdhocQueryResponse(response, parent) };
  };
}

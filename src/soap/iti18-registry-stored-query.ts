import { decodeAdhocQueryRequest } from '../ebxml/adhoc-query-request.js';
import { encodeAdhocQueryResponse } from '../ebxml/adhoc-query-response.js';
import { federatedQuery, type FederatedQueryDeps } from '../operations/iti18-federated-query.js';
import { refusalCodes } from '../access/access-decision.js';
import { requesterOfCaller } from '../access/requester.js';
import { isIniCaller } from './saml-verifier.js';
import type { SoapHandler } from './soap-router.js';

/**
 * ITI-18 Registry Stored Query over SOAP: AdhocQueryRequest in, AdhocQueryResponse out; access control, federation
 * with INI and the stored query engine do the rest. INI's own queries (for other regions) are answered from here.
 * See: xds-ini digest 4.4, 4.8, 5; IHE ITI TF-2a 3.18.
 */
export function iti18RegistryStoredQuery(deps: FederatedQueryDeps): SoapHandler {
  return async (call) => {
    const request = decodeAdhocQueryRequest(call.envelope.body);
    const response = await federatedQuery({ request, caller: call.caller, requester: requesterOfCaller(call.caller, isIniCaller(call.caller)) }, deps);
    return {
      body: (parent) => encodeAdhocQueryResponse(response, parent),
      audit: [{ patientId: response.patientId, documentIds: response.documentIds, outcome: response.status, errorCodes: [...response.errors.map((e) => e.code), ...refusalCodes(response.refusals)] }],
    };
  };
}

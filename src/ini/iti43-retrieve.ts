import type { DocumentRequest } from '../domain/retrieve.js';
import { decodeRetrieveResponse, encodeRetrieveRequest, type DecodedRetrieveResponse } from '../ebxml/retrieve-document-set.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import type { IniRequester } from './ini-assertion.js';
import type { IniCall } from './ini-call.js';

/**
 * ITI-43 through INI, which routes each DocumentRequest to the region holding the document by its
 * repositoryUniqueId; the answer is MTOM. See: xds-ini digest 1.4 E, 2.5, 4.3.
 */
export function iti43Retrieve(call: IniCall, requests: readonly DocumentRequest[], requester: IniRequester, budgetMs?: number): Promise<DecodedRetrieveResponse> {
  return call({
    service: 'retrieve', action: SOAP_ACTION.iti43, requester, budgetMs,
    body: (p) => encodeRetrieveRequest(requests, p),
    decode: (element, parts) => decodeRetrieveResponse(element, parts),
  });
}

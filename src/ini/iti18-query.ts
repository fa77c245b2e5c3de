import type { EntryUuid, UniqueId } from '../domain/ids.js';
import type { StoredQueryRequest } from '../domain/stored-query.js';
import { encodeAdhocQueryRequest } from '../ebxml/adhoc-query-request.js';
import { decodeAdhocQueryResponse, type DecodedAdhocQueryResponse } from '../ebxml/adhoc-query-response.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import type { IniRequester } from './ini-assertion.js';
import type { IniCall } from './ini-call.js';

/**
 * ITI-18 on INI's registry service: a consumer's stored query, answered in the return type it asks for.
 * See: xds-ini digest 1.4 E, 4.4.
 */
export function iti18Query(call: IniCall, request: StoredQueryRequest, requester: IniRequester, budgetMs?: number): Promise<DecodedAdhocQueryResponse> {
  return call({
    service: 'registry', action: SOAP_ACTION.iti18, requester, budgetMs,
    body: (p) => { encodeAdhocQueryRequest(request, p); },
    decode: (element) => decodeAdhocQueryResponse(element, request.returnType),
  });
}

/**
 * "Recupero riferimento": the entryUUIDs of every version INI holds for `uniqueId` (GetDocuments ObjectRef on the
 * references service), as the Gateway looks them up before a replace or a delete. See: xds-ini digest 2.8, 4.4, 4.7.
 */
export async function iti18References(call: IniCall, uniqueId: UniqueId, requester: IniRequester): Promise<EntryUuid[]> {
  const request: StoredQueryRequest = { returnType: 'ObjectRef', query: { type: 'GetDocuments', documents: { uniqueIds: [uniqueId] } } };
  const answer = await call({
    service: 'references', action: SOAP_ACTION.iti18, requester,
    body: (p) => { encodeAdhocQueryRequest(request, p); },
    decode: (element) => decodeAdhocQueryResponse(element, 'ObjectRef'),
  });
  return answer.result.kind === 'ObjectRef' ? [...answer.result.refs] : answer.result.documentEntries.map((e) => e.entryUuid);
}

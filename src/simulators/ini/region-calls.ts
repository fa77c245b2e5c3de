import { decodeAdhocQueryResponse, type DecodedAdhocQueryResponse } from '../../ebxml/adhoc-query-response.js';
import { encodeAdhocQueryRequest } from '../../ebxml/adhoc-query-request.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../../ebxml/registry-response.js';
import { decodeRetrieveResponse, encodeRetrieveRequest, type DecodedRetrieveResponse } from '../../ebxml/retrieve-document-set.js';
import type { DocumentRequest } from '../../domain/retrieve.js';
import type { StoredQueryRequest } from '../../domain/stored-query.js';
import { readResponseBody, type SoapCaller } from '../../soap-wire/soap-client.js';
import { SOAP_ACTION } from '../../metadata/vocabulary.js';
import type { XmlBuilder } from '../../xml/xml-writer.js';

/**
 * INI's outbound calls to a region's registry and repository, through the project's SOAP caller, each answer decoded
 * by the project's codecs. Transport problems (refused, reset, timeout, a body that is no envelope, a SOAP Fault)
 * surface as `SoapTransportError`; a business failure is the decoded response. See: xds-ini digest 1.4 E-F, 4.8.
 */

/** ITI-42, ITI-57 or INI delete to a region's registry; the answer's RegistryResponse. */
export async function sendToRegistry(
  caller: SoapCaller, url: string, action: string, body: (parent: XmlBuilder) => void, assertionXml: string,
): Promise<DecodedRegistryResponse> {
  const res = await caller.call({ url, action, body, assertionXml });
  return readResponseBody(res, decodeRegistryResponse);
}

/** ITI-18 to a region's registry, the request re-encoded from its decoded form. */
export async function queryRegion(
  caller: SoapCaller, url: string, request: StoredQueryRequest, assertionXml: string,
): Promise<DecodedAdhocQueryResponse> {
  const res = await caller.call({ url, action: SOAP_ACTION.iti18, body: (parent) => void encodeAdhocQueryRequest(request, parent), assertionXml });
  return readResponseBody(res, (el) => decodeAdhocQueryResponse(el, request.returnType));
}

/** ITI-43 to a region's repository (plain request; the MTOM answer's parts resolve the documents). */
export async function retrieveFromRegion(
  caller: SoapCaller, url: string, requests: readonly DocumentRequest[], assertionXml: string,
): Promise<DecodedRetrieveResponse> {
  const res = await caller.call({ url, action: SOAP_ACTION.iti43, body: (parent) => encodeRetrieveRequest(requests, parent), assertionXml });
  return readResponseBody(res, (el) => decodeRetrieveResponse(el, res.parts));
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { EntryUuid, UniqueId } from '../domain/ids.js';
import type { DocumentRequest } from '../domain/retrieve.js';
import type { StoredQueryRequest } from '../domain/stored-query.js';
import type { Submission } from '../domain/xds.js';
import { encodeAdhocQueryRequest } from '../ebxml/adhoc-query-request.js';
import { decodeAdhocQueryResponse, type DecodedAdhocQueryResponse } from '../ebxml/adhoc-query-response.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../ebxml/registry-response.js';
import { encodeRemoveObjectsRequest } from '../ebxml/remove-objects-request.js';
import { decodeRetrieveResponse, encodeRetrieveRequest, type DecodedRetrieveResponse } from '../ebxml/retrieve-document-set.js';
import { EBXML_NS } from '../ebxml/rim-read.js';
import { encodeRegistryObjectList } from '../ebxml/submit-objects-request.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import type { XmlBuilder } from '../xml/xml-writer.js';
import { iniAssertion, type IniRequester, type RegionAssertionDefaults } from './ini-assertion.js';
import type { IniService } from '../metadata/ini-service-paths.js';
import { readResponseBody, SoapTransportError, type SoapCaller, type SoapResponse } from '../soap-wire/soap-client.js';

/**
 * The region's client of INI: ITI-18 (also the "recupero riferimento" ObjectRef lookup), ITI-43 through INI, ITI-42,
 * ITI-57 and INI's delete, each with a freshly signed assertion for its requester. An operation has a deadline, and
 * each attempt gets what is left of it. Technical failures are retried with doubling delays within it, as the Gateway
 * treats INI's (digest 9, last paragraph): no answer, a SOAP fault of either code (a fresh assertion may pass where the
 * last did not, e.g. after a clock skew), an HTTP error page; a business answer never is.
 * See: xds-ini digest 1.3 rows 8-12, 2.8, 4.4-4.6, 7.3, 9.
 */
export interface IniClientOptions {
  readonly urls: Readonly<Record<IniService, string>>;
  readonly caller: SoapCaller;
  readonly region: RegionAssertionDefaults;
  /** Further attempts after the first on a transport failure. */
  readonly retries: number;
  /** Default deadline of one operation, retries included. */
  readonly budgetMs: number;
}

/** INI could not be asked within the deadline. */
export class IniUnavailableError extends Error {
  override name = 'IniUnavailableError';
}

export interface IniClient {
  query(request: StoredQueryRequest, requester: IniRequester, budgetMs?: number): Promise<DecodedAdhocQueryResponse>;
  /** entryUUIDs of every version INI holds for `uniqueId` (GetDocuments ObjectRef on the references service). */
  references(uniqueId: UniqueId, requester: IniRequester): Promise<EntryUuid[]>;
  retrieve(requests: readonly DocumentRequest[], requester: IniRequester, budgetMs?: number): Promise<DecodedRetrieveResponse>;
  register(submission: Submission, requester: IniRequester): Promise<DecodedRegistryResponse>;
  update(submission: Submission, requester: IniRequester): Promise<DecodedRegistryResponse>;
  remove(uuids: readonly EntryUuid[], requester: IniRequester): Promise<DecodedRegistryResponse>;
  close(): Promise<void>;
}

/** A technical failure: no answer, a SOAP fault, or an HTTP error whose body is no envelope (a proxy's page). */
function transient(err: unknown, status: number | undefined): boolean {
  if (!(err instanceof SoapTransportError)) return false;
  return err.reason !== 'malformed' || (status !== undefined && status >= 400);
}

export function createIniClient(options: IniClientOptions): IniClient {
  async function call<T>(service: IniService, action: string, body: (p: XmlBuilder) => void, requester: IniRequester,
    read: (res: SoapResponse) => T, budgetMs = options.budgetMs): Promise<T> {
    const deadline = Date.now() + budgetMs;
    let delay = 100;
    for (let attempt = 0; ; attempt += 1) {
      let status: number | undefined;
      try {
        const res = await options.caller.call({
          url: options.urls[service], action, body, assertionXml: iniAssertion(requester, options.region).xml, timeoutMs: Math.max(1, deadline - Date.now()),
        });
        status = res.status;
        return read(res);
      } catch (err) {
        const retry = transient(err, status);
        if (!retry || attempt >= options.retries || deadline - Date.now() <= delay) {
          if (retry) throw new IniUnavailableError(`INI ${service}: ${(err as Error).message}`, { cause: err });
          throw err;
        }
        await sleep(delay);
        delay *= 2;
      }
    }
  }
  const registryResponse = (res: SoapResponse) => readResponseBody(res, decodeRegistryResponse);
  const submit = (submission: Submission) => (p: XmlBuilder) => { encodeRegistryObjectList(submission, p.ele(EBXML_NS.lcm, 'lcm:SubmitObjectsRequest')); };
  return {
    query: (request, requester, budgetMs) => call('registry', SOAP_ACTION.iti18, (p) => { encodeAdhocQueryRequest(request, p); }, requester,
      (res) => readResponseBody(res, (el) => decodeAdhocQueryResponse(el, request.returnType)), budgetMs),
    async references(uniqueId, requester) {
      const request: StoredQueryRequest = { returnType: 'ObjectRef', query: { type: 'GetDocuments', documents: { uniqueIds: [uniqueId] } } };
      const answer = await call('references', SOAP_ACTION.iti18, (p) => { encodeAdhocQueryRequest(request, p); }, requester,
        (res) => readResponseBody(res, (el) => decodeAdhocQueryResponse(el, 'ObjectRef')));
      return answer.result.kind === 'ObjectRef' ? [...answer.result.refs] : answer.result.documentEntries.map((e) => e.entryUuid);
    },
    retrieve: (requests, requester, budgetMs) => call('retrieve', SOAP_ACTION.iti43, (p) => encodeRetrieveRequest(requests, p), requester,
      (res) => readResponseBody(res, (el) => decodeRetrieveResponse(el, res.parts)), budgetMs),
    register: (submission, requester) => call('registry', SOAP_ACTION.iti42, submit(submission), requester, registryResponse),
    update: (submission, requester) => call('update', SOAP_ACTION.iti57, submit(submission), requester, registryResponse),
    remove: (uuids, requester) => call('delete', SOAP_ACTION.iniDelete, (p) => encodeRemoveObjectsRequest(uuids, p), requester, registryResponse),
    close: () => options.caller.close(),
  };
}

import type { EntryUuid, UniqueId } from '../domain/ids.js';
import type { DocumentRequest } from '../domain/retrieve.js';
import type { StoredQueryRequest } from '../domain/stored-query.js';
import type { Submission } from '../domain/xds.js';
import type { DecodedAdhocQueryResponse } from '../ebxml/adhoc-query-response.js';
import type { DecodedRegistryResponse } from '../ebxml/registry-response.js';
import type { DecodedRetrieveResponse } from '../ebxml/retrieve-document-set.js';
import type { IniRequester } from './ini-assertion.js';
import { createIniCall, type IniCallOptions } from './ini-call.js';
import { iniDelete } from './ini-delete.js';
import { iti18Query, iti18References } from './iti18-query.js';
import { iti42Register } from './iti42-register.js';
import { iti43Retrieve } from './iti43-retrieve.js';
import { iti57Update } from './iti57-update.js';

/**
 * The region's client of INI: ITI-18 (also the "recupero riferimento" ObjectRef lookup), ITI-43 through INI, ITI-42,
 * ITI-57 and INI's delete, one file each, all sent through one call with its deadline and retries (`ini-call.ts`).
 * See: xds-ini digest 1.3 rows 8-12, 2.8, 4.4-4.6, 7.3, 9.
 */
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

/** INI's URLs, the SOAP caller, the region's assertion defaults, the retries and the default deadline. */
export type IniClientOptions = IniCallOptions;

/** The client over one SOAP caller; `close` closes the caller. */
export function createIniClient(options: IniClientOptions): IniClient {
  const call = createIniCall(options);
  return {
    query: (request, requester, budgetMs) => iti18Query(call, request, requester, budgetMs),
    references: (uniqueId, requester) => iti18References(call, uniqueId, requester),
    retrieve: (requests, requester, budgetMs) => iti43Retrieve(call, requests, requester, budgetMs),
    register: (submission, requester) => iti42Register(call, submission, requester),
    update: (submission, requester) => iti57Update(call, submission, requester),
    remove: (uuids, requester) => iniDelete(call, uuids, requester),
    close: () => options.caller.close(),
  };
}

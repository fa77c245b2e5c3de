import type { EntryUuid } from '../domain/ids.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../ebxml/registry-response.js';
import { encodeRemoveObjectsRequest } from '../ebxml/remove-objects-request.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import type { IniRequester } from './ini-assertion.js';
import type { IniCall } from './ini-call.js';

/**
 * INI's delete on its delete service: a RemoveObjectsRequest listing DocumentEntry UUIDs only (INI cascades the
 * associations). See: xds-ini digest 2.3, 4.6.
 */
export function iniDelete(call: IniCall, uuids: readonly EntryUuid[], requester: IniRequester): Promise<DecodedRegistryResponse> {
  return call({ service: 'delete', action: SOAP_ACTION.iniDelete, requester, body: (p) => encodeRemoveObjectsRequest(uuids, p), decode: decodeRegistryResponse });
}

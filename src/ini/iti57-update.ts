import type { Submission } from '../domain/xds.js';
import { decodeRegistryResponse, type DecodedRegistryResponse } from '../ebxml/registry-response.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import type { IniRequester } from './ini-assertion.js';
import type { IniCall } from './ini-call.js';
import { submitObjectsRequest } from './iti42-register.js';

/** ITI-57 Update Document Set on INI's update service ("update v2"). See: xds-ini digest 2.8, 4.5. */
export function iti57Update(call: IniCall, submission: Submission, requester: IniRequester): Promise<DecodedRegistryResponse> {
  return call({ service: 'update', action: SOAP_ACTION.iti57, requester, body: submitObjectsRequest(submission), decode: decodeRegistryResponse });
}

import { encodeRegistryResponse } from '../ebxml/registry-response.js';
import { decodeSubmitObjectsRequest } from '../ebxml/submit-objects-request.js';
import { updateFromIni, type IniMetadataDeps } from '../operations/ini-metadata.js';
import { updateDocumentSet, type UpdateDocumentSetDeps } from '../operations/iti57-update-document-set.js';
import { metadataFacts } from './iti42-register-document-set.js';
import { isIniCaller } from './saml-verifier.js';
import type { SoapHandler } from './soap-router.js';

/** ITI-57 Update Document Set over SOAP; from INI, its update message (authoritative). See: xds-ini digest 4.5, 4.8. */
export function iti57UpdateDocumentSet(deps: UpdateDocumentSetDeps & IniMetadataDeps): SoapHandler {
  return async (call) => {
    const submission = decodeSubmitObjectsRequest(call.envelope.body);
    const response = isIniCaller(call.caller) ? await updateFromIni(submission, deps) : await updateDocumentSet(submission, call.caller, call.ctx, deps);
    return { body: (parent) => encodeRegistryResponse(response, parent), audit: [metadataFacts(submission, response)] };
  };
}

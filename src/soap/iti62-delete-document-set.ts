import { encodeRegistryResponse } from '../ebxml/registry-response.js';
import { decodeRemoveObjectsRequest } from '../ebxml/remove-objects-request.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import { deleteDocumentSet, type DeleteDocumentSetDeps } from '../operations/iti62-delete-document-set.js';
import { deleteFromIni, type IniMetadataDeps } from '../operations/ini-metadata.js';
import { isIniCaller } from './saml-verifier.js';
import type { SoapHandler } from './soap-router.js';

/**
 * ITI-62 Delete Document Set over SOAP, under both actions: IHE's (the request lists associations too) and INI's
 * delete (DocumentEntries only, associations cascade); from INI itself, its delete message. See: xds-ini digest 4.6.
 */
export function iti62DeleteDocumentSet(deps: DeleteDocumentSetDeps & IniMetadataDeps): SoapHandler {
  return async (call) => {
    const uuids = decodeRemoveObjectsRequest(call.envelope.body);
    const entries = await deps.registry.getDocumentEntries(uuids);
    const response = isIniCaller(call.caller)
      ? await deleteFromIni(uuids, deps)
      : await deleteDocumentSet({ uuids, cascade: call.action === SOAP_ACTION.iniDelete, caller: call.caller, ctx: call.ctx }, deps);
    const patients = [...new Set(entries.map((e) => e.patientId))];
    return {
      body: (parent) => encodeRegistryResponse(response, parent),
      audit: (patients.length > 0 ? patients : [undefined]).map((patientId) => ({
        patientId, documentIds: entries.filter((e) => e.patientId === patientId).map((e) => e.uniqueId),
        outcome: response.status, errorCodes: response.errors.map((e) => e.code),
      })),
    };
  };
}

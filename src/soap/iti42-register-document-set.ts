import { encodeRegistryResponse } from '../ebxml/registry-response.js';
import { decodeSubmitObjectsRequest } from '../ebxml/submit-objects-request.js';
import type { Submission } from '../domain/xds.js';
import { registerFromIni, type IniMetadataDeps } from '../operations/ini-metadata.js';
import { registerDocumentSet, type RegisterDocumentSetDeps } from '../operations/iti42-register-document-set.js';
import { isIniCaller } from './saml-verifier.js';
import type { AuditFacts, SoapHandler } from './soap-router.js';
import type { RegistryResponse } from '../domain/registry-response.js';

/**
 * ITI-42 Register Document Set-b over SOAP: from INI, its metadata message for a patient of the region
 * (authoritative); from anybody else, metadata of documents held in another repository. See: xds-ini digest 4.2, 4.8.
 */
export function iti42RegisterDocumentSet(deps: RegisterDocumentSetDeps & IniMetadataDeps): SoapHandler {
  return async (call) => {
    const submission = decodeSubmitObjectsRequest(call.envelope.body);
    const response = isIniCaller(call.caller) ? await registerFromIni(submission, deps) : await registerDocumentSet(submission, deps);
    return { body: (parent) => encodeRegistryResponse(response, parent), audit: [metadataFacts(submission, response)] };
  };
}

/** The access log's facts of a metadata message. */
export function metadataFacts(submission: Submission, response: RegistryResponse): AuditFacts {
  return {
    patientId: submission.submissionSet.patientId, documentIds: submission.documents.map((d) => d.entry.uniqueId),
    outcome: response.status, errorCodes: response.errors.map((e) => e.code),
  };
}

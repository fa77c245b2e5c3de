import { decodeRetrieveRequest, encodeRetrieveResponse } from '../ebxml/retrieve-document-set.js';
import { federatedRetrieve, type FederatedRetrieveDeps } from '../operations/iti43-federated-retrieve.js';
import type { MtomAttachment } from '../soap-wire/mtom-builder.js';
import { refusalCodes } from '../access/access-decision.js';
import { requesterOfCaller } from '../access/requester.js';
import { isIniCaller } from './saml-verifier.js';
import type { AuditFacts, SoapHandler } from './soap-router.js';

/**
 * ITI-43 Retrieve Document Set over SOAP: the request may be plain or MTOM, the answer is always MTOM with one
 * xop:Include part per document; documents of other regions come through INI. See: xds-ini digest 2.5, 4.3.
 */
export function iti43RetrieveDocumentSet(deps: FederatedRetrieveDeps): SoapHandler {
  return async (call) => {
    const requests = decodeRetrieveRequest(call.envelope.body);
    const response = await federatedRetrieve(requests, call.caller, requesterOfCaller(call.caller, isIniCaller(call.caller)), deps);
    const attachments: MtomAttachment[] = [];
    const byPatient = new Map<string, string[]>();
    for (const d of response.disclosed) byPatient.set(d.patientId, [...(byPatient.get(d.patientId) ?? []), d.documentId]);
    const errorCodes = [...response.errors.map((e) => e.code), ...refusalCodes(response.refusals)];
    const audit: AuditFacts[] = byPatient.size === 0
      ? [{ documentIds: [], outcome: response.status, errorCodes }]
      : [...byPatient].map(([patientId, documentIds]) => ({ patientId, documentIds, outcome: response.status, errorCodes }));
    return {
      body: (parent) => { attachments.push(...encodeRetrieveResponse(response, parent)); },
      get attachments() { return attachments; },
      audit,
    };
  };
}

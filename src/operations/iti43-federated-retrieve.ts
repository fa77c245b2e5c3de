import type { Requester } from '../access/requester.js';
import type { CallerIdentity } from '../domain/caller.js';
import { type DocumentRequest, type RetrievedDocument, type RetrieveResponse } from '../domain/retrieve.js';
import { registryError, XDS_ERROR_CODES, type RegistryError, type XdsErrorCode } from '../errors/xds-codes.js';
import { statusFor } from '../ebxml/registry-error-list.js';
import type { IniClient } from '../ini/ini-client.js';
import { IniBrokenAnswerError, IniUnavailableError } from '../ini/ini-errors.js';
import type { RegistryStore } from '../stores/registry-store.js';
import type { RepositoryStore } from '../stores/repository-store.js';
import { createAccessGuard, type AccessGuard, type AccessGuardDeps } from './access-guard.js';
import { isRetrieved, notInRepository, retrieveOne } from './iti43-retrieve-document-set.js';

/**
 * ITI-43 federated, as a consumer gets it: documents of this region's repositories from here, with the access decision
 * applied to each (a hidden document gets exactly the error of a document that does not exist, so its existence does
 * not leak), documents of other regions
 * through INI, which routes by repositoryUniqueId; INI failing gives an error for those documents and PartialSuccess.
 * See: xds-ini digest 1.4 E, 4.3, 4.8.
 */
export interface FederatedRetrieveDeps {
  readonly repository: RepositoryStore;
  readonly registry: RegistryStore;
  readonly ini?: IniClient;
  readonly iniBudgetMs: number;
  readonly access: AccessGuardDeps;
}

export interface FederatedRetrieveResponse extends RetrieveResponse {
  /** For the access log: the documents disclosed, by patient. */
  readonly disclosed: readonly { readonly patientId: string; readonly documentId: string }[];
  /** Why the decision refused or hid something (no ids), for the access log. */
  readonly refusals: readonly string[];
}

const known = (code: string): code is XdsErrorCode => code in XDS_ERROR_CODES;

/** Each request in its order, so that where a refusal sits tells nothing a missing document's error would not. */
async function local(requests: readonly DocumentRequest[], guard: AccessGuard, deps: FederatedRetrieveDeps) {
  const documents: RetrievedDocument[] = [];
  const errors: RegistryError[] = [];
  const disclosed: { patientId: string; documentId: string }[] = [];
  for (const request of requests) {
    const answer = await retrieveOne(request, deps);
    if (!isRetrieved(answer)) {
      errors.push(answer);
      continue;
    }
    const entry = await deps.registry.getDocumentEntry({ uniqueId: answer.documentUniqueId });
    // Bytes whose metadata are gone (removed by ITI-62) are not available either.
    if (entry === undefined || !(await guard.entry(entry)).allowed) {
      errors.push(notInRepository(request));
      continue;
    }
    documents.push(answer);
    disclosed.push({ patientId: entry.patientId, documentId: entry.uniqueId });
  }
  return { documents, errors, disclosed };
}

async function remote(requests: readonly DocumentRequest[], caller: CallerIdentity, guard: AccessGuard, deps: FederatedRetrieveDeps) {
  if (requests.length === 0 || !deps.ini) return { documents: [], errors: [], disclosed: [] };
  const patientId = caller.resourceId;
  if (patientId === undefined) {
    return { documents: [], disclosed: [], errors: requests.map((r) => registryError('XDSRepositoryError', 'a retrieve through INI needs the patient (resource-id) in the requester\'s assertion', r.documentUniqueId)) };
  }
  // INI answers bytes without metadata: what the region can decide is whether the requester may consult this patient.
  const decision = await guard.patient(patientId);
  if (!decision.allowed) {
    return { documents: [], disclosed: [], errors: requests.map((r) => registryError('XDSRepositoryError', `access denied: ${decision.reason}`, r.documentUniqueId)) };
  }
  try {
    const answer = await deps.ini.retrieve(requests, { identity: caller, patientId, purposeOfUse: caller.purposeOfUse ?? 'TREATMENT', actionId: 'READ' }, deps.iniBudgetMs);
    return {
      documents: [...answer.documents],
      errors: answer.errors.map((e) => registryError(known(e.code) ? e.code : 'XDSRepositoryError', `INI: ${e.codeContext}`, e.location, e.severity)),
      disclosed: answer.documents.map((d) => ({ patientId, documentId: d.documentUniqueId })),
    };
  } catch (err) {
    const why = err instanceof IniUnavailableError ? `INI did not answer within ${deps.iniBudgetMs} ms`
      : err instanceof IniBrokenAnswerError ? `INI answered no RetrieveDocumentSetResponse (${err.message})` : undefined;
    if (why === undefined) throw err;
    return { documents: [], disclosed: [], errors: requests.map((r) => registryError('XDSRepositoryError', why, r.documentUniqueId)) };
  }
}

export async function federatedRetrieve(requests: readonly DocumentRequest[], caller: CallerIdentity, requester: Requester, deps: FederatedRetrieveDeps): Promise<FederatedRetrieveResponse> {
  const guard = createAccessGuard(requester, deps.access);
  const here: DocumentRequest[] = [];
  const elsewhere: DocumentRequest[] = [];
  for (const r of requests) {
    if (requester.viaIni || !deps.ini || (await deps.repository.holdsRepository(r.repositoryUniqueId))) here.push(r);
    else elsewhere.push(r);
  }
  const [a, b] = await Promise.all([local(here, guard, deps), remote(elsewhere, caller, guard, deps)]);
  const documents = [...a.documents, ...b.documents];
  const errors = [...a.errors, ...b.errors];
  return { status: statusFor(errors, documents.length > 0), errors, documents, disclosed: [...a.disclosed, ...b.disclosed], refusals: guard.refusals };
}

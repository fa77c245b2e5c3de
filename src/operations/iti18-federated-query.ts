import type { CallerIdentity } from '../domain/caller.js';
import type { StoredQueryRequest } from '../domain/stored-query.js';
import { decideRead, type ReadPolicy } from '../access/read-policy.js';
import { registryError, XDS_ERROR_CODES, type RegistryError, type XdsErrorCode } from '../errors/xds-codes.js';
import type { IniClient } from '../ini/ini-client.js';
import { IniBrokenAnswerError, IniUnavailableError } from '../ini/ini-errors.js';
import type { PatientId } from '../domain/ids.js';
import type { AssistedPatientStore } from '../stores/assisted-patient-store.js';
import { asReturnType, EMPTY_LEAF_CLASS, mergeResults, patientOf, visibleOnly, type LeafClass } from './query-merge.js';
import { registryStoredQuery, type RegistryStoredQueryDeps, type RegistryStoredQueryResponse } from './iti18-registry-stored-query.js';

/**
 * ITI-18 federated, as a consumer gets it: the requester's right to consult (purpose of use, role, consent), the regional
 * registry's answer with what the requester may not see left out (obscured documents, restricted confidentiality:
 * never leaked through ObjectRef either), and federation: a patient this region does not assist is asked of INI,
 * within a time budget, and INI's answer merged with the regional one by uniqueId; INI failing or slow gives
 * PartialSuccess with the regional part. INI's own queries (on behalf of other regions) are answered from here only.
 * See: xds-ini digest 1.4 E, 4.8, 5, pitfall 21.
 */
export interface FederatedQueryDeps extends RegistryStoredQueryDeps {
  readonly patients: AssistedPatientStore;
  readonly ini?: IniClient;
  /** How long a federated query waits for INI. */
  readonly iniBudgetMs: number;
  readonly policy?: ReadPolicy;
}

export interface FederatedQueryRequest {
  readonly request: StoredQueryRequest;
  readonly caller: CallerIdentity;
  /** The caller is INI itself (verified): answer for this region only, never ask INI back. */
  readonly fromIni: boolean;
}

export interface FederatedQueryResponse extends RegistryStoredQueryResponse {
  /** What the access log records: the patient and the documents disclosed. */
  readonly patientId?: string;
  readonly documentIds: readonly string[];
  readonly federated: boolean;
}

const known = (code: string): code is XdsErrorCode => code in XDS_ERROR_CODES;

async function askIni(deps: FederatedQueryDeps, req: FederatedQueryRequest, patientId: string): Promise<{ result?: LeafClass; errors: RegistryError[] }> {
  if (!deps.ini) return { errors: [] };
  const requester = { identity: req.caller, patientId, purposeOfUse: req.caller.purposeOfUse ?? 'TREATMENT', actionId: 'READ' };
  try {
    const answer = await deps.ini.query({ ...req.request, returnType: 'LeafClass' }, requester, deps.iniBudgetMs);
    const errors = answer.errors.map((e) => registryError(known(e.code) ? e.code : 'XDSRegistryError', `INI: ${e.codeContext}`, e.location, e.severity));
    return { result: answer.result.kind === 'LeafClass' ? answer.result : undefined, errors };
  } catch (err) {
    if (err instanceof IniUnavailableError) {
      return { errors: [registryError('XDSRegistryNotAvailable', `INI did not answer within ${deps.iniBudgetMs} ms: regional results only (${err.message})`, 'INI')] };
    }
    // Faults and silences end as IniUnavailableError; what is left is an answer that is no AdhocQueryResponse.
    if (err instanceof IniBrokenAnswerError) return { errors: [registryError('XDSRegistryError', `INI answered no AdhocQueryResponse: regional results only (${err.message})`, 'INI')] };
    throw err;
  }
}

export async function federatedQuery(req: FederatedQueryRequest, deps: FederatedQueryDeps): Promise<FederatedQueryResponse> {
  const { request, caller } = req;
  const patientId = patientOf(request.query);
  const decision = decideRead(caller, patientId, deps.policy);
  if (!decision.allowed) {
    return { status: 'Failure', errors: [registryError('XDSRegistryError', `access denied: ${decision.reason}`)], result: asReturnType(EMPTY_LEAF_CLASS, request.returnType), patientId, documentIds: [], federated: false };
  }
  const federate = !req.fromIni && deps.ini !== undefined && patientId !== undefined && !(await deps.patients.isAssisted(patientId as PatientId));
  const objectRefs = request.returnType === 'ObjectRef';
  const [local, ini] = await Promise.all([
    registryStoredQuery({ ...request, returnType: 'LeafClass' }, deps, objectRefs ? { maxResults: deps.maxObjectRefResults, singlePatient: false } : {}),
    federate && patientId !== undefined ? askIni(deps, req, patientId) : Promise.resolve(undefined),
  ]);
  if (local.status === 'Failure' && !ini?.result) return { ...local, result: asReturnType(EMPTY_LEAF_CLASS, request.returnType), patientId, documentIds: [], federated: federate };
  const regional = local.result.kind === 'LeafClass' ? local.result : EMPTY_LEAF_CLASS;
  const merged = visibleOnly(ini?.result ? mergeResults(regional, ini.result) : regional, caller, deps.policy);
  const errors = [...local.errors, ...(ini?.errors ?? [])];
  const failed = errors.some((e) => e.severity === 'Error');
  return {
    status: failed ? 'PartialSuccess' : 'Success', errors, result: asReturnType(merged, request.returnType),
    patientId, documentIds: merged.documentEntries.map((e) => e.uniqueId), federated: federate,
  };
}

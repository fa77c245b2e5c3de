import type { Requester } from '../access/requester.js';
import type { CallerIdentity } from '../domain/caller.js';
import type { StoredQueryRequest } from '../domain/stored-query.js';
import { registryError, XDS_ERROR_CODES, type RegistryError, type XdsErrorCode } from '../errors/xds-codes.js';
import type { IniClient } from '../ini/ini-client.js';
import { IniBrokenAnswerError, IniUnavailableError } from '../ini/ini-errors.js';
import type { PatientId } from '../domain/ids.js';
import type { AssistedPatientStore } from '../stores/assisted-patient-store.js';
import { createAccessGuard, type AccessGuardDeps } from './access-guard.js';
import { asReturnType, EMPTY_LEAF_CLASS, mergeResults, patientOf, type LeafClass } from './query-merge.js';
import type { RegistryStoredQueryDeps, RegistryStoredQueryResponse } from './iti18-registry-stored-query.js';
import { entryLookup, visibleLeafClass, visibleLocalResult, withinLimits } from './query-visibility.js';

/**
 * ITI-18 federated, as a consumer gets it: the requester's right to consult the patient (the access decision:
 * role, purpose, consent, relation, the assertion's own patient), the regional registry's answer with what the
 * requester may not see left out before anything is counted or encoded (obscured documents, types outside the role's
 * cone, restricted confidentiality: never leaked through ObjectRef, counts or XDSTooManyResults either), and federation: a patient this region does not assist is asked of INI,
 * within a time budget, and INI's answer merged with the regional one by uniqueId; INI failing or slow gives
 * PartialSuccess with the regional part. INI's own queries (on behalf of other regions) are answered from here only.
 * See: xds-ini digest 1.4 E, 4.8, 5, pitfall 21.
 */
export interface FederatedQueryDeps extends RegistryStoredQueryDeps {
  readonly patients: AssistedPatientStore;
  readonly ini?: IniClient;
  /** How long a federated query waits for INI. */
  readonly iniBudgetMs: number;
  readonly access: AccessGuardDeps;
}

export interface FederatedQueryRequest {
  readonly request: StoredQueryRequest;
  /** The caller as the SOAP door knew it: what the region's assertion to INI carries on. */
  readonly caller: CallerIdentity;
  /** The same caller, as the access decision sees it (`requester.viaIni`: answer for this region, never ask INI back). */
  readonly requester: Requester;
}

export interface FederatedQueryResponse extends RegistryStoredQueryResponse {
  /** What the access log records: the patient and the documents disclosed. */
  readonly patientId?: string;
  readonly documentIds: readonly string[];
  readonly federated: boolean;
  /** Why the decision refused or hid something (no ids, no metadata), for the access log. */
  readonly refusals: readonly string[];
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
  const { request, requester } = req;
  const guard = createAccessGuard(requester, deps.access);
  const patientId = patientOf(request.query);
  const refused = (status: RegistryStoredQueryResponse['status'], errors: RegistryError[], federated: boolean): FederatedQueryResponse => ({
    status, errors, result: asReturnType(EMPTY_LEAF_CLASS, request.returnType), patientId, documentIds: [], federated, refusals: guard.refusals,
  });
  if (patientId !== undefined) {
    const decision = await guard.patient(patientId);
    if (!decision.allowed) return refused('Failure', [registryError('XDSRegistryError', `access denied: ${decision.reason}`)], false);
  }
  const federate = !requester.viaIni && deps.ini !== undefined && patientId !== undefined && !(await deps.patients.isAssisted(patientId as PatientId));
  const [local, ini] = await Promise.all([
    visibleLocalResult(request, guard, deps),
    federate && patientId !== undefined ? askIni(deps, req, patientId) : Promise.resolve(undefined),
  ]);
  if (local.status === 'Failure' && !ini?.result) return refused('Failure', local.errors, federate);
  const regional = local.result.kind === 'LeafClass' ? local.result : EMPTY_LEAF_CLASS;
  const merged = ini?.result ? await visibleLeafClass(mergeResults(regional, ini.result), guard, entryLookup(deps)) : regional;
  const limited = withinLimits(merged, request, deps);
  if (limited) return refused('Failure', [limited], federate);
  const errors = [...local.errors, ...(ini?.errors ?? [])];
  const failed = errors.some((e) => e.severity === 'Error');
  return {
    status: failed ? 'PartialSuccess' : 'Success', errors, result: asReturnType(merged, request.returnType),
    patientId, documentIds: merged.documentEntries.map((e) => e.uniqueId), federated: federate, refusals: guard.refusals,
  };
}

import { refusalCodes, type AccessDecision } from '../../access/access-decision.js';
import type { Requester } from '../../access/requester.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { AuditOutcome } from '../../audit/audit-record.js';
import type { RecordedBy } from '../../domain/citizen-rights.js';
import { FISCAL_CODE_OID, parsePatientId, type PatientId } from '../../domain/ids.js';
import { FseError } from '../../errors/fse-error.js';
import type { RequestContext } from '../../logging/context.js';
import type { RegistryStore } from '../../stores/registry-store.js';
import type { RepositoryStore } from '../../stores/repository-store.js';
import { createAccessGuard, type AccessGuard, type AccessGuardDeps } from '../access-guard.js';

/**
 * What the operations on a citizen's rights share: who calls (the citizen API's token or an operator's, as a
 * {@link Requester}, with the identity as the credential spelled it for the access log), which patient the call is
 * about, and the record of the call in the access log. See: privacy digest 3-5; xds-ini digest 10 item 21.
 */
export interface RightsCall {
  readonly requester: Requester;
  /** The requester's id as the credential carried it (a CX), for the access log. */
  readonly subjectId: string;
  /** The calling system (the portal's or console's `iss`). */
  readonly counterpart: string;
  /** `citizen-portal` or `operator`: the channel consents and relations are recorded with. */
  readonly channel: string;
  readonly ctx: RequestContext;
}

export interface RightsDeps {
  readonly access: AccessGuardDeps;
  readonly registry: RegistryStore;
  readonly repository: RepositoryStore;
  readonly audit: AuditLog;
}

/** A bare fiscal code (or a CX) as the CX the registry keys patients by. */
export function patientCxOf(patient: string): PatientId {
  if (patient.includes('^')) return parsePatientId(patient);
  return parsePatientId(`${patient.toUpperCase()}^^^&${FISCAL_CODE_OID}&ISO`);
}

/**
 * The patient a citizen's call is about: the requester's own record (ASS), or the patient the credential names
 * (`person_id`, for ING/GEN/TUT). A `patient` asked for in the request must be that one: a token is for one patient.
 */
export function patientOfCall(call: RightsCall, asked?: string): PatientId {
  const own = call.requester.patient ?? call.requester.subject;
  if (own === undefined) throw new FseError('forbidden', 'the credential names no patient');
  const patient = patientCxOf(own);
  if (asked !== undefined && patientCxOf(asked) !== patient) {
    throw new FseError('forbidden', 'the credential is for another patient: a token acts for the patient its person_id names');
  }
  return patient;
}

export function recordedByOf(call: RightsCall): RecordedBy {
  return { subject: call.requester.subject ?? call.subjectId, role: call.requester.role ?? 'unknown', channel: call.channel };
}

export function guardOf(call: RightsCall, deps: RightsDeps): AccessGuard {
  return createAccessGuard(call.requester, deps.access);
}

/** One access-log record of the call: both identities (the requester's and the patient's), what it returned. */
export async function recordCall(
  call: RightsCall, deps: RightsDeps, what: { transaction: string; patientId?: string; documentIds?: readonly string[]; outcome: AuditOutcome; refusals?: readonly string[]; errors?: readonly string[] },
): Promise<void> {
  await deps.audit.record({
    direction: 'inbound', transaction: what.transaction, counterpart: call.counterpart, subjectId: call.subjectId,
    subjectRole: call.requester.role, purposeOfUse: call.requester.purpose, organizationId: call.requester.organizationId,
    patientId: what.patientId, documentIds: what.documentIds, outcome: what.outcome,
    errorCodes: [...(what.errors ?? []), ...refusalCodes(what.refusals ?? [])], traceId: call.ctx.traceId,
  });
}

/** The error of a refused decision: 403, with the rule and reason kept for the access log. */
export function refused(decision: Extract<AccessDecision, { allowed: false }>): FseError {
  return new FseError('forbidden', decision.reason, { cause: decision });
}

function refusalOf(err: FseError): string[] {
  const d = err.cause as Partial<Extract<AccessDecision, { allowed: false }>> | undefined;
  return d?.rule !== undefined ? [`${d.rule}: ${d.reason}`] : [];
}

/** Runs a call, recording a refused one (FseError) in the access log before it goes back to the door. */
export async function audited<T>(call: RightsCall, deps: RightsDeps, transaction: string, patientId: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof FseError) await recordCall(call, deps, { transaction, patientId, outcome: 'Failure', errors: [err.code], refusals: refusalOf(err) });
    throw err;
  }
}

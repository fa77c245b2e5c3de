import type express from 'express';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditRecord } from '../audit/audit-record.js';
import { FseError } from '../errors/fse-error.js';
import { fiscalCodeOf, parsePatientId, personKey, type PatientId } from '../domain/ids.js';
import { samePerson, type Requester } from '../access/requester.js';
import { createAccessGuard, type AccessGuardDeps } from '../operations/access-guard.js';
import type { RequestContext } from '../logging/context.js';
import type { Logger } from '../logging/logger.js';
import { mountedRoute } from './mounted-route.js';
import type { Headers, RestResponse } from './rest-types.js';
import type { BearerIdentity, TokenVerifier } from './token-verifier.js';

/** Accesses per page: `limit` defaults to 50 and goes up to 500. */
export const DEFAULT_ACCESSES_LIMIT = 50;
export const MAX_ACCESSES_LIMIT = 500;

/** The route, as mounted by {@link mountAuditRoute}. */
export const AUDIT_ACCESSES_PATH = '/v1/audit/patients/:patientId/accesses';

export interface AuditRouteDeps {
  readonly tokens: TokenVerifier;
  readonly audit: AuditLog;
  /** Fiscal codes (bare or as CX) of the operators who may read any patient's accesses. */
  readonly readers: readonly string[];
  /**
   * Bearer `iss` values (`auth:<CN>`) accepted on this route, e.g. the region's citizen portal and operator console.
   * Unset: any token chaining to the trust anchors, so any producer system could mint a `sub` of its choosing.
   */
  readonly issuers?: readonly string[];
  /**
   * The access decision's facts, so that a delegate, parent or guardian reads the log of the patient they act for
   * (token `subject_role` ING/GEN/TUT, `person_id` the patient) through an active relation, as the citizen API.
   */
  readonly access?: AccessGuardDeps;
}

/** Query parameters of the route, as received. */
export interface AuditAccessesQuery {
  readonly limit?: string;
  /** The `nextBefore` of the previous page. */
  readonly before?: string;
}

function positive(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^[1-9]\d{0,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n <= max)) throw new FseError('invalidFormat', `${name} must be an integer from 1 to ${max}`);
  return n;
}

/**
 * `GET /v1/audit/patients/{patientId}/accesses`: who accessed a patient's documents, newest first, for the citizen's
 * "who looked at my record". Bearer token only (401 when it fails, as the status API); 400 for a malformed CX or
 * page parameters; 403 unless the token's `sub` is the patient (same fiscal code) or a configured reader. Every
 * authorised or refused read is itself recorded, so an operator's look at the log shows in it. The log holds
 * uniqueIds only, never metadata, so obscured documents' attributes cannot leak here (xds-ini digest 10 item 21).
 */
export async function handleAuditAccesses(
  headers: Headers, patientIdParam: string, query: AuditAccessesQuery, ctx: RequestContext, deps: AuditRouteDeps,
): Promise<RestResponse> {
  const token = await deps.tokens.authenticateBearer(headers);
  let patientId: PatientId;
  try {
    patientId = parsePatientId(patientIdParam);
  } catch {
    throw new FseError('invalidFormat', 'patientId must be a CX: id^^^&OID&ISO');
  }
  const limit = positive('limit', query.limit, MAX_ACCESSES_LIMIT) ?? DEFAULT_ACCESSES_LIMIT;
  const before = positive('before', query.before, Number.MAX_SAFE_INTEGER);

  const subject = fiscalCodeOf(token.sub);
  const issuerAccepted = deps.issuers === undefined || (token.iss !== undefined && deps.issuers.includes(token.iss));
  const citizen = subject !== undefined && subject === fiscalCodeOf(patientId);
  const reader = subject !== undefined && deps.readers.some((r) => fiscalCodeOf(r) === subject);
  const agent = issuerAccepted && !citizen && !reader && await actsFor(token, patientId, deps.access);
  const allowed = issuerAccepted && (citizen || reader || agent);
  const recordRead = (outcome: 'Success' | 'Failure') => deps.audit.record({
    direction: 'inbound', transaction: 'REST-audit-accesses', counterpart: token.iss ?? 'unknown', subjectId: token.sub,
    // The role and purpose the bridge authorised, not claims: the Bearer token carries neither.
    ...(allowed && citizen ? { subjectRole: 'ASS', purposeOfUse: 'PERSONAL' } : {}),
    ...(agent ? { subjectRole: String(token.claims.subject_role), purposeOfUse: 'PERSONAL' } : {}),
    patientId, outcome, errorCodes: outcome === 'Failure' ? ['forbidden'] : [], traceId: ctx.traceId,
  });
  if (!allowed) {
    await recordRead('Failure');
    throw new FseError('forbidden', "Only the patient, or an operator allowed to read the access log, may read a patient's accesses");
  }
  // One more than asked tells whether a next page exists.
  const page = await deps.audit.listByPatient(patientId, { limit: limit + 1, before });
  const accesses = page.slice(0, limit);
  const last = accesses.at(-1);
  const more = page.length > limit;
  await recordRead('Success');
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: {
      traceID: ctx.traceId, spanID: ctx.spanId, patientId, accesses: accesses.map((r) => toAccess(r, agentRoles(deps.access))),
      ...(more && last ? { nextBefore: last.id } : {}),
    },
  };
}

const agentRoles = (access: AccessGuardDeps | undefined): readonly string[] => {
  const roles = access?.policy.citizenRoles;
  return roles ? [...roles.delegate, ...roles.parent, ...roles.guardian] : [];
};

/** A delegate's, parent's or guardian's token naming this patient, with an active relation: the citizen API's rule. */
async function actsFor(token: BearerIdentity, patientId: PatientId, access: AccessGuardDeps | undefined): Promise<boolean> {
  const role = token.claims.subject_role;
  const person = token.claims.person_id;
  if (!access || typeof role !== 'string' || !agentRoles(access).includes(role) || typeof person !== 'string' || token.sub === undefined) return false;
  if (!samePerson(person, patientId)) return false;
  const requester: Requester = {
    channel: 'token', verified: true, viaIni: false, subject: personKey(token.sub), role, purpose: 'PERSONAL', patient: personKey(person),
  };
  return (await createAccessGuard(requester, access).patient(patientId)).allowed;
}

function toAccess(r: AuditRecord, agents: readonly string[]): Record<string, unknown> {
  const who = {
    subject: r.subjectId, role: r.subjectRole, organizationId: r.organizationId, organization: r.organizationName,
    // Both identities of an access by someone acting for the patient: who, and for whom.
    ...(r.subjectRole !== undefined && agents.includes(r.subjectRole) ? { onBehalfOf: r.patientId } : {}),
  };
  return {
    when: r.recordedAt.toISOString(), who: definedOnly(who), ...definedOnly({ purposeOfUse: r.purposeOfUse }),
    transaction: r.transaction, direction: r.direction, counterpart: r.counterpart, documents: r.documentIds, outcome: r.outcome,
  };
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** The route for `HttpDeps.mount` (`src/rest/server.ts`), through the shim of the region's own APIs. */
export function mountAuditRoute(deps: AuditRouteDeps & { readonly logger?: Logger }): (app: express.Express) => void {
  return (app) => {
    app.get(AUDIT_ACCESSES_PATH, mountedRoute((req) => handleAuditAccesses(req.headers, req.params.patientId ?? '', { limit: req.query.limit, before: req.query.before }, req.ctx, deps), deps.logger));
  };
}

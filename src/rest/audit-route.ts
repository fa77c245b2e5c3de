import type express from 'express';
import type { Request, Response } from 'express';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditRecord } from '../audit/audit-record.js';
import { FseError } from '../errors/fse-error.js';
import { fiscalCodeOf, parsePatientId, type PatientId } from '../domain/ids.js';
import { newTraceContext, runWithContext, type RequestContext } from '../logging/context.js';
import type { Logger } from '../logging/logger.js';
import { internalErrorResponse, problemResponse } from './problem.js';
import type { Headers, RestResponse } from './rest-types.js';
import type { TokenVerifier } from './token-verifier.js';

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
  const allowed = issuerAccepted && (citizen || reader);
  const recordRead = (outcome: 'Success' | 'Failure') => deps.audit.record({
    direction: 'inbound', transaction: 'REST-audit-accesses', counterpart: token.iss ?? 'unknown', subjectId: token.sub,
    // The role and purpose the bridge authorised, not claims: the Bearer token carries neither.
    ...(allowed && citizen ? { subjectRole: 'ASS', purposeOfUse: 'PERSONAL' } : {}),
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
      traceID: ctx.traceId, spanID: ctx.spanId, patientId, accesses: accesses.map(toAccess),
      ...(more && last ? { nextBefore: last.id } : {}),
    },
  };
}

function toAccess(r: AuditRecord): Record<string, unknown> {
  const who = { subject: r.subjectId, role: r.subjectRole, organizationId: r.organizationId, organization: r.organizationName };
  return {
    when: r.recordedAt.toISOString(), who: definedOnly(who), ...definedOnly({ purposeOfUse: r.purposeOfUse }),
    transaction: r.transaction, direction: r.direction, counterpart: r.counterpart, documents: r.documentIds, outcome: r.outcome,
  };
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * The express shim for the route, for `HttpDeps.mount` (`src/rest/server.ts`): correlation context, problem+json
 * errors of the `other` family, nothing else. Wiring it through the server's own `route()` instead adds its request
 * log and metrics.
 */
export function mountAuditRoute(deps: AuditRouteDeps & { readonly logger?: Logger }): (app: express.Express) => void {
  return (app) => {
    app.get(AUDIT_ACCESSES_PATH, async (req: Request, res: Response) => {
      const ctx = newTraceContext(req.header('traceparent'));
      await runWithContext(ctx, async () => {
        let response: RestResponse;
        try {
          const query = { limit: stringParam(req.query.limit), before: stringParam(req.query.before) };
          response = await handleAuditAccesses(lowerCaseHeaders(req), String(req.params.patientId), query, ctx, deps);
        } catch (err) {
          if (!(err instanceof FseError)) deps.logger?.error('audit accesses failed', { error: String((err as Error)?.stack ?? err) });
          response = err instanceof FseError ? problemResponse(err, 'other', ctx, req.path) : internalErrorResponse('other', ctx, req.path);
        }
        res.status(response.status);
        for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
        res.end(JSON.stringify(response.body));
      });
    });
  };
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : Array.isArray(value) ? '' : undefined;
}

function lowerCaseHeaders(req: Request): Headers {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

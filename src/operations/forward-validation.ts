import type { GatewayAnswer, GatewayClient } from '../gateway/gateway-client.js';
import { GatewayUnreachableError } from '../gateway/gateway-client.js';
import { FseError } from '../errors/fse-error.js';
import type { SignatureClaims } from '../jwt/claims.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ValidationRecordStore } from '../stores/validation-record-store.js';
import type { TransactionStore } from '../stores/transaction-store.js';
import type { ValidationRunStore } from '../stores/validation-run-store.js';
import { currentContext } from '../logging/context.js';
import type { CdaValidator } from '../validation/validation-pool.js';
import { validate, type ValidateResult } from './validate.js';
import { MIDDLEWARE_WARNING } from './warnings.js';
import { capturingValidator, recordFailedValidation, type CheckedCda } from './validation-run-recording.js';
import type { WorkflowInstanceId } from '../domain/workflow-instance-id.js';

/** A validation call as the producer sent it: forwarded unchanged, checked locally on the side. */
export interface ForwardValidationRequest {
  readonly tokens: { readonly authorization: string; readonly signature: string };
  readonly claims: SignatureClaims;
  readonly pdf: Uint8Array;
  readonly rawRequestBody: string;
  /** The body as parsed locally, when it parses (the Gateway judges it either way). */
  readonly parsed?: { readonly activity: 'VALIDATION' | 'VERIFICA'; readonly mode?: 'ATTACHMENT' | 'RESOURCE' };
  readonly traceparent?: string;
}

export interface ForwardValidationDeps {
  readonly gateway: GatewayClient;
  readonly validator: CdaValidator;
  readonly records: ValidationRecordStore;
  readonly logger: Logger;
  readonly metrics: Pick<Metrics, 'validations' | 'validationParity'>;
  /** Where the status events go (GET /v1/status); absent in validation-only setups. */
  readonly transactions?: TransactionStore;
  /** Where failed validations are kept for the console (its "validation explained" page); absent: not kept. */
  readonly runs?: ValidationRunStore;
}

/** The answer to relay: the Gateway's status and body, with middleware warnings appended on success only. */
export interface RelayedAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** `checked`: the CDA and report the local validator produced, when it ran. */
type LocalVerdict = ({ readonly kind: 'valid'; readonly result: ValidateResult } | { readonly kind: 'invalid'; readonly error: FseError } | { readonly kind: 'none' })
  & { readonly checked?: CheckedCda };

/**
 * Validation through the bridge: the producer waits for the national Gateway's verdict, which is the answer.
 * The bridge's own validation runs alongside and never blocks: regional findings and any disagreement with the
 * Gateway travel after `--middlewarewarning--` on a success; Gateway errors are relayed unchanged.
 * See: Gateway API digest, 1.4 (middleware rules and warning convention); pipeline issue, section 4.
 */
export async function forwardValidation(request: ForwardValidationRequest, deps: ForwardValidationDeps): Promise<RelayedAnswer> {
  const local = localValidation(request, deps);
  let answer: GatewayAnswer;
  try {
    answer = await deps.gateway.send({
      method: 'POST', path: '/documents/validation', tokens: request.tokens, claims: request.claims, pdf: request.pdf,
      body: { kind: 'multipart', file: request.pdf, requestBody: request.rawRequestBody },
      headers: request.traceparent ? { traceparent: request.traceparent } : undefined,
    });
  } catch (err) {
    await local;
    if (err instanceof GatewayUnreachableError) throw new FseError('mwIoError', `Gateway nazionale non raggiungibile: ${err.message}`, { cause: err });
    throw err;
  }
  const verdict = await local;
  const gatewayOk = answer.status >= 200 && answer.status < 300;
  const disagreement = parity(verdict, answer, gatewayOk, deps);
  await recordEvent(request, answer, gatewayOk, deps);
  if ((verdict.kind === 'invalid' || !gatewayOk) && verdict.checked) {
    await recordFailedValidation({ checked: verdict.checked, gateway: { ok: gatewayOk, status: answer.status, json: answer.json } }, deps);
  }
  if (!gatewayOk) return relay(answer, answer.body);

  const body = (answer.json ?? {}) as Record<string, unknown>;
  if (verdict.kind === 'valid' && request.parsed?.activity === 'VALIDATION' && answer.status === 201 && typeof body.workflowInstanceId === 'string') {
    await deps.records.put({
      cdaKey: verdict.result.cdaKey, workflowInstanceId: body.workflowInstanceId as WorkflowInstanceId,
      docType: verdict.result.report.docType, createdAt: new Date(),
    });
  }
  const middleware = [
    ...(verdict.kind === 'valid' ? verdict.result.report.regionalWarnings.map((f) => f.message) : []),
    ...(disagreement ? [disagreement] : []),
  ];
  if (middleware.length === 0) return relay(answer, answer.body);
  const national = typeof body.warning === 'string' ? body.warning : '';
  const merged = { ...body, warning: `${national}${MIDDLEWARE_WARNING}${middleware.join('; ')}` };
  return relay({ ...answer, contentType: 'application/json' }, Buffer.from(JSON.stringify(merged)));
}

/** Local validation as VERIFICA (nothing stored): the record is written only once the Gateway has said 201. */
async function localValidation(request: ForwardValidationRequest, deps: ForwardValidationDeps): Promise<LocalVerdict> {
  if (!request.parsed) return { kind: 'none' };
  const capture = capturingValidator(deps.validator);
  try {
    const validateDeps = { ...deps, validator: capture.validator };
    const result = await validate({ activity: 'VERIFICA', mode: request.parsed.mode, pdf: request.pdf, claims: request.claims }, validateDeps);
    return { kind: 'valid', result, checked: capture.last() };
  } catch (err) {
    if (err instanceof FseError) return { kind: 'invalid', error: err, checked: capture.last() };
    deps.logger.error('local validation failed', { error: String(err) });
    return { kind: 'none' };
  }
}

/** Counts and explains a difference between the local verdict and the Gateway's. */
function parity(verdict: LocalVerdict, answer: GatewayAnswer, gatewayOk: boolean, deps: ForwardValidationDeps): string | undefined {
  if (verdict.kind === 'none') return undefined;
  const localOk = verdict.kind === 'valid';
  const gatewayType = !gatewayOk && answer.json && typeof answer.json === 'object' ? String((answer.json as { type?: unknown }).type ?? '') : '';
  const agree = localOk === gatewayOk;
  deps.metrics.validationParity.inc({ agreement: agree ? 'agree' : 'disagree' });
  if (agree) return undefined;
  const localText = verdict.kind === 'valid' ? 'valido' : `${verdict.error.code}: ${verdict.error.detail.slice(0, 300)}`;
  deps.logger.warn('validation parity mismatch', { gatewayStatus: answer.status, gatewayType, local: localText });
  return gatewayOk ? `la validazione regionale non concorda con il GTW (${localText})` : undefined;
}

function relay(answer: GatewayAnswer, body: Buffer): RelayedAnswer {
  return { status: answer.status, contentType: answer.contentType, body, headers: answer.headers };
}

/** The status event of a validation, as the Gateway records it: VALIDATION with the outcome. See: 3.1 step 10, 9.2. */
async function recordEvent(request: ForwardValidationRequest, answer: GatewayAnswer, ok: boolean, deps: ForwardValidationDeps): Promise<void> {
  const ctx = currentContext();
  if (!deps.transactions || !ctx) return;
  const json = (answer.json ?? {}) as { workflowInstanceId?: unknown; detail?: unknown };
  await deps.transactions.append({
    workflowInstanceId: typeof json.workflowInstanceId === 'string' ? json.workflowInstanceId : undefined,
    traceId: ctx.traceId, spanId: ctx.spanId, eventType: 'VALIDATION', eventStatus: ok ? 'SUCCESS' : 'BLOCKING_ERROR',
    eventDate: new Date(), message: ok ? `GTW nazionale: ${answer.status}` : `GTW nazionale: ${answer.status} ${typeof json.detail === 'string' ? json.detail.slice(0, 2000) : ''}`.trim(),
    subject: request.claims.sub, subjectRole: request.claims.subject_role, organizationId: request.claims.subject_organization_id,
    issuer: request.claims.iss ?? 'UNDEFINED_JWT_ISSUER',
  });
}

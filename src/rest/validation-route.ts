import { FseError } from '../errors/fse-error.js';
import type { Logger } from '../logging/logger.js';
import { noteSubject, type RequestContext } from '../logging/context.js';
import { forwardValidation, type ForwardValidationDeps } from '../operations/forward-validation.js';
import { validate, type ValidateDeps } from '../operations/validate.js';
import type { TokenVerifier } from './token-verifier.js';
import { parseValidationBody } from './request-bodies.js';
import type { Headers, MultipartBody, RestResponse } from './rest-types.js';

export interface ValidationRouteDeps extends ValidateDeps {
  readonly tokens: TokenVerifier;
  readonly logger: Logger;
  /** When set, the national Gateway gives the verdict and the local validation runs alongside. */
  readonly forward?: Omit<ForwardValidationDeps, 'validator' | 'records' | 'logger'>;
}

/**
 * `POST /v1/documents/validation`: decodes the national contract into a validate operation and encodes its result.
 * Order of checks as the Gateway: token signatures (GovWay), claims, request body, file, then the operation.
 * See: Gateway API digest, 3.1.
 */
export async function handleValidation(
  headers: Headers,
  body: MultipartBody,
  ctx: RequestContext,
  deps: ValidationRouteDeps,
): Promise<RestResponse> {
  const file = body.files.get('file') ?? (body.fields.has('file') ? Buffer.from(body.fields.get('file') ?? '') : undefined);
  if (!file) throw new FseError('genericBadRequest', "Required part 'file' is not present.");
  const rawBody = body.fields.get('requestBody') ?? body.files.get('requestBody')?.toString('utf8');
  if (rawBody === undefined) throw new FseError('genericBadRequest', "Required part 'requestBody' is not present.");

  if (deps.forward) return forwardToGateway(headers, file, rawBody, ctx, deps, deps.forward);
  const claims = await deps.tokens.verifyFor('validation', headers, file);
  ctx.caller = claims.sub;
  ctx.action = 'validation';
  noteSubject(claims.person_id);
  const requestBody = parseValidationBody(rawBody);

  const result = await validate({ activity: requestBody.activity, mode: requestBody.mode, pdf: file, claims }, deps);
  const responseBody: Record<string, unknown> = {
    traceID: ctx.traceId,
    spanID: ctx.spanId,
    workflowInstanceId: result.workflowInstanceId,
  };
  if (result.warning !== undefined) responseBody.warning = result.warning;
  return {
    status: result.outcome === 'stored' ? 201 : 200,
    headers: { 'content-type': 'application/json' },
    body: responseBody,
  };
}

/** Forward mode: authenticate, then relay the Gateway's answer (local parsing failures never block). */
async function forwardToGateway(
  headers: Headers, file: Buffer, rawBody: string, ctx: RequestContext, deps: ValidationRouteDeps,
  forward: NonNullable<ValidationRouteDeps['forward']>,
): Promise<RestResponse> {
  const claims = await deps.tokens.authenticate(headers);
  ctx.caller = claims.sub;
  ctx.action = 'validation';
  noteSubject(claims.person_id);
  let parsed: ReturnType<typeof parseValidationBody> | undefined;
  try {
    parsed = parseValidationBody(rawBody);
  } catch {
    parsed = undefined;
  }
  const answer = await forwardValidation({
    tokens: { authorization: headers.authorization ?? '', signature: headers['fse-jwt-signature'] ?? '' },
    claims, pdf: file, rawRequestBody: rawBody, parsed, traceparent: headers.traceparent,
  }, { ...forward, validator: deps.validator, records: deps.records, logger: deps.logger });
  return { status: answer.status, headers: { ...relayHeaders(answer.headers), 'content-type': answer.contentType }, body: answer.body };
}

/** Headers of the Gateway's answer that carry meaning for the producer (GovWay's authentication challenge). */
function relayHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['www-authenticate', 'retry-after']) {
    const value = headers[name];
    if (value) out[name] = value;
  }
  return out;
}

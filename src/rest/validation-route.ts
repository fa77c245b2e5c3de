import { FseError } from '../errors/fse-error.js';
import type { Logger } from '../logging/logger.js';
import type { RequestContext } from '../logging/context.js';
import { validate, type ValidateDeps } from '../operations/validate.js';
import type { TokenVerifier } from './token-verifier.js';
import { parseValidationBody } from './request-bodies.js';
import type { Headers, MultipartBody, RestResponse } from './rest-types.js';

export interface ValidationRouteDeps extends ValidateDeps {
  readonly tokens: TokenVerifier;
  readonly logger: Logger;
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

  const claims = await deps.tokens.verifyFor('validation', headers, file);
  ctx.caller = claims.sub;
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

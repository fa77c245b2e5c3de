import { createHash } from 'node:crypto';
import { FseError } from '../errors/fse-error.js';
import { GATEWAY_PATHS } from '../gateway/gateway-paths.js';
import type { RequestContext } from '../logging/context.js';
import { MIDDLEWARE_WARNING } from '../operations/warnings.js';
import { submitOperation, type SubmitDeps, type SubmitOutcome } from '../operations/submit-operation.js';
import type { NewOperation, OperationKind } from '../stores/operation-store.js';
import type { Headers, MultipartBody, RestResponse } from './rest-types.js';
import type { TokenVerifier } from './token-verifier.js';

export interface PublicationRouteDeps extends SubmitDeps {
  readonly tokens: TokenVerifier;
}

/** What the express shim read from the request. */
export interface OperationInput {
  readonly pathId?: string;
  readonly multipart?: MultipartBody;
  readonly json?: string;
}

/** Per operation: method and Gateway path. Tables are data (STYLE rule 4). See: Gateway API digest, 3.0. */
const ROUTES: Readonly<Record<OperationKind, { method: 'POST' | 'PUT' | 'DELETE'; path: (id: string) => string }>> = {
  'create': { method: 'POST', path: () => GATEWAY_PATHS.create() },
  'validate-and-create': { method: 'POST', path: () => GATEWAY_PATHS.validateAndCreate() },
  'replace': { method: 'PUT', path: (id) => GATEWAY_PATHS.replace(id) },
  'validate-and-replace': { method: 'PUT', path: (id) => GATEWAY_PATHS.validateAndReplace(id) },
  'delete': { method: 'DELETE', path: (id) => GATEWAY_PATHS.delete(id) },
  'metadata': { method: 'PUT', path: (id) => GATEWAY_PATHS.metadata(id) },
  'metadata-iti-57': { method: 'PUT', path: (id) => GATEWAY_PATHS.metadataIti57(id) },
};

export const LOCAL_WARNING = `${MIDDLEWARE_WARNING}GTW nazionale non raggiungibile: operazione registrata e indicizzata localmente, invio differito`;
export const PENDING_WARNING = `${MIDDLEWARE_WARNING}operazione presa in carico, in attesa della risposta del GTW nazionale`;

/**
 * The publication family over REST (create, replace, validate-and-*, delete, metadata update): the region
 * authenticates the producer, stores the call and hands it to the pipeline; the Gateway's answer comes back
 * unchanged. No regional check blocks a call: the Gateway judges the body and the claims. See: Gateway API digest,
 * 1.4 and 3.3-3.8.
 */
export async function handleOperation(kind: OperationKind, headers: Headers, input: OperationInput, ctx: RequestContext, deps: PublicationRouteDeps): Promise<RestResponse> {
  const claims = await deps.tokens.authenticate(headers);
  ctx.caller = claims.sub;
  const file = input.multipart?.files.get('file');
  const requestBody = input.multipart ? (input.multipart.fields.get('requestBody') ?? input.multipart.files.get('requestBody')?.toString('utf8')) : input.json;
  if (input.multipart && !file) throw new FseError('genericBadRequest', "Required part 'file' is not present.");
  if (input.multipart && requestBody === undefined) throw new FseError('genericBadRequest', "Required part 'requestBody' is not present.");
  const body = lenientJson(requestBody);
  const pathId = input.pathId ?? '';
  const documentId = typeof body.identificativoDoc === 'string' ? body.identificativoDoc : pathId;
  const tokens = { authorization: headers.authorization ?? '', signature: headers['fse-jwt-signature'] ?? '' };
  const key = createHash('sha256').update(kind).update('\0').update(pathId).update('\0').update(documentId).update('\0')
    .update(file ?? '').update('\0').update(kind === 'delete' || kind.startsWith('metadata') ? `${tokens.signature}${requestBody ?? ''}` : '')
    .digest('hex');
  const op: NewOperation = {
    id: `${kind}:${key}`, kind, documentId, targetId: input.pathId, method: ROUTES[kind].method, path: ROUTES[kind].path(pathId),
    tokens, claims, requestBody, pdf: file, callbackUrl: headers['x-callback-url'], traceId: ctx.traceId, spanId: ctx.spanId,
    workflowInstanceId: typeof body.workflowInstanceId === 'string' ? body.workflowInstanceId : undefined,
  };
  return render(await submitOperation(op, deps), ctx);
}

function render(outcome: SubmitOutcome, ctx: RequestContext): RestResponse {
  const op = outcome.operation;
  if (outcome.kind === 'answered' && op.answer) {
    return { status: op.answer.status, headers: { 'content-type': op.answer.contentType }, body: op.answer.body };
  }
  const body: Record<string, unknown> = { traceID: ctx.traceId, spanID: ctx.spanId };
  if (op.workflowInstanceId) body.workflowInstanceId = op.workflowInstanceId;
  body.warning = outcome.kind === 'local' ? LOCAL_WARNING : PENDING_WARNING;
  return { status: 202, headers: { 'content-type': 'application/json' }, body };
}

function lenientJson(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

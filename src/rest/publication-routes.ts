import type { AtnaRecorder } from '../atna/atna-recorder.js';
import type { PublicationRequest } from '../domain/publication-request.js';
import { FseError } from '../errors/fse-error.js';
import { noteSubject, type RequestContext } from '../logging/context.js';
import type { Logger } from '../logging/logger.js';
import { create } from '../operations/gateway/create.js';
import { deleteDocument } from '../operations/gateway/delete.js';
import type { Decoded, GatewayCall } from '../operations/gateway/gateway-call.js';
import { METADATA, METADATA_ITI_57, updateMetadata } from '../operations/gateway/metadata-update.js';
import type { PublicationCall } from '../operations/gateway/publication.js';
import { replace } from '../operations/gateway/replace.js';
import { validateAndCreate } from '../operations/gateway/validate-and-create.js';
import { validateAndReplace } from '../operations/gateway/validate-and-replace.js';
import type { SubmitDeps, SubmitOutcome } from '../operations/submit-operation.js';
import { MIDDLEWARE_WARNING } from '../operations/warnings.js';
import type { OperationKind } from '../stores/operation-store.js';
import {
  parsePublicationCreationBody, parsePublicationMetadataBody, parsePublicationUpdateBody, parseValidateAndCreateBody,
  parseValidateAndReplaceBody,
} from './publication-bodies.js';
import { recordRestPublication } from './rest-atna.js';
import type { Headers, MultipartBody, RestResponse } from './rest-types.js';
import type { TokenVerifier } from './token-verifier.js';

export interface PublicationRouteDeps extends SubmitDeps {
  readonly tokens: TokenVerifier;
  /** IHE ATNA: one message per answered call, never awaited. See: docs/atna.md. */
  readonly atna?: AtnaRecorder;
  readonly logger?: Logger;
}

/** What the express shim read from the request. */
export interface OperationInput {
  readonly pathId?: string;
  /** The URL called and the caller's address, for ATNA's participants. */
  readonly url?: string;
  readonly remoteAddress?: string;
  readonly multipart?: MultipartBody;
  readonly json?: string;
}

export const LOCAL_WARNING = `${MIDDLEWARE_WARNING}GTW nazionale non raggiungibile: operazione registrata e indicizzata localmente, invio differito`;
export const PENDING_WARNING = `${MIDDLEWARE_WARNING}operazione presa in carico, in attesa della risposta del GTW nazionale`;

/** The call as it came, decoded at the edge: tokens, parts, and the body under the Gateway's own rules. */
interface DecodedRequest {
  readonly call: GatewayCall;
  readonly pathId: string;
  readonly requestBody?: string;
  readonly file?: Uint8Array;
}

/**
 * The publication family over REST (create, replace, validate-and-*, delete, metadata update): the region
 * authenticates the producer, decodes the call and hands it to its Gateway operation (`src/operations/gateway/`); the
 * Gateway's answer comes back unchanged. No regional check blocks a call: a body the bridge cannot decode still goes to
 * the Gateway, which judges the body and the claims (it only leaves the registry nothing to record). See: Gateway API
 * digest, 1.4 and 3.3-3.8.
 */
export async function handleOperation(kind: OperationKind, headers: Headers, input: OperationInput, ctx: RequestContext, deps: PublicationRouteDeps): Promise<RestResponse> {
  const claims = await deps.tokens.authenticate(headers);
  ctx.caller = claims.sub;
  ctx.action = kind;
  const file = input.multipart?.files.get('file');
  const requestBody = input.multipart ? (input.multipart.fields.get('requestBody') ?? input.multipart.files.get('requestBody')?.toString('utf8')) : input.json;
  if (input.multipart && !file) throw new FseError('genericBadRequest', "Required part 'file' is not present.");
  if (input.multipart && requestBody === undefined) throw new FseError('genericBadRequest', "Required part 'requestBody' is not present.");
  // The ids that order and trace the call are read leniently: a body the Gateway will refuse still names its document.
  const body = lenientJson(requestBody);
  const pathId = input.pathId ?? '';
  const tokens = { authorization: headers.authorization ?? '', signature: headers['fse-jwt-signature'] ?? '' };
  const call: GatewayCall = {
    documentId: typeof body.identificativoDoc === 'string' ? body.identificativoDoc : pathId, claims, tokens,
    callbackUrl: headers['x-callback-url'], trace: ctx,
    workflowInstanceId: typeof body.workflowInstanceId === 'string' ? body.workflowInstanceId : undefined,
  };
  noteSubject(claims.person_id, [call.documentId, pathId].filter((id, i, all) => id && all.indexOf(id) === i));
  const response = render(await submit(kind, { call, pathId, requestBody, file }, deps), ctx);
  recordRestPublication(deps.atna, { kind, call, status: response.status, url: input.url, remoteAddress: input.remoteAddress }, deps.logger);
  return response;
}

/** Hands the decoded call to the Gateway operation of its route. */
function submit(kind: OperationKind, request: DecodedRequest, deps: SubmitDeps): Promise<SubmitOutcome> {
  const { call, pathId, requestBody } = request;
  const publication = (parse: (raw: string | undefined) => PublicationRequest): PublicationCall => ({
    ...call, pdf: request.file ?? new Uint8Array(), requestBody: requestBody ?? '', metadata: { kind: 'body', body: decode(parse, requestBody) },
  });
  // A REST delete or metadata update is told from another only by the producer's signed token and its body.
  const distinguishedBy = [call.tokens?.signature ?? '', requestBody ?? ''];
  switch (kind) {
    case 'create':
      return create(publication(parsePublicationCreationBody), deps);
    case 'validate-and-create':
      return validateAndCreate(publication(parseValidateAndCreateBody), deps);
    case 'replace':
      return replace({ ...publication(parsePublicationUpdateBody), targetId: pathId }, deps);
    case 'validate-and-replace':
      return validateAndReplace({ ...publication(parseValidateAndReplaceBody), targetId: pathId }, deps);
    case 'delete':
      return deleteDocument({ ...call, targetId: pathId, distinguishedBy }, deps);
    case 'metadata':
    case 'metadata-iti-57':
      return updateMetadata(kind === 'metadata' ? METADATA : METADATA_ITI_57, {
        ...call, targetId: pathId, requestBody: requestBody ?? '', distinguishedBy,
        metadata: { kind: 'body', body: decode(parsePublicationMetadataBody, requestBody) },
      }, deps);
  }
}

/** The body under the Gateway's rules, or why it fails them (the Gateway will say so to the producer). */
function decode<T>(parse: (raw: string | undefined) => T, raw: string | undefined): Decoded<T> {
  try {
    return { ok: true, value: parse(raw) };
  } catch (err) {
    return { ok: false, reason: String(err) };
  }
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

import type { DocumentEntry } from '../domain/xds.js';
import { registryError, type RegistryError } from '../errors/xds-codes.js';
import { GatewayUnreachableError, type GatewayAnswer, type GatewayClient } from '../gateway/gateway-client.js';
import { GATEWAY_PATHS } from '../gateway/gateway-paths.js';
import type { SignatureClaims } from '../jwt/claims.js';
import { gatewayXdsErrors } from '../mappings/gateway-xds-errors.js';

/**
 * The first phase of a multi-document ITI-41: every document validated by the national Gateway as `VALIDATION` (the
 * Gateway stores the result, which the publication that follows consumes), before any is published, so that a CDA
 * the Gateway refuses stops the whole submission while nothing is visible anywhere. See: Gateway API digest 3.1, 3.3,
 * 7.7; IHE ITI TF-2 3.41.4.1.3 (all or nothing).
 */
export interface DocumentToValidate {
  readonly entry: DocumentEntry;
  readonly bytes: Uint8Array;
  /** The region's claims for the creation (action CREATE). */
  readonly claims: SignatureClaims;
  readonly mode?: 'ATTACHMENT' | 'RESOURCE';
}

export type ValidationVerdict =
  | { readonly ok: true; readonly workflowInstanceId: string }
  | { readonly ok: false; readonly errors: RegistryError[] };

const MAX_CONTEXT = 4000;
const clip = (text: string) => (text.length > MAX_CONTEXT ? `${text.slice(0, MAX_CONTEXT - 3)}...` : text);

/** The Gateway's refusal of one document as the RegistryError of that document (mapped as ITI-41's are). */
export function gatewayRefusal(answer: Pick<GatewayAnswer, 'status' | 'json' | 'body'>, location: string): RegistryError {
  const json = (answer.json ?? {}) as { type?: unknown; detail?: unknown };
  const type = typeof json.type === 'string' ? json.type : undefined;
  const detail = typeof json.detail === 'string' ? json.detail : answer.body.toString('utf8').slice(0, 500);
  const code = gatewayXdsErrors().codeOf({ status: answer.status, type }, 'XDSRepositoryError');
  return registryError(code, clip(`GTW nazionale ${answer.status}${type ? ` ${type}` : ''}: ${detail}`), location);
}

/** Validates one document; the region signs the call (SOAP producers have no JWTs, certificate case 2). */
export async function validateDocument(doc: DocumentToValidate, gateway: GatewayClient): Promise<ValidationVerdict> {
  const requestBody = JSON.stringify({ activity: 'VALIDATION', healthDataFormat: 'CDA', ...(doc.mode ? { mode: doc.mode } : {}) });
  let answer: GatewayAnswer;
  try {
    answer = await gateway.send({
      method: 'POST', path: GATEWAY_PATHS.validation(), tokens: { authorization: '', signature: '' }, claims: doc.claims, pdf: doc.bytes,
      body: { kind: 'multipart', file: doc.bytes, requestBody }, signing: 'region',
    });
  } catch (err) {
    if (!(err instanceof GatewayUnreachableError)) throw err;
    // All or nothing cannot hold on a local index (the single-document path's answer): refused, nothing stored.
    return { ok: false, errors: [registryError('XDSRegistryNotAvailable', `GTW nazionale non raggiungibile (${err.reason}): sottomissione non pubblicata`, doc.entry.uniqueId)] };
  }
  const wid = (answer.json as { workflowInstanceId?: unknown } | undefined)?.workflowInstanceId;
  if (answer.status === 201 && typeof wid === 'string') return { ok: true, workflowInstanceId: wid };
  if (answer.status >= 200 && answer.status < 300) {
    return { ok: false, errors: [registryError('XDSRepositoryError', `GTW nazionale ${answer.status}: validation without a workflowInstanceId`, doc.entry.uniqueId)] };
  }
  return { ok: false, errors: [gatewayRefusal(answer, doc.entry.uniqueId)] };
}

import type { RegistryAction } from '../../domain/registry-action.js';
import type { Submission } from '../../domain/xds.js';
import type { SignatureClaims } from '../../jwt/claims.js';
import type { NewOperation, OperationKind } from '../../stores/operation-store.js';
import { submitOperation, type SubmitDeps, type SubmitOutcome } from '../submit-operation.js';
import { businessKey } from './business-key.js';

/**
 * What the Gateway operations (one file each in this folder) have in common: the call as a front door hands it over,
 * the route, and the one way a call becomes a stored operation. See: Gateway API digest 1.4, 3.0.
 */

/** A Gateway endpoint: the operation kind, its method and its path for the document the path names. See: digest 3.0. */
export interface GatewayRoute {
  readonly kind: OperationKind;
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly path: (targetId: string) => string;
}

/**
 * A body as the front door decoded it, or why it could not. The call goes to the Gateway either way (no regional
 * check blocks a call): an undecodable body only leaves the registry nothing to record. See: Gateway API digest 1.4.
 */
export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * What the registry records of a call, as its door hands it over: the SOAP producer's own ebRIM, or the REST body as
 * the door decoded it (`B`), from which the operation builds the registry change.
 */
export type CallMetadata<B> =
  | { readonly kind: 'ebrim'; readonly submission: Submission }
  | { readonly kind: 'body'; readonly body: Decoded<B> };

/** What every Gateway call carries, whatever the door. */
export interface GatewayCall {
  /** The document the call is about: the new document of a publication, the path's document otherwise. */
  readonly documentId: string;
  /** The FSE-JWT-Signature claims: the producer's (REST), or those the region signs for it (SOAP). */
  readonly claims: SignatureClaims;
  /** The producer's tokens, forwarded unchanged (certificate case 1); absent: the region mints both at every send (case 2). */
  readonly tokens?: { readonly authorization: string; readonly signature: string };
  readonly callbackUrl?: string;
  readonly workflowInstanceId?: string;
  /** The correlation of the front door's request. */
  readonly trace: { readonly traceId: string; readonly spanId: string };
}

/** What a Gateway operation adds to a call before it is stored. */
export interface RoutedCall extends GatewayCall {
  readonly targetId?: string;
  /** The `requestBody` JSON, forwarded unchanged. */
  readonly requestBody?: string;
  readonly pdf?: Uint8Array;
  readonly distinguishedBy?: readonly string[];
  readonly registryAction: RegistryAction;
}

/** The parts of a call that identify it. */
export type KeyedCall = Pick<RoutedCall, 'targetId' | 'documentId' | 'pdf' | 'distinguishedBy'>;

/** The operation id of a call on a route: {@link businessKey} of its parts. */
export function operationIdOf(route: GatewayRoute, call: KeyedCall): string {
  return businessKey({ kind: route.kind, targetId: call.targetId, documentId: call.documentId, pdf: call.pdf, distinguishedBy: call.distinguishedBy });
}

/** Stores the call as an operation on its route, hands it to the workers and waits for the Gateway's answer. */
export function submitToGateway(route: GatewayRoute, call: RoutedCall, deps: SubmitDeps): Promise<SubmitOutcome> {
  const op: NewOperation = {
    id: operationIdOf(route, call),
    kind: route.kind,
    documentId: call.documentId,
    targetId: call.targetId,
    method: route.method,
    path: route.path(call.targetId ?? ''),
    tokens: call.tokens ?? { authorization: '', signature: '' },
    claims: call.claims,
    requestBody: call.requestBody,
    pdf: call.pdf,
    callbackUrl: call.callbackUrl,
    traceId: call.trace.traceId,
    spanId: call.trace.spanId,
    workflowInstanceId: call.workflowInstanceId,
    signing: call.tokens ? 'producer' : 'region',
    registryAction: call.registryAction,
  };
  return submitOperation(op, deps);
}

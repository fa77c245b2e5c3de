import type { MetadataUpdateRequest } from '../../domain/publication-request.js';
import type { RegistryAction } from '../../domain/registry-action.js';
import { GATEWAY_PATHS } from '../../gateway/gateway-paths.js';
import type { SubmitDeps, SubmitOutcome } from '../submit-operation.js';
import { submitToGateway, type CallMetadata, type GatewayCall, type GatewayRoute } from './gateway-call.js';

/**
 * `PUT /documents/{id}/metadata` and `/metadata-iti-57`: a metadata update of the path's document, INI updated by its
 * legacy service or by ITI-57; the second is the operation an ITI-57 becomes. See: Gateway API digest 3.6.
 */
export const METADATA = { kind: 'metadata', method: 'PUT', path: (id: string) => GATEWAY_PATHS.metadata(id) } as const satisfies GatewayRoute;
export const METADATA_ITI_57 = {
  kind: 'metadata-iti-57', method: 'PUT', path: (id: string) => GATEWAY_PATHS.metadataIti57(id),
} as const satisfies GatewayRoute;

/**
 * What the registry records of an update: the SOAP producer's new version (ITI-57), or the REST body as the front
 * door decoded it, merged into the document's Approved entry when applied.
 */
export type MetadataUpdateRecord = CallMetadata<MetadataUpdateRequest>;

export interface MetadataUpdateCall extends GatewayCall {
  /** The uniqueId of the document updated. */
  readonly targetId: string;
  /** The `requestBody` JSON, forwarded unchanged. */
  readonly requestBody: string;
  /** What tells this update from another of the same document (see `business-key.ts`). */
  readonly distinguishedBy: readonly string[];
  readonly metadata: MetadataUpdateRecord;
  /**
   * The registry change, when it is not the metadata recorded as such: a citizen's visibility change, applied to the
   * entry in force when the Gateway takes it (see `RegistryAction` kind `visibility`).
   */
  readonly registryAction?: RegistryAction;
}

function actionOf(call: MetadataUpdateCall): RegistryAction {
  if (call.registryAction) return call.registryAction;
  if (call.metadata.kind === 'ebrim') return { kind: 'update', submission: call.metadata.submission };
  const { body } = call.metadata;
  return body.ok ? { kind: 'update-entry', target: call.targetId, fields: body.value } : { kind: 'unreadable', reason: body.reason };
}

/** Updates a document's metadata on one of the two routes: stored, forwarded, and versioned in the registry once taken. */
export function updateMetadata(route: typeof METADATA | typeof METADATA_ITI_57, call: MetadataUpdateCall, deps: SubmitDeps): Promise<SubmitOutcome> {
  return submitToGateway(route, { ...call, registryAction: actionOf(call) }, deps);
}

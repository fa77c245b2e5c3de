import type { EntryUuid } from '../../domain/ids.js';
import { GATEWAY_PATHS } from '../../gateway/gateway-paths.js';
import type { SubmitDeps, SubmitOutcome } from '../submit-operation.js';
import { submitToGateway, type GatewayCall, type GatewayRoute } from './gateway-call.js';

/** `DELETE /documents/{id}`: the document leaves INI and EDS; no body. See: Gateway API digest 3.5. */
export const DELETE = { kind: 'delete', method: 'DELETE', path: (id: string) => GATEWAY_PATHS.delete(id) } as const satisfies GatewayRoute;

export interface DeleteCall extends GatewayCall {
  /** The uniqueId of the document deleted. */
  readonly targetId: string;
  /** What tells this delete from another of the same document (see `business-key.ts`). */
  readonly distinguishedBy: readonly string[];
  /** ITI-62: the registry objects removed with it (its associations); absent (REST): the document's Approved entry. */
  readonly removes?: readonly EntryUuid[];
}

/** Deletes a document: stored, forwarded, and removed from the registry once the Gateway has deleted it. */
export function deleteDocument(call: DeleteCall, deps: SubmitDeps): Promise<SubmitOutcome> {
  const registryAction = call.removes ? { kind: 'remove' as const, uuids: call.removes } : { kind: 'delete-entry' as const, target: call.targetId };
  return submitToGateway(DELETE, { ...call, registryAction }, deps);
}

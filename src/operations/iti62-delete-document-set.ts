import type pg from 'pg';
import type { CallerIdentity } from '../domain/caller.js';
import type { EntryUuid } from '../domain/ids.js';
import type { DocumentEntry } from '../domain/xds.js';
import { registryError } from '../errors/xds-codes.js';
import type { RequestContext } from '../logging/context.js';
import { claimsOf, type RegionIdentity } from '../metadata/submission-to-gateway.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { applyRegistryAction } from './index-locally.js';
import { mergeResponses, regionalOnlyWarning, registryResponseOf, unknownNationally } from './gateway-outcome.js';
import { registryWrite } from './registry-write.js';
import type { SubmitDeps } from './submit-operation.js';
import { deleteDocument } from './gateway/delete.js';
import type { RegistryResponse } from '../domain/registry-response.js';

/**
 * ITI-62 Delete Document Set, and INI's delete. Every listed object must be in the registry; under IHE's action the
 * request must list the associations of what it removes (ReferencesExistException otherwise), under INI's it lists
 * DocumentEntries only and their associations go with them. Each document listed becomes a REST delete through the
 * pipeline (one per uniqueId, region-signed); the registry removes the objects once the Gateway has deleted the
 * document. Objects that are not DocumentEntries (SubmissionSets, Folders, associations alone) have no national
 * counterpart and leave the regional registry at once. See: xds-ini digest 4.6, 10 item 10; IHE ITI TF-2b 3.62.
 */
export interface DeleteDocumentSetDeps extends SubmitDeps {
  readonly registry: RegistryStore;
  readonly region: RegionIdentity;
  readonly pool: pg.Pool;
}

export interface DeleteDocumentSetRequest {
  readonly uuids: readonly EntryUuid[];
  /** INI's action: DocumentEntry-only lists, cascading. */
  readonly cascade: boolean;
  readonly caller: CallerIdentity;
  readonly ctx: RequestContext;
}

async function forwardDelete(entries: readonly DocumentEntry[], request: DeleteDocumentSetRequest, deps: DeleteDocumentSetDeps): Promise<RegistryResponse> {
  const [entry] = entries;
  if (!entry) throw new Error('a delete names at least one entry');
  const uuids = entries.map((e) => e.entryUuid);
  // A resubmission removing the same objects is the same operation.
  const outcome = await deleteDocument({
    documentId: entry.uniqueId, targetId: entry.uniqueId, claims: claimsOf(entry, request.caller, deps.region, 'delete'),
    trace: request.ctx, distinguishedBy: [[...uuids].sort().join(',')], removes: uuids,
  }, deps);
  if (unknownNationally(outcome)) {
    await applyRegistryAction({ kind: 'remove', uuids }, undefined, deps);
    return { status: 'Success', errors: [regionalOnlyWarning(entry.uniqueId, 'removed')] };
  }
  return registryResponseOf(outcome, entry.uniqueId, 'XDSRegistryError');
}

export async function deleteDocumentSet(request: DeleteDocumentSetRequest, deps: DeleteDocumentSetDeps): Promise<RegistryResponse> {
  const kinds = await deps.registry.objectKinds(request.uuids);
  const missing = request.uuids.filter((u) => !kinds.has(u));
  if (missing.length > 0) {
    return { status: 'Failure', errors: missing.map((u) => registryError('UnresolvedReferenceException', `${u} is not in the registry`, u)) };
  }
  if (!request.cascade) {
    const stranded = await deps.registry.associationsReferencing(request.uuids);
    if (stranded.length > 0) {
      return { status: 'Failure', errors: stranded.map((a) => registryError('ReferencesExistException', `association ${a} references a removed object and is not in the request`, a)) };
    }
  }
  const entries = await deps.registry.getDocumentEntries(request.uuids.filter((u) => kinds.get(u) === 'DocumentEntry'));
  const byUniqueId = new Map<string, DocumentEntry[]>();
  for (const e of entries) byUniqueId.set(e.uniqueId, [...(byUniqueId.get(e.uniqueId) ?? []), e]);
  const responses: RegistryResponse[] = [];
  for (const group of byUniqueId.values()) responses.push(await forwardDelete(group, request, deps));
  const others = request.uuids.filter((u) => kinds.get(u) !== 'DocumentEntry');
  if (others.length > 0 && responses.every((r) => r.status === 'Success')) {
    const removed = await registryWrite(async () => {
      const present = await deps.registry.objectKinds(others);
      await deps.registry.removeObjects(others.filter((u) => present.has(u)), request.cascade);
    });
    if (removed.status !== 'Success') responses.push(removed);
  }
  return responses.length === 0 ? { status: 'Success', errors: [] } : mergeResponses(responses);
}

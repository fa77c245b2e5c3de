import type { RegistryAction } from '../domain/registry-action.js';
import { registerWithDocuments } from '../stores/document-set-store.js';
import { DuplicateUniqueIdError, UnresolvedReferenceError } from '../stores/store-errors.js';
import type { IndexOutcome, LocalIndexDeps } from './index-locally.js';

/**
 * Applies the registry change a SOAP producer's operation carries (its own ebRIM), idempotently: a replayed or
 * re-run job finds the work done and reports `already`. See: xds-ini digest 1.2, 4.1, 4.5, 4.6, 10 item 23.
 */
export async function applyRegistryAction(action: RegistryAction, pdf: Uint8Array | undefined, deps: LocalIndexDeps): Promise<IndexOutcome> {
  switch (action.kind) {
    case 'register': {
      const [document] = action.submission.documents;
      if (!document || !pdf) return 'not-applicable';
      try {
        await registerWithDocuments(deps.pool, { ...action.submission, documents: [{ entry: document.entry, bytes: pdf }] });
        return 'indexed';
      } catch (err) {
        if (err instanceof DuplicateUniqueIdError && (await deps.registry.getDocumentEntries([document.entry.entryUuid])).length > 0) return 'already';
        throw err;
      }
    }
    case 'update': {
      const done = await deps.registry.getDocumentEntries(action.submission.documents.map((d) => d.entry.entryUuid));
      if (done.length > 0) return 'already';
      await deps.registry.registerMetadataUpdate(action.submission);
      return 'indexed';
    }
    case 'remove': {
      const present = await deps.registry.objectKinds(action.uuids);
      if (present.size === 0) return 'already';
      try {
        await deps.registry.removeObjects(action.uuids.filter((u) => present.has(u)), true);
      } catch (err) {
        if (err instanceof UnresolvedReferenceError) return 'already';
        throw err;
      }
      return 'indexed';
    }
  }
}

import type pg from 'pg';
import { parseUniqueId, type EntryUuid, type UniqueId } from '../domain/ids.js';
import type { RegistryAction } from '../domain/registry-action.js';
import type { DocumentEntry, Submission } from '../domain/xds.js';
import { newEntryUuid } from '../metadata/metadata-codes.js';
import { metadataUpdate } from '../metadata/metadata-update.js';
import { rebaseVisibility } from '../metadata/visibility-update.js';
import { hasObscuringCode } from '../domain/citizen-rights.js';
import { registerWithDocuments, storeBytesOfIndexed } from '../stores/document-set-store.js';
import type { Operation } from '../stores/operation-store.js';
import type { RegistryStore } from '../stores/registry-store.js';
import { DuplicateUniqueIdError, UnresolvedReferenceError } from '../stores/store-errors.js';

export interface LocalIndexDeps {
  readonly pool: pg.Pool;
  readonly registry: RegistryStore;
}

export type IndexOutcome = 'indexed' | 'already' | 'not-applicable';

/** The bridge could not read the call when it was submitted: there is nothing to index (see `RegistryAction`). */
export class NothingToIndexError extends Error {
  override name = 'NothingToIndexError';
}

/**
 * Applies an operation the Gateway accepted (or could not be reached for) to the regional registry and repository:
 * the region keeps its own index, and indexes locally while the Gateway is down. The change was built when the
 * operation was submitted and is stored with it; nothing of the call is read again here. Idempotent: a replayed or
 * re-run job finds the work done and reports `already`. See: Gateway API digest, 1.4.
 */
export async function indexLocally(op: Operation, deps: LocalIndexDeps): Promise<IndexOutcome> {
  return op.registryAction ? applyRegistryAction(op.registryAction, op.pdf, deps) : 'not-applicable';
}

/**
 * Applies one registry change; `pdf` is the document's bytes for a publication. Changes that name a document by
 * uniqueId apply to its Approved entry; none (not yet indexed, or already replaced) leaves nothing to do.
 * See: xds-ini digest 1.2, 4.1, 4.2, 4.5, 4.6, 10 item 23.
 */
export async function applyRegistryAction(action: RegistryAction, pdf: Uint8Array | undefined, deps: LocalIndexDeps): Promise<IndexOutcome> {
  switch (action.kind) {
    case 'register': {
      const replaced = action.replacing === undefined ? undefined : await approvedEntry(deps, action.replacing);
      if (action.replacing !== undefined && !replaced) return 'not-applicable';
      return register(replaced ? withReplacement(action.submission, replaced.entryUuid) : action.submission, pdf, deps);
    }
    case 'update': {
      const done = await deps.registry.getDocumentEntries(action.submission.documents.map((d) => d.entry.entryUuid));
      if (done.length > 0) return 'already';
      await deps.registry.registerMetadataUpdate(action.submission);
      return 'indexed';
    }
    case 'visibility':
      return applyVisibility(action, deps);
    case 'update-entry': {
      const target = await approvedEntry(deps, action.target);
      if (!target) return 'not-applicable';
      await deps.registry.addVersion(metadataUpdate(target, action.fields), target.version);
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
    case 'delete-entry': {
      const target = await approvedEntry(deps, action.target);
      if (!target) return 'already';
      await deps.registry.deleteDocumentEntries([target.entryUuid]);
      return 'indexed';
    }
    case 'with-submission':
      // Indexed with its whole submission by the ITI-41 operation (all or nothing), never document by document.
      return 'not-applicable';
    case 'unreadable':
      throw new NothingToIndexError(action.reason);
  }
}

/**
 * A visibility change on the entry in force: already done when this very version is there or the entry already has
 * the obscuring asked (INI's own copy of the change may arrive first, the region being the patient's RDA).
 */
async function applyVisibility(action: Extract<RegistryAction, { kind: 'visibility' }>, deps: LocalIndexDeps): Promise<IndexOutcome> {
  if ((await deps.registry.getDocumentEntries(action.submission.documents.map((d) => d.entry.entryUuid))).length > 0) return 'already';
  const current = await approvedEntry(deps, action.target);
  if (!current) return 'not-applicable';
  if (hasObscuringCode(current.eventCodes) === action.obscured) return 'already';
  await deps.registry.registerMetadataUpdate(rebaseVisibility(action.submission, current, action.obscured));
  return 'indexed';
}

/** The submission's one document with the PDF's bytes, in one transaction; `already` when this very entry is there. */
async function register(submission: Submission, pdf: Uint8Array | undefined, deps: LocalIndexDeps): Promise<IndexOutcome> {
  const [document] = submission.documents;
  if (!document || !pdf) return 'not-applicable';
  try {
    await registerWithDocuments(deps.pool, { ...submission, documents: [{ entry: document.entry, bytes: pdf }] });
    return 'indexed';
  } catch (err) {
    // Already indexed (a replay or a re-run job) when this very entry is there, or when INI's copy of this very
    // document came first (the region as its patient's RDA, xds-ini digest 1.2): then only the bytes are the
    // region's to keep. Any other duplicate (a reused uniqueId of a document or SubmissionSet) is a real failure.
    if (!(err instanceof DuplicateUniqueIdError)) throw err;
    if ((await deps.registry.getDocumentEntries([document.entry.entryUuid])).length > 0) return 'already';
    const held = await deps.registry.getDocumentEntry({ uniqueId: document.entry.uniqueId });
    if (held?.patientId === document.entry.patientId && (await storeBytesOfIndexed(deps.pool, held, pdf))) return 'already';
    throw err;
  }
}

/** The submission with the RPLC association from its document to the entry it replaces. See: xds-ini digest, 4.2 row 4. */
function withReplacement(submission: Submission, replaced: EntryUuid): Submission {
  const [document] = submission.documents;
  if (!document) return submission;
  return {
    ...submission,
    associations: [...submission.associations, {
      entryUuid: newEntryUuid(), type: 'RPLC', sourceUuid: document.entry.entryUuid, targetUuid: replaced, status: 'Approved', slots: {},
    }],
  };
}

async function approvedEntry(deps: LocalIndexDeps, id: string): Promise<DocumentEntry | undefined> {
  let uniqueId: UniqueId;
  try {
    uniqueId = parseUniqueId(id);
  } catch {
    return undefined;
  }
  const entry = await deps.registry.getDocumentEntry({ uniqueId });
  return entry?.status === 'Approved' ? entry : undefined;
}

import type { Queryable } from '../db/pool.js';
import type { Association, Submission } from '../domain/xds.js';
import { insertDocumentEntry } from './document-entry-rows.js';
import { insertAssociations, insertFolder, insertRegistryObjects, insertSubmissionSet } from './registry-package-rows.js';
import { toDtm } from './row-values.js';
import { ReplaceTargetError } from './store-errors.js';
import { lockUniqueIds } from './unique-id-locks.js';

/** Association types whose target the registry deprecates. See: IHE ITI TF-3 4.2.2.2 (RPLC, XFRM_RPLC). */
const REPLACING: ReadonlySet<Association['type']> = new Set(['RPLC', 'XFRM_RPLC']);

/**
 * Writes one register transaction's objects on a client already inside a transaction. The registry sets
 * availabilityStatus (Approved), version (1), logicalID (= entryUUID) and a Folder's lastUpdateTime, ignoring what
 * was submitted; replaced entries become Deprecated. Writers of the same uniqueIds wait for each other (see
 * `unique-id-locks.ts`). See: xds-ini digest 3.3 ("registry-set"), 3.8, 4.7.
 */
export async function writeSubmission(q: Queryable, submission: Submission, now: Date = new Date()): Promise<void> {
  const { submissionSet, documents, folders, associations } = submission;
  await lockUniqueIds(q, [submissionSet.uniqueId, ...documents.map((d) => d.entry.uniqueId)]);
  await insertRegistryObjects(q, [
    { uuid: submissionSet.entryUuid, kind: 'SubmissionSet' },
    ...documents.map((d) => ({ uuid: d.entry.entryUuid, kind: 'DocumentEntry' as const })),
    ...folders.map((f) => ({ uuid: f.entryUuid, kind: 'Folder' as const })),
    ...associations.map((a) => ({ uuid: a.entryUuid, kind: 'Association' as const })),
  ]);
  await insertSubmissionSet(q, { ...submissionSet, status: 'Approved' });
  for (const { entry } of documents) {
    await insertDocumentEntry(q, { ...entry, logicalId: entry.entryUuid, version: 1, status: 'Approved' });
  }
  for (const folder of folders) {
    await insertFolder(q, { ...folder, logicalId: folder.entryUuid, version: 1, status: 'Approved', lastUpdateTime: toDtm(now) });
  }
  await insertAssociations(q, associations.map((a) => ({ ...a, status: 'Approved' as const })));
  await deprecateReplaced(q, associations);
}

/** The targets of RPLC/XFRM_RPLC must be Approved DocumentEntries; they become Deprecated in the same transaction. */
async function deprecateReplaced(q: Queryable, associations: readonly Association[]): Promise<void> {
  const targets = [...new Set(associations.filter((a) => REPLACING.has(a.type)).map((a) => a.targetUuid))];
  if (targets.length === 0) return;
  const { rows } = await q.query<{ entry_uuid: string }>(
    `UPDATE document_entry SET status = 'Deprecated' WHERE entry_uuid = ANY($1) AND status = 'Approved' RETURNING entry_uuid`,
    [targets],
  );
  if (rows.length !== targets.length) {
    const done = new Set(rows.map((r) => r.entry_uuid));
    throw new ReplaceTargetError(`not an Approved DocumentEntry: ${targets.filter((t) => !done.has(t)).join(', ')}`);
  }
}

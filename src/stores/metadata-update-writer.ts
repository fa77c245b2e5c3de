import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { EntryUuid } from '../domain/ids.js';
import type { Association, AvailabilityStatus, DocumentEntry, Submission } from '../domain/xds.js';
import { STATUS } from '../metadata/vocabulary.js';
import { addEntryVersion } from './document-entry-versions.js';
import { insertAssociations, insertRegistryObjects, insertSubmissionSet } from './registry-package-rows.js';
import { MetadataUpdateError, MetadataUpdateOperationError, UnresolvedReferenceError } from './store-errors.js';
import { lockUniqueIds } from './unique-id-locks.js';

/**
 * Writes an ITI-57 Update Document Set on a client inside a transaction: each DocumentEntry becomes the next version
 * of its logical entry (PreviousVersion on its HasMember must name the latest Approved version), the Folder
 * memberships of the previous version follow it unless `AssociationPropagation` is `no`, UpdateAvailabilityStatus
 * associations move a target from OriginalStatus to NewStatus, and the SubmissionSet with its associations is stored.
 * Writers of the same uniqueIds wait for each other (see `unique-id-locks.ts`). See: xds-ini digest 4.5, 10 item 11; IHE ITI TF-2b 3.57.4.1.3.
 */
export async function writeMetadataUpdate(q: Queryable, submission: Submission): Promise<DocumentEntry[]> {
  const ss = submission.submissionSet;
  const hasMember = (target: EntryUuid) => submission.associations.find((a) => a.type === 'HasMember' && a.sourceUuid === ss.entryUuid && a.targetUuid === target);
  await lockUniqueIds(q, [ss.uniqueId, ...submission.documents.map((d) => d.entry.uniqueId)]);
  await insertRegistryObjects(q, [{ uuid: ss.entryUuid, kind: 'SubmissionSet' }]);
  await insertSubmissionSet(q, { ...ss, status: 'Approved' });
  const versions: DocumentEntry[] = [];
  const propagated: Association[] = [];
  for (const { entry } of submission.documents) {
    const member = hasMember(entry.entryUuid);
    const previous = Number(member?.slots.PreviousVersion?.[0]);
    if (!member || !Number.isInteger(previous)) {
      throw new MetadataUpdateError(`DocumentEntry ${entry.uniqueId}: its HasMember must carry PreviousVersion`);
    }
    const { rows } = await q.query<{ entry_uuid: string }>('SELECT entry_uuid FROM document_entry WHERE logical_id = $1 AND version = $2', [entry.logicalId, previous]);
    const prior = rows[0]?.entry_uuid;
    const next = await addEntryVersion(q, entry, previous);
    versions.push(next);
    if (prior !== undefined && member.slots.AssociationPropagation?.[0] !== 'no') propagated.push(...(await folderMemberships(q, prior, next.entryUuid)));
  }
  const associations = submission.associations.map((a) => ({ ...a, status: 'Approved' as const }));
  await insertRegistryObjects(q, [...associations, ...propagated].map((a) => ({ uuid: a.entryUuid, kind: 'Association' as const })));
  await insertAssociations(q, [...associations, ...propagated]);
  for (const a of submission.associations.filter((x) => x.type === 'UpdateAvailabilityStatus')) await changeStatus(q, a);
  return versions;
}

/** Folder -> previous version HasMembers, copied to the new version. See: IHE ITI TF-2b 3.57.4.1.3.3.1. */
async function folderMemberships(q: Queryable, prior: string, next: EntryUuid): Promise<Association[]> {
  const { rows } = await q.query<{ source_uuid: string }>(
    `SELECT a.source_uuid FROM association a JOIN folder f ON f.entry_uuid = a.source_uuid
      WHERE a.type = 'HasMember' AND a.target_uuid = $1`, [prior]);
  return rows.map((r) => ({
    entryUuid: `urn:uuid:${randomUUID()}` as EntryUuid, type: 'HasMember', sourceUuid: r.source_uuid as EntryUuid, targetUuid: next,
    status: 'Approved', slots: {},
  }));
}

const STATUS_BY_URN: Readonly<Record<string, AvailabilityStatus>> = { [STATUS.approved]: 'Approved', [STATUS.deprecated]: 'Deprecated' };

/** Applies one UpdateAvailabilityStatus to a DocumentEntry or Folder. See: xds-ini digest 4.5 (status-only update). */
async function changeStatus(q: Queryable, a: Association): Promise<void> {
  const original = STATUS_BY_URN[a.slots.OriginalStatus?.[0] ?? ''];
  const wanted = STATUS_BY_URN[a.slots.NewStatus?.[0] ?? ''];
  if (original === undefined || wanted === undefined) {
    throw new MetadataUpdateOperationError(`UpdateAvailabilityStatus ${a.entryUuid} needs OriginalStatus and NewStatus status URNs`);
  }
  for (const table of ['document_entry', 'folder'] as const) {
    const { rows } = await q.query<{ status: AvailabilityStatus }>(`SELECT status FROM ${table} WHERE entry_uuid = $1 FOR UPDATE`, [a.targetUuid]);
    const current = rows[0]?.status;
    if (current === undefined) continue;
    if (current !== original) throw new MetadataUpdateOperationError(`${a.targetUuid} is ${current}, not ${original}`);
    await q.query(`UPDATE ${table} SET status = $2 WHERE entry_uuid = $1`, [a.targetUuid, wanted]);
    return;
  }
  throw new UnresolvedReferenceError(`UpdateAvailabilityStatus target ${a.targetUuid} is no DocumentEntry or Folder`);
}

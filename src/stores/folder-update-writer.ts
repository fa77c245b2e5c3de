import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { EntryUuid } from '../domain/ids.js';
import type { Association, AvailabilityStatus, Folder, Submission } from '../domain/xds.js';
import { STATUS } from '../metadata/vocabulary.js';
import { insertAssociations, insertFolder, insertRegistryObjects, insertSubmissionSet, selectFolder } from './registry-package-rows.js';
import { toDtm } from './row-values.js';
import { MetadataUpdateError, MetadataUpdateOperationError, MetadataVersionError, PatientIdDoesNotMatchError, UnresolvedReferenceError } from './store-errors.js';
import { lockUniqueIds } from './unique-id-locks.js';

/**
 * Writes the Folder part of an ITI-57 Update Document Set on a client inside a transaction (all or nothing):
 * - a Folder of the submission is a new version of a registered Folder: same logicalID, its SubmissionSet HasMember
 *   names the latest version in PreviousVersion, which must be Approved; version + 1, the previous one Deprecated;
 *   uniqueId and patientId may not change; the previous version's HasMember to DocumentEntries follow it unless the
 *   HasMember says `AssociationPropagation` `no`. See: IHE ITI TF-2b 3.57.4.1.3.3 (Folder metadata update).
 * - a HasMember from a registered Folder to a registered DocumentEntry adds the entry to the Folder (same patient).
 * - UpdateAvailabilityStatus moves a Folder, or a Folder -> DocumentEntry HasMember (which takes the entry out of the
 *   Folder), from OriginalStatus to NewStatus. See: IHE ITI TF-2b 3.57.4.1.3.3 (status of a Folder or an Association).
 * A Folder whose content changed gets the registry's lastUpdateTime. See: IHE ITI TF-3 4.2.3.4.
 */
const STATUS_BY_URN: Readonly<Record<string, AvailabilityStatus>> = { [STATUS.approved]: 'Approved', [STATUS.deprecated]: 'Deprecated' };

interface FolderHead { entry_uuid: string; version: number; status: AvailabilityStatus }

async function latestFolder(q: Queryable, logicalId: string): Promise<FolderHead | undefined> {
  const { rows } = await q.query<FolderHead>(
    'SELECT entry_uuid, version, status FROM folder WHERE logical_id = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE', [logicalId]);
  return rows[0];
}

async function newFolderVersion(q: Queryable, folder: Folder, member: Association | undefined, now: string): Promise<Association[]> {
  const previous = Number(member?.slots.PreviousVersion?.[0]);
  if (!member || !Number.isInteger(previous)) throw new MetadataUpdateError(`Folder ${folder.uniqueId}: its HasMember must carry PreviousVersion`);
  const head = await latestFolder(q, folder.logicalId);
  if (head === undefined) throw new MetadataUpdateError(`no Folder with logicalID ${folder.logicalId}`);
  if (previous !== head.version || head.status !== 'Approved') {
    throw new MetadataVersionError(`PreviousVersion ${previous} is not the latest Approved version of Folder ${folder.logicalId} (${head.version}, ${head.status})`);
  }
  const current = await selectFolder(q, head.entry_uuid);
  if (current === undefined) throw new UnresolvedReferenceError(`Folder ${head.entry_uuid} vanished`);
  if (folder.uniqueId !== current.uniqueId) throw new MetadataUpdateError(`uniqueId of Folder ${folder.logicalId} may not change (${current.uniqueId} -> ${folder.uniqueId})`);
  if (folder.patientId !== current.patientId) {
    throw new PatientIdDoesNotMatchError(`patientId of Folder ${folder.uniqueId} may not change (${current.patientId} -> ${folder.patientId})`);
  }
  await q.query(`UPDATE folder SET status = 'Deprecated' WHERE entry_uuid = $1`, [head.entry_uuid]);
  await insertRegistryObjects(q, [{ uuid: folder.entryUuid, kind: 'Folder' }]);
  await insertFolder(q, { ...folder, version: head.version + 1, status: 'Approved', lastUpdateTime: now });
  if (member.slots.AssociationPropagation?.[0] === 'no') return [];
  const { rows } = await q.query<{ target_uuid: string }>(
    `SELECT a.target_uuid FROM association a JOIN document_entry d ON d.entry_uuid = a.target_uuid
      WHERE a.type = 'HasMember' AND a.status = 'Approved' AND a.source_uuid = $1`, [head.entry_uuid]);
  return rows.map((r) => ({
    entryUuid: `urn:uuid:${randomUUID()}` as EntryUuid, type: 'HasMember', sourceUuid: folder.entryUuid, targetUuid: r.target_uuid as EntryUuid,
    status: 'Approved', slots: {},
  }));
}

/** A HasMember Folder -> DocumentEntry: the Folder must be a latest Approved version, the entry the same patient's. */
async function checkMembership(q: Queryable, a: Association, inSubmission: ReadonlyMap<string, Folder>): Promise<void> {
  const folder = inSubmission.get(a.sourceUuid) ?? (await selectFolder(q, a.sourceUuid));
  if (folder === undefined) throw new UnresolvedReferenceError(`HasMember ${a.entryUuid}: no Folder ${a.sourceUuid}`);
  if (!inSubmission.has(a.sourceUuid)) {
    const head = await latestFolder(q, folder.logicalId);
    if (head?.entry_uuid !== folder.entryUuid || head.status !== 'Approved') {
      throw new MetadataVersionError(`HasMember ${a.entryUuid}: Folder ${a.sourceUuid} is not the latest Approved version of ${folder.logicalId}`);
    }
  }
  const { rows } = await q.query<{ patient_id: string }>('SELECT patient_id FROM document_entry WHERE entry_uuid = $1', [a.targetUuid]);
  const patient = rows[0]?.patient_id;
  if (patient === undefined) throw new UnresolvedReferenceError(`HasMember ${a.entryUuid}: no DocumentEntry ${a.targetUuid}`);
  if (patient !== folder.patientId) throw new PatientIdDoesNotMatchError(`DocumentEntry ${a.targetUuid} (${patient}) may not join Folder ${folder.uniqueId} (${folder.patientId})`);
}

/** Applies one UpdateAvailabilityStatus to a Folder or to a Folder -> DocumentEntry HasMember; the Folder it changes. */
async function changeStatus(q: Queryable, a: Association): Promise<string> {
  const original = STATUS_BY_URN[a.slots.OriginalStatus?.[0] ?? ''];
  const wanted = STATUS_BY_URN[a.slots.NewStatus?.[0] ?? ''];
  if (original === undefined || wanted === undefined) {
    throw new MetadataUpdateOperationError(`UpdateAvailabilityStatus ${a.entryUuid} needs OriginalStatus and NewStatus status URNs`);
  }
  const folder = await q.query<{ status: AvailabilityStatus }>('SELECT status FROM folder WHERE entry_uuid = $1 FOR UPDATE', [a.targetUuid]);
  const membership = await q.query<{ status: AvailabilityStatus; source_uuid: string }>(
    `SELECT a.status, a.source_uuid FROM association a JOIN folder f ON f.entry_uuid = a.source_uuid
      WHERE a.entry_uuid = $1 AND a.type = 'HasMember' FOR UPDATE OF a`, [a.targetUuid]);
  const [table, row, changed] = folder.rows[0] ? ['folder', folder.rows[0], a.targetUuid] as const
    : membership.rows[0] ? ['association', membership.rows[0], membership.rows[0].source_uuid] as const : [undefined, undefined, ''] as const;
  if (table === undefined) throw new MetadataUpdateOperationError(`UpdateAvailabilityStatus target ${a.targetUuid} is no Folder nor Folder membership`);
  if (row.status !== original) throw new MetadataUpdateOperationError(`${a.targetUuid} is ${row.status}, not ${original}`);
  await q.query(`UPDATE ${table} SET status = $2 WHERE entry_uuid = $1`, [a.targetUuid, wanted]);
  return changed;
}

/** The Folder update of `submission` (no DocumentEntries), with the registry's time `now`. */
export async function writeFolderUpdate(q: Queryable, submission: Submission, now: Date = new Date()): Promise<void> {
  const ss = submission.submissionSet;
  const lastUpdateTime = toDtm(now);
  await lockUniqueIds(q, [ss.uniqueId, ...submission.folders.map((f) => f.uniqueId)]);
  await insertRegistryObjects(q, [{ uuid: ss.entryUuid, kind: 'SubmissionSet' }]);
  await insertSubmissionSet(q, { ...ss, status: 'Approved' });
  const versions = new Map<string, Folder>(submission.folders.map((f) => [f.entryUuid, f]));
  const propagated: Association[] = [];
  for (const folder of submission.folders) {
    const member = submission.associations.find((a) => a.type === 'HasMember' && a.sourceUuid === ss.entryUuid && a.targetUuid === folder.entryUuid);
    propagated.push(...(await newFolderVersion(q, folder, member, lastUpdateTime)));
  }
  const memberships = submission.associations.filter((a) => a.type === 'HasMember' && a.sourceUuid !== ss.entryUuid);
  const touched = new Set<string>();
  for (const a of memberships) {
    await checkMembership(q, a, versions);
    touched.add(a.sourceUuid);
  }
  const associations = submission.associations.map((a) => ({ ...a, status: 'Approved' as const }));
  await insertRegistryObjects(q, [...associations, ...propagated].map((a) => ({ uuid: a.entryUuid, kind: 'Association' as const })));
  await insertAssociations(q, [...associations, ...propagated]);
  for (const a of submission.associations.filter((x) => x.type === 'UpdateAvailabilityStatus')) touched.add(await changeStatus(q, a));
  await q.query('UPDATE folder SET last_update_time = $2 WHERE entry_uuid = ANY($1)', [[...touched].filter((id) => !versions.has(id)), lastUpdateTime]);
}

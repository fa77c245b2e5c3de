import { insertRows } from '../db/insert-rows.js';
import type { Queryable } from '../db/pool.js';
import type { Association, Folder, SubmissionSet } from '../domain/xds.js';
import { authorRows } from './row-values.js';
import { selectAssociationsWhere, selectFolders, selectSubmissionSets } from './stored-queries/object-rows.js';

/**
 * Rows of the RegistryPackages (SubmissionSet, Folder) and of Associations. See: IHE ITI TF-3 4.2.3.3 (SubmissionSet),
 * 4.2.3.4 (Folder), 4.2.2 (Associations); docs/registry-schema.md.
 */

export type ObjectKind = 'DocumentEntry' | 'SubmissionSet' | 'Folder' | 'Association';

/** Registers the identities of new objects; a taken entryUUID fails here, before any attribute row is written. */
export async function insertRegistryObjects(q: Queryable, objects: readonly { uuid: string; kind: ObjectKind }[]): Promise<void> {
  await insertRows(q, 'registry_object', objects.map((o) => ({ entry_uuid: o.uuid, object_kind: o.kind })));
}

export async function insertSubmissionSet(q: Queryable, s: SubmissionSet): Promise<void> {
  await insertRows(q, 'submission_set', [{
    entry_uuid: s.entryUuid, unique_id: s.uniqueId, source_id: s.sourceId, patient_id: s.patientId,
    submission_time: s.submissionTime, content_type_code: s.contentTypeCode.code,
    content_type_scheme: s.contentTypeCode.scheme, content_type_display: s.contentTypeCode.display,
    title: s.title, comments: s.comments, intended_recipients: s.intendedRecipients, status: s.status,
    extra_slots: JSON.stringify(s.extraSlots),
  }]);
  await insertRows(q, 'submission_set_author', authorRows(s.entryUuid, s.authors));
}

export async function insertFolder(q: Queryable, f: Folder): Promise<void> {
  await insertRows(q, 'folder', [{
    entry_uuid: f.entryUuid, logical_id: f.logicalId, version: f.version, unique_id: f.uniqueId,
    patient_id: f.patientId, last_update_time: f.lastUpdateTime, title: f.title, comments: f.comments,
    status: f.status, extra_slots: JSON.stringify(f.extraSlots),
  }]);
  await insertRows(q, 'folder_code', f.codes.map((c, ord) => ({
    entry_uuid: f.entryUuid, ord, code: c.code, scheme: c.scheme, display: c.display,
  })));
}

export async function insertAssociations(q: Queryable, associations: readonly Association[]): Promise<void> {
  await insertRows(q, 'association', associations.map((a) => ({
    entry_uuid: a.entryUuid, type: a.type, source_uuid: a.sourceUuid, target_uuid: a.targetUuid,
    status: a.status, slots: JSON.stringify(a.slots),
  })));
}

/** One SubmissionSet by entryUUID. */
export async function selectSubmissionSet(q: Queryable, entryUuid: string): Promise<SubmissionSet | undefined> {
  const [found] = await selectSubmissionSets(q, 'WHERE s.entry_uuid = $1', [entryUuid]);
  return found;
}

/** One Folder by entryUUID. */
export async function selectFolder(q: Queryable, entryUuid: string): Promise<Folder | undefined> {
  const [found] = await selectFolders(q, 'WHERE f.entry_uuid = $1', [entryUuid]);
  return found;
}

/** Associations whose source or target is one of `uuids` (GetAssociations semantics, ITI-18 `$uuid`). */
export function selectAssociations(q: Queryable, uuids: readonly string[]): Promise<Association[]> {
  return selectAssociationsWhere(q, 'WHERE a.source_uuid = ANY($1) OR a.target_uuid = ANY($1) ORDER BY a.entry_uuid', [uuids]);
}

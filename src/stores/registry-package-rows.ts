import { insertRows } from '../db/insert-rows.js';
import type { Queryable } from '../db/pool.js';
import type { EntryUuid, PatientId, UniqueId } from '../domain/ids.js';
import type { Association, AssociationType, AvailabilityStatus, ExtraSlots, Folder, SubmissionSet } from '../domain/xds.js';
import { authorOf, authorRows, authorsJsonSql, codeFromJson, codeOf, compact, type AuthorJson } from './row-values.js';

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

interface SubmissionSetRow {
  entry_uuid: string; unique_id: string; source_id: string; patient_id: string; submission_time: string;
  content_type_code: string; content_type_scheme: string; content_type_display: string | null;
  title: string | null; comments: string | null; intended_recipients: string[]; status: AvailabilityStatus;
  extra_slots: ExtraSlots; authors: AuthorJson[];
}

export async function selectSubmissionSet(q: Queryable, entryUuid: string): Promise<SubmissionSet | undefined> {
  const { rows } = await q.query<SubmissionSetRow>(
    `SELECT s.*, ${authorsJsonSql('submission_set_author', 's')} AS authors FROM submission_set s WHERE s.entry_uuid = $1`,
    [entryUuid],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  return compact<SubmissionSet>({
    entryUuid: r.entry_uuid as EntryUuid, uniqueId: r.unique_id as UniqueId, sourceId: r.source_id,
    patientId: r.patient_id as PatientId, submissionTime: r.submission_time,
    contentTypeCode: codeOf(r.content_type_code, r.content_type_scheme, r.content_type_display),
    authors: r.authors.map(authorOf), title: r.title, comments: r.comments,
    intendedRecipients: r.intended_recipients, status: r.status, extraSlots: r.extra_slots,
  });
}

interface FolderRow {
  entry_uuid: string; logical_id: string; version: number; unique_id: string; patient_id: string;
  last_update_time: string; title: string | null; comments: string | null; status: AvailabilityStatus;
  extra_slots: ExtraSlots; codes: { code: string; scheme: string; display: string | null }[];
}

export async function selectFolder(q: Queryable, entryUuid: string): Promise<Folder | undefined> {
  const { rows } = await q.query<FolderRow>(
    `SELECT f.*, (SELECT coalesce(json_agg(json_build_object('code', c.code, 'scheme', c.scheme, 'display', c.display)
        ORDER BY c.ord), '[]') FROM folder_code c WHERE c.entry_uuid = f.entry_uuid) AS codes
     FROM folder f WHERE f.entry_uuid = $1`,
    [entryUuid],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  return compact<Folder>({
    entryUuid: r.entry_uuid as EntryUuid, logicalId: r.logical_id as EntryUuid, version: r.version,
    uniqueId: r.unique_id as UniqueId, patientId: r.patient_id as PatientId, lastUpdateTime: r.last_update_time,
    codes: r.codes.map(codeFromJson), title: r.title, comments: r.comments, status: r.status, extraSlots: r.extra_slots,
  });
}

interface AssociationRow {
  entry_uuid: string; type: AssociationType; source_uuid: string; target_uuid: string;
  status: AvailabilityStatus; slots: ExtraSlots;
}

/** Associations whose source or target is one of `uuids` (GetAssociations semantics, ITI-18 `$uuid`). */
export async function selectAssociations(q: Queryable, uuids: readonly string[]): Promise<Association[]> {
  const { rows } = await q.query<AssociationRow>(
    `SELECT * FROM association WHERE source_uuid = ANY($1) OR target_uuid = ANY($1) ORDER BY entry_uuid`,
    [uuids],
  );
  return rows.map((r) => ({
    entryUuid: r.entry_uuid as EntryUuid, type: r.type, sourceUuid: r.source_uuid as EntryUuid,
    targetUuid: r.target_uuid as EntryUuid, status: r.status, slots: r.slots,
  }));
}

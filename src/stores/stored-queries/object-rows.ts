import type { Queryable } from '../../db/pool.js';
import type { EntryUuid, PatientId, UniqueId } from '../../domain/ids.js';
import type { Association, AssociationType, AvailabilityStatus, ExtraSlots, Folder, SubmissionSet } from '../../domain/xds.js';
import { authorOf, authorsJsonSql, codeFromJson, codeOf, compact, type AuthorJson } from '../row-values.js';

/**
 * Readers of complete SubmissionSets, Folders and Associations, many at a time (the registry store's one-object reads
 * go through them too). Like `selectDocumentEntries`, each takes a constant SQL fragment on its alias (`s`, `f`, `a`) with its
 * ORDER BY, values travelling as parameters. See: IHE ITI TF-3 4.2.3.3, 4.2.3.4, 4.2.2; docs/registry-schema.md.
 */

interface SubmissionSetRow {
  entry_uuid: string; unique_id: string; source_id: string; patient_id: string; submission_time: string;
  content_type_code: string; content_type_scheme: string; content_type_display: string | null;
  title: string | null; comments: string | null; intended_recipients: string[]; status: AvailabilityStatus;
  extra_slots: ExtraSlots; authors: AuthorJson[];
}

/** SubmissionSets with their authors; `condition` goes after `FROM submission_set s`. */
export async function selectSubmissionSets(q: Queryable, condition: string, params: readonly unknown[]): Promise<SubmissionSet[]> {
  const { rows } = await q.query<SubmissionSetRow>(
    `SELECT s.*, ${authorsJsonSql('submission_set_author', 's')} AS authors FROM submission_set s ${condition}`,
    [...params],
  );
  return rows.map((r) => compact<SubmissionSet>({
    entryUuid: r.entry_uuid as EntryUuid, uniqueId: r.unique_id as UniqueId, sourceId: r.source_id,
    patientId: r.patient_id as PatientId, submissionTime: r.submission_time,
    contentTypeCode: codeOf(r.content_type_code, r.content_type_scheme, r.content_type_display),
    authors: r.authors.map(authorOf), title: r.title, comments: r.comments,
    intendedRecipients: r.intended_recipients, status: r.status, extraSlots: r.extra_slots,
  }));
}

interface FolderRow {
  entry_uuid: string; logical_id: string; version: number; unique_id: string; patient_id: string;
  last_update_time: string; title: string | null; comments: string | null; status: AvailabilityStatus;
  extra_slots: ExtraSlots; codes: { code: string; scheme: string; display: string | null }[];
}

/** Folders with their codeList; `condition` goes after `FROM folder f`. */
export async function selectFolders(q: Queryable, condition: string, params: readonly unknown[]): Promise<Folder[]> {
  const { rows } = await q.query<FolderRow>(
    `SELECT f.*, (SELECT coalesce(json_agg(json_build_object('code', c.code, 'scheme', c.scheme, 'display', c.display)
        ORDER BY c.ord), '[]') FROM folder_code c WHERE c.entry_uuid = f.entry_uuid) AS codes
     FROM folder f ${condition}`,
    [...params],
  );
  return rows.map((r) => compact<Folder>({
    entryUuid: r.entry_uuid as EntryUuid, logicalId: r.logical_id as EntryUuid, version: r.version,
    uniqueId: r.unique_id as UniqueId, patientId: r.patient_id as PatientId, lastUpdateTime: r.last_update_time,
    codes: r.codes.map(codeFromJson), title: r.title, comments: r.comments, status: r.status, extraSlots: r.extra_slots,
  }));
}

interface AssociationRow {
  entry_uuid: string; type: AssociationType; source_uuid: string; target_uuid: string;
  status: AvailabilityStatus; slots: ExtraSlots;
}

/** Associations; `condition` goes after `FROM association a`. */
export async function selectAssociationsWhere(q: Queryable, condition: string, params: readonly unknown[]): Promise<Association[]> {
  const { rows } = await q.query<AssociationRow>(`SELECT a.* FROM association a ${condition}`, [...params]);
  return rows.map((r) => ({
    entryUuid: r.entry_uuid as EntryUuid, type: r.type, sourceUuid: r.source_uuid as EntryUuid,
    targetUuid: r.target_uuid as EntryUuid, status: r.status, slots: r.slots,
  }));
}

import { isDeepStrictEqual } from 'node:util';
import type { Queryable } from '../db/pool.js';
import type { DocumentEntry, Submission } from '../domain/xds.js';
import { selectDocumentEntries } from './document-entry-rows.js';
import { deleteEntries } from './registry-deletion.js';
import { writeSubmission } from './submission-writer.js';
import { lockUniqueIds } from './unique-id-locks.js';

/** What an authoritative write did: `already` when the registry held INI's very objects, nothing written. */
export interface AuthoritativeResult {
  readonly already: boolean;
  readonly replaced: number;
  readonly droppedAssociations: number;
}

/**
 * Writes metadata INI communicates, which overwrite what the region indexed for the same documents (locally while the
 * Gateway was down, or from the producer's own submission, or the region's own publication when it is the patient's
 * RDA): every version of each uniqueId goes, with its associations and emptied SubmissionSets, and INI's objects are
 * written, in one transaction. A SubmissionSet of the same uniqueId emptied that way (the region's own copy of the
 * same submission) goes too; one that still holds other objects, or belongs to another patient, stays and the write
 * fails with `DuplicateUniqueIdError`. INI's retry of what the registry already holds (same entryUUIDs, same
 * content) is `already`. Associations whose target the region never had (INI's own entryUUIDs of documents indexed
 * elsewhere) are left out rather than refused. See: xds-ini digest 1.2 (INI's metadata overwrite local ones), 4.2,
 * 4.8 (INI retries: no duplicate).
 */
export async function overwriteWithAuthoritative(q: Queryable, submission: Submission): Promise<AuthoritativeResult> {
  const ss = submission.submissionSet;
  const uniqueIds = submission.documents.map((d) => d.entry.uniqueId);
  await lockUniqueIds(q, [...uniqueIds, ss.uniqueId]);
  if (await holdsAlready(q, submission)) return { already: true, replaced: 0, droppedAssociations: 0 };
  const { rows } = await q.query<{ entry_uuid: string }>('SELECT entry_uuid FROM document_entry WHERE unique_id = ANY($1) FOR UPDATE', [uniqueIds]);
  if (rows.length > 0) await deleteEntries(q, rows.map((r) => r.entry_uuid));
  await q.query(
    `DELETE FROM registry_object o USING submission_set s
      WHERE o.entry_uuid = s.entry_uuid AND s.unique_id = $1 AND s.patient_id = $2
        AND NOT EXISTS (SELECT 1 FROM association a WHERE a.source_uuid = s.entry_uuid OR a.target_uuid = s.entry_uuid)`,
    [ss.uniqueId, ss.patientId]);
  const own = new Set<string>([ss.entryUuid, ...submission.documents.map((d) => d.entry.entryUuid),
    ...submission.folders.map((f) => f.entryUuid), ...submission.associations.map((a) => a.entryUuid)]);
  const ends = [...new Set(submission.associations.flatMap((a) => [a.sourceUuid, a.targetUuid]).filter((u) => !own.has(u)))];
  const present = new Set((await q.query<{ entry_uuid: string }>('SELECT entry_uuid FROM registry_object WHERE entry_uuid = ANY($1)', [ends])).rows.map((r) => r.entry_uuid));
  const associations = submission.associations.filter((a) => (own.has(a.sourceUuid) || present.has(a.sourceUuid)) && (own.has(a.targetUuid) || present.has(a.targetUuid)));
  await writeSubmission(q, { ...submission, associations });
  return { already: false, replaced: rows.length, droppedAssociations: submission.associations.length - associations.length };
}

/**
 * Whether the registry holds INI's objects already: its SubmissionSet under its entryUUID and uniqueId, and each
 * DocumentEntry under its entryUUID with the same content. Status, version and logicalID are the registry's (a later
 * update may have deprecated the entry), so a late retry never rolls a newer version back.
 */
async function holdsAlready(q: Queryable, submission: Submission): Promise<boolean> {
  if (submission.documents.length === 0) return false;
  const ss = await q.query<{ unique_id: string }>('SELECT unique_id FROM submission_set WHERE entry_uuid = $1', [submission.submissionSet.entryUuid]);
  if (ss.rows[0]?.unique_id !== submission.submissionSet.uniqueId) return false;
  const held = new Map((await selectDocumentEntries(q, 'WHERE d.entry_uuid = ANY($1)', [submission.documents.map((d) => d.entry.entryUuid)]))
    .map((e) => [e.entryUuid, e]));
  return submission.documents.every(({ entry }) => {
    const stored = held.get(entry.entryUuid);
    return stored !== undefined && isDeepStrictEqual(content(stored), content(entry));
  });
}

/** An entry's submitted content: registry-set attributes left out, absent optional attributes dropped. */
function content(entry: DocumentEntry): unknown {
  const { status: _status, version: _version, logicalId: _logicalId, ...rest } = entry;
  return JSON.parse(JSON.stringify({ ...rest, hash: rest.hash?.toLowerCase() })) as unknown;
}

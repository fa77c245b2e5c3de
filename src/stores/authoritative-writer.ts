import type { Queryable } from '../db/pool.js';
import type { Submission } from '../domain/xds.js';
import { deleteEntries } from './registry-deletion.js';
import { writeSubmission } from './submission-writer.js';

/**
 * Writes metadata INI communicates, which overwrite what the region indexed for the same documents (locally while the
 * Gateway was down, or from the producer's own submission): every version of each uniqueId goes, with its
 * associations and emptied SubmissionSets, and INI's objects are written, in one transaction. Associations whose
 * target the region never had (INI's own entryUUIDs of documents indexed elsewhere) are left out rather than refused.
 * See: xds-ini digest 1.2 (INI's metadata overwrite local ones), 4.8.
 */
export async function overwriteWithAuthoritative(q: Queryable, submission: Submission): Promise<{ replaced: number; droppedAssociations: number }> {
  const uniqueIds = submission.documents.map((d) => d.entry.uniqueId);
  const { rows } = await q.query<{ entry_uuid: string }>('SELECT entry_uuid FROM document_entry WHERE unique_id = ANY($1) FOR UPDATE', [uniqueIds]);
  if (rows.length > 0) await deleteEntries(q, rows.map((r) => r.entry_uuid));
  const taken = await q.query<{ entry_uuid: string }>('SELECT entry_uuid FROM submission_set WHERE unique_id = $1', [submission.submissionSet.uniqueId]);
  const ssUuid = taken.rows[0]?.entry_uuid;
  if (ssUuid !== undefined) await q.query('DELETE FROM registry_object WHERE entry_uuid = $1 AND NOT EXISTS (SELECT 1 FROM association WHERE source_uuid = $1 OR target_uuid = $1)', [ssUuid]);
  const own = new Set<string>([submission.submissionSet.entryUuid, ...submission.documents.map((d) => d.entry.entryUuid),
    ...submission.folders.map((f) => f.entryUuid), ...submission.associations.map((a) => a.entryUuid)]);
  const ends = [...new Set(submission.associations.flatMap((a) => [a.sourceUuid, a.targetUuid]).filter((u) => !own.has(u)))];
  const present = new Set((await q.query<{ entry_uuid: string }>('SELECT entry_uuid FROM registry_object WHERE entry_uuid = ANY($1)', [ends])).rows.map((r) => r.entry_uuid));
  const associations = submission.associations.filter((a) => (own.has(a.sourceUuid) || present.has(a.sourceUuid)) && (own.has(a.targetUuid) || present.has(a.targetUuid)));
  await writeSubmission(q, { ...submission, associations });
  return { replaced: rows.length, droppedAssociations: submission.associations.length - associations.length };
}

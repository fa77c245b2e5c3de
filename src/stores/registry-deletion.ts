import type { Queryable } from '../db/pool.js';
import { UnresolvedReferenceError } from './store-errors.js';

/** What a deletion removed. */
export interface DeletionResult {
  readonly documentEntries: number;
  readonly associations: number;
  readonly submissionSets: number;
}

/**
 * Deletes DocumentEntries (specific versions, by entryUUID) on a client inside a transaction, cascading as INI's
 * delete expects: every association that has a deleted object at either end goes too (recursively, so a
 * SubmissionSet -> Association HasMember goes with its association), then every SubmissionSet left with no member.
 * All-or-nothing: one unknown entryUUID fails the whole request. See: xds-ini digest 4.6.
 */
export async function deleteEntries(q: Queryable, uuids: readonly string[]): Promise<DeletionResult> {
  const wanted = [...new Set(uuids)];
  const found = await q.query<{ entry_uuid: string }>(
    'SELECT entry_uuid FROM document_entry WHERE entry_uuid = ANY($1) FOR UPDATE', [wanted],
  );
  if (found.rows.length !== wanted.length) {
    const present = new Set(found.rows.map((r) => r.entry_uuid));
    throw new UnresolvedReferenceError(`no DocumentEntry ${wanted.filter((u) => !present.has(u)).join(', ')}`);
  }
  const doomed = await q.query<{ entry_uuid: string; source_uuid: string }>(
    `WITH RECURSIVE doomed (entry_uuid, source_uuid) AS (
       SELECT entry_uuid, source_uuid FROM association WHERE source_uuid = ANY($1) OR target_uuid = ANY($1)
       UNION
       SELECT a.entry_uuid, a.source_uuid FROM association a
         JOIN doomed d ON a.source_uuid = d.entry_uuid OR a.target_uuid = d.entry_uuid
     )
     SELECT entry_uuid, source_uuid FROM doomed`,
    [wanted],
  );
  const associationUuids = doomed.rows.map((r) => r.entry_uuid);
  // Association rows first: they hold every reference to a registry object, so the identities (and, by cascade,
  // the entries' attribute rows) can then go without tripping the association-end foreign keys.
  await q.query('DELETE FROM association WHERE entry_uuid = ANY($1)', [associationUuids]);
  await q.query('DELETE FROM registry_object WHERE entry_uuid = ANY($1)', [[...associationUuids, ...wanted]]);
  const emptied = await q.query(
    `DELETE FROM registry_object o USING submission_set s
      WHERE o.entry_uuid = s.entry_uuid AND s.entry_uuid = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM association a WHERE a.source_uuid = s.entry_uuid)`,
    [[...new Set(doomed.rows.map((r) => r.source_uuid))]],
  );
  return { documentEntries: wanted.length, associations: associationUuids.length, submissionSets: emptied.rowCount ?? 0 };
}

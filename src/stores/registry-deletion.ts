import type { Queryable } from '../db/pool.js';
import { ReferencesExistError, UnresolvedReferenceError } from './store-errors.js';

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

/**
 * ITI-62 Delete Document Set on a client inside a transaction. Every listed object must exist
 * (UnresolvedReferenceException). IHE semantics (`cascade` false): the request lists the associations too, and no
 * association left behind may reference a removed object (ReferencesExistException). INI semantics (`cascade` true):
 * DocumentEntries take their associations and emptied SubmissionSets with them, as {@link deleteEntries}; other listed
 * objects go as in IHE. All-or-nothing. See: xds-ini digest 4.6, 10 item 10; IHE ITI TF-2b 3.62.4.1.3.
 */
export async function removeObjects(q: Queryable, uuids: readonly string[], cascade: boolean): Promise<DeletionResult> {
  const wanted = [...new Set(uuids)];
  const { rows } = await q.query<{ entry_uuid: string; object_kind: string }>(
    'SELECT entry_uuid, object_kind FROM registry_object WHERE entry_uuid = ANY($1) FOR UPDATE', [wanted]);
  if (rows.length !== wanted.length) {
    const present = new Set(rows.map((r) => r.entry_uuid));
    throw new UnresolvedReferenceError(`not in the registry: ${wanted.filter((u) => !present.has(u)).join(', ')}`);
  }
  const entries = rows.filter((r) => r.object_kind === 'DocumentEntry').map((r) => r.entry_uuid);
  const others = rows.filter((r) => r.object_kind !== 'DocumentEntry').map((r) => r.entry_uuid);
  if (cascade && entries.length > 0) {
    const gone = await deleteEntries(q, entries);
    const rest = await removeListed(q, others, true);
    return { documentEntries: gone.documentEntries, associations: gone.associations + rest.associations, submissionSets: gone.submissionSets + rest.submissionSets };
  }
  return removeListed(q, wanted, false);
}

/** Removes exactly the listed objects (associations first), refusing to strand an association that stays. */
async function removeListed(q: Queryable, wanted: readonly string[], tolerateGone: boolean): Promise<DeletionResult> {
  if (wanted.length === 0) return { documentEntries: 0, associations: 0, submissionSets: 0 };
  const stranded = await q.query<{ entry_uuid: string }>(
    `SELECT entry_uuid FROM association WHERE (source_uuid = ANY($1) OR target_uuid = ANY($1)) AND NOT (entry_uuid = ANY($1))`, [wanted]);
  if (stranded.rows.length > 0) {
    throw new ReferencesExistError(`associations not in the request still reference removed objects: ${stranded.rows.map((r) => r.entry_uuid).join(', ')}`);
  }
  const kinds = await q.query<{ object_kind: string; n: string }>(
    'SELECT object_kind, count(*) AS n FROM registry_object WHERE entry_uuid = ANY($1) GROUP BY object_kind', [wanted]);
  const count = (kind: string) => Number(kinds.rows.find((k) => k.object_kind === kind)?.n ?? 0);
  if (!tolerateGone && kinds.rows.reduce((n, k) => n + Number(k.n), 0) !== wanted.length) throw new UnresolvedReferenceError('objects vanished during removal');
  await q.query('DELETE FROM association WHERE entry_uuid = ANY($1)', [wanted]);
  await q.query('DELETE FROM registry_object WHERE entry_uuid = ANY($1)', [wanted]);
  return { documentEntries: count('DocumentEntry'), associations: count('Association'), submissionSets: count('SubmissionSet') };
}

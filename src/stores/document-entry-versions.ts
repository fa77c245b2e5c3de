import type { Queryable } from '../db/pool.js';
import type { DocumentEntry } from '../domain/xds.js';
import { insertDocumentEntry, selectDocumentEntries } from './document-entry-rows.js';
import { insertRegistryObjects } from './registry-package-rows.js';
import { compact } from './row-values.js';
import { MetadataUpdateError, MetadataVersionError, UnresolvedReferenceError } from './store-errors.js';

/** Attributes a metadata update may not change. See: xds-ini digest 4.5 (IHE ITI-57 registry rules). */
const IMMUTABLE = ['uniqueId', 'patientId', 'hash', 'size', 'repositoryUniqueId', 'objectType'] as const;

/**
 * Adds a new version of a logical DocumentEntry (ITI-57) on a client inside a transaction: the latest version is
 * locked, must be Approved and, when given, equal `previousVersion`; the new one gets version + 1 and Approved, the
 * previous becomes Deprecated. hash, size and repositoryUniqueId left out of the new metadata are carried over.
 */
export async function addEntryVersion(q: Queryable, entry: DocumentEntry, previousVersion?: number): Promise<DocumentEntry> {
  const latest = await q.query<{ entry_uuid: string; version: number; status: string }>(
    'SELECT entry_uuid, version, status FROM document_entry WHERE logical_id = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE',
    [entry.logicalId],
  );
  const head = latest.rows[0];
  if (head === undefined) throw new UnresolvedReferenceError(`no DocumentEntry with logicalID ${entry.logicalId}`);
  if (previousVersion !== undefined && previousVersion !== head.version) {
    throw new MetadataVersionError(`PreviousVersion ${previousVersion} is not the latest version (${head.version}) of ${entry.logicalId}`);
  }
  if (head.status !== 'Approved') throw new MetadataVersionError(`version ${head.version} of ${entry.logicalId} is not Approved`);
  const [current] = await selectDocumentEntries(q, 'WHERE d.entry_uuid = $1', [head.entry_uuid]);
  if (current === undefined) throw new UnresolvedReferenceError(`DocumentEntry ${head.entry_uuid} vanished`);
  const next = compact<DocumentEntry>({
    ...entry,
    hash: entry.hash ?? current.hash,
    size: entry.size ?? current.size,
    repositoryUniqueId: entry.repositoryUniqueId ?? current.repositoryUniqueId,
    version: head.version + 1,
    status: 'Approved',
  });
  for (const attribute of IMMUTABLE) {
    if (next[attribute] !== current[attribute]) {
      throw new MetadataUpdateError(`${attribute} may not change in a metadata update (${String(current[attribute])} -> ${String(next[attribute])})`);
    }
  }
  await q.query(`UPDATE document_entry SET status = 'Deprecated' WHERE entry_uuid = $1`, [head.entry_uuid]);
  await insertRegistryObjects(q, [{ uuid: next.entryUuid, kind: 'DocumentEntry' }]);
  await insertDocumentEntry(q, next);
  return next;
}

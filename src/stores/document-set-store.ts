import type pg from 'pg';
import type { DocumentEntry, Submission } from '../domain/xds.js';
import { digestOf, insertDocument } from './repository-store.js';
import { DocumentDigestError } from './store-errors.js';
import { storeTransaction } from './store-transaction.js';
import { writeSubmission } from './submission-writer.js';

/**
 * The bridge's own Provide and Register (ITI-41 on a combined repository and registry): the bytes of every document
 * and the whole submission's metadata in ONE transaction, so a crash or a rejected submission (duplicate uniqueId,
 * unknown association end) never leaves metadata without bytes nor bytes without metadata. The repository
 * computes `hash` and `size` (IHE ITI TF-3 4.2.3.2.9); a submitted value that disagrees fails with
 * `DocumentDigestError`. Documents without bytes are registered as metadata only. Returns the entries as stored.
 */
export async function registerWithDocuments(pool: pg.Pool, submission: Submission): Promise<DocumentEntry[]> {
  const documents = submission.documents.map(({ entry, bytes }) => {
    if (bytes === undefined) return { entry, bytes };
    if (entry.repositoryUniqueId === undefined) {
      throw new DocumentDigestError(`DocumentEntry ${entry.uniqueId} has bytes but no repositoryUniqueId`);
    }
    const digest = digestOf(bytes);
    if ((entry.hash !== undefined && entry.hash.toLowerCase() !== digest.hash) || (entry.size !== undefined && entry.size !== digest.size)) {
      throw new DocumentDigestError(`hash/size of ${entry.uniqueId} do not match its bytes (${digest.hash}, ${digest.size} bytes)`);
    }
    return { entry: { ...entry, ...digest }, bytes };
  });
  await storeTransaction(pool, async (client) => {
    // Bytes first: the registry write that follows is the one most likely to be refused, and it undoes them.
    for (const { entry, bytes } of documents) {
      if (bytes === undefined || entry.repositoryUniqueId === undefined) continue;
      await insertDocument(client, { repositoryUniqueId: entry.repositoryUniqueId, uniqueId: entry.uniqueId, mimeType: entry.mimeType, bytes });
    }
    await writeSubmission(client, { ...submission, documents });
  });
  return documents.map(({ entry }) => ({ ...entry, logicalId: entry.entryUuid, version: 1, status: 'Approved' as const }));
}

/**
 * The bytes of a document whose metadata the registry holds already from elsewhere (INI's copy of the region's own
 * publication, indexed before the bridge's own write when the region is the patient's RDA): stored unless present,
 * when they are the ones `entry` describes (hash, size). Returns whether they are; nothing is written otherwise.
 * See: xds-ini digest 1.2 (the bytes stay in the region's repository), IHE ITI TF-3 4.2.3.2.9.
 */
export async function storeBytesOfIndexed(pool: pg.Pool, entry: DocumentEntry, bytes: Uint8Array): Promise<boolean> {
  const digest = digestOf(bytes);
  if (entry.repositoryUniqueId === undefined || entry.hash?.toLowerCase() !== digest.hash || (entry.size !== undefined && entry.size !== digest.size)) return false;
  await pool.query(
    `INSERT INTO repository_document (repository_unique_id, unique_id, mime_type, size, hash, content)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [entry.repositoryUniqueId, entry.uniqueId, entry.mimeType, digest.size, digest.hash, Buffer.from(bytes)]);
  return true;
}

import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from '../db/pool.js';
import type { RepositoryUniqueId, UniqueId } from '../domain/ids.js';
import { translatePgError } from './store-errors.js';

/** A document as the repository keeps it. See: IHE ITI-43 (retrieved by repositoryUniqueId + uniqueId). */
export interface StoredDocument {
  readonly repositoryUniqueId: RepositoryUniqueId;
  readonly uniqueId: UniqueId;
  readonly mimeType: string;
  /** Byte count, as the DocumentEntry `size` slot. */
  readonly size: number;
  /** SHA-1 of the bytes, lowercase hex, as the DocumentEntry `hash` slot. See: IHE ITI TF-3 4.2.3.2.9. */
  readonly hash: string;
  readonly bytes: Uint8Array;
}

export type NewDocument = Pick<StoredDocument, 'repositoryUniqueId' | 'uniqueId' | 'mimeType' | 'bytes'>;

/** The `hash` and `size` the repository computes for some bytes. */
export function digestOf(bytes: Uint8Array): { hash: string; size: number } {
  return { hash: createHash('sha1').update(bytes).digest('hex'), size: bytes.byteLength };
}

/** Inserts a document on any queryable (a client inside a larger transaction, or the pool). */
export async function insertDocument(q: Queryable, doc: NewDocument): Promise<StoredDocument> {
  const stored: StoredDocument = { ...doc, ...digestOf(doc.bytes) };
  await q.query(
    `INSERT INTO repository_document (repository_unique_id, unique_id, mime_type, size, hash, content)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [stored.repositoryUniqueId, stored.uniqueId, stored.mimeType, stored.size, stored.hash, Buffer.from(stored.bytes)],
  );
  return stored;
}

/** The XDS repository's document bytes on PostgreSQL. */
export interface RepositoryStore {
  /** Stores bytes with their computed SHA-1 and size; a key already present fails with `DuplicateUniqueIdError`. */
  putDocument(doc: NewDocument): Promise<StoredDocument>;
  getDocument(repositoryUniqueId: RepositoryUniqueId, uniqueId: UniqueId): Promise<StoredDocument | undefined>;
  /** Deletes a document's bytes (ITI-86); false when the repository did not hold it. */
  removeDocument(repositoryUniqueId: RepositoryUniqueId, uniqueId: UniqueId): Promise<boolean>;
  /** Whether this repository is one the bridge serves: the configured one, or one it holds documents of. */
  holdsRepository(repositoryUniqueId: RepositoryUniqueId): Promise<boolean>;
}

interface DocumentRow {
  repository_unique_id: string; unique_id: string; mime_type: string; size: string; hash: string; content: Buffer;
}

export function createRepositoryStore(pool: pg.Pool, own: readonly string[] = []): RepositoryStore {
  return {
    async holdsRepository(repositoryUniqueId) {
      if (own.includes(repositoryUniqueId)) return true;
      const { rows } = await pool.query('SELECT 1 FROM repository_document WHERE repository_unique_id = $1 LIMIT 1', [repositoryUniqueId]);
      return rows.length > 0;
    },
    async putDocument(doc) {
      try {
        return await insertDocument(pool, doc);
      } catch (error) {
        throw translatePgError(error);
      }
    },
    async removeDocument(repositoryUniqueId, uniqueId) {
      const { rowCount } = await pool.query('DELETE FROM repository_document WHERE repository_unique_id = $1 AND unique_id = $2', [repositoryUniqueId, uniqueId]);
      return (rowCount ?? 0) > 0;
    },
    async getDocument(repositoryUniqueId, uniqueId) {
      const { rows } = await pool.query<DocumentRow>(
        `SELECT repository_unique_id, unique_id, mime_type, size, hash, content FROM repository_document
          WHERE repository_unique_id = $1 AND unique_id = $2`,
        [repositoryUniqueId, uniqueId],
      );
      const r = rows[0];
      if (r === undefined) return undefined;
      return {
        repositoryUniqueId: r.repository_unique_id as RepositoryUniqueId, uniqueId: r.unique_id as UniqueId,
        mimeType: r.mime_type, size: Number(r.size), hash: r.hash, bytes: new Uint8Array(r.content),
      };
    },
  };
}

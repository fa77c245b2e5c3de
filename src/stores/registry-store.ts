import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EntryUuid, PatientId, UniqueId } from '../domain/ids.js';
import type { Association, AvailabilityStatus, DocumentEntry, Folder, Submission, SubmissionSet } from '../domain/xds.js';
import { addEntryVersion } from './document-entry-versions.js';
import { selectDocumentEntries } from './document-entry-rows.js';
import { selectAssociations, selectFolder, selectSubmissionSet } from './registry-package-rows.js';
import { deleteEntries, removeObjects, type DeletionResult } from './registry-deletion.js';
import { writeMetadataUpdate } from './metadata-update-writer.js';
import { overwriteWithAuthoritative, type AuthoritativeResult } from './authoritative-writer.js';
import type { ObjectKind } from './registry-package-rows.js';
import { UnresolvedReferenceError } from './store-errors.js';
import { storeTransaction } from './store-transaction.js';
import { writeSubmission } from './submission-writer.js';

/** How to name one DocumentEntry: a specific version by entryUUID, or the latest version of a uniqueId. */
export type DocumentEntryKey = { readonly entryUuid: EntryUuid } | { readonly uniqueId: UniqueId };

/** The FindDocuments subset this store answers; the stored-query engine builds the rest on the same tables. */
export interface DocumentEntryFilter {
  readonly patientId: PatientId;
  readonly statuses: readonly AvailabilityStatus[];
}

/**
 * The XDS registry on PostgreSQL. Every write is one transaction: a register is all-or-nothing, and constraint
 * violations come out as the typed errors of `store-errors.ts`. See: docs/registry-schema.md.
 */
export interface RegistryStore {
  /**
   * Writes a SubmissionSet with its DocumentEntries, Folders and Associations (ITI-42). A uniqueId already registered
   * fails with `DuplicateUniqueIdError` and nothing is written; RPLC/XFRM_RPLC targets become Deprecated.
   */
  registerSubmission(submission: Submission): Promise<void>;
  /**
   * Registers `submission` as the replacement of `replaced` (ITI TF-3 4.2.2.2): adds the RPLC association from its
   * one DocumentEntry unless the submission already carries one, and deprecates the old entry, atomically.
   */
  replaceDocument(submission: Submission, replaced: EntryUuid): Promise<void>;
  /** One DocumentEntry; for a uniqueId, its latest version (all versions share the uniqueId, ITI-57). */
  getDocumentEntry(key: DocumentEntryKey): Promise<DocumentEntry | undefined>;
  /** DocumentEntries of one patient with one of the statuses, oldest creationTime first. */
  findDocumentEntries(filter: DocumentEntryFilter): Promise<DocumentEntry[]>;
  getSubmissionSet(entryUuid: EntryUuid): Promise<SubmissionSet | undefined>;
  getFolder(entryUuid: EntryUuid): Promise<Folder | undefined>;
  /** Associations with a source or target among `uuids` (ITI-18 GetAssociations). */
  getAssociations(uuids: readonly EntryUuid[]): Promise<Association[]>;
  /** Sets one DocumentEntry Deprecated; `UnresolvedReferenceError` when it does not exist. */
  deprecate(entryUuid: EntryUuid): Promise<void>;
  /** Deletes DocumentEntries with their associations and emptied SubmissionSets (ITI-62 as INI uses it). */
  deleteDocumentEntries(uuids: readonly EntryUuid[]): Promise<DeletionResult>;
  /** ITI-57 metadata update: a new version with the same logicalID; the previous one becomes Deprecated. */
  addVersion(entry: DocumentEntry, previousVersion?: number): Promise<DocumentEntry>;
  /** A whole ITI-57 Update Document Set (versions, status changes, its SubmissionSet), atomically. */
  registerMetadataUpdate(submission: Submission): Promise<DocumentEntry[]>;
  /** ITI-62: removes the listed objects; `cascade` for INI's DocumentEntry-only lists. */
  removeObjects(uuids: readonly EntryUuid[], cascade: boolean): Promise<DeletionResult>;
  /** DocumentEntries by entryUUID (any version, any status), in no particular order. */
  getDocumentEntries(uuids: readonly EntryUuid[]): Promise<DocumentEntry[]>;
  /** The kind of each listed object the registry holds; unknown ids are absent. */
  objectKinds(uuids: readonly string[]): Promise<Map<string, ObjectKind>>;
  /** Associations not among `uuids` whose source or target is among them (what ITI-62 would strand). */
  associationsReferencing(uuids: readonly string[]): Promise<string[]>;
  /** INI's metadata for documents, overwriting what the region holds for the same uniqueIds (`already`: held as is). */
  overwriteWithAuthoritative(submission: Submission): Promise<AuthoritativeResult>;
  /** Which of these SubmissionSet or Folder uniqueIds are registered already. */
  packageUniqueIdsTaken(uniqueIds: readonly string[]): Promise<Set<string>>;
}

/** The registry store over a pool whose `search_path` points at the migrated schema. */
export function createRegistryStore(pool: pg.Pool): RegistryStore {
  return {
    async registerSubmission(submission) {
      await storeTransaction(pool, (client) => writeSubmission(client, submission));
    },

    async replaceDocument(submission, replaced) {
      const [document] = submission.documents;
      if (document === undefined || submission.documents.length !== 1) {
        throw new Error('a replacement submission carries exactly one DocumentEntry');
      }
      const carriesRplc = submission.associations.some((a) => a.type === 'RPLC' && a.targetUuid === replaced);
      const rplc: Association = {
        entryUuid: `urn:uuid:${randomUUID()}` as EntryUuid, type: 'RPLC', sourceUuid: document.entry.entryUuid, targetUuid: replaced,
        status: 'Approved', slots: {},
      };
      const full = carriesRplc ? submission : { ...submission, associations: [...submission.associations, rplc] };
      await storeTransaction(pool, (client) => writeSubmission(client, full));
    },

    async getDocumentEntry(key) {
      const [entry] = 'entryUuid' in key
        ? await selectDocumentEntries(pool, 'WHERE d.entry_uuid = $1', [key.entryUuid])
        : await selectDocumentEntries(pool, 'WHERE d.unique_id = $1 ORDER BY d.version DESC LIMIT 1', [key.uniqueId]);
      return entry;
    },

    async findDocumentEntries(filter) {
      return selectDocumentEntries(
        pool,
        'WHERE d.patient_id = $1 AND d.status = ANY($2) ORDER BY d.creation_time_key NULLS LAST, d.entry_uuid',
        [filter.patientId, filter.statuses],
      );
    },

    getSubmissionSet: (entryUuid) => selectSubmissionSet(pool, entryUuid),
    getFolder: (entryUuid) => selectFolder(pool, entryUuid),
    getAssociations: (uuids) => selectAssociations(pool, uuids),

    async deprecate(entryUuid) {
      const result = await pool.query(`UPDATE document_entry SET status = 'Deprecated' WHERE entry_uuid = $1`, [entryUuid]);
      if (result.rowCount === 0) throw new UnresolvedReferenceError(`no DocumentEntry ${entryUuid}`);
    },

    deleteDocumentEntries: (uuids) => storeTransaction(pool, (client) => deleteEntries(client, uuids)),

    addVersion: (entry, previousVersion) => storeTransaction(pool, (client) => addEntryVersion(client, entry, previousVersion)),

    registerMetadataUpdate: (submission) => storeTransaction(pool, (client) => writeMetadataUpdate(client, submission)),

    removeObjects: (uuids, cascade) => storeTransaction(pool, (client) => removeObjects(client, uuids, cascade)),

    getDocumentEntries: (uuids) => selectDocumentEntries(pool, 'WHERE d.entry_uuid = ANY($1)', [uuids]),

    async objectKinds(uuids) {
      const { rows } = await pool.query<{ entry_uuid: string; object_kind: ObjectKind }>(
        'SELECT entry_uuid, object_kind FROM registry_object WHERE entry_uuid = ANY($1)', [uuids]);
      return new Map(rows.map((r) => [r.entry_uuid, r.object_kind]));
    },

    overwriteWithAuthoritative: (submission) => storeTransaction(pool, (client) => overwriteWithAuthoritative(client, submission)),

    async associationsReferencing(uuids) {
      const { rows } = await pool.query<{ entry_uuid: string }>(
        `SELECT entry_uuid FROM association WHERE (source_uuid = ANY($1) OR target_uuid = ANY($1)) AND NOT (entry_uuid = ANY($1))`, [uuids]);
      return rows.map((r) => r.entry_uuid);
    },

    async packageUniqueIdsTaken(uniqueIds) {
      const { rows } = await pool.query<{ unique_id: string }>(
        `SELECT unique_id FROM submission_set WHERE unique_id = ANY($1)
         UNION SELECT unique_id FROM folder WHERE unique_id = ANY($1)`, [uniqueIds]);
      return new Set(rows.map((r) => r.unique_id));
    },
  };
}

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { UniqueId } from '../../src/domain/ids.js';
import { registerWithDocuments } from '../../src/stores/document-set-store.js';
import { createRegistryStore, type RegistryStore } from '../../src/stores/registry-store.js';
import { createRepositoryStore, type RepositoryStore } from '../../src/stores/repository-store.js';
import { DocumentDigestError, DuplicateUniqueIdError } from '../../src/stores/store-errors.js';
import { createTestSchema, type TestSchema } from '../support/test-database.js';
import { aDocumentEntry, aSubmission, REPOSITORY } from '../support/xds-builders.js';

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('repository store and the atomic bytes + metadata write', () => {
  let db: TestSchema;
  let repository: RepositoryStore;
  let registry: RegistryStore;
  before(async () => {
    db = await createTestSchema();
    repository = createRepositoryStore(db.pool);
    registry = createRegistryStore(db.pool);
  });
  after(() => db.drop());

  test('put computes SHA-1 and size; get returns the same bytes; a second put of the key is refused', async () => {
    const bytes = bytesOf('%PDF-1.7 sample \u00e8');
    const uniqueId = aDocumentEntry().uniqueId;
    const stored = await repository.putDocument({ repositoryUniqueId: REPOSITORY, uniqueId, mimeType: 'application/pdf', bytes });
    assert.equal(stored.hash, createHash('sha1').update(bytes).digest('hex'));
    assert.equal(stored.size, bytes.byteLength);
    assert.deepEqual(await repository.getDocument(REPOSITORY, uniqueId), stored);
    assert.equal(await repository.getDocument(REPOSITORY, 'missing' as UniqueId), undefined);
    await assert.rejects(repository.putDocument({ repositoryUniqueId: REPOSITORY, uniqueId, mimeType: 'application/pdf', bytes }),
      (e: unknown) => e instanceof DuplicateUniqueIdError && e.where === 'repository');
  });

  test('registerWithDocuments stores bytes and metadata together, with the computed hash and size', async () => {
    const bytes = bytesOf('document one');
    const entry = aDocumentEntry();
    const [stored] = await registerWithDocuments(db.pool, aSubmission([{ entry, bytes }]));
    const expected = { ...entry, hash: createHash('sha1').update(bytes).digest('hex'), size: bytes.byteLength };
    assert.deepEqual(stored, expected);
    assert.deepEqual(await registry.getDocumentEntry({ entryUuid: entry.entryUuid }), expected);
    assert.deepEqual((await repository.getDocument(REPOSITORY, entry.uniqueId))?.bytes, bytes);
  });

  test('a failure after the bytes are written (duplicate uniqueId in the registry) leaves neither', async () => {
    const existing = aDocumentEntry();
    await registry.registerSubmission(aSubmission([{ entry: existing }]));
    const fresh = aDocumentEntry();
    const clash = aDocumentEntry({ uniqueId: existing.uniqueId, repositoryUniqueId: undefined });
    // fresh's bytes go in first; the registry insert of `clash` then fails and must undo them.
    await assert.rejects(registerWithDocuments(db.pool, aSubmission([{ entry: fresh, bytes: bytesOf('fresh') }, { entry: clash }])),
      DuplicateUniqueIdError);
    assert.equal(await repository.getDocument(REPOSITORY, fresh.uniqueId), undefined, 'no bytes without metadata');
    assert.equal(await registry.getDocumentEntry({ entryUuid: fresh.entryUuid }), undefined, 'no metadata without bytes');
  });

  test('bytes already in the repository under that key: the metadata is not written either', async () => {
    const entry = aDocumentEntry();
    await repository.putDocument({ repositoryUniqueId: REPOSITORY, uniqueId: entry.uniqueId, mimeType: entry.mimeType, bytes: bytesOf('old') });
    await assert.rejects(registerWithDocuments(db.pool, aSubmission([{ entry, bytes: bytesOf('new') }])),
      (e: unknown) => e instanceof DuplicateUniqueIdError && e.where === 'repository');
    assert.equal(await registry.getDocumentEntry({ entryUuid: entry.entryUuid }), undefined);
  });

  test('a submitted hash that does not describe the bytes is refused before anything is written', async () => {
    const entry = aDocumentEntry({ hash: '0'.repeat(40) });
    await assert.rejects(registerWithDocuments(db.pool, aSubmission([{ entry, bytes: bytesOf('x') }])), DocumentDigestError);
    assert.equal(await repository.getDocument(REPOSITORY, entry.uniqueId), undefined);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeResults, type LeafClass } from '../../src/operations/query-merge.js';
import { aDocumentEntry, anAssociation, aSubmissionSet } from '../support/xds-builders.js';

const leaf = (parts: Partial<LeafClass>): LeafClass => ({ kind: 'LeafClass', documentEntries: [], submissionSets: [], folders: [], associations: [], ...parts });

test('regional and INI results merge by uniqueId: INI\'s entry wins, the regional copy and its associations go', () => {
  const local = aDocumentEntry();
  const localOnly = aDocumentEntry();
  const fromIni = { ...aDocumentEntry(), uniqueId: local.uniqueId };
  const ss = aSubmissionSet();
  const merged = mergeResults(
    leaf({ documentEntries: [local, localOnly], submissionSets: [ss], associations: [anAssociation('HasMember', ss.entryUuid, local.entryUuid), anAssociation('HasMember', ss.entryUuid, localOnly.entryUuid)] }),
    leaf({ documentEntries: [fromIni], submissionSets: [{ ...ss, entryUuid: aSubmissionSet().entryUuid }] }),
  );
  assert.deepEqual(merged.documentEntries.map((e) => e.entryUuid), [fromIni.entryUuid, localOnly.entryUuid]);
  assert.equal(merged.submissionSets.length, 1, 'one SubmissionSet per uniqueId');
  assert.deepEqual(merged.associations.map((a) => a.targetUuid), [localOnly.entryUuid]);
});

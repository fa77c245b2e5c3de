import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalForm, chainHash, GENESIS_HASH, type HashedFields } from '../../src/audit/canonical-form.js';
import { MEF } from './audit-builders.js';

// The expected texts are written by hand from docs/audit-log.md and the hashes computed outside the bridge
// (`printf '%s' "$PREV$CANONICAL" | sha256sum`): if either changes, records already written stop verifying.
const PREV = '3f1c2a9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170615e4d3';

const full: HashedFields = {
  id: 42, canonicalVersion: 1, recordedAt: new Date('2026-05-04T08:00:01.120Z'), direction: 'inbound',
  transaction: 'ITI-43', counterpart: 'Regione Lombardia', subjectId: `VRDGPP70A01H501S^^^&${MEF}&ISO`,
  subjectRole: 'AAS', organizationId: '030', organizationName: 'Regione Lombardia', purposeOfUse: 'TREATMENT',
  patientId: `RSSMRA80A01H501U^^^&${MEF}&ISO`,
  documentIds: ['2.16.840.1.113883.2.9.2.120.4.4^0001', '2.16.840.1.113883.2.9.2.120.4.4^0002'],
  outcome: 'PartialSuccess', errorCodes: ['XDSDocumentUniqueIdError'], traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  credentialId: '_9f0c1e2d-1111-4222-8333-444455556666', prevHash: PREV,
};

const FULL_TEXT = '["fse-bridge/audit-record/1","42","2026-05-04T08:00:01.120Z","inbound","ITI-43","Regione Lombardia",'
  + '"VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO","AAS","030","Regione Lombardia","TREATMENT",'
  + '"RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO",'
  + '["2.16.840.1.113883.2.9.2.120.4.4^0001","2.16.840.1.113883.2.9.2.120.4.4^0002"],"PartialSuccess",'
  + '["XDSDocumentUniqueIdError"],"4bf92f3577b34da6a3ce929d0e0e4736","_9f0c1e2d-1111-4222-8333-444455556666"]';

/** Absent fields, non-ASCII text and the characters JSON escapes. */
const sparse: HashedFields = {
  id: 1, canonicalVersion: 1, recordedAt: new Date('2026-01-01T00:00:00.000Z'), direction: 'outbound',
  transaction: 'ITI-18', counterpart: 'INI', organizationName: 'Sanità "Ente" \\ A\tB\u0001', documentIds: [],
  outcome: 'Failure', errorCodes: [], prevHash: GENESIS_HASH,
};

const SPARSE_TEXT = '["fse-bridge/audit-record/1","1","2026-01-01T00:00:00.000Z","outbound","ITI-18","INI",null,null,null,'
  + '"Sanità \\"Ente\\" \\\\ A\\tB\\u0001",null,null,[],"Failure",[],null,null]';

describe('canonical form, version 1', () => {
  test('a full record: the documented text and its golden hash', () => {
    assert.equal(canonicalForm(full), FULL_TEXT);
    assert.equal(chainHash(full), '4d5d48e3a2c120c0840a20bd51197100eb0b46065d1fd0e9d19267157bc48158');
  });

  test('absent fields as null, UTF-8 text unescaped, quotes, backslash and control characters escaped', () => {
    assert.equal(canonicalForm(sparse), SPARSE_TEXT);
    assert.equal(chainHash(sparse), '4f57ad656e74fa2098b47cdba2fe1e1a4e4e025404605d38aec02987e3b14985');
  });

  test('every field, and the previous hash, changes the hash', () => {
    const variants: Partial<HashedFields>[] = [
      { id: 43 }, { recordedAt: new Date('2026-05-04T08:00:01.121Z') }, { direction: 'outbound' }, { transaction: 'ITI-18' },
      { counterpart: 'INI' }, { subjectId: undefined }, { subjectRole: 'APR' }, { organizationId: '031' },
      { organizationName: 'INI' }, { purposeOfUse: 'EMERGENCY' }, { patientId: undefined },
      { documentIds: [...full.documentIds].reverse() }, { outcome: 'Success' }, { errorCodes: [] }, { traceId: undefined },
      { credentialId: 'other' }, { prevHash: GENESIS_HASH },
    ];
    const hashes = new Set(variants.map((v) => chainHash({ ...full, ...v })));
    assert.equal(hashes.size, variants.length);
    assert.ok(!hashes.has(chainHash(full)));
    // An absent field and an empty string are different texts: null against "".
    assert.notEqual(chainHash({ ...full, traceId: undefined }), chainHash({ ...full, traceId: '' }));
  });

  test('an unknown canonical version is refused rather than hashed with the wrong form', () => {
    assert.throws(() => canonicalForm({ ...full, canonicalVersion: 2 }), /version 2/);
  });
});

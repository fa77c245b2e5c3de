import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { businessKey, type BusinessKeyParts } from '../../src/operations/gateway/business-key.js';
import { CREATE, createId } from '../../src/operations/gateway/create.js';
import { DELETE } from '../../src/operations/gateway/delete.js';
import type { GatewayRoute } from '../../src/operations/gateway/gateway-call.js';
import { METADATA, METADATA_ITI_57 } from '../../src/operations/gateway/metadata-update.js';
import { REPLACE, replaceId } from '../../src/operations/gateway/replace.js';
import { VALIDATE_AND_CREATE, validateAndCreateId } from '../../src/operations/gateway/validate-and-create.js';
import { VALIDATE_AND_REPLACE, validateAndReplaceId } from '../../src/operations/gateway/validate-and-replace.js';

const DOC = '2.16.840.1.113883.2.9.2.120.4.4^NEW';
const OLD = '2.16.840.1.113883.2.9.2.120.4.4^OLD';
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 1, 2, 3]);

describe('Gateway operations: one route each', () => {
  // See: Gateway API digest 3.0 (paths relative to /v1, ids percent-encoded).
  const expected: readonly [GatewayRoute, string, string][] = [
    [CREATE, 'POST', '/documents'],
    [VALIDATE_AND_CREATE, 'POST', '/documents/validate-and-create'],
    [REPLACE, 'PUT', '/documents/2.16.840.1.113883.2.9.2.120.4.4%5EOLD'],
    [VALIDATE_AND_REPLACE, 'PUT', '/documents/validate-and-replace/2.16.840.1.113883.2.9.2.120.4.4%5EOLD'],
    [DELETE, 'DELETE', '/documents/2.16.840.1.113883.2.9.2.120.4.4%5EOLD'],
    [METADATA, 'PUT', '/documents/2.16.840.1.113883.2.9.2.120.4.4%5EOLD/metadata'],
    [METADATA_ITI_57, 'PUT', '/documents/2.16.840.1.113883.2.9.2.120.4.4%5EOLD/metadata-iti-57'],
  ];
  for (const [route, method, path] of expected) {
    test(`${route.kind}: ${method} ${path}`, () => {
      assert.equal(route.method, method);
      assert.equal(route.path(OLD), path);
    });
  }

  test('every operation kind has its route, once', () => {
    assert.deepEqual(expected.map(([r]) => r.kind).sort(),
      ['create', 'delete', 'metadata', 'metadata-iti-57', 'replace', 'validate-and-create', 'validate-and-replace']);
  });
});

describe('the business key: one recipe for every door', () => {
  const publication: BusinessKeyParts = { kind: 'validate-and-create', documentId: DOC, pdf: PDF };

  test('the same call twice has the same key, named after its kind', () => {
    assert.equal(businessKey(publication), businessKey({ ...publication, pdf: Uint8Array.from(PDF) }));
    assert.match(businessKey(publication), /^validate-and-create:[0-9a-f]{64}$/);
  });

  test('REST and ITI-41 spell a publication the same way: kind, replaced document, new document, PDF bytes', () => {
    assert.equal(validateAndCreateId({ documentId: DOC, pdf: PDF }), businessKey(publication));
    assert.equal(validateAndReplaceId({ documentId: DOC, targetId: OLD, pdf: PDF }),
      businessKey({ kind: 'validate-and-replace', targetId: OLD, documentId: DOC, pdf: PDF }));
    assert.equal(createId({ documentId: DOC, pdf: PDF }), businessKey({ ...publication, kind: 'create' }));
    assert.equal(replaceId({ documentId: DOC, targetId: OLD, pdf: PDF }), businessKey({ kind: 'replace', targetId: OLD, documentId: DOC, pdf: PDF }));
  });

  test('what distinguishes two calls: the kind, the path\'s document, the document, the PDF, what the door names', () => {
    const keys = [
      businessKey(publication),
      businessKey({ ...publication, kind: 'create' }),
      businessKey({ ...publication, kind: 'validate-and-replace', targetId: OLD }),
      businessKey({ ...publication, kind: 'validate-and-replace', targetId: `${OLD}2` }),
      businessKey({ ...publication, documentId: `${DOC}2` }),
      businessKey({ ...publication, pdf: new Uint8Array([...PDF, 0]) }),
      businessKey({ ...publication, pdf: undefined }),
      businessKey({ kind: 'delete', targetId: OLD, documentId: OLD, distinguishedBy: ['token-1', ''] }),
      businessKey({ kind: 'delete', targetId: OLD, documentId: OLD, distinguishedBy: ['token-2', ''] }),
    ];
    assert.equal(new Set(keys).size, keys.length);
  });

  test('no part runs into the next', () => {
    const a = businessKey({ kind: 'metadata', targetId: OLD, documentId: OLD, distinguishedBy: ['ab', 'c'] });
    const b = businessKey({ kind: 'metadata', targetId: OLD, documentId: OLD, distinguishedBy: ['a', 'bc'] });
    assert.notEqual(a, b);
    assert.notEqual(businessKey({ kind: 'delete', targetId: '', documentId: OLD }), businessKey({ kind: 'delete', targetId: OLD, documentId: '' }));
  });
});

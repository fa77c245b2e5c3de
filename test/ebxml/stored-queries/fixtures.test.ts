import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PatientId, UniqueId } from '../../../src/domain/ids.js';
import { decodeXml } from './support.js';

/**
 * Requests in the shapes real XDS tools send them, decoded to the typed request: prefixes and default namespaces of
 * every kind, lists split over several `rim:Value`s, an unquoted patient id, doubled quotes, tolerated unknown slots.
 * The fixtures are our own, written after the digest's examples (4.4) and what IPF, JAX-WS and wxdsb emit.
 */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const LOINC = '2.16.840.1.113883.6.1';
const CLASS = '2.16.840.1.113883.2.9.3.3.6.1.5';
const EVENT = '2.16.840.1.113883.2.9.3.3.6.1.3';

test('FindDocuments with rim as the default namespace (IPF, digest 4.4)', () => {
  assert.deepEqual(decodeXml(fixture('find-documents-default-namespace.xml')), {
    returnType: 'LeafClass',
    query: {
      type: 'FindDocuments',
      patientId: 'RSSMRA75C03F839K^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId,
      statuses: ['Approved'],
      typeCodes: [{ code: '11502-2', scheme: LOINC }, { code: '34105-7', scheme: LOINC }],
    },
  });
});

test("the Gateway's GetDocuments: federated attributes and INI's $XDSDocumentEntry.author are tolerated", () => {
  assert.deepEqual(decodeXml(fixture('get-documents-gateway.xml')), {
    returnType: 'ObjectRef',
    query: { type: 'GetDocuments', documents: { uniqueIds: ['2.16.840.1.113883.2.9.2.120.4.4^290700' as UniqueId] } },
  });
});

test('JAX-WS prefixes, unquoted patient id, split lists, doubled quotes, repeated AND slots, mixed time precisions', () => {
  assert.deepEqual(decodeXml(fixture('find-documents-jaxws-lenient.xml')), {
    returnType: 'ObjectRef',
    homeCommunityId: 'urn:oid:2.16.840.1.113883.2.9.2.120',
    query: {
      type: 'FindDocuments',
      patientId: 'BNCGVN70A01F205X^^^&2.16.840.1.113883.2.9.4.3.2&ISO' as PatientId,
      statuses: ['Approved', 'Deprecated'],
      classCodes: [{ code: 'REF', scheme: CLASS }, { code: 'LAB', scheme: CLASS }, { code: 'VAC', scheme: CLASS }],
      authorPersons: ["%D'ANGELO%", "O'BRIEN, %"],
      eventCodes: [[{ code: 'P99', scheme: EVENT }], [{ code: 'J07BX03', scheme: EVENT }]],
      creationTime: { from: '2024', to: '20240615103000' },
    },
  });
});

test('no prefixes at all: query and rim each the default namespace of their element', () => {
  assert.deepEqual(decodeXml(fixture('get-related-documents-default-namespaces.xml')), {
    returnType: 'LeafClass',
    query: {
      type: 'GetRelatedDocuments',
      document: { uniqueId: '1.3.6.1.4.1.21367.2005.3.99.1.1010' as UniqueId },
      associationTypes: ['RPLC', 'XFRM', 'APND'],
    },
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EntryUuid } from '../../src/domain/ids.js';
import { EbxmlError } from '../../src/ebxml/ebxml-error.js';
import { decodeDocumentEntry, encodeDocumentEntry } from '../../src/ebxml/extrinsic-object.js';
import { UUID_CONTEXT } from '../../src/ebxml/rim-read.js';
import { aDocumentEntry, anAuthor } from '../support/xds-builders.js';
import { decodeFirst, encodeToXml } from './round-trip.js';

const decode = (xml: string) => decodeFirst(xml, 'rim:ExtrinsicObject', (el) => decodeDocumentEntry(el, UUID_CONTEXT));

test('DocumentEntry round trip: domain -> ExtrinsicObject -> domain', () => {
  const entry = aDocumentEntry();
  assert.deepEqual(decode(encodeToXml((p) => encodeDocumentEntry(entry, p))), entry);
});

test('DocumentEntry round trip with every optional field and a deprecated second version', () => {
  const base = aDocumentEntry();
  const entry = aDocumentEntry({
    logicalId: base.entryUuid, version: 2, status: 'Deprecated', objectType: 'on-demand', hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    size: 1024, homeCommunityId: 'urn:oid:2.16.840.1.113883.2.9.2.120', comments: 'commento & <note>',
    legalAuthenticator: 'PRVMDC80A01H501X^Rossi^Mario^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO',
    sourcePatientInfo: ['PID-3|RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO', 'PID-5|Rossi^Mario'],
    authors: [anAuthor(), { institutions: [], roles: ['APR'], specialties: ['Cardiologia'], telecom: [] }],
    confidentialityCodes: [], eventCodes: [], referenceIds: [], documentAvailability: 'Offline', extraSlots: {},
  });
  assert.deepEqual(decode(encodeToXml((p) => encodeDocumentEntry(entry, p))), entry);
});

test('the encoded ExtrinsicObject carries the IHE identification schemes and names', () => {
  const entry = aDocumentEntry();
  const xml = encodeToXml((p) => encodeDocumentEntry(entry, p));
  const ids = decodeFirst(xml, 'rim:ExtrinsicObject', (el) =>
    el.find('rim:ExternalIdentifier/rim:Name/rim:LocalizedString/@value', { rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0' })
      .map((n) => n.content));
  assert.deepEqual(ids, ['XDSDocumentEntry.patientId', 'XDSDocumentEntry.uniqueId']);
});

test('a non-UUID id outside a submission is an XDSRegistryMetadataError', () => {
  const entry = aDocumentEntry({ entryUuid: 'Document1' as EntryUuid });
  const xml = encodeToXml((p) => encodeDocumentEntry(entry, p));
  assert.throws(() => decode(xml), (err: unknown) => err instanceof EbxmlError && err.code === 'XDSRegistryMetadataError');
});

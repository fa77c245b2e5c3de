import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeAssociation, encodeAssociation } from '../../src/ebxml/association.js';
import { UUID_CONTEXT } from '../../src/ebxml/rim-read.js';
import type { AssociationType } from '../../src/domain/xds.js';
import { ASSOCIATION_TYPE } from '../../src/metadata/vocabulary.js';
import { anAssociation, newUuid } from '../support/xds-builders.js';
import { decodeFirst, encodeToXml } from './round-trip.js';

for (const type of Object.keys(ASSOCIATION_TYPE) as AssociationType[]) {
  test(`Association ${type} round trip, written as its full URN`, () => {
    const association = anAssociation(type, newUuid(), newUuid(), type === 'HasMember' ? { SubmissionSetStatus: ['Original'] } : {});
    const xml = encodeToXml((p) => encodeAssociation(association, p));
    assert.equal(decodeFirst(xml, 'rim:Association', (el) => el.attr('associationType')?.value), ASSOCIATION_TYPE[type]);
    assert.deepEqual(decodeFirst(xml, 'rim:Association', (el) => decodeAssociation(el, UUID_CONTEXT)), association);
  });
}

test('Association with ITI-57 slots and Deprecated status round trips', () => {
  const association = { ...anAssociation('UpdateAvailabilityStatus', newUuid(), newUuid(), {
    OriginalStatus: ['urn:oasis:names:tc:ebxml-regrep:StatusType:Approved'],
    NewStatus: ['urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated'],
  }), status: 'Deprecated' as const };
  const xml = encodeToXml((p) => encodeAssociation(association, p));
  assert.deepEqual(decodeFirst(xml, 'rim:Association', (el) => decodeAssociation(el, UUID_CONTEXT)), association);
});

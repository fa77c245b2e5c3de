import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoredQuery } from '../../../src/domain/stored-query.js';
import { encodeStoredQuery } from '../../../src/ebxml/stored-queries/index.js';
import { STORED_QUERY } from '../../../src/metadata/vocabulary.js';
import { PATIENT, roundTrip, UID_1, UID_2, UUID_1, UUID_2 } from './support.js';

/**
 * Golden round trips, one per stored query codec: the typed query encodes to exactly the slots IHE names (the golden
 * part), and typed -> AdhocQueryRequest XML -> typed gives the same query back. See: IHE ITI TF-2a 3.18.4.1.2.3.7.
 */

const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
const DEPRECATED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated';
const STABLE = 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1';
const ON_DEMAND = 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248';
const LOINC = '2.16.840.1.113883.6.1';
const CONF = '2.16.840.1.113883.5.25';
const EVENT = '2.16.840.1.113883.2.9.3.3.6.1.3';

interface Golden {
  readonly query: StoredQuery;
  readonly slots: readonly (readonly [string, string])[];
}

const GOLDEN: readonly Golden[] = [
  {
    query: {
      type: 'FindDocuments', patientId: PATIENT, statuses: ['Approved', 'Deprecated'],
      classCodes: [{ code: 'REF', scheme: '2.16.840.1.113883.2.9.3.3.6.1.5' }],
      typeCodes: [{ code: '11502-2', scheme: LOINC }, { code: '34105-7', scheme: LOINC }],
      practiceSettingCodes: [{ code: 'AD_PSC001', scheme: '2.16.840.1.113883.2.9.3.3.6.1.2' }],
      healthcareFacilityTypeCodes: [{ code: 'Ospedale', scheme: '2.16.840.1.113883.2.9.3.3.6.1.1' }],
      formatCodes: [{ code: '2.16.840.1.113883.2.9.10.1.1', scheme: '2.16.840.1.113883.2.9.3.3.6.1.6' }],
      eventCodes: [[{ code: 'P99', scheme: EVENT }], [{ code: 'J07BX03', scheme: EVENT }, { code: 'J07BX04', scheme: EVENT }]],
      confidentialityCodes: [[{ code: 'N', scheme: CONF }, { code: 'V', scheme: CONF }]],
      authorPersons: ['PRVMDC80A01H501X%', "%D'ANGELO%"],
      creationTime: { from: '20240101', to: '20250101120000' },
      serviceStartTime: { from: '2024' },
      serviceStopTime: { to: '202406' },
      documentEntryTypes: ['stable', 'on-demand'],
    },
    slots: [
      ['$XDSDocumentEntryPatientId', `'${PATIENT}'`],
      ['$XDSDocumentEntryStatus', `('${APPROVED}','${DEPRECATED}')`],
      ['$XDSDocumentEntryClassCode', "('REF^^2.16.840.1.113883.2.9.3.3.6.1.5')"],
      ['$XDSDocumentEntryTypeCode', `('11502-2^^${LOINC}','34105-7^^${LOINC}')`],
      ['$XDSDocumentEntryPracticeSettingCode', "('AD_PSC001^^2.16.840.1.113883.2.9.3.3.6.1.2')"],
      ['$XDSDocumentEntryHealthcareFacilityTypeCode', "('Ospedale^^2.16.840.1.113883.2.9.3.3.6.1.1')"],
      ['$XDSDocumentEntryFormatCode', "('2.16.840.1.113883.2.9.10.1.1^^2.16.840.1.113883.2.9.3.3.6.1.6')"],
      ['$XDSDocumentEntryEventCodeList', `('P99^^${EVENT}')`],
      ['$XDSDocumentEntryEventCodeList', `('J07BX03^^${EVENT}','J07BX04^^${EVENT}')`],
      ['$XDSDocumentEntryConfidentialityCode', `('N^^${CONF}','V^^${CONF}')`],
      ['$XDSDocumentEntryAuthorPerson', "('PRVMDC80A01H501X%','%D''ANGELO%')"],
      ['$XDSDocumentEntryCreationTimeFrom', '20240101'],
      ['$XDSDocumentEntryCreationTimeTo', '20250101120000'],
      ['$XDSDocumentEntryServiceStartTimeFrom', '2024'],
      ['$XDSDocumentEntryServiceStopTimeTo', '202406'],
      ['$XDSDocumentEntryType', `('${STABLE}','${ON_DEMAND}')`],
    ],
  },
  {
    query: {
      type: 'FindDocumentsByReferenceId', patientId: PATIENT, statuses: ['Approved'],
      referenceIds: [['NRE1^^^&2.16.840.1.113883.2.9.4.3.8&ISO^urn:ihe:iti:xds:2013:order'], ['E1^^^&1.2.3&ISO^urn:ihe:iti:xds:2015:encounterId']],
    },
    slots: [
      ['$XDSDocumentEntryPatientId', `'${PATIENT}'`],
      ['$XDSDocumentEntryStatus', `('${APPROVED}')`],
      ['$XDSDocumentEntryReferenceIdList', "('NRE1^^^&2.16.840.1.113883.2.9.4.3.8&ISO^urn:ihe:iti:xds:2013:order')"],
      ['$XDSDocumentEntryReferenceIdList', "('E1^^^&1.2.3&ISO^urn:ihe:iti:xds:2015:encounterId')"],
    ],
  },
  {
    query: {
      type: 'FindSubmissionSets', patientId: PATIENT, statuses: ['Approved'], sourceIds: ['2.16.840.1.113883.2.9.2.120'],
      submissionTime: { from: '20240326', to: '20240327' }, authorPerson: 'PRV%',
      contentTypeCodes: [{ code: 'PHR', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4' }],
    },
    slots: [
      ['$XDSSubmissionSetPatientId', `'${PATIENT}'`],
      ['$XDSSubmissionSetStatus', `('${APPROVED}')`],
      ['$XDSSubmissionSetSourceId', "('2.16.840.1.113883.2.9.2.120')"],
      ['$XDSSubmissionSetSubmissionTimeFrom', '20240326'],
      ['$XDSSubmissionSetSubmissionTimeTo', '20240327'],
      ['$XDSSubmissionSetAuthorPerson', "'PRV%'"],
      ['$XDSSubmissionSetContentType', "('PHR^^2.16.840.1.113883.2.9.3.3.6.1.4')"],
    ],
  },
  {
    query: {
      type: 'FindFolders', patientId: PATIENT, statuses: ['Approved'], lastUpdateTime: { from: '2024' },
      codes: [[{ code: 'LAB', scheme: '1.2.3' }], [{ code: 'RAD', scheme: '1.2.3' }, { code: 'ECG', scheme: '1.2.3' }]],
    },
    slots: [
      ['$XDSFolderPatientId', `'${PATIENT}'`],
      ['$XDSFolderStatus', `('${APPROVED}')`],
      ['$XDSFolderLastUpdateTimeFrom', '2024'],
      ['$XDSFolderCodeList', "('LAB^^1.2.3')"],
      ['$XDSFolderCodeList', "('RAD^^1.2.3','ECG^^1.2.3')"],
    ],
  },
  {
    query: {
      type: 'GetAll', patientId: PATIENT, documentStatuses: ['Approved'], submissionSetStatuses: ['Approved', 'Deprecated'],
      folderStatuses: ['Approved'], formatCodes: [{ code: 'F', scheme: '1.2' }], confidentialityCodes: [[{ code: 'N', scheme: CONF }]],
      documentEntryTypes: ['on-demand'],
    },
    slots: [
      ['$patientId', `'${PATIENT}'`],
      ['$XDSDocumentEntryStatus', `('${APPROVED}')`],
      ['$XDSSubmissionSetStatus', `('${APPROVED}','${DEPRECATED}')`],
      ['$XDSFolderStatus', `('${APPROVED}')`],
      ['$XDSDocumentEntryFormatCode', "('F^^1.2')"],
      ['$XDSDocumentEntryConfidentialityCode', `('N^^${CONF}')`],
      ['$XDSDocumentEntryType', `('${ON_DEMAND}')`],
    ],
  },
  { query: { type: 'GetDocuments', documents: { uniqueIds: [UID_1, UID_2] } }, slots: [['$XDSDocumentEntryUniqueId', `('${UID_1}','${UID_2}')`]] },
  { query: { type: 'GetDocuments', documents: { entryUuids: [UUID_1] } }, slots: [['$XDSDocumentEntryEntryUUID', `('${UUID_1}')`]] },
  { query: { type: 'GetDocuments', documents: { logicalIds: [UUID_2] } }, slots: [['$XDSDocumentEntryLogicalID', `('${UUID_2}')`]] },
  { query: { type: 'GetFolders', folders: { entryUuids: [UUID_1, UUID_2] } }, slots: [['$XDSFolderEntryUUID', `('${UUID_1}','${UUID_2}')`]] },
  { query: { type: 'GetFolders', folders: { logicalIds: [UUID_1] } }, slots: [['$XDSFolderLogicalID', `('${UUID_1}')`]] },
  { query: { type: 'GetAssociations', uuids: [UUID_1, UUID_2] }, slots: [['$uuid', `('${UUID_1}','${UUID_2}')`]] },
  {
    query: { type: 'GetDocumentsAndAssociations', documents: { uniqueIds: [UID_1] } },
    slots: [['$XDSDocumentEntryUniqueId', `('${UID_1}')`]],
  },
  { query: { type: 'GetSubmissionSets', uuids: [UUID_1] }, slots: [['$uuid', `('${UUID_1}')`]] },
  {
    query: { type: 'GetSubmissionSetAndContents', submissionSet: { uniqueId: UID_1 }, formatCodes: [{ code: 'F', scheme: '1.2' }] },
    slots: [['$XDSSubmissionSetUniqueId', `'${UID_1}'`], ['$XDSDocumentEntryFormatCode', "('F^^1.2')"]],
  },
  {
    query: {
      type: 'GetFolderAndContents', folder: { entryUuid: UUID_1 },
      confidentialityCodes: [[{ code: 'R', scheme: CONF }], [{ code: 'N', scheme: CONF }]], documentEntryTypes: ['stable'],
    },
    slots: [
      ['$XDSFolderEntryUUID', `'${UUID_1}'`],
      ['$XDSDocumentEntryConfidentialityCode', `('R^^${CONF}')`],
      ['$XDSDocumentEntryConfidentialityCode', `('N^^${CONF}')`],
      ['$XDSDocumentEntryType', `('${STABLE}')`],
    ],
  },
  { query: { type: 'GetFoldersForDocument', document: { uniqueId: UID_2 } }, slots: [['$XDSDocumentEntryUniqueId', `'${UID_2}'`]] },
  {
    query: { type: 'GetRelatedDocuments', document: { entryUuid: UUID_2 }, associationTypes: ['RPLC', 'XFRM_RPLC', 'signs'] },
    slots: [
      ['$XDSDocumentEntryEntryUUID', `'${UUID_2}'`],
      ['$AssociationTypes', "('urn:ihe:iti:2007:AssociationType:RPLC','urn:ihe:iti:2007:AssociationType:XFRM_RPLC','urn:ihe:iti:2007:AssociationType:signs')"],
    ],
  },
];

describe('stored query codecs: golden round trips', () => {
  for (const { query, slots } of GOLDEN) {
    test(`${query.type} ${JSON.stringify(Object.keys(query).slice(1))}`, () => {
      const encoded = encodeStoredQuery(query);
      assert.equal(encoded.id, STORED_QUERY[query.type]);
      assert.deepEqual(encoded.slots.map((s) => [s.name, ...s.values]), slots.map(([name, value]) => [name, value]));
      for (const returnType of ['LeafClass', 'ObjectRef'] as const) {
        assert.deepEqual(roundTrip({ returnType, query }), { returnType, query });
      }
    });
  }

  test('every stored query of the vocabulary has a golden round trip', () => {
    const covered = new Set(GOLDEN.map((g) => g.query.type));
    assert.deepEqual([...covered].sort(), Object.keys(STORED_QUERY).sort());
  });

  test('homeCommunityId travels as AdhocQuery/@home', () => {
    const request = { returnType: 'ObjectRef', query: { type: 'GetAssociations', uuids: [UUID_1] }, homeCommunityId: 'urn:oid:1.2.3' } as const;
    assert.deepEqual(roundTrip(request), request);
  });
});

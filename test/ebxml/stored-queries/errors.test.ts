import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STORED_QUERY } from '../../../src/metadata/vocabulary.js';
import { decodeXml, PATIENT, requestXml, UID_1, UUID_1, xdsError } from './support.js';

/**
 * The request errors IHE names, with the parameter in the codeContext: missing required parameters, cardinality
 * (single-valued with several values, non-AND parameters repeated, "1 of" both given), unknown query ids, bad
 * return types, malformed values. See: IHE ITI TF-2a 3.18.4.1.2.3.7; xds-ini digest 5.1, 5.2, 9.
 */

const APPROVED = "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')";
const findDocuments = (...extra: [string, string[]][]) => requestXml(STORED_QUERY.FindDocuments, [
  ['$XDSDocumentEntryPatientId', [`'${PATIENT}'`]],
  ['$XDSDocumentEntryStatus', [APPROVED]],
  ...extra,
]);

describe('XDSStoredQueryMissingParam', () => {
  test('FindDocuments without the patient id, and without the status', () => {
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.FindDocuments, [['$XDSDocumentEntryStatus', [APPROVED]]])),
      xdsError('XDSStoredQueryMissingParam', '$XDSDocumentEntryPatientId'));
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.FindDocuments, [['$XDSDocumentEntryPatientId', [`'${PATIENT}'`]]])),
      xdsError('XDSStoredQueryMissingParam', '$XDSDocumentEntryStatus'));
  });

  test('a required parameter with an empty list is missing', () => {
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.FindDocuments, [
      ['$XDSDocumentEntryPatientId', [`'${PATIENT}'`]], ['$XDSDocumentEntryStatus', ['()']],
    ])), xdsError('XDSStoredQueryMissingParam', '$XDSDocumentEntryStatus'));
  });

  test('GetAll needs all three status lists; GetRelatedDocuments needs $AssociationTypes; "1 of" needs one', () => {
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.GetAll, [
      ['$patientId', [`'${PATIENT}'`]], ['$XDSDocumentEntryStatus', [APPROVED]], ['$XDSSubmissionSetStatus', [APPROVED]],
    ])), xdsError('XDSStoredQueryMissingParam', '$XDSFolderStatus'));
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.GetRelatedDocuments, [['$XDSDocumentEntryUniqueId', [`'${UID_1}'`]]])),
      xdsError('XDSStoredQueryMissingParam', '$AssociationTypes'));
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.GetDocuments, [])),
      xdsError('XDSStoredQueryMissingParam', '$XDSDocumentEntryEntryUUID or $XDSDocumentEntryUniqueId'));
  });
});

describe('XDSStoredQueryParamNumber', () => {
  test('a single-valued parameter with two values', () => {
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.FindDocuments, [
      ['$XDSDocumentEntryPatientId', [`('${PATIENT}','X^^^&1.2&ISO')`]], ['$XDSDocumentEntryStatus', [APPROVED]],
    ])), xdsError('XDSStoredQueryParamNumber', '$XDSDocumentEntryPatientId'));
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.GetSubmissionSetAndContents, [
      ['$XDSSubmissionSetUniqueId', [`'${UID_1}'`, "'1.2.3'"]],
    ])), xdsError('XDSStoredQueryParamNumber', '$XDSSubmissionSetUniqueId'));
  });

  test('a parameter that is not an AND parameter repeated in two slots', () => {
    assert.throws(() => decodeXml(findDocuments(['$XDSDocumentEntryClassCode', ["('A^^1.2')"]], ['$XDSDocumentEntryClassCode', ["('B^^1.2')"]])),
      xdsError('XDSStoredQueryParamNumber', '$XDSDocumentEntryClassCode'));
  });

  test('the AND parameters may repeat', () => {
    const request = decodeXml(findDocuments(
      ['$XDSDocumentEntryConfidentialityCode', ["('N^^2.16.840.1.113883.5.25')"]],
      ['$XDSDocumentEntryConfidentialityCode', ["('V^^2.16.840.1.113883.5.25')"]],
    ));
    assert.equal(request.query.type === 'FindDocuments' && request.query.confidentialityCodes?.length, 2);
  });

  test('two mutually exclusive "1 of" parameters', () => {
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.GetDocuments, [
      ['$XDSDocumentEntryEntryUUID', [`('${UUID_1}')`]], ['$XDSDocumentEntryUniqueId', [`('${UID_1}')`]],
    ])), xdsError('XDSStoredQueryParamNumber', '$XDSDocumentEntryEntryUUID, $XDSDocumentEntryUniqueId'));
  });
});

describe('XDSUnknownStoredQuery', () => {
  test('an id no profile defines', () => {
    assert.throws(() => decodeXml(requestXml('urn:uuid:00000000-0000-0000-0000-000000000000', [])),
      xdsError('XDSUnknownStoredQuery', 'urn:uuid:00000000-0000-0000-0000-000000000000'));
  });

  test('recognised ids of other transactions (ITI-51, ITI-63) are refused naming them', () => {
    assert.throws(() => decodeXml(requestXml('urn:uuid:3d1bdb10-39a2-11de-89c2-2f44d94eaa9f', [])), xdsError('XDSUnknownStoredQuery', 'ITI-51'));
    assert.throws(() => decodeXml(requestXml('urn:uuid:f2072993-9478-41df-a603-8f016706efe8', [])), xdsError('XDSUnknownStoredQuery', 'ITI-63'));
  });
});

describe('return type and structure', () => {
  test('LeafClassWithRepositoryItem and RegistryObject (the ebRS default when absent) are refused', () => {
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.GetAssociations, [['$uuid', [`('${UUID_1}')`]]], 'LeafClassWithRepositoryItem')),
      xdsError('XDSRegistryError', 'LeafClassWithRepositoryItem'));
    const noReturnType = '<q:AdhocQueryRequest xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:r="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">'
      + '<q:ResponseOption/><r:AdhocQuery id="urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155"/></q:AdhocQueryRequest>';
    assert.throws(() => decodeXml(noReturnType), xdsError('XDSRegistryError', 'RegistryObject'));
  });

  test('a body that is not a query:AdhocQueryRequest', () => {
    const lookalike = '<AdhocQueryRequest xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><ResponseOption returnType="LeafClass"/></AdhocQueryRequest>';
    assert.throws(() => decodeXml(lookalike), xdsError('XDSRegistryError', 'AdhocQueryRequest'));
  });
});

describe('malformed values are XDSRegistryError naming the parameter', () => {
  const cases: [string, [string, string[]]][] = [
    ['a status that is not a URN', ['$XDSDocumentEntryStatus', ["('Approved')"]]],
    ['a code without scheme (NIST old_scheme)', ['$XDSDocumentEntryPracticeSettingCode', ["('Dialysis')"]]],
    ['a code with an empty scheme (NIST classcode_scheme_mismatch)', ['$XDSDocumentEntryClassCode', ["('DEMO-Lab^^1.3.6.1.4.1.21367.100.1', 'a^^')"]]],
    ['a time that is not a DTM', ['$XDSDocumentEntryCreationTimeFrom', ['2024-01-01']]],
    ['an unterminated quote', ['$XDSDocumentEntryAuthorPerson', ["('%Rossi)"]]],
    ['unbalanced parentheses', ['$XDSDocumentEntryTypeCode', ["('11502-2^^2.16.840.1.113883.6.1'"]]],
    ['a bad $XDSDocumentEntryType', ['$XDSDocumentEntryType', ["('stable')"]]],
  ];
  for (const [what, slot] of cases) {
    test(what, () => {
      const extra = slot[0] === '$XDSDocumentEntryStatus' ? [] : [slot];
      const xml = slot[0] === '$XDSDocumentEntryStatus'
        ? requestXml(STORED_QUERY.FindDocuments, [['$XDSDocumentEntryPatientId', [`'${PATIENT}'`]], slot])
        : findDocuments(...extra);
      assert.throws(() => decodeXml(xml), xdsError('XDSRegistryError', slot[0]));
    });
  }

  test('a patient id that is not a CX, a uuid that is not a urn:uuid, an unknown association type', () => {
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.FindDocuments, [
      ['$XDSDocumentEntryPatientId', ["'RSSMRA80A01H501U'"]], ['$XDSDocumentEntryStatus', [APPROVED]],
    ])), xdsError('XDSRegistryError', '$XDSDocumentEntryPatientId'));
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.GetAssociations, [['$uuid', ["('Document01')"]]])),
      xdsError('XDSRegistryError', '$uuid'));
    assert.throws(() => decodeXml(requestXml(STORED_QUERY.GetRelatedDocuments, [
      ['$XDSDocumentEntryEntryUUID', [`'${UUID_1}'`]], ['$AssociationTypes', ["('RPLC')"]],
    ])), xdsError('XDSRegistryError', '$AssociationTypes'));
  });

  test('$MetadataLevel accepts 1 and 2 only', () => {
    assert.equal(decodeXml(findDocuments(['$MetadataLevel', ['2']])).query.type, 'FindDocuments');
    assert.throws(() => decodeXml(findDocuments(['$MetadataLevel', ['3']])), xdsError('XDSRegistryError', '$MetadataLevel'));
  });
});

test('parameters a query does not know are ignored (the NIST toolkit\'s old $...CodeScheme)', () => {
  const request = decodeXml(findDocuments(
    ['$XDSDocumentEntryPracticeSettingCode', ["('Practice-D^^1.3.6.1.4.1.21367.2017.3')"]],
    ['$XDSDocumentEntryPracticeSettingCodeScheme', ["('Connect-a-thon practiceSettingCodes')"]],
  ));
  assert.deepEqual(request.query.type === 'FindDocuments' && request.query.practiceSettingCodes,
    [{ code: 'Practice-D', scheme: '1.3.6.1.4.1.21367.2017.3' }]);
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSampleCda, SAMPLE_PATIENT_CF } from '../../src/dev/sample-cda.ts';
import { sampleClaims } from '../../src/dev/sample-claims.ts';
import { parseEntryUuid } from '../../src/domain/ids.ts';
import { isFseError } from '../../src/errors/fse-error.ts';
import { toSignatureClaims } from '../../src/jwt/claims.ts';
import { buildSubmission, checkRepositoryUniqueId, sourceIdOf } from '../../src/metadata/build-submission.ts';
import { readCdaMetadata, type CdaMetadata } from '../../src/metadata/cda-metadata.ts';
import { parsePublicationCreationBody } from '../../src/rest/publication-bodies.ts';
import { withXml } from '../../src/xml/xml-toolkit.ts';

const MEF = '2.16.840.1.113883.2.9.4.3.2';
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHA1 = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';

const BODY = {
  workflowInstanceId: '2.16.840.1.113883.2.9.2.120.4.4.abc.0123456789^^^^urn:ihe:iti:xdw:2013:workflowInstanceId',
  healthDataFormat: 'CDA', mode: 'ATTACHMENT', tipologiaStruttura: 'MdsPN_DGC', attiCliniciRegoleAccesso: ['p99', 'J07BN01'],
  identificativoDoc: '2.16.840.1.113883.2.9.2.120.4.4^SAMPLE-0001', identificativoRep: '2.16.840.1.113883.2.9.2.120.4.5.1',
  tipoDocumentoLivAlto: 'LDO', assettoOrganizzativo: 'AD_PSC098', dataInizioPrestazione: '20260109080000',
  dataFinePrestazione: '20260110100000', conservazioneANorma: 'CONS^^^&2.16.840.1.113883.2.9.3.3.6.1.7&ISO',
  tipoAttivitaClinica: 'Sistema_TS', identificativoSottomissione: '2.16.840.1.113883.2.9.2.120.4.3.489592',
  descriptions: ['019655^Bentelan^2.16.840.1.113883.2.9.6.1.5', 'J01^Antibatterici^2.16.840.1.113883.6.73'],
  administrativeRequest: ['SSN', 'AUTO'],
};

function sampleCda(xml = buildSampleCda()): CdaMetadata {
  return withXml(xml, readCdaMetadata);
}

function build(body: object = BODY, overrides: { cda?: CdaMetadata; claims?: Record<string, unknown>; replaces?: string } = {}) {
  return buildSubmission({
    body: parsePublicationCreationBody(JSON.stringify(body)),
    claims: toSignatureClaims(sampleClaims(overrides.claims)),
    cda: overrides.cda ?? sampleCda(),
    pdf: { sha1: SHA1, size: 12345 },
    now: new Date('2026-01-11T08:09:10.123Z'),
    ...(overrides.replaces ? { replaces: parseEntryUuid(overrides.replaces) } : {}),
  });
}

describe('buildSubmission (Gateway API digest, 8.2; xds-ini digest, 8.1-8.2)', () => {
  test('the DocumentEntry, attribute by attribute', () => {
    const { documents } = build();
    assert.equal(documents.length, 1);
    const entry = documents[0]?.entry;
    assert.ok(entry);
    const patient = `${SAMPLE_PATIENT_CF}^^^&${MEF}&ISO`;
    const { entryUuid, ...rest } = entry;
    assert.match(entryUuid, UUID);
    assert.deepEqual(rest, {
      logicalId: entryUuid,
      version: 1,
      uniqueId: BODY.identificativoDoc,
      patientId: patient,
      sourcePatientId: patient,
      sourcePatientInfo: [],
      status: 'Approved',
      objectType: 'stable',
      mimeType: 'application/pdf+text/x-cda-r2+xml',
      hash: SHA1.toLowerCase(),
      size: 12345,
      repositoryUniqueId: BODY.identificativoRep,
      creationTime: '20260110093000',
      serviceStartTime: '20260109080000',
      serviceStopTime: '20260110100000',
      languageCode: 'it-IT',
      title: 'Documento di esempio',
      classCode: { code: 'LDO', scheme: '2.16.840.1.113883.2.9.3.3.6.1.5', display: 'Lettera di dimissione sia ospedaliera, sia non ospedaliera' },
      typeCode: { code: '34105-7', scheme: '2.16.840.1.113883.6.1', display: 'Documento' },
      formatCode: { code: '2.16.840.1.113883.2.9.10.1.5', scheme: '2.16.840.1.113883.2.9.3.3.6.1.6', display: 'Lettera di Dimissione Ospedaliera' },
      healthcareFacilityTypeCode: { code: 'MdsPN-DGC', scheme: '2.16.840.1.113883.2.9.3.3.6.1.1', display: 'MdsPN-DGC' },
      practiceSettingCode: { code: 'AD_PSC098', scheme: '2.16.840.1.113883.2.9.3.3.6.1.2', display: 'Day Surgery' },
      confidentialityCodes: [{ code: 'N', scheme: '2.16.840.1.113883.5.25', display: 'Normal' }],
      eventCodes: [
        { code: 'P99', scheme: '2.16.840.1.113883.2.9.3.3.6.1.3', display: 'Oscuramento del documento' },
        { code: 'J07BN01', scheme: '2.16.840.1.113883.2.9.3.3.6.1.3' },
      ],
      authors: [{
        person: `VRDGPP70A01H501S^^^^^^^^&${MEF}&ISO`,
        institutions: ['OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120901'],
        roles: ['AAS'],
        specialties: [],
        telecom: [],
      }],
      referenceIds: [],
      extraSlots: {
        'urn:ita:2017:repository-type': [BODY.conservazioneANorma],
        'urn:ita:2022:documentSigned': ['true^Documento firmato'],
        'urn:ita:2022:description': BODY.descriptions,
        'urn:ita:2022:administrativeRequest': ['SSN^Regime SSN', 'AUTO^Autoprodotto / Taccuino / Cittadino'],
        'urn:ihe:iti:xds:2024:SubjectApplication': ['FSEBRIDGE^FSE BRIDGE DEV^0.1.0'],
      },
    });
    assert.deepEqual(Object.keys(rest.extraSlots), [
      'urn:ita:2017:repository-type', 'urn:ita:2022:documentSigned', 'urn:ita:2022:description',
      'urn:ita:2022:administrativeRequest', 'urn:ihe:iti:xds:2024:SubjectApplication',
    ], 'slot order as the Gateway sends them');
  });

  test('the SubmissionSet and the HasMember association', () => {
    const { submissionSet, associations, documents, folders } = build();
    const entry = documents[0]?.entry;
    const { entryUuid, ...rest } = submissionSet;
    assert.match(entryUuid, UUID);
    assert.notEqual(entryUuid, entry?.entryUuid);
    assert.deepEqual(rest, {
      uniqueId: BODY.identificativoSottomissione,
      sourceId: '2.16.840.1.113883.2.9.2.120',
      patientId: entry?.patientId,
      submissionTime: '20260111080910',
      contentTypeCode: { code: 'Sistema TS', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4', display: 'Documenti sistema TS' },
      authors: entry?.authors,
      intendedRecipients: [],
      status: 'Approved',
      extraSlots: {},
    });
    assert.deepEqual(folders, []);
    assert.equal(associations.length, 1);
    const [member] = associations;
    assert.match(member?.entryUuid ?? '', UUID);
    assert.deepEqual({ ...member, entryUuid: 'x' }, {
      entryUuid: 'x', type: 'HasMember', sourceUuid: entryUuid, targetUuid: entry?.entryUuid, status: 'Approved',
      slots: { SubmissionSetStatus: ['Original'] },
    });
  });

  test('ids are new on every build', () => {
    const a = build();
    const b = build();
    assert.notEqual(a.submissionSet.entryUuid, b.submissionSet.entryUuid);
    assert.notEqual(a.documents[0]?.entry.entryUuid, b.documents[0]?.entry.entryUuid);
  });

  test('replace adds RPLC new entry -> replaced entry', () => {
    const old = 'urn:uuid:11111111-2222-4333-8444-555555555555';
    const { associations, documents } = build(BODY, { replaces: old });
    assert.deepEqual(associations.map((a) => a.type), ['HasMember', 'RPLC']);
    assert.equal(associations[1]?.sourceUuid, documents[0]?.entry.entryUuid);
    assert.equal(associations[1]?.targetUuid, old);
  });

  test('optional inputs: no optional body fields, no title, V confidentiality, NRE orders, org 010', () => {
    const minimal = Object.fromEntries(Object.entries(BODY).filter(([k]) =>
      !['attiCliniciRegoleAccesso', 'dataInizioPrestazione', 'dataFinePrestazione', 'conservazioneANorma', 'descriptions', 'administrativeRequest'].includes(k)));
    const cda: CdaMetadata = {
      ...sampleCda(buildSampleCda({ confidentiality: 'V' })),
      title: undefined,
      codeDisplayName: undefined,
      orderIds: [{ root: '2.16.840.1.113883.2.9.4.3.9', extension: '1200A4000000001' }, { root: '1.2.3', extension: 'other' }],
    };
    const { documents, submissionSet } = build(minimal, { cda, claims: { subject_organization_id: '010', subject_organization: 'Regione Piemonte' } });
    const entry = documents[0]?.entry;
    assert.equal(entry?.title, undefined);
    assert.equal(entry?.serviceStartTime, undefined);
    assert.deepEqual(entry?.eventCodes, []);
    assert.deepEqual(entry?.typeCode, { code: '34105-7', scheme: '2.16.840.1.113883.6.1', display: 'Lettera di dimissione ospedaliera' });
    assert.deepEqual(entry?.confidentialityCodes, [{ code: 'V', scheme: '2.16.840.1.113883.5.25', display: 'Very Restricted' }]);
    assert.deepEqual(entry?.referenceIds, ['1200A4000000001^^^&2.16.840.1.113883.2.9.4.3.8&ISO^urn:ihe:iti:xds:2013:order']);
    assert.deepEqual(entry?.extraSlots, {
      'urn:ita:2022:documentSigned': ['true^Documento firmato'],
      'urn:ihe:iti:xds:2024:SubjectApplication': ['FSEBRIDGE^FSE BRIDGE DEV^0.1.0'],
    });
    assert.equal(submissionSet.sourceId, '2.16.840.1.113883.2.9.2.10');
  });

  test('authorPerson falls back to the JWT sub when the CDA has no author id', () => {
    const cda: CdaMetadata = { ...sampleCda(), authorIds: [] };
    const author = build(BODY, { cda, claims: { sub: `PRVPRV80A01H501X^^^&${MEF}&ISO` } }).documents[0]?.entry.authors[0];
    assert.equal(author?.person, `PRVPRV80A01H501X^^^^^^^^&${MEF}&ISO`);
  });

  test('metadata failures are 400 generic errors under /request-invalid-date-format', () => {
    const fails = (cda: CdaMetadata, detail: string) => assert.throws(() => build(BODY, { cda }), (err: unknown) =>
      isFseError(err) && err.code === 'genericBadRequest' && err.detail === detail && err.instance === '/request-invalid-date-format');
    fails({ ...sampleCda(), effectiveTime: '2026-13-45' }, 'Error: Invalid format for creationTime');
    fails({ ...sampleCda(), effectiveTime: undefined }, 'Error: Invalid format for creationTime');
    fails({ ...sampleCda(), templateRoots: [] }, 'Error: Invalid value for formatCode: null');
  });
});

describe('repositoryUniqueId (Gateway API digest, 3.3 step 14 and 4)', () => {
  const invalid = (value: string) => assert.throws(() => checkRepositoryUniqueId(value), (err: unknown) =>
    isFseError(err) && err.code === 'genericBadRequest' && err.detail === 'Error: Invalid format for repositoryUniqueId'
    && err.instance === '/request-invalid-date-format');

  test('accepts known organizations, left-padded to 3 digits', () => {
    for (const ok of ['2.16.840.1.113883.2.9.2.120.4.5.1', '2.16.840.1.113883.2.9.2.10.4.5.1', '2.16.840.1.113883.2.9.2.0.4.5.7',
      '2.16.840.1.113883.2.9.2.999.4.5.1.2', '2.16.840.1.113883.2.9.2.41.4.5.1']) {
      assert.equal(checkRepositoryUniqueId(ok), ok);
    }
  });

  test('refuses other shapes and unknown organizations', () => {
    for (const bad of ['2.16.840.1.113883.2.9.2.125.4.5.1', '2.16.840.1.113883.2.9.2.120.4.4.1', '2.16.840.1.113883.2.9.2.120.4.5',
      '1.2.3', '2.16.840.1.113883.2.9.2.INI.4.5.1', '2.16.840.1.113883.2.9.2.120.4.5.x']) {
      invalid(bad);
    }
  });

  test('through buildSubmission', () => {
    assert.throws(() => build({ ...BODY, identificativoRep: '2.16.840.1.113883.2.9.2.121.4.5.1' }), /Invalid format for repositoryUniqueId/);
  });

  test('sourceId drops one leading zero', () => {
    assert.equal(sourceIdOf('120'), '2.16.840.1.113883.2.9.2.120');
    assert.equal(sourceIdOf('010'), '2.16.840.1.113883.2.9.2.10');
    assert.equal(sourceIdOf('001'), '2.16.840.1.113883.2.9.2.01');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSampleCda, SAMPLE_PATIENT_CF } from '../../src/dev/sample-cda.ts';
import { sampleClaims } from '../../src/dev/sample-claims.ts';
import type { DocumentEntry } from '../../src/domain/xds.ts';
import { toSignatureClaims } from '../../src/jwt/claims.ts';
import { buildSubmission } from '../../src/metadata/build-submission.ts';
import { readCdaMetadata } from '../../src/metadata/cda-metadata.ts';
import { metadataUpdate, metadataUpdateSubmission } from '../../src/metadata/metadata-update.ts';
import { parsePublicationCreationBody, parsePublicationMetadataBody } from '../../src/rest/publication-bodies.ts';
import { withXml } from '../../src/xml/xml-toolkit.ts';

const EVENT_SCHEME = '2.16.840.1.113883.2.9.3.3.6.1.3';
const UUID = /^urn:uuid:[0-9a-f-]{36}$/;

/** A published entry (version 1) built from the development sample. */
function published(): DocumentEntry {
  const body = parsePublicationCreationBody(JSON.stringify({
    tipologiaStruttura: 'Ospedale', attiCliniciRegoleAccesso: ['J07BN'],
    identificativoDoc: '2.16.840.1.113883.2.9.2.120.4.4^SAMPLE-0001', identificativoRep: '2.16.840.1.113883.2.9.2.120.4.5.1',
    tipoDocumentoLivAlto: 'LDO', assettoOrganizzativo: 'AD_PSC009', tipoAttivitaClinica: 'DIS',
    identificativoSottomissione: '2.16.840.1.113883.2.9.2.120.4.3.1', conservazioneANorma: 'CONS^^^&2.16.840.1.113883.2.9.3.3.6.1.7&ISO',
    descriptions: ['019655^Bentelan^2.16.840.1.113883.2.9.6.1.5'], administrativeRequest: ['SSN'],
  }));
  const entry = buildSubmission({
    body, claims: toSignatureClaims(sampleClaims()), cda: withXml(buildSampleCda(), readCdaMetadata),
    pdf: { sha1: 'a'.repeat(40), size: 10 }, now: new Date('2026-01-10T12:00:00Z'),
  }).documents[0]?.entry;
  assert.ok(entry);
  return entry;
}

const update = (body: object) => parsePublicationMetadataBody(JSON.stringify(body));

describe('metadata update (xds-ini digest, 4.5; Gateway API digest, 3.6)', () => {
  const current = published();

  test('a new version of the same logical entry; identity, file and author unchanged', () => {
    const next = metadataUpdate(current, update({ tipoDocumentoLivAlto: 'LDO' }));
    assert.match(next.entryUuid, UUID);
    assert.notEqual(next.entryUuid, current.entryUuid);
    assert.equal(next.logicalId, current.logicalId);
    assert.equal(next.version, 2);
    assert.equal(next.status, 'Approved');
    const { entryUuid: _a, version: _b, ...same } = next;
    const { entryUuid: _c, version: _d, ...before } = current;
    assert.deepEqual(same, before, 'a body with only the classCode changes nothing else');
  });

  test('merges the fields the request carries', () => {
    const next = metadataUpdate(current, update({
      tipoDocumentoLivAlto: 'REF', tipologiaStruttura: 'Territorio', assettoOrganizzativo: 'AD_PSC026',
      dataInizioPrestazione: '20260101080000', dataFinePrestazione: '20260101090000',
      conservazioneANorma: 'NEW^^^&2.16.840.1.113883.2.9.3.3.6.1.7&ISO',
      descriptions: ['A^a^2.16.840.1.113883.6.73', 'B^b^2.16.840.1.113883.6.73'], administrativeRequest: ['NOSSN', 'SSR'],
    }));
    assert.equal(next.classCode.code, 'REF');
    assert.equal(next.classCode.display, 'Referto');
    assert.deepEqual(next.healthcareFacilityTypeCode, { code: 'Territorio', scheme: '2.16.840.1.113883.2.9.3.3.6.1.1', display: 'Territorio' });
    assert.deepEqual(next.practiceSettingCode, { code: 'AD_PSC026', scheme: '2.16.840.1.113883.2.9.3.3.6.1.2', display: 'Medicina Generale' });
    assert.equal(next.serviceStartTime, '20260101080000');
    assert.equal(next.serviceStopTime, '20260101090000');
    assert.deepEqual(next.extraSlots, {
      ...current.extraSlots,
      'urn:ita:2017:repository-type': ['NEW^^^&2.16.840.1.113883.2.9.3.3.6.1.7&ISO'],
      'urn:ita:2022:description': ['A^a^2.16.840.1.113883.6.73', 'B^b^2.16.840.1.113883.6.73'],
      'urn:ita:2022:administrativeRequest': ['NOSSN^Regime privato', 'SSR^Regime SSR'],
    });
    assert.deepEqual(next.eventCodes, current.eventCodes, 'event codes absent from the request are kept');
  });

  test('obscuring: P99 replaces every old event code; confidentiality is not touched', () => {
    const obscured = metadataUpdate(current, update({ tipoDocumentoLivAlto: 'LDO', attiCliniciRegoleAccesso: ['p99', 'J07BN'] }));
    assert.deepEqual(obscured.eventCodes, [
      { code: 'P99', scheme: EVENT_SCHEME, display: 'Oscuramento del documento' },
      { code: 'J07BN', scheme: EVENT_SCHEME, display: 'Covid-19 vaccines' },
    ]);
    assert.deepEqual(obscured.confidentialityCodes, current.confidentialityCodes);
    const visible = metadataUpdate(obscured, update({ tipoDocumentoLivAlto: 'LDO', attiCliniciRegoleAccesso: [] }));
    assert.deepEqual(visible.eventCodes, [], 'an empty list un-obscures');
    assert.equal(visible.version, 3);
    assert.equal(visible.logicalId, current.logicalId);
  });

  test('empty lists clear the description and administrativeRequest slots', () => {
    const next = metadataUpdate(current, update({ tipoDocumentoLivAlto: 'LDO', descriptions: [], administrativeRequest: [] }));
    assert.equal(next.extraSlots['urn:ita:2022:description'], undefined);
    assert.equal(next.extraSlots['urn:ita:2022:administrativeRequest'], undefined);
    assert.deepEqual(next.extraSlots['urn:ita:2022:documentSigned'], ['true^Documento firmato']);
  });

  test('the ITI-57 submission: SubmissionSet from the JWT and HasMember with PreviousVersion', () => {
    const claims = toSignatureClaims(sampleClaims({ action_id: 'UPDATE', purpose_of_use: 'ACCESS UPDATE' }));
    const request = update({ tipoDocumentoLivAlto: 'LDO', tipoAttivitaClinica: 'PHR', identificativoSottomissione: '2.16.840.1.113883.2.9.2.120.4.3.2', attiCliniciRegoleAccesso: ['P99'] });
    const { submissionSet, documents, associations } = metadataUpdateSubmission({ current, request, claims, now: new Date('2026-02-01T10:00:00Z') });
    const entry = documents[0]?.entry;
    assert.equal(entry?.version, 2);
    assert.equal(submissionSet.patientId, `${SAMPLE_PATIENT_CF}^^^&2.16.840.1.113883.2.9.4.3.2&ISO`);
    assert.equal(submissionSet.sourceId, '2.16.840.1.113883.2.9.2.120');
    assert.equal(submissionSet.uniqueId, '2.16.840.1.113883.2.9.2.120.4.3.2');
    assert.equal(submissionSet.submissionTime, '20260201100000');
    assert.deepEqual(submissionSet.contentTypeCode, { code: 'PHR', scheme: '2.16.840.1.113883.2.9.3.3.6.1.4', display: 'Personal Health Record Update' });
    assert.deepEqual(submissionSet.authors, current.authors);
    assert.deepEqual(associations.map((a) => [a.type, a.sourceUuid, a.targetUuid, a.slots]), [[
      'HasMember', submissionSet.entryUuid, entry?.entryUuid, { SubmissionSetStatus: ['Original'], PreviousVersion: ['1'] },
    ]]);
  });
});

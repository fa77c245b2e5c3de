import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isFseError } from '../../src/errors/fse-error.ts';
import {
  checkPathDocumentId, isValidDocumentId, parsePublicationCreationBody, parsePublicationMetadataBody,
  parsePublicationUpdateBody, parseValidateAndCreateBody, parseValidateAndReplaceBody,
} from '../../src/rest/publication-bodies.ts';

/** The digest's creation example (Gateway API digest, 4). */
const CREATE = {
  workflowInstanceId: '2.16.840.1.113883.2.9.2.120.4.4.97bb12ed.e70b9b0acd^^^^urn:ihe:iti:xdw:2013:workflowInstanceId',
  healthDataFormat: 'CDA', mode: 'ATTACHMENT', tipologiaStruttura: 'Ospedale', attiCliniciRegoleAccesso: ['P99'],
  identificativoDoc: '2.16.840.1.113883.2.9.2.120.4.4^290700', identificativoRep: '2.16.840.1.113883.2.9.2.120.4.5.1',
  tipoDocumentoLivAlto: 'REF', assettoOrganizzativo: 'AD_PSC001', dataInizioPrestazione: '20141020110012',
  dataFinePrestazione: '20141020110012', tipoAttivitaClinica: 'CON',
  identificativoSottomissione: '2.16.840.1.113883.2.9.2.120.4.3.489592',
  descriptions: ['019655^Bentelan^2.16.840.1.113883.2.9.6.1.5'], administrativeRequest: ['SSN'],
};
const { workflowInstanceId: _w, healthDataFormat: _h, mode: _m, identificativoDoc: _d, identificativoRep: _r, ...METADATA } = CREATE;

type Parser = (raw: string | undefined) => unknown;
const json = (body: object) => JSON.stringify(body);

/** Asserts the parser throws this FseError code, detail and (optionally) instance. */
function rejects(parse: Parser, body: object | string | undefined, code: string, detail: string, instance?: string): void {
  assert.throws(() => parse(typeof body === 'object' ? json(body) : body), (err: unknown) => {
    assert.ok(isFseError(err), String(err));
    assert.equal(err.code, code);
    assert.equal(err.detail, detail);
    if (instance) assert.equal(err.instance, instance);
    return true;
  });
}

const MANDATORY = [
  ['identificativoDoc', 'Il campo identificativo documento deve essere valorizzato.'],
  ['identificativoRep', 'Il campo identificativo rep deve essere valorizzato.'],
  ['tipoDocumentoLivAlto', 'Il campo tipo documento liv alto deve essere valorizzato.'],
  ['assettoOrganizzativo', 'Il campo assetto organizzativo deve essere valorizzato.'],
  ['tipoAttivitaClinica', 'Il campo tipo attivita clinica deve essere valorizzato.'],
  ['identificativoSottomissione', 'Il campo identificativo sottomissione deve essere valorizzato.'],
  ['tipologiaStruttura', 'Il campo tipologia struttura deve essere valorizzato.'],
] as const;

const FORMAT = 'Valorizzare correttamente il campo descriptions rispettando la forma: [CODICE]^[Descrizione]^[OID]';
const OIDS = 'Valorizzare correttamente il campo descriptions rispettando i valori di riferimento per gli OID';

describe('publication creation body (Gateway API digest, 3.3 step 2-3)', () => {
  const parse = parsePublicationCreationBody;

  test('maps the example to English names and ignores the deprecated priorita', () => {
    const body = parse(json({ ...CREATE, priorita: true }));
    assert.deepEqual(body, {
      healthcareFacilityType: 'Ospedale', eventCodes: ['P99'], classCode: 'REF', practiceSetting: 'AD_PSC001',
      serviceStartTime: '20141020110012', serviceStopTime: '20141020110012', contentType: 'CON',
      submissionSetUniqueId: CREATE.identificativoSottomissione, descriptions: CREATE.descriptions,
      administrativeRequests: ['SSN'], workflowInstanceId: CREATE.workflowInstanceId, healthDataFormat: 'CDA',
      mode: 'ATTACHMENT', documentUniqueId: CREATE.identificativoDoc, repositoryUniqueId: CREATE.identificativoRep,
    });
  });

  test('Jackson binding: bad JSON, unknown field, value outside an enum, object for a string', () => {
    const conversion = 'Errore durante la conversione da json a oggetto PublicationCreationReqDTO';
    rejects(parse, '{', 'mandatoryElement', conversion, '/request-missing-field');
    rejects(parse, undefined, 'mandatoryElement', conversion);
    rejects(parse, { ...CREATE, extra: 1 }, 'mandatoryElement',
      "Parametro non riconosciuto all'interno della request nella conversione di PublicationCreationReqDTO");
    rejects(parse, { ...CREATE, tipoDocumentoLivAlto: 'XXX' }, 'mandatoryElement', conversion);
    rejects(parse, { ...CREATE, tipologiaStruttura: 'ospedale' }, 'mandatoryElement', conversion);
    rejects(parse, { ...CREATE, administrativeRequest: ['SSN', 'X'] }, 'mandatoryElement', conversion);
    rejects(parse, { ...CREATE, mode: 'BOTH' }, 'mandatoryElement', conversion);
    rejects(parse, { ...CREATE, identificativoRep: { a: 1 } }, 'mandatoryElement', conversion);
    rejects(parse, { ...CREATE, descriptions: 'x^y^z' }, 'mandatoryElement', conversion);
  });

  test('Jackson coerces scalars to strings and tolerates null as absent', () => {
    const body = parse(json({ ...CREATE, conservazioneANorma: 12, descriptions: null, mode: null }));
    assert.equal(body.repositoryType, '12');
    assert.equal(body.descriptions, undefined);
    assert.equal(body.mode, undefined);
  });

  test('mandatory fields in the dispatcher order, first missing wins; empty strings count as missing', () => {
    for (let i = 0; i < MANDATORY.length; i++) {
      const [field, message] = MANDATORY[i] ?? ['', ''];
      const missing = Object.fromEntries(MANDATORY.slice(i).map(([f]) => [f, null]));
      rejects(parse, { ...CREATE, ...missing }, 'mandatoryElement', message, '/request-missing-field');
      rejects(parse, { ...CREATE, [field]: field.startsWith('identificativo') ? '' : null }, 'mandatoryElement', message);
    }
  });

  test('mandatory fields come before descriptions, event codes and dates', () => {
    rejects(parse, { ...CREATE, identificativoRep: '', descriptions: ['bad'], attiCliniciRegoleAccesso: ['X'], dataInizioPrestazione: 'x' },
      'mandatoryElement', 'Il campo identificativo rep deve essere valorizzato.');
  });

  test('descriptions: format, then OIDs; any format error wins over an OID error', () => {
    rejects(parse, { ...CREATE, descriptions: ['a^b'] }, 'mandatoryElement', FORMAT);
    rejects(parse, { ...CREATE, descriptions: ['a^b^c^d'] }, 'mandatoryElement', FORMAT);
    rejects(parse, { ...CREATE, descriptions: ['a^b^'] }, 'mandatoryElement', FORMAT);
    rejects(parse, { ...CREATE, descriptions: ['a^b^1.2.3'] }, 'mandatoryElement', OIDS);
    rejects(parse, { ...CREATE, descriptions: ['a^b^1.2.3', 'a^b'] }, 'mandatoryElement', FORMAT);
    rejects(parse, { ...CREATE, descriptions: ['a^b^1.2.3', 'a^b^2.16.840.1.113883.6.73'] }, 'mandatoryElement', OIDS);
  });

  test('descriptions: every OID of 10.13, the regional one with an organization code as written', () => {
    const ok = ['2.16.840.1.113883.2.9.6.1.5', '2.16.840.1.113883.2.9.6.1.51', '2.16.840.1.113883.6.73',
      '2.16.840.1.113883.2.9.6.1.57.1', '2.16.840.1.113883.2.9.6.1.57.2', '2.16.840.1.113883.2.9.6.1.11',
      '2.16.840.1.113883.2.9.2.120.6.1.11', '2.16.840.1.113883.2.9.2.010.6.1.11', '2.16.840.1.113883.2.9.4.3.13'];
    assert.equal(parse(json({ ...CREATE, descriptions: ok.map((o) => `C^D^${o}`) })).descriptions?.length, ok.length);
    assert.ok(parse(json({ ...CREATE, descriptions: ['^^2.16.840.1.113883.6.73'] })), 'empty leading parts are kept by Java split');
    for (const bad of ['2.16.840.1.113883.2.9.2.10.6.1.11', '2.16.840.1.113883.2.9.2.121.6.1.11', '2.16.840.1.113883.2.9.2..6.1.11']) {
      rejects(parse, { ...CREATE, descriptions: [`C^D^${bad}`] }, 'mandatoryElement', OIDS);
    }
  });

  test('event codes: case-insensitive; the last unknown one is reported; after descriptions', () => {
    assert.deepEqual(parse(json({ ...CREATE, attiCliniciRegoleAccesso: ['p99', 'PAY', 'j07bn01'] })).eventCodes, ['p99', 'PAY', 'j07bn01']);
    rejects(parse, { ...CREATE, attiCliniciRegoleAccesso: ['P99', 'X1', 'X2'] }, 'mandatoryElement',
      'Il campo atti clinici X2 non è consentito', '/request-missing-field');
    rejects(parse, { ...CREATE, attiCliniciRegoleAccesso: ['X1'], descriptions: ['a'] }, 'mandatoryElement', FORMAT);
  });

  test('dates: invalid-format after the other checks, start before stop', () => {
    const start = 'Il campo data inizio deve essere valorizzato correttamente';
    const stop = 'Il campo data fine deve essere valorizzato correttamente';
    rejects(parse, { ...CREATE, dataInizioPrestazione: '2014-10-20' }, 'invalidFormat', start, '/request-invalid-date-format');
    rejects(parse, { ...CREATE, dataInizioPrestazione: '' }, 'invalidFormat', start);
    rejects(parse, { ...CREATE, dataFinePrestazione: '201410201100' }, 'invalidFormat', stop);
    rejects(parse, { ...CREATE, dataInizioPrestazione: 'x', dataFinePrestazione: 'y' }, 'invalidFormat', start);
    rejects(parse, { ...CREATE, dataInizioPrestazione: 'x', attiCliniciRegoleAccesso: ['X'] }, 'mandatoryElement',
      'Il campo atti clinici X non è consentito');
    // SimpleDateFormat is lenient: trailing text is ignored.
    assert.equal(parse(json({ ...CREATE, dataFinePrestazione: '20141020110012Z' })).serviceStopTime, '20141020110012Z');
  });

  test('document id rule after the dates (/msg/id-doc, /invalid-id)', () => {
    const message = "L'identificativo documento non è valido";
    for (const id of ['507f1f77bcf86cd799439011', '2.16.840.1.113883.2.9.2.120.4.4^', ' ']) {
      rejects(parse, { ...CREATE, identificativoDoc: id }, 'idDoc', message, '/invalid-id');
    }
    rejects(parse, { ...CREATE, identificativoDoc: 'x', dataInizioPrestazione: 'x' }, 'invalidFormat',
      'Il campo data inizio deve essere valorizzato correttamente');
    assert.ok(parse(json({ ...CREATE, identificativoDoc: '2.16.840.1.113883.2.9.2.50.4.4^2.16.840.1.113883.2.9.2.50.4.4.8^640937' })));
  });

  test('validate-and-create binds as the creation DTO (workflowInstanceId and priorita tolerated)', () => {
    assert.equal(parseValidateAndCreateBody(json({ ...CREATE, priorita: 'true' })).classCode, 'REF');
    rejects(parseValidateAndCreateBody, { ...CREATE, priorita: 'yes' }, 'mandatoryElement',
      'Errore durante la conversione da json a oggetto PublicationCreationReqDTO');
  });
});

describe('replace body (Gateway API digest, 3.4 and 3.8)', () => {
  for (const [name, parse] of [['replace', parsePublicationUpdateBody], ['validate-and-replace', parseValidateAndReplaceBody]] as const) {
    test(`${name}: priorita is an unknown field`, () => {
      rejects(parse, { ...CREATE, priorita: false }, 'mandatoryElement',
        "Parametro non riconosciuto all'interno della request nella conversione di PublicationUpdateReqDTO");
    });

    test(`${name}: identificativoDoc is not mandatory but must pass the id rule`, () => {
      rejects(parse, { ...CREATE, identificativoDoc: null, identificativoRep: null }, 'mandatoryElement',
        'Il campo identificativo rep deve essere valorizzato.');
      rejects(parse, { ...CREATE, identificativoDoc: null }, 'idDoc', "L'identificativo documento non è valido", '/invalid-id');
      assert.equal(parse(json(CREATE)).documentUniqueId, CREATE.identificativoDoc);
    });
  }
});

describe('metadata update body (Gateway API digest, 3.6)', () => {
  const parse = parsePublicationMetadataBody;

  test('maps the fields; only tipoDocumentoLivAlto is mandatory', () => {
    assert.deepEqual(parse(json({ tipoDocumentoLivAlto: 'LDO' })), { classCode: 'LDO' });
    assert.equal(parse(json(METADATA)).submissionSetUniqueId, CREATE.identificativoSottomissione);
    rejects(parse, { ...METADATA, tipoDocumentoLivAlto: null }, 'mandatoryElement',
      'Il campo tipo documento liv alto deve essere valorizzato.', '/request-missing-field');
  });

  test('publication-only fields are unknown', () => {
    for (const field of ['identificativoDoc', 'identificativoRep', 'workflowInstanceId', 'mode', 'healthDataFormat', 'priorita']) {
      rejects(parse, { ...METADATA, [field]: 'x' }, 'mandatoryElement',
        "Parametro non riconosciuto all'interno della request nella conversione di PublicationMetadataReqDTO");
    }
  });

  test('order: classCode, event codes, dates, descriptions; all as mandatory-element', () => {
    const all = { ...METADATA, attiCliniciRegoleAccesso: ['X'], dataInizioPrestazione: 'x', descriptions: ['a'] };
    rejects(parse, { ...all, tipoDocumentoLivAlto: null }, 'mandatoryElement', 'Il campo tipo documento liv alto deve essere valorizzato.');
    rejects(parse, all, 'mandatoryElement', 'Il campo atti clinici X non è consentito');
    rejects(parse, { ...all, attiCliniciRegoleAccesso: ['P99'] }, 'mandatoryElement',
      'Il campo data inizio deve essere valorizzato correttamente', '/request-missing-field');
    rejects(parse, { ...all, attiCliniciRegoleAccesso: ['P99'], dataInizioPrestazione: null, dataFinePrestazione: 'y' },
      'mandatoryElement', 'Il campo data fine deve essere valorizzato correttamente');
    rejects(parse, { ...all, attiCliniciRegoleAccesso: [], dataInizioPrestazione: null }, 'mandatoryElement', FORMAT);
  });
});

describe('document id rule (Gateway API digest, 3.0)', () => {
  test('needs a ^ and a non-empty last part', () => {
    assert.equal(isValidDocumentId('a^b'), true);
    assert.equal(isValidDocumentId('a^^b'), true);
    assert.equal(isValidDocumentId('^b'), true);
    assert.equal(isValidDocumentId('ab'), false);
    assert.equal(isValidDocumentId('a^'), false);
    assert.equal(isValidDocumentId(''), false);
    assert.equal(isValidDocumentId(undefined), false);
  });

  test('path ids: /invalid-req-id for replace, /invalid-id otherwise', () => {
    assert.equal(checkPathDocumentId('a^b'), 'a^b');
    rejects(() => checkPathDocumentId('ab'), undefined, 'idDoc', "L'identificativo documento fornito in richiesta non è valido", '/invalid-req-id');
    rejects(() => checkPathDocumentId('ab', '/invalid-id'), undefined, 'idDoc', "L'identificativo documento non è valido", '/invalid-id');
  });
});

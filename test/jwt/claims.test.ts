import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FseError } from '../../src/errors/fse-error.ts';
import {
  checkAttachmentHash, checkClaims, checkClaimsAgainstCda, toSignatureClaims, type ClaimsOperation, type SignatureClaims,
} from '../../src/jwt/claims.ts';

const MEF = '2.16.840.1.113883.2.9.4.3.2';
const PATIENT_CF = 'MRTMTT25D09F205Z';
const base: SignatureClaims = {
  iss: 'integrity:S1#120201234567XX',
  sub: `RSSMRA80A01H501U^^^&${MEF}&ISO`,
  subject_role: 'AAS',
  subject_organization_id: '120',
  subject_organization: 'Regione Lazio',
  locality: 'OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120901',
  person_id: `${PATIENT_CF}^^^&${MEF}&ISO`,
  patient_consent: true,
  purpose_of_use: 'TREATMENT',
  action_id: 'CREATE',
  resource_hl7_type: "('11502-2^^2.16.840.1.113883.6.1')",
  subject_application_id: 'LISAPP',
  subject_application_vendor: 'ACME SPA',
  subject_application_version: '4.2.0',
};
const MISSING = '/jwt-mandatory-field-missing';
const MALFORMED = '/jwt-mandatory-field-malformed';

/** Asserts that `fn` throws the Gateway's jwt-validation error with exactly this detail and instance. */
function rejects(fn: () => void, detail: string, instance: string, code = 'jwtValidation'): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FseError);
    assert.equal(error.code, code);
    assert.equal(error.detail, detail);
    assert.equal(error.instance, instance);
    return true;
  });
}
const check = (changes: Record<string, unknown>, operation: ClaimsOperation = 'create', options = {}) => () =>
  checkClaims({ ...base, ...changes } as SignatureClaims, operation, options);

describe('checkClaims: common checks in order', () => {
  test('valid claims pass for create', () => {
    assert.doesNotThrow(check({}));
  });

  test('each mandatory claim missing or empty is reported by name', () => {
    for (const name of ['patient_consent', 'action_id', 'locality', 'person_id', 'purpose_of_use', 'subject_organization',
      'subject_organization_id', 'subject_role', 'subject_application_id', 'subject_application_vendor',
      'subject_application_version']) {
      rejects(check({ [name]: undefined }), `Il campo ${name} non è valorizzato`, MISSING);
      if (name !== 'patient_consent') rejects(check({ [name]: '' }), `Il campo ${name} non è valorizzato`, MISSING);
    }
  });

  test('patient_consent false is present (only null counts as missing)', () => {
    assert.doesNotThrow(check({ patient_consent: false }));
  });

  test('presence is checked in the dispatcher order', () => {
    rejects(check({ subject_role: undefined, action_id: undefined }), 'Il campo action_id non è valorizzato', MISSING);
    rejects(check({ subject_role: undefined, sub: 'bad' }), 'Il campo subject_role non è valorizzato', MISSING);
  });

  test('sub must hold a valid fiscal code when bare or assigned by the MEF', () => {
    const msg = 'Il codice fiscale nel campo sub non è corretto';
    rejects(check({ sub: `RSSMRA80A01H501V^^^&${MEF}&ISO` }), msg, MALFORMED);
    rejects(check({ sub: 'RSSMRA80A01H501V' }), msg, MALFORMED);
    rejects(check({ sub: undefined }), msg, MALFORMED);
    assert.doesNotThrow(check({ sub: 'RSSMRA80A01H501U' }));
    assert.doesNotThrow(check({ sub: 'ANYTHING^^^&2.16.840.1.113883.2.9.4.3.99&ISO' }));
    rejects(check({ sub: `12345678901^^^&${MEF}&ISO` }), msg, MALFORMED);
    assert.doesNotThrow(check({ sub: `12345678901^^^&${MEF}&ISO` }, 'create', { allowSpecialFiscalCode: true }));
  });

  test('the fiscal code comes before the enums', () => {
    rejects(check({ sub: 'X', action_id: 'NOPE' }), 'Il codice fiscale nel campo sub non è corretto', MALFORMED);
  });

  test('enum values: action_id and subject_role exact case, purpose_of_use case-insensitive', () => {
    rejects(check({ action_id: 'create' }), 'Il campo action_id non è corretto', MALFORMED);
    rejects(check({ action_id: 'PUBLISH' }), 'Il campo action_id non è corretto', MALFORMED);
    rejects(check({ purpose_of_use: 'CURA' }), 'Il campo purpose_of_use non è corretto', MALFORMED);
    assert.doesNotThrow(check({ purpose_of_use: 'treatment' }));
    rejects(check({ subject_role: 'aas' }), 'Il campo subject_role non è corretto', MALFORMED);
    rejects(check({ subject_organization_id: '12' }), 'Il campo subject_organization_id non è corretto', MALFORMED);
    rejects(check({ subject_organization: 'Regione Atlantide' }), 'Il campo subject_organization non è corretto', MALFORMED);
  });

  test('enums are checked in the dispatcher order', () => {
    rejects(check({ subject_role: 'XXX', purpose_of_use: 'NOPE' }), 'Il campo purpose_of_use non è corretto', MALFORMED);
  });

  test('organization id and description must be coherent (case-insensitive description)', () => {
    assert.doesNotThrow(check({ subject_organization: 'REGIONE LAZIO' }));
    const msg = 'I campi subject_organization_id e subject_organization non sono coerenti';
    rejects(check({ subject_organization: 'Regione Sicilia' }), msg, MALFORMED);
    // Code table: 999 = MDS, 950 = GTW (spec 12 item 10).
    assert.doesNotThrow(check({ subject_organization_id: '999', subject_organization: 'MDS' }));
    rejects(check({ subject_organization_id: '999', subject_organization: 'GTW' }), msg, MALFORMED);
  });
});

describe('checkClaims: per-operation rules (5.4)', () => {
  const ACTION = 'Il campo action_id non è coerente con le operazioni richieste';
  const PURPOSE = 'Il campo purpose_of_use non coerente con operazione richiesta';
  const LOCALITY = 'Il campo Locality non è valorizzato correttamente';
  const cases: [ClaimsOperation, string[], string[]][] = [
    ['validation', ['CREATE', 'UPDATE'], ['TREATMENT']],
    ['create', ['CREATE'], ['TREATMENT']],
    ['replace', ['UPDATE'], ['TREATMENT', 'UPDATE']],
    ['update', ['UPDATE'], ['UPDATE', 'ACCESS UPDATE']],
    ['delete', ['DELETE'], ['UPDATE']],
  ];
  for (const [operation, actions, purposes] of cases) {
    test(`${operation}: action ${actions.join('/')} and purpose ${purposes.join('/')} only`, () => {
      for (const action of ['CREATE', 'UPDATE', 'DELETE', 'READ']) {
        const run = check({ action_id: action, purpose_of_use: purposes[0] }, operation);
        if (actions.includes(action)) assert.doesNotThrow(run, action);
        else rejects(run, ACTION, MALFORMED);
      }
      for (const purpose of ['TREATMENT', 'UPDATE', 'ACCESS UPDATE', 'EMERGENCY']) {
        const run = check({ action_id: actions[0], purpose_of_use: purpose }, operation);
        if (purposes.includes(purpose)) assert.doesNotThrow(run, purpose);
        else rejects(run, PURPOSE, MALFORMED);
      }
    });
  }

  test('locality must be XON except for validation', () => {
    for (const locality of ['OSPEDALE DI PROVA', 'A^^^^&2.16&ISO^^^^1', 'A^^^^^&2.16&iso^^^^1', 'A^^^^^&2.16&ISO^^^^1^2']) {
      rejects(check({ locality }, 'create'), LOCALITY, MALFORMED);
      rejects(check({ locality, action_id: 'DELETE', purpose_of_use: 'UPDATE' }, 'delete'), LOCALITY, MALFORMED);
      assert.doesNotThrow(check({ locality }, 'validation'));
    }
    assert.doesNotThrow(check({ locality: '^^^^^&&ISO^^^^' }, 'create'));
  });

  test('resource_hl7_type is required except for delete', () => {
    for (const operation of ['validation', 'create'] as const) {
      rejects(check({ resource_hl7_type: undefined }, operation), 'Il campo resource_hl7_type non è valorizzato', MISSING);
    }
    rejects(check({ resource_hl7_type: '', action_id: 'UPDATE', purpose_of_use: 'UPDATE' }, 'update'),
      'Il campo resource_hl7_type non è valorizzato', MISSING);
    assert.doesNotThrow(check({ resource_hl7_type: undefined, action_id: 'DELETE', purpose_of_use: 'UPDATE' }, 'delete'));
  });

  test('action is checked before purpose, purpose before locality', () => {
    rejects(check({ action_id: 'DELETE', purpose_of_use: 'UPDATE', locality: 'x' }, 'create'), ACTION, MALFORMED);
    rejects(check({ purpose_of_use: 'UPDATE', locality: 'x' }, 'create'), PURPOSE, MALFORMED);
  });
});

describe('checkClaimsAgainstCda (5.5)', () => {
  const cda = { code: '11502-2', codeSystem: '2.16.840.1.113883.6.1', patientIds: [{ root: MEF, extension: PATIENT_CF }] };
  const TYPE = '/jwt-document-type';
  const PERSON = '/jwt-person-id';

  test('matching type and patient pass', () => {
    assert.doesNotThrow(() => checkClaimsAgainstCda(base, cda));
  });

  test('resource_hl7_type must equal (\'code^^codeSystem\') exactly', () => {
    const msg = 'JWT payload: Tipologia documento diversa dalla tipologia di CDA (code - codesystem)';
    rejects(() => checkClaimsAgainstCda(base, { ...cda, code: '34105-7' }), msg, TYPE);
    rejects(() => checkClaimsAgainstCda({ ...base, resource_hl7_type: '11502-2^^2.16.840.1.113883.6.1' }, cda), msg, TYPE);
    rejects(() => checkClaimsAgainstCda(base, { code: '11502-2', patientIds: cda.patientIds }), msg, TYPE);
  });

  test('a CDA without code cannot be checked', () => {
    rejects(() => checkClaimsAgainstCda(base, { patientIds: cda.patientIds }),
      'JWT payload: non è stato possibile verificare la tipologia del CDA', TYPE);
  });

  test('person_id must match one patientRole/id extension', () => {
    rejects(() => checkClaimsAgainstCda({ ...base, person_id: `RSSMRA80A01H501U^^^&${MEF}&ISO` }, cda),
      'JWT payload: Person id presente nel JWT differente dal codice fiscale del paziente previsto sul CDA', PERSON);
    const two = { ...cda, patientIds: [{ root: '1.2.3', extension: 'X1' }, { root: MEF, extension: PATIENT_CF }] };
    assert.doesNotThrow(() => checkClaimsAgainstCda(base, two));
  });

  test('a CDA without patient ids cannot be checked', () => {
    rejects(() => checkClaimsAgainstCda(base, { ...cda, patientIds: [] }),
      'JWT payload: non è stato possibile verificare il codice fiscale del paziente presente nel CDA', PERSON);
  });

  test('the patient fiscal code must be valid unless the id is a TEAM card', () => {
    const team = '80380000000000000001';
    const claims = { ...base, person_id: `${team}^^^&2.16.840.1.113883.2.9.4.3.7&ISO` };
    assert.doesNotThrow(() => checkClaimsAgainstCda(claims, { ...cda, patientIds: [{ root: '2.16.840.1.113883.2.9.4.3.7', extension: team }] }));
    rejects(() => checkClaimsAgainstCda(claims, { ...cda, patientIds: [{ root: MEF, extension: team }] }),
      'Il codice fiscale nel campo person_id non è corretto', MALFORMED);
  });
});

describe('checkAttachmentHash', () => {
  const hash = 'd04f5f5d34c7bbb77e27fba4edb2c49d16ca90193d89a47117e892387c7ee466';
  test('compares case-insensitively', () => {
    assert.doesNotThrow(() => checkAttachmentHash({ ...base, attachment_hash: hash.toUpperCase() }, hash));
  });
  test('a different or missing hash is /msg/document-hash', () => {
    assert.throws(() => checkAttachmentHash({ ...base, attachment_hash: hash.replace('d0', 'd1') }, hash),
      (e: unknown) => e instanceof FseError && e.code === 'documentHash' && e.instance === '/jwt-hash-match');
    assert.throws(() => checkAttachmentHash(base, hash), (e: unknown) => e instanceof FseError && e.code === 'documentHash');
  });
});

describe('toSignatureClaims', () => {
  test('coerces scalars like the dispatcher binding', () => {
    const claims = toSignatureClaims({ subject_organization_id: 120, patient_consent: 'true', extra: 1, iat: 5 });
    assert.deepEqual(claims, { subject_organization_id: '120', patient_consent: true, iat: 5 });
  });
  test('an object where a scalar is expected is undecodable', () => {
    assert.throws(() => toSignatureClaims({ sub: { cf: 'x' } }),
      (e: unknown) => e instanceof FseError && e.code === 'mandatoryElementToken');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultAccessPolicy } from '../../src/access/access-policy.js';
import { decideDocument, decidePatient, type PatientFacts } from '../../src/access/decide.js';
import type { Requester } from '../../src/access/requester.js';
import type { Relation, RelationKind } from '../../src/domain/citizen-rights.js';

/**
 * Role x purpose x relation x document type x event code x consent, 2,520 combinations, against the project's
 * policy file. The expectations below are written from ../shared/spec/privacy.md (our digest of the national rules),
 * not from src/access: the visibility matrix of section 2 is copied as data, and each rule is one line quoting the
 * section it comes from. Where the digest is silent, the line says it is the region's choice (docs/privacy.md).
 */
const NOW = new Date('2026-12-04T12:00:00Z');
/** A girl born 1 January 2015: a minor, so a parent may act for her. */
const PATIENT = 'BNCLRA15A41H501P';
const PROFESSIONAL = 'VRDGPP70A01H501S';
const AGENT = 'RSSMRA60A01H501U';

// privacy.md section 2: document type -> [doctor, nurse, pharmacist]; a type not in the table: doctor only.
const MATRIX: Record<string, readonly [boolean, boolean, boolean]> = {
  '11502-2': [true, true, false], // laboratory report
  '11526-1': [true, false, false], // pathology report
  '57833-6': [true, false, true], // pharmaceutical prescription
  '60593-1': [true, true, true], // drug dispensation
  '18842-5': [true, false, false], // not in the table (a discharge summary code of the value set)
};
const COLUMN: Record<string, number> = { APR: 0, INF: 1, FAR: 2 };
const PROFESSIONALS = ['APR', 'INF', 'FAR'];
const AGENTS: Record<string, RelationKind> = { ING: 'delegate', GEN: 'parent', TUT: 'guardian' };
const ROLES = [...PROFESSIONALS, 'ASS', ...Object.keys(AGENTS)];
const PURPOSES = ['TREATMENT', 'EMERGENCY', 'PERSONAL'];
const RELATIONS = ['none', 'active', 'expired'] as const;
const EVENT_CODES = [undefined, 'P99', 'P97', 'P98'];
const CONSENTS = ['given', 'withdrawn'] as const;

type Combination = { role: string; purpose: string; relation: typeof RELATIONS[number]; type: string; eventCode?: string; consent: typeof CONSENTS[number] };

/** What privacy.md says of one combination. */
function expected(c: Combination): boolean {
  if (PROFESSIONALS.includes(c.role)) {
    if (c.purpose === 'PERSONAL') return false; // xds-ini 6.14: PERSONAL is the patient's consultation
    if (c.purpose === 'TREATMENT' && c.consent === 'withdrawn') return false; // section 3: consultation needs consent
    // section 3: EMERGENCY consults without consent
    if (!MATRIX[c.type]![COLUMN[c.role]!]) return false; // section 2
    return c.eventCode !== 'P99'; // section 4: P99 only the patient and the author; P97, P98 concern citizens
  }
  if (c.purpose !== 'PERSONAL') return false; // citizens consult as PERSONAL (xds-ini 6.14)
  if (c.role === 'ASS') return c.eventCode !== 'P98'; // section 4: P98 hidden from the patient; the whole record else
  // section 5: only through a valid relation (the patient is a minor, so a parent's holds)
  if (c.relation !== 'active') return false;
  if (c.eventCode === 'P99') return false; // section 4: only the patient and the author
  if (c.eventCode === 'P97' && (c.role === 'GEN' || c.role === 'TUT')) return false; // section 4, 5
  if (c.eventCode === 'P98') return false; // region's choice: hidden from the patient, so from those acting for them
  return true; // section 2: citizen categories see the whole record
}

function relationOf(c: Combination): Relation[] {
  const kind = AGENTS[c.role];
  if (kind === undefined || c.relation === 'none') return [];
  return [{
    id: '00000000-0000-4000-8000-000000000001', kind, patient: PATIENT, agent: AGENT, recordedAt: new Date('2020-01-01'),
    validFrom: new Date('2020-01-01'), ...(c.relation === 'expired' ? { validTo: new Date('2025-01-01') } : {}),
    recordedBy: { subject: PATIENT, role: 'OGC', channel: 'operator' },
  }];
}

function* combinations(): Generator<Combination> {
  for (const role of ROLES) for (const purpose of PURPOSES) for (const relation of RELATIONS) {
    for (const type of Object.keys(MATRIX)) for (const eventCode of EVENT_CODES) for (const consent of CONSENTS) {
      yield { role, purpose, relation, type, eventCode, consent };
    }
  }
}

test('the access decision agrees with privacy.md on every combination of role, purpose, relation, type, event code and consent', () => {
  const policy = defaultAccessPolicy();
  const mismatches: string[] = [];
  let count = 0;
  for (const c of combinations()) {
    count += 1;
    const subject = PROFESSIONALS.includes(c.role) ? PROFESSIONAL : c.role === 'ASS' ? PATIENT : AGENT;
    const requester: Requester = {
      channel: 'saml', verified: true, viaIni: false, subject, role: c.role, purpose: c.purpose, actionId: 'READ',
      organizationId: '120', patient: PATIENT, consentClaim: true,
    };
    const facts: PatientFacts = { patient: PATIENT, consent: c.consent, assisted: true, relations: relationOf(c) };
    const onPatient = decidePatient(requester, facts, policy, NOW);
    const doc = { typeCode: c.type, eventCodes: c.eventCode ? [c.eventCode] : [], confidentialityCodes: ['N'], authors: ['PRVMDC80A01H501X^^^^^^^^&2.16.840.1.113883.2.9.4.3.2&ISO'] };
    const outcome = onPatient.allowed ? decideDocument(requester, onPatient, doc, policy) : onPatient;
    if (outcome.allowed !== expected(c)) mismatches.push(`${JSON.stringify(c)}: ${outcome.allowed ? 'allowed' : `refused (${outcome.reason})`}`);
  }
  assert.equal(count, 2520);
  assert.deepEqual(mismatches, []);
});

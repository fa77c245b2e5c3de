import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { XmlDocument } from 'libxml2-wasm';
import type { ValidationReport, ValidationStage } from '../../src/validation/findings.ts';
import type { CdaValidator } from '../../src/validation/validation-pool.ts';
import { element, elements, mutateCda, removeAll, setAttribute } from '../support/cda-mutations.ts';
import { officialValidator, readSample } from '../support/official-engine.ts';
import { needsCatalog } from '../support/shared.ts';

/**
 * Invalid documents derived in memory from valid official samples, each with the stage and the rule id the official
 * catalog must report. The ids were observed with the full engine and checked against the rule texts: schematron ids
 * are the catalog's message prefixes (`ERRORE-xx`), XSD findings are `XSD`, terminology findings `VOCAB`
 * (messages are the Gateway's). The stages run in the Gateway's order, so a coded header element that a schematron
 * also constrains (confidentialityCode) fails as semantic before terminology is reached.
 * See: Gateway API digest, 7.1-7.4.
 */
interface Variant {
  readonly name: string;
  /** A sample that is valid as is (see official-verdicts.test.ts), or {@link VPS_REPAIRED}. */
  readonly sample: string;
  readonly mutate: (doc: XmlDocument) => void;
  readonly expectStage: ValidationStage;
  readonly expectRuleId: string;
  /** Part of the message of a finding with that id, for XSD and terminology findings. */
  readonly expectMessage?: string | RegExp;
}

const CD = '/hl7:ClinicalDocument';
const FIRST_SECTION = `(${CD}/hl7:component/hl7:structuredBody/hl7:component)[1]`;
const FIRST_SECTION_CODE = `${FIRST_SECTION}/hl7:section/hl7:code`;
const PATIENT_GENDER = `${CD}/hl7:recordTarget/hl7:patientRole/hl7:patient/hl7:administrativeGenderCode`;
const CUSTODIAN_NAME = `${CD}/hl7:custodian/hl7:assignedCustodian/hl7:representedCustodianOrganization/hl7:name`;
const SIGNATURE_CODE = `${CD}/hl7:legalAuthenticator/hl7:signatureCode`;
const ICD9 = '2.16.840.1.113883.6.103';
const ATC = '2.16.840.1.113883.6.73';

/**
 * No VPS sample is valid: all fail ERRORE-46a/ERRORE-56 because an `addr` (legalAuthenticator's, among others) has no
 * `streetAddressLine`. VPS variants start from the official example with that line added, which makes it valid.
 */
const VPS_REPAIRED = 'examples/VPS.xml+streetAddressLine';

function repairVps(doc: XmlDocument): void {
  for (const addr of elements(doc, '//hl7:addr[not(ancestor::hl7:birthplace)][not(hl7:streetAddressLine)]')) {
    addr.addElement('streetAddressLine').addText('Via Cavour 1');
  }
}

const removeRealm = (doc: XmlDocument) => removeAll(doc, `${CD}/hl7:realmCode`);
const realmNotIt = (doc: XmlDocument) => setAttribute(doc, `${CD}/hl7:realmCode`, 'code', 'FR');
const otherDocumentCode = (doc: XmlDocument) => setAttribute(doc, `${CD}/hl7:code`, 'code', '34133-9');
const removeLegalAuthenticator = (doc: XmlDocument) => removeAll(doc, `${CD}/hl7:legalAuthenticator`);
const confidentialityX = (doc: XmlDocument) => setAttribute(doc, `${CD}/hl7:confidentialityCode`, 'code', 'X');
const removeCustodianName = (doc: XmlDocument) => removeAll(doc, CUSTODIAN_NAME);
const brokenSectionCode = (doc: XmlDocument) => setAttribute(doc, FIRST_SECTION_CODE, 'code', '00000-0');
const removeFirstSection = (doc: XmlDocument) => removeAll(doc, FIRST_SECTION);
const unsignedLegalAuthenticator = (doc: XmlDocument) => setAttribute(doc, SIGNATURE_CODE, 'code', 'X');
const foreignPatientIdRoot = (doc: XmlDocument) => setAttribute(doc, `${CD}/hl7:recordTarget/hl7:patientRole/hl7:id[1]`, 'root', '1.2.3.4');
const removeSetId = (doc: XmlDocument) => removeAll(doc, `${CD}/hl7:setId`);
const removeAuthors = (doc: XmlDocument) => removeAll(doc, `${CD}/hl7:author`);
const unknownElement = (doc: XmlDocument) => { element(doc, `${CD}/hl7:code`).appendElement('bogus'); };
const unknownTypeId = (doc: XmlDocument) => setAttribute(doc, `${CD}/hl7:typeId`, 'extension', 'POCD_HD000099');
const genderX = (doc: XmlDocument) => setAttribute(doc, PATIENT_GENDER, 'code', 'X');
const codeOf = (system: string, code: string) => (doc: XmlDocument) =>
  setAttribute(doc, `(//*[@codeSystem='${system}'])[1]`, 'code', code);
const blocklistedSystem = (system: string, blocked: string) => (doc: XmlDocument) =>
  setAttribute(doc, `(//*[@codeSystem='${system}'])[1]`, 'codeSystem', blocked);

const XSD_UNEXPECTED = /^ERROR: \d+,\d+ Element '\{urn:hl7-org:v3\}bogus': This element is not expected/;
const NOT_EXPECTED = /This element is not expected/;
const SCHEMA_NOT_FOUND = 'Schema with version POCD_HD000099 not found on database.';
const unknownCode = (system: string, code: string) => new RegExp(
  `^Almeno uno dei seguenti vocaboli non è censito: \\[CodeSystem: ${system.replaceAll('.', '\\.')}( v[^,]+)?, Codes: ${code.replaceAll('.', '\\.')}\\]$`);
const blocklist = (system: string) => `È stato trovato almeno un dizionario presente in Blocklist: [${system}]`;

const LAB = 'examples/LAB.xml';
const LDO = 'examples/LDO.xml';
const RAD = 'examples/RAD.xml';
const RAP = 'examples/RAP.xml';
const RSA = 'examples/RSA.xml';
const PSS = 'examples/PSS.xml';
const SING_VACC = 'examples/SING_VACC.xml';
const CERT_VACC = 'examples/CERT_VACC.xml';

const VARIANTS: readonly Variant[] = [
  // LAB
  { name: 'LAB without realmCode', sample: LAB, mutate: removeRealm, expectStage: 'semantic', expectRuleId: 'ERRORE-1' },
  { name: 'LAB with realmCode FR', sample: LAB, mutate: realmNotIt, expectStage: 'semantic', expectRuleId: 'ERRORE-2' },
  { name: 'LAB with a non-LAB document code', sample: LAB, mutate: otherDocumentCode, expectStage: 'semantic', expectRuleId: 'ERRORE-5' },
  { name: 'LAB without legalAuthenticator', sample: LAB, mutate: removeLegalAuthenticator, expectStage: 'semantic', expectRuleId: 'ERRORE-26' },
  { name: 'LAB with confidentialityCode X', sample: LAB, mutate: confidentialityX, expectStage: 'semantic', expectRuleId: 'ERRORE-6' },
  { name: 'LAB custodian organization without name', sample: LAB, mutate: removeCustodianName, expectStage: 'semantic', expectRuleId: 'ERRORE-24' },
  { name: 'LAB section with a non-LAB code', sample: LAB, mutate: brokenSectionCode, expectStage: 'semantic', expectRuleId: 'ERRORE-b1' },
  { name: 'LAB with an element unknown to the schema', sample: LAB, mutate: unknownElement, expectStage: 'syntax', expectRuleId: 'XSD', expectMessage: XSD_UNEXPECTED },
  { name: 'LAB with an unknown typeId extension', sample: LAB, mutate: unknownTypeId, expectStage: 'syntax', expectRuleId: 'XSD', expectMessage: SCHEMA_NOT_FOUND },
  { name: 'LAB with gender X (HL7 AdministrativeGender)', sample: LAB, mutate: genderX, expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: unknownCode('2.16.840.1.113883.5.1', 'X') },
  {
    name: 'LAB with an unknown templateId root and document code', sample: LAB,
    mutate: (doc) => {
      setAttribute(doc, `${CD}/hl7:templateId[1]`, 'root', '2.16.840.1.113883.2.9.10.1.99');
      otherDocumentCode(doc);
    },
    expectStage: 'semantic', expectRuleId: 'SCHEMATRON-NOT-FOUND',
    expectMessage: 'Schematron with template id root 2.16.840.1.113883.2.9.10.1.99 not found on database.',
  },
  // LDO
  { name: 'LDO without realmCode', sample: LDO, mutate: removeRealm, expectStage: 'semantic', expectRuleId: 'ERRORE-1' },
  { name: 'LDO without legalAuthenticator', sample: LDO, mutate: removeLegalAuthenticator, expectStage: 'semantic', expectRuleId: 'ERRORE-29' },
  { name: 'LDO without the Motivo del Ricovero section', sample: LDO, mutate: removeFirstSection, expectStage: 'semantic', expectRuleId: 'ERRORE-b1' },
  { name: 'LDO legalAuthenticator signatureCode X', sample: LDO, mutate: unsignedLegalAuthenticator, expectStage: 'semantic', expectRuleId: 'ERRORE-30' },
  { name: 'LDO patient id with a foreign root', sample: LDO, mutate: foreignPatientIdRoot, expectStage: 'semantic', expectRuleId: 'ERRORE-10a' },
  { name: 'LDO without author', sample: LDO, mutate: removeAuthors, expectStage: 'syntax', expectRuleId: 'XSD', expectMessage: NOT_EXPECTED },
  { name: 'LDO with an ICD-9-CM code not in the catalog', sample: LDO, mutate: codeOf(ICD9, '999.99'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: unknownCode(ICD9, '999.99') },
  { name: 'LDO with an ATC code not in the catalog', sample: LDO, mutate: codeOf(ATC, 'Z99ZZ99'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: unknownCode(ATC, 'Z99ZZ99') },
  // RAD
  { name: 'RAD with a non-RAD document code', sample: RAD, mutate: otherDocumentCode, expectStage: 'semantic', expectRuleId: 'ERRORE-5' },
  { name: 'RAD without legalAuthenticator', sample: RAD, mutate: removeLegalAuthenticator, expectStage: 'semantic', expectRuleId: 'ERRORE-29' },
  { name: 'RAD section with a non-RAD code', sample: RAD, mutate: brokenSectionCode, expectStage: 'semantic', expectRuleId: 'ERRORE-b6' },
  { name: 'RAD with confidentialityCode X', sample: RAD, mutate: confidentialityX, expectStage: 'semantic', expectRuleId: 'ERRORE-6' },
  { name: 'RAD with the family-relationship code system in the blocklist', sample: RAD, mutate: blocklistedSystem('2.16.840.1.113883.5.111', '2.16.840.1.113883.2.9.999.1'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: blocklist('2.16.840.1.113883.2.9.999.1') },
  { name: 'RAD with a DICOM code not in the catalog', sample: RAD, mutate: (doc) => setAttribute(doc, "(//*[@codeSystem='1.2.840.10008.2.16.4'])[2]", 'code', '999999'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: /^Almeno uno/ },
  { name: 'RAD with a DICOM version not in the catalog', sample: RAD, mutate: (doc) => setAttribute(doc, "//*[@codeSystem='1.2.840.10008.2.16.4'][@codeSystemVersion]", 'codeSystemVersion', '99'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: /^È stata trovata/ },
  // RAP
  { name: 'RAP without setId', sample: RAP, mutate: removeSetId, expectStage: 'semantic', expectRuleId: 'ERRORE-7' },
  { name: 'RAP without legalAuthenticator', sample: RAP, mutate: removeLegalAuthenticator, expectStage: 'semantic', expectRuleId: 'ERRORE-22' },
  { name: 'RAP section with a non-RAP code', sample: RAP, mutate: brokenSectionCode, expectStage: 'semantic', expectRuleId: 'ERRORE-b48' },
  { name: 'RAP with an unknown typeId extension', sample: RAP, mutate: unknownTypeId, expectStage: 'syntax', expectRuleId: 'XSD', expectMessage: SCHEMA_NOT_FOUND },
  { name: 'RAP with an ArtDecor problem status not in the catalog', sample: RAP, mutate: codeOf('2.16.840.1.113883.2.9.77.22.11.7', 'LA00000-0'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: unknownCode('2.16.840.1.113883.2.9.77.22.11.7', 'LA00000-0') },
  // RSA
  { name: 'RSA with realmCode FR', sample: RSA, mutate: realmNotIt, expectStage: 'semantic', expectRuleId: 'ERRORE-2' },
  { name: 'RSA custodian organization without name', sample: RSA, mutate: removeCustodianName, expectStage: 'semantic', expectRuleId: 'ERRORE-27' },
  { name: 'RSA section with a non-RSA code', sample: RSA, mutate: brokenSectionCode, expectStage: 'semantic', expectRuleId: 'ERRORE-b20' },
  { name: 'RSA with confidentialityCode X', sample: RSA, mutate: confidentialityX, expectStage: 'semantic', expectRuleId: 'ERRORE-6' },
  { name: 'RSA with an ICD-9-CM code not in the catalog', sample: RSA, mutate: codeOf(ICD9, '999.99'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: unknownCode(ICD9, '999.99') },
  // PSS
  { name: 'PSS without legalAuthenticator', sample: PSS, mutate: removeLegalAuthenticator, expectStage: 'semantic', expectRuleId: 'ERRORE-26a' },
  { name: 'PSS without the Allergie section', sample: PSS, mutate: removeFirstSection, expectStage: 'semantic', expectRuleId: 'ERRORE-b1' },
  { name: 'PSS custodian organization without name', sample: PSS, mutate: removeCustodianName, expectStage: 'semantic', expectRuleId: 'ERRORE-25' },
  { name: 'PSS with an ATC code not in the catalog', sample: PSS, mutate: codeOf(ATC, 'Z99ZZ99'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: unknownCode(ATC, 'Z99ZZ99') },
  { name: 'PSS with the family-relationship code system in the blocklist', sample: PSS, mutate: blocklistedSystem('2.16.840.1.113883.5.111', '2.16.840.1.113883.5.9999'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: blocklist('2.16.840.1.113883.5.9999') },
  // SING_VACC
  { name: 'SING_VACC section with a non-vaccination code', sample: SING_VACC, mutate: brokenSectionCode, expectStage: 'semantic', expectRuleId: 'ERRORE-b3' },
  { name: 'SING_VACC patient id with a foreign root', sample: SING_VACC, mutate: foreignPatientIdRoot, expectStage: 'semantic', expectRuleId: 'ERRORE-11a' },
  { name: 'SING_VACC with a non-vaccination document code', sample: SING_VACC, mutate: otherDocumentCode, expectStage: 'semantic', expectRuleId: 'ERRORE-5' },
  { name: 'SING_VACC with a vaccination code not in the catalog', sample: SING_VACC, mutate: codeOf('2.16.840.1.113883.2.9.6.1.56.2', '9999'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: unknownCode('2.16.840.1.113883.2.9.6.1.56.2', '9999') },
  // CERT_VACC
  { name: 'CERT_VACC without realmCode', sample: CERT_VACC, mutate: removeRealm, expectStage: 'semantic', expectRuleId: 'ERRORE-1' },
  { name: 'CERT_VACC without setId', sample: CERT_VACC, mutate: removeSetId, expectStage: 'semantic', expectRuleId: 'ERRORE-7' },
  { name: 'CERT_VACC with confidentialityCode X', sample: CERT_VACC, mutate: confidentialityX, expectStage: 'semantic', expectRuleId: 'ERRORE-5' },
  { name: 'CERT_VACC legalAuthenticator signatureCode X', sample: CERT_VACC, mutate: unsignedLegalAuthenticator, expectStage: 'semantic', expectRuleId: 'ERRORE-22' },
  // VPS (from the repaired example)
  { name: 'VPS without realmCode', sample: VPS_REPAIRED, mutate: removeRealm, expectStage: 'semantic', expectRuleId: 'ERRORE-1' },
  { name: 'VPS without legalAuthenticator', sample: VPS_REPAIRED, mutate: removeLegalAuthenticator, expectStage: 'semantic', expectRuleId: 'ERRORE-26' },
  { name: 'VPS with confidentialityCode X', sample: VPS_REPAIRED, mutate: confidentialityX, expectStage: 'semantic', expectRuleId: 'ERRORE-6' },
  { name: 'VPS with a triage code not in the catalog', sample: VPS_REPAIRED, mutate: codeOf('2.16.840.1.113883.2.9.6.1.54.6', '99'), expectStage: 'vocabulary', expectRuleId: 'VOCAB', expectMessage: unknownCode('2.16.840.1.113883.2.9.6.1.54.6', '99') },
];

function baseText(sample: string): string {
  return sample === VPS_REPAIRED ? mutateCda(readSample('examples/VPS.xml'), repairVps) : readSample(sample);
}

function summary(report: ValidationReport): string {
  return JSON.stringify({ stage: report.failedStage, errors: report.errors.map((f) => `${f.id}: ${f.message.slice(0, 200)}`) });
}

describe('invalid variants of valid official samples', needsCatalog, () => {
  let validator: CdaValidator;
  before(async () => {
    validator = await officialValidator();
  });

  test('the set covers at least 30 variants of at least 6 document types, and all three stages', () => {
    assert.ok(VARIANTS.length >= 30);
    assert.ok(new Set(VARIANTS.map((v) => v.name.split(' ')[0])).size >= 6);
    assert.deepEqual([...new Set(VARIANTS.map((v) => v.expectStage))].sort(), ['semantic', 'syntax', 'vocabulary']);
    assert.equal(new Set(VARIANTS.map((v) => v.name)).size, VARIANTS.length, 'variant names are unique');
  });

  for (const sample of [...new Set(VARIANTS.map((v) => v.sample))]) {
    test(`base ${sample} is valid`, async () => {
      const report = await validator.validate(baseText(sample));
      assert.equal(report.valid, true, summary(report));
    });
  }

  for (const variant of VARIANTS) {
    test(`${variant.name} -> ${variant.expectStage} ${variant.expectRuleId}`, async () => {
      const report = await validator.validate(mutateCda(baseText(variant.sample), variant.mutate));
      assert.equal(report.valid, false, summary(report));
      assert.equal(report.failedStage, variant.expectStage, summary(report));
      const matching = report.errors.filter((f) => f.id === variant.expectRuleId);
      assert.ok(matching.length > 0, `expected ${variant.expectRuleId}; got ${summary(report)}`);
      if (variant.expectMessage !== undefined) {
        const { expectMessage } = variant;
        assert.ok(
          matching.some((f) => (typeof expectMessage === 'string' ? f.message === expectMessage : expectMessage.test(f.message))),
          `no ${variant.expectRuleId} message matching ${String(expectMessage)}; got ${summary(report)}`,
        );
      }
    });
  }
});

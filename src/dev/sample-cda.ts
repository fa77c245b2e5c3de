import { create } from 'xmlbuilder2';
import { FISCAL_CODE_OID } from '../domain/ids.js';

/** What varies between sample documents. */
export interface SampleCdaOptions {
  /** `ClinicalDocument/templateId[1]/@root`; LDO by default. */
  readonly templateRoot?: string;
  /** LOINC document code; 34105-7 (LDO) by default. */
  readonly loinc?: string;
  readonly patientCf?: string;
  /** `ClinicalDocument/id/@extension`. */
  readonly docExtension?: string;
  readonly confidentiality?: 'N' | 'R' | 'V';
  readonly regionCode?: string;
}

export const SAMPLE_PATIENT_CF = 'RSSMRA80A01H501U';
const LOINC = '2.16.840.1.113883.6.1';

/**
 * A complete CDA2 header with a one-section body, built with xmlbuilder2: the development sample the quick start
 * validates and the base the REST tests mutate. It passes the project's own rules (schematron/); it is not meant to
 * satisfy any official implementation guide's body rules.
 */
export function buildSampleCda(options: SampleCdaOptions = {}): string {
  const region = options.regionCode ?? '120';
  const templateRoot = options.templateRoot ?? '2.16.840.1.113883.2.9.10.1.5';
  const docOid = `2.16.840.1.113883.2.9.2.${region}.4.4`;
  const ext = options.docExtension ?? 'SAMPLE-0001';
  const doc = create({ version: '1.0', encoding: 'UTF-8' })
    .ele('urn:hl7-org:v3', 'ClinicalDocument', { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' })
    .ele('realmCode', { code: 'IT' }).up()
    .ele('typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' }).up()
    .ele('templateId', { root: templateRoot, extension: '1.0' }).up()
    .ele('id', { root: docOid, extension: ext, assigningAuthorityName: 'Regione' }).up()
    .ele('code', { code: options.loinc ?? '34105-7', codeSystem: LOINC, codeSystemName: 'LOINC', displayName: 'Documento' }).up()
    .ele('title').txt('Documento di esempio').up()
    .ele('effectiveTime', { value: '20260110103000+0100' }).up()
    .ele('confidentialityCode', { code: options.confidentiality ?? 'N', codeSystem: '2.16.840.1.113883.5.25' }).up()
    .ele('languageCode', { code: 'it-IT' }).up()
    .ele('setId', { root: docOid, extension: ext }).up()
    .ele('versionNumber', { value: '1' }).up();

  const patient = doc.ele('recordTarget').ele('patientRole');
  patient.ele('id', { root: FISCAL_CODE_OID, extension: options.patientCf ?? SAMPLE_PATIENT_CF, assigningAuthorityName: 'FISCAL_CODE_OID' });
  const person = patient.ele('patient');
  person.ele('name').ele('family').txt('Rossi').up().ele('given').txt('Mario');
  person.ele('administrativeGenderCode', { code: 'M', codeSystem: '2.16.840.1.113883.5.1' });
  person.ele('birthTime', { value: '19800101' });

  const author = doc.ele('author');
  author.ele('time', { value: '20260110103000+0100' });
  const assigned = author.ele('assignedAuthor');
  assigned.ele('id', { root: FISCAL_CODE_OID, extension: 'VRDGPP70A01H501S' });
  assigned.ele('telecom', { value: 'tel:+39061234567' });
  assigned.ele('assignedPerson').ele('name').ele('family').txt('Verdi').up().ele('given').txt('Giuseppe');

  const custodian = doc.ele('custodian').ele('assignedCustodian').ele('representedCustodianOrganization');
  custodian.ele('id', { root: `2.16.840.1.113883.2.9.4.1.2`, extension: `${region}901` });
  custodian.ele('name').txt('Ospedale di esempio');

  const legal = doc.ele('legalAuthenticator');
  legal.ele('time', { value: '20260110110000+0100' });
  legal.ele('signatureCode', { code: 'S' });
  legal.ele('assignedEntity').ele('id', { root: FISCAL_CODE_OID, extension: 'VRDGPP70A01H501S' });

  doc.ele('component').ele('structuredBody').ele('component').ele('section')
    .ele('code', { code: '11535-2', codeSystem: LOINC }).up()
    .ele('title').txt('Diagnosi di dimissione').up()
    .ele('text').txt('Nessuna complicanza.');
  return doc.doc().end({ prettyPrint: true });
}

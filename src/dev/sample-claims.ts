import { FISCAL_CODE_OID } from '../domain/ids.js';
import { SAMPLE_PATIENT_CF } from './sample-cda.js';

/**
 * Application claims of a test producer in region 120 (Lazio), shaped as the Ministry's jwt-generator data file.
 * See: Gateway API digest, 5.3 (decoded example).
 */
export function sampleClaims(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    sub: `VRDGPP70A01H501S^^^&${FISCAL_CODE_OID}&ISO`,
    subject_role: 'AAS',
    subject_organization_id: '120',
    subject_organization: 'Regione Lazio',
    locality: 'OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120901',
    purpose_of_use: 'TREATMENT',
    action_id: 'CREATE',
    resource_hl7_type: "('34105-7^^2.16.840.1.113883.6.1')",
    person_id: `${SAMPLE_PATIENT_CF}^^^&${FISCAL_CODE_OID}&ISO`,
    patient_consent: true,
    subject_application_id: 'FSEBRIDGE',
    subject_application_vendor: 'FSE BRIDGE DEV',
    subject_application_version: '0.1.0',
    ...overrides,
  };
}

/** A publication body for the sample document (ATTACHMENT mode, LDO), as the Gateway's request-body reference. */
export function samplePublicationBody(docExtension = 'SAMPLE-0001'): Record<string, unknown> {
  return {
    healthDataFormat: 'CDA', mode: 'ATTACHMENT', tipologiaStruttura: 'Ospedale',
    identificativoDoc: `2.16.840.1.113883.2.9.2.120.4.4^${docExtension}`, identificativoRep: '2.16.840.1.113883.2.9.2.120.4.5.1',
    tipoDocumentoLivAlto: 'LDO', assettoOrganizzativo: 'AD_PSC001', tipoAttivitaClinica: 'CON',
    identificativoSottomissione: `2.16.840.1.113883.2.9.2.120.4.3.${Date.now()}`,
  };
}

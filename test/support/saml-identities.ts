import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.js';
import type { AssertionAttributeValues } from '../../src/saml/assertion-builder.js';
import { buildSignedAssertion } from '../../src/saml/assertion-signer.js';
import { loadSamlSigner, type SamlSigner } from '../../src/saml/saml-signer.js';
import { samlTrustFileJson } from '../../src/saml/saml-trust-file.js';
import { NS } from '../../src/xml/xml-toolkit.js';
import type { XmlBuilder } from '../../src/xml/xml-writer.js';
import { SAMPLE_PATIENT } from './xds-submissions.js';

/**
 * SAML parties of the federation tests, each with its own development PKI: a hospital of region 120, INI, an
 * attacker; helpers that sign the assertions they would send and put them in a WS-Security header.
 */
export interface SamlParty {
  readonly pki: DevPki;
  readonly signer: SamlSigner;
}

export function samlParty(name: string): SamlParty {
  const pki = createDevPki(path.join(mkdtempSync(path.join(os.tmpdir(), `fse-saml-${name}-`)), 'pki'));
  return { pki, signer: loadSamlSigner({ certificatePem: readFileSync(pki.signCert, 'utf8'), privateKeyPem: readFileSync(pki.signKey, 'utf8') }) };
}

/** A party whose signature a bridge trusts, and the Issuers it may sign for (a hospital its region, INI `000`). */
export interface TrustedParty {
  readonly party: SamlParty;
  readonly issuers: readonly string[];
}

/** A bridge's FSE_SAML_TRUST: the binding file of the parties' signature certificates (paths relative to it). */
export function trustFile(trusted: readonly TrustedParty[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fse-saml-trust-'));
  const file = path.join(dir, 'trust.json');
  writeFileSync(file, samlTrustFileJson(trusted.map((t) => ({ certificate: path.relative(dir, t.party.pki.signCert), issuers: t.issuers }))));
  return file;
}

export const DOCTOR = 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO';

/** A consultation by a hospital doctor of region 120 (digest 7.2 values). */
export function doctorAttributes(overrides: Partial<AssertionAttributeValues> = {}): AssertionAttributeValues {
  return {
    patientConsent: true, role: 'AAS', subjectId: DOCTOR, locality: 'OSPEDALE DI PROVA^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120901',
    purposeOfUse: 'TREATMENT', organizationId: '120', organization: 'Regione Lazio', resourceId: SAMPLE_PATIENT, actionId: 'READ',
    applicationId: 'HISX', applicationVendor: 'HIS VENDOR', applicationVersion: '7.1', ...overrides,
  };
}

export interface AssertionOptions {
  readonly issuer?: string;
  readonly subject?: string;
  readonly notOnOrAfter?: Date;
  readonly notBefore?: Date;
}

export function signedAssertion(party: SamlParty, attributes: AssertionAttributeValues, options: AssertionOptions = {}): string {
  return buildSignedAssertion({
    issuer: options.issuer ?? attributes.organizationId, subjectNameId: options.subject ?? attributes.subjectId ?? DOCTOR, attributes,
    ...(options.notOnOrAfter ? { notOnOrAfter: options.notOnOrAfter } : {}), ...(options.notBefore ? { notBefore: options.notBefore } : {}),
  }, party.signer).xml;
}

/** The header callback of `callSoap` carrying `assertionXml` in wsse:Security. */
export const securityHeader = (assertionXml: string) => (header: XmlBuilder) => { header.ele(NS.wsse, 'wsse:Security').raw(assertionXml); };

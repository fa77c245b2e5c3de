import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { XmlElement } from 'libxml2-wasm';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.js';
import { createSoapCaller, readResponseBody, type SoapCaller, type SoapResponse } from '../../src/soap-wire/soap-client.js';
import type { AssertionInput } from '../../src/saml/assertion-builder.js';
import { buildSignedAssertion } from '../../src/saml/assertion-signer.js';
import { verifyAssertion, type VerifiedAssertion } from '../../src/saml/assertion-verifier.js';
import { loadSamlSigner, type SamlSigner } from '../../src/saml/saml-signer.js';
import { samlTrustStoreFromPem } from '../../src/saml/saml-trust-store.js';
import type { XmlBuilder } from '../../src/xml/xml-writer.js';

/**
 * Shared material of the INI simulator's tests: INI's signing PKI, a caller's (the Gateway's or a region's) and an
 * attacker's with the same subject; assertions as a caller of INI signs them (digest 7.2, 7.3); the verifier a region
 * applies to INI's assertions; and a SOAP client to call INI with.
 */

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fse-ini-sim-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const signerOf = (pki: DevPki): SamlSigner =>
  loadSamlSigner({ certificatePem: readFileSync(pki.signCert, 'utf8'), privateKeyPem: readFileSync(pki.signKey, 'utf8') });

export const iniPki = createDevPki(path.join(tmp, 'ini'), { cn: 'INI simulator' });
export const callerPki = createDevPki(path.join(tmp, 'caller'));
/** Same default CN as the caller's: its signature certificate has the very same subject. */
export const attackerPki = createDevPki(path.join(tmp, 'attacker'));

export const iniSigner = signerOf(iniPki);
export const callerSigner = signerOf(callerPki);
export const attackerSigner = signerOf(attackerPki);

/** Issuers INI accepts in these tests. */
export const CALLER_ISSUERS = ['120', '030', '190'];
/** The signers INI trusts: the caller's certificate, for every caller Issuer (the Gateway signs for each region). */
export const callerTrust = samlTrustStoreFromPem(readFileSync(callerPki.signCert, 'utf8'), CALLER_ISSUERS);

/** How a region checks INI's assertions: INI's pinned certificate, Issuer `000` only. */
export function verifyIniAssertion(assertion: XmlElement): VerifiedAssertion {
  return verifyAssertion(assertion, { trustedSigners: samlTrustStoreFromPem(readFileSync(iniPki.signCert, 'utf8'), ['000']), allowedIssuers: ['000'] });
}

export const OPERATOR = 'VRDMRC67T20I257E^^^&2.16.840.1.113883.2.9.4.3.2&ISO';

/** An assertion of a caller of INI: a Lazio operator publishing for `patient`, as the Gateway sends it (digest 7.3). */
export function callerAssertionInput(patient: string, attributes: Partial<AssertionInput['attributes']> = {}, overrides: Partial<AssertionInput> = {}): AssertionInput {
  return {
    issuer: '120',
    subjectNameId: OPERATOR,
    ...overrides,
    attributes: {
      patientConsent: true,
      role: 'AAS',
      subjectId: OPERATOR,
      documentTypes: "('11502-2^^2.16.840.1.113883.6.1')",
      locality: 'LAB^^^^^&2.16.840.1.113883.2.9.4.1.3&ISO^^^^190111123456',
      purposeOfUse: 'TREATMENT',
      organizationId: '120',
      organization: 'Regione Lazio',
      resourceId: patient,
      actionId: 'CREATE',
      applicationId: 'BARMED',
      applicationVendor: 'FOO SPA',
      applicationVersion: 'V.4.2.0',
      subjectAuthenticator: 'GTW_950',
      ...attributes,
    },
  };
}

export function callerAssertion(patient: string, attributes: Partial<AssertionInput['attributes']> = {}, signer: SamlSigner = callerSigner): string {
  return buildSignedAssertion(callerAssertionInput(patient, attributes), signer).xml;
}

/** A caller with a short deadline, for every call of a test file. */
export function testCaller(timeoutMs = 5000): SoapCaller {
  return createSoapCaller({ timeoutMs });
}

/** One SOAP call to INI. */
export function callIni(caller: SoapCaller, url: string, action: string, body: (parent: XmlBuilder) => void, assertionXml?: string): Promise<SoapResponse> {
  return caller.call({ url, action, body, ...(assertionXml === undefined ? {} : { assertionXml }) });
}

export { readResponseBody };

/** Waits until `check` holds (polling), failing after `limitMs`: for the asynchronous retries and INI legs. */
export async function eventually(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

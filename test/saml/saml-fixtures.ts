import assert from 'node:assert/strict';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { XmlC14NMode } from 'libxml2-wasm';
import { SignedXml } from 'xml-crypto';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.ts';
import type { AssertionInput } from '../../src/saml/assertion-builder.ts';
import { buildAssertion } from '../../src/saml/assertion-builder.ts';
import { buildSignedAssertion } from '../../src/saml/assertion-signer.ts';
import { verifyAssertion, type VerifyAssertionOptions } from '../../src/saml/assertion-verifier.ts';
import type { AssertionSource } from '../../src/saml/assertion-document.ts';
import { SamlError, type SamlFailureReason } from '../../src/saml/saml-error.ts';
import { loadSamlSigner, type SamlSigner } from '../../src/saml/saml-signer.ts';
import { samlTrustStoreFromPem } from '../../src/saml/saml-trust-store.ts';
import { DSIG } from '../../src/saml/saml-vocabulary.ts';
import { NS, withXml } from '../../src/xml/xml-toolkit.ts';
import { the } from './xml-surgery.ts';

/**
 * Shared material of the SAML tests: a trusted development PKI (the region that signs) and an attacker's PKI whose
 * signature certificate has the same subject, a sample assertion of digest 7.2, and helpers to sign arbitrary
 * variants with xml-crypto directly.
 */

const tmp = mkdtempSync(path.join(tmpdir(), 'fse-saml-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

export const trustedPki: DevPki = createDevPki(path.join(tmp, 'trusted'));
/** Same default CN as the trusted one, so that its signature certificate has the very same subject. */
export const attackerPki: DevPki = createDevPki(path.join(tmp, 'attacker'));

export const read = (file: string): string => readFileSync(file, 'utf8');

export const trustedSigner: SamlSigner = loadSamlSigner({ certificatePem: read(trustedPki.signCert), privateKeyPem: read(trustedPki.signKey) });
export const attackerSigner: SamlSigner = loadSamlSigner({ certificatePem: read(attackerPki.signCert), privateKeyPem: read(attackerPki.signKey) });

/** A fixed instant inside the validity of the freshly issued certificates (whole seconds). */
export const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

export const OPERATOR = 'VRDMRC67T20I257E^^^&2.16.840.1.113883.2.9.4.3.2&ISO';
export const PATIENT = 'RSSMRA75C03F839K^^^&2.16.840.1.113883.2.9.4.3.2&ISO';

/** An ITI-42 publication by a Lazio operator, as digest 7.3 describes it. */
export function sampleInput(overrides: Partial<AssertionInput> = {}, attributes: Partial<AssertionInput['attributes']> = {}): AssertionInput {
  return {
    issuer: '120',
    subjectNameId: OPERATOR,
    now: NOW,
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
      resourceId: PATIENT,
      actionId: 'CREATE',
      applicationId: 'BARMED',
      applicationVendor: 'FOO SPA',
      applicationVersion: 'V.4.2.0',
      subjectAuthenticator: 'REG_120',
      ...attributes,
    },
  };
}

/** The sample, signed by the trusted signer. */
export function signedSample(overrides: Partial<AssertionInput> = {}, attributes: Partial<AssertionInput['attributes']> = {}): string {
  return buildSignedAssertion(sampleInput(overrides, attributes), trustedSigner).xml;
}

export const options: VerifyAssertionOptions = {
  trustedSigners: samlTrustStoreFromPem(read(trustedPki.signCert), ['120', '000']),
  allowedIssuers: ['120', '000'],
  now: NOW,
};

/** Asserts that verification fails with `reason` (and, when given, a message matching `message`). */
export function refused(source: AssertionSource, reason: SamlFailureReason, message?: RegExp, opts: VerifyAssertionOptions = options): void {
  assert.throws(() => verifyAssertion(source, opts), (error: unknown) => {
    assert.ok(error instanceof SamlError, `expected a SamlError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** How {@link signWith} signs: any algorithm xml-crypto knows, any reference, with or without KeyInfo. */
export interface RawSignature {
  readonly signer?: SamlSigner;
  readonly signatureAlgorithm?: string;
  readonly digestAlgorithm?: string;
  /** XPath of the referenced element; default the Assertion. */
  readonly reference?: string;
  /** Whether KeyInfo carries the certificate; default true. */
  readonly keyInfo?: boolean;
  /** Namespace prefix of the Signature elements; default `ds`, `''` for the default namespace. */
  readonly prefix?: string;
  /** Where the Signature goes; default right after Issuer. */
  readonly location?: { reference: string; action: 'append' | 'prepend' | 'before' | 'after' };
}

const ASSERTION = `/*[local-name(.)='Assertion' and namespace-uri(.)='${NS.saml2}']`;
export const AFTER_ISSUER = { reference: `${ASSERTION}/*[local-name(.)='Issuer']`, action: 'after' } as const;

/** Signs `xml` with xml-crypto directly, for variants the project's signer would never produce. */
export function signWith(xml: string, raw: RawSignature = {}): string {
  const signer = raw.signer ?? trustedSigner;
  const sig = new SignedXml({
    privateKey: signer.privateKey,
    publicCert: raw.keyInfo === false ? undefined : signer.certificatePem,
    signatureAlgorithm: raw.signatureAlgorithm ?? DSIG.rsaSha256,
    canonicalizationAlgorithm: DSIG.excC14n,
  });
  sig.addReference({
    xpath: raw.reference ?? ASSERTION,
    transforms: [DSIG.envelopedSignature, DSIG.excC14n],
    digestAlgorithm: raw.digestAlgorithm ?? DSIG.sha256,
    inclusiveNamespacesPrefixList: ['xs'],
  });
  sig.computeSignature(xml, { prefix: raw.prefix ?? 'ds', location: raw.location ?? AFTER_ISSUER });
  return sig.getSignedXml();
}

/** The unsigned sample's XML, as the builder writes it. */
export function unsignedSample(overrides: Partial<AssertionInput> = {}, attributes: Partial<AssertionInput['attributes']> = {}): string {
  return buildAssertion(sampleInput(overrides, attributes)).xml;
}

/**
 * Whether plain xml-crypto, given the trusted certificate and nothing else, accepts the signature: an independent
 * check of good signatures, and the proof that an attack refused by the verifier is real.
 */
export function xmlCryptoAlone(xml: string, certificatePem: string = trustedSigner.certificatePem): boolean {
  return plainCheck(xml, new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null }));
}

/** Plain xml-crypto configured the unsafe way: the key taken from KeyInfo (what CVE-2024-32962 was about). */
export function xmlCryptoTrustingKeyInfo(xml: string): boolean {
  return plainCheck(xml, new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo }));
}

function plainCheck(xml: string, sig: SignedXml): boolean {
  const signature = withXml(xml, (doc) => the(doc, '(//ds:Signature)[1]').canonicalizeToString({ mode: XmlC14NMode.XML_C14N_EXCLUSIVE_1_0 }));
  sig.loadSignature(signature);
  try {
    return sig.checkSignature(xml);
  } catch {
    return false;
  }
}

import { mkdtempSync, readFileSync } from 'node:fs';
import { after, before, beforeEach } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { mintGatewayTokens } from '../../src/jwt/mint-tokens.js';
import { startGatewaySimulator, type GatewaySimulator, type GatewaySimulatorOptions } from '../../src/simulators/gateway/gateway-simulator.js';
import { AUDIENCE, samplePdf } from '../support/bridge-harness.js';

export { AUDIENCE };

/** A signature certificate and key, PEM. */
export interface Signer {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A development PKI in a fresh temporary directory. */
export function freshPki(cn?: string): DevPki {
  return createDevPki(path.join(mkdtempSync(path.join(os.tmpdir(), 'fse-gw-sim-')), 'pki'), cn ? { cn } : {});
}

export function signerOf(pki: DevPki): Signer {
  return { certPem: readFileSync(pki.signCert, 'utf8'), keyPem: readFileSync(pki.signKey, 'utf8') };
}

/** Both producer tokens for the given claim overrides (and `attachment_hash` of `pdf` when given). */
export function producerTokens(signer: Signer, overrides: Record<string, unknown> = {}, pdf?: Uint8Array) {
  return mintGatewayTokens({
    signerCertPem: signer.certPem, signerKeyPem: signer.keyPem, claims: sampleClaims(overrides), pdf,
    audience: AUDIENCE, lifetimeSeconds: 3600,
  });
}

/** Claim overrides per operation. See: Gateway API digest, 5.4. */
export const CLAIMS = {
  validation: {},
  create: {},
  replace: { action_id: 'UPDATE', purpose_of_use: 'UPDATE' },
  update: { action_id: 'UPDATE', purpose_of_use: 'UPDATE' },
  delete: { action_id: 'DELETE', purpose_of_use: 'UPDATE' },
} as const;

/** A PDF carrying a distinct sample CDA (the validation record is keyed by the CDA). */
export function cdaPdf(docExtension: string): Promise<Uint8Array> {
  return samplePdf(buildSampleCda({ docExtension }));
}

/** The document id of a sample document. */
export const docId = (ext: string) => `2.16.840.1.113883.2.9.2.120.4.4^${ext}`;

/** A creation body (`requestBody`) with every mandatory field. See: Gateway API digest, 4. */
export function creationBody(identificativoDoc: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    healthDataFormat: 'CDA', mode: 'ATTACHMENT', tipologiaStruttura: 'Ospedale', identificativoDoc,
    identificativoRep: '2.16.840.1.113883.2.9.2.120.4.5.1', tipoDocumentoLivAlto: 'LDO', assettoOrganizzativo: 'AD_PSC001',
    tipoAttivitaClinica: 'CON', identificativoSottomissione: '2.16.840.1.113883.2.9.2.120.4.3.1', ...extra,
  });
}

/**
 * Inside a describe: one simulator for the suite, trusting a fresh PKI whose producer signs the tests' tokens, reset
 * before each test. `use` receives them once started.
 */
export function simulatorPerSuite(use: (suite: { sim: GatewaySimulator; pki: DevPki; producer: Signer }) => void): void {
  let sim: GatewaySimulator | undefined;
  before(async () => {
    const pki = freshPki();
    sim = await startSimulator([pki.caCert]);
    use({ sim, pki, producer: signerOf(pki) });
  });
  after(async () => sim?.stop());
  beforeEach(async () => sim?.control.reset());
}

/** A started simulator trusting the given CAs, with the national audience. */
export function startSimulator(trustedCaFiles: readonly string[], options: GatewaySimulatorOptions = {}): Promise<GatewaySimulator> {
  return startGatewaySimulator({
    trustedCaPem: trustedCaFiles.map((f) => readFileSync(f, 'utf8')).join('\n'),
    audience: [AUDIENCE],
    ...options,
  });
}

export interface JsonAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** A multipart call as producers' HTTP clients make it. */
export async function postMultipart(
  url: string, method: 'POST' | 'PUT', pdf: Uint8Array, requestBody: string, headers: Record<string, string>,
): Promise<JsonAnswer> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'doc.pdf');
  form.append('requestBody', requestBody);
  const res = await fetch(url, { method, body: form, headers });
  return { status: res.status, headers: res.headers, body: JSON.parse(await res.text()) as Record<string, unknown> };
}

/** A call without a multipart body. */
export async function call(url: string, method: string, headers: Record<string, string>, body?: string): Promise<JsonAnswer> {
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** Header pair of a token set. */
export function tokenHeaders(t: { authorization: string; signature: string }): Record<string, string> {
  return { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature };
}

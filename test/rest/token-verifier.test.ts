import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { FseError } from '../../src/errors/fse-error.js';
import { loadTrustAnchors } from '../../src/jwt/trust-store.js';
import { mintGatewayTokens } from '../../src/jwt/mint-tokens.js';
import { createTokenVerifier } from '../../src/rest/token-verifier.js';

const pki = createDevPki(path.join(mkdtempSync(path.join(os.tmpdir(), 'verifier-')), 'pki'));
const verifier = createTokenVerifier({ trustAnchors: loadTrustAnchors(pki.caCert), clockSkewSeconds: 30, allowSpecialFiscalCodes: false });

async function headersFor(pdf: Uint8Array, claims: Record<string, unknown>) {
  const t = await mintGatewayTokens({
    signerCertPem: readFileSync(pki.signCert, 'utf8'), signerKeyPem: readFileSync(pki.signKey, 'utf8'),
    claims, pdf, audience: 'https://example.invalid/v1', lifetimeSeconds: 300,
  });
  return { authorization: `Bearer ${t.authorization}`, 'fse-jwt-signature': t.signature };
}

describe('token verifier per operation', () => {
  const signed = Buffer.from('%PDF-1.7 signed bytes');
  const other = Buffer.from('%PDF-1.7 other bytes');

  test('publication: attachment_hash must be the SHA-256 of the uploaded file', async () => {
    const headers = await headersFor(signed, sampleClaims());
    const claims = await verifier.verifyFor('create', headers, signed);
    assert.equal(claims.subject_role, 'AAS');
    await assert.rejects(verifier.verifyFor('create', headers, other), (err: unknown) =>
      err instanceof FseError && err.code === 'documentHash');
  });

  test('validation does not compare attachment_hash, as the Gateway', async () => {
    const headers = await headersFor(signed, sampleClaims());
    const claims = await verifier.verifyFor('validation', headers, other);
    assert.equal(claims.action_id, 'CREATE');
  });

  test('claims are checked for the operation: DELETE is not a validation action', async () => {
    const headers = await headersFor(signed, sampleClaims({ action_id: 'DELETE' }));
    await assert.rejects(verifier.verifyFor('validation', headers, signed), (err: unknown) =>
      err instanceof FseError && err.code === 'jwtValidation' && /action_id/.test(err.detail));
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { sampleClaims } from '../../src/dev/sample-claims.js';
import { mintGatewayTokens } from '../../src/jwt/mint-tokens.js';
import { AUDIENCE, authHeaders, postValidation, samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { attachmentPdf, buildPdf, invalidUtf8Cda, truncatedPdf, utf8 } from '../support/pdf-builders.js';

const VERIFICA = '{"activity":"VERIFICA","mode":"ATTACHMENT"}';

describe('hostile input on POST /v1/documents/validation', () => {
  let h: Harness;
  before(async () => {
    h = await startBridge();
  });
  after(async () => h.stop());

  test('a 20 MB upload is refused with 413 and nothing is processed', async () => {
    const big = new Uint8Array(20 * 1024 * 1024);
    big.set(utf8('%PDF-1.7\n'));
    const res = await postValidation(h, { pdf: big, requestBody: VERIFICA, headers: await authHeaders(h) });
    assert.equal(res.status, 413);
    assert.equal(res.body.title, 'Payload Too Large');
    assert.equal(res.body.instance, '/v1/documents/validation');
  });

  test('an external entity (XXE) in the CDA is never resolved: 400 /msg/syntax, file content absent', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xxe-'));
    const secret = path.join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-MARKER');
    const cda = buildSampleCda().replace('<?xml version="1.0" encoding="UTF-8"?>',
      `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file://${secret}">]>`)
      .replace('Documento di esempio', '&xxe;');
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: VERIFICA, headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/syntax');
    assert.match(String(res.body.detail), /DOCTYPE/);
    assert.doesNotMatch(JSON.stringify(res.body), /TOP-SECRET-MARKER/);
  });

  test('entity expansion (billion laughs) is refused before any expansion', async () => {
    const lol = ['<!ENTITY l0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`)].join('');
    const cda = buildSampleCda().replace('<?xml version="1.0" encoding="UTF-8"?>',
      `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE ClinicalDocument [${lol}]>`).replace('Documento di esempio', '&l9;');
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: VERIFICA, headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/syntax');
  });

  test('a CDA that is not well-formed answers 400 /msg/syntax', async () => {
    const cda = buildSampleCda().replace('</ClinicalDocument>', '');
    const res = await postValidation(h, { pdf: await samplePdf(cda), requestBody: VERIFICA, headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/syntax');
  });

  test('a truncated PDF answers 400 /msg/cda-element', async () => {
    const res = await postValidation(h, { pdf: await truncatedPdf(), requestBody: VERIFICA, headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/cda-element');
  });

  test('a CDA that is not valid UTF-8 answers 400 /msg/cda-element', async () => {
    const res = await postValidation(h, { pdf: await attachmentPdf(invalidUtf8Cda()), requestBody: VERIFICA, headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/cda-element');
  });

  test('two different cda.xml candidates answer 400 /msg/cda-element', async () => {
    const pdf = await buildPdf({ attachments: [
      { key: 'cda.xml', bytes: utf8(buildSampleCda({ docExtension: 'A' })) },
      { key: 'cda.xml', bytes: utf8(buildSampleCda({ docExtension: 'B' })) },
    ] });
    const res = await postValidation(h, { pdf, requestBody: VERIFICA, headers: await authHeaders(h) });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, '/msg/cda-element');
  });

  test('a signed PDF validates with the Gateway SIGN_WARN warning', async () => {
    const pdf = await buildPdf({ attachments: [{ key: 'cda.xml', bytes: utf8(buildSampleCda()) }], signed: true });
    const res = await postValidation(h, { pdf, requestBody: VERIFICA, headers: await authHeaders(h) });
    assert.equal(res.status, 200);
    assert.equal(res.body.warning, '[SIGN_WARN - Attenzione il documento risulta firmato in validazione]');
  });

  test('a forged token (payload swapped) answers 401 with GovWay\'s WWW-Authenticate', async () => {
    const good = await h.tokens();
    const other = await h.tokens(sampleClaims({ subject_role: 'APR' }));
    const [head, , sig] = good.signature.split('.');
    const forged = `${head}.${other.signature.split('.')[1]}.${sig}`;
    const res = await postValidation(h, { pdf: await samplePdf(), requestBody: VERIFICA,
      headers: { Authorization: `Bearer ${good.authorization}`, 'FSE-JWT-Signature': forged } });
    assert.equal(res.status, 401);
    assert.equal(res.body.title, 'TokenAuthenticationFailed');
    assert.match(res.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  test('expired tokens and tokens from an untrusted CA answer 401', async () => {
    const signerCertPem = readFileSync(h.pki.signCert, 'utf8');
    const signerKeyPem = readFileSync(h.pki.signKey, 'utf8');
    const expired = await mintGatewayTokens({ signerCertPem, signerKeyPem, claims: sampleClaims(), audience: AUDIENCE,
      lifetimeSeconds: 60, now: new Date(Date.now() - 2 * 3600_000) });
    const rogue = createDevPki(path.join(mkdtempSync(path.join(os.tmpdir(), 'rogue-')), 'pki'));
    const untrusted = await mintGatewayTokens({ signerCertPem: readFileSync(rogue.signCert, 'utf8'),
      signerKeyPem: readFileSync(rogue.signKey, 'utf8'), claims: sampleClaims(), audience: AUDIENCE, lifetimeSeconds: 600 });
    for (const t of [expired, untrusted]) {
      const res = await postValidation(h, { pdf: await samplePdf(), requestBody: VERIFICA,
        headers: { Authorization: `Bearer ${t.authorization}`, 'FSE-JWT-Signature': t.signature } });
      assert.equal(res.status, 401);
    }
  });

  test('alg none is refused', async () => {
    const good = await h.tokens();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${good.signature.split('.')[1]}.`;
    const res = await postValidation(h, { pdf: await samplePdf(), requestBody: VERIFICA,
      headers: { Authorization: `Bearer ${good.authorization}`, 'FSE-JWT-Signature': none } });
    assert.equal(res.status, 401);
  });

  test('missing FSE-JWT-Signature answers 403 /msg/missing-token', async () => {
    const t = await h.tokens();
    const res = await postValidation(h, { pdf: await samplePdf(), requestBody: VERIFICA, headers: { Authorization: `Bearer ${t.authorization}` } });
    assert.equal(res.status, 403);
    assert.equal(res.body.type, '/msg/missing-token');
  });

  test('JWT claims that do not match the CDA answer 403 with the Gateway instances', async () => {
    const person = await postValidation(h, { pdf: await samplePdf(), requestBody: VERIFICA,
      headers: await authHeaders(h, sampleClaims({ person_id: 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO' })) });
    assert.equal(person.status, 403);
    assert.equal(person.body.instance, '/jwt-person-id');
    const type = await postValidation(h, { pdf: await samplePdf(), requestBody: VERIFICA,
      headers: await authHeaders(h, sampleClaims({ resource_hl7_type: "('11502-2^^2.16.840.1.113883.6.1')" })) });
    assert.equal(type.status, 403);
    assert.equal(type.body.instance, '/jwt-document-type');
    assert.match(String(type.body.workflowInstanceId), /\^\^\^\^urn:ihe:iti:xdw:2013:workflowInstanceId$/);
  });

  test('a wrong Content-Type answers 415', async () => {
    const res = await fetch(`${h.baseUrl}/v1/documents/validation`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 415);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
  });
});

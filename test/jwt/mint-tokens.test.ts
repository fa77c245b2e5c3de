import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createDevPki } from '../../src/certs/dev-ca.ts';
import { DEFAULT_AUDIENCE, run } from '../../src/cli/commands/jwt.ts';
import { mintGatewayTokens } from '../../src/jwt/mint-tokens.ts';
import { sha256Hex } from '../../src/pdf/hashes.ts';
import { loadTrustAnchors } from '../../src/jwt/trust-store.ts';
import { verifyGatewayTokens } from '../../src/jwt/verify-tokens.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'fse-mint-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const pki = createDevPki(path.join(tmp, 'pki'), { orgCode: '190' });
const CN = 'S1#190201234567XX';
const read = (file: string) => readFileSync(file, 'utf8');
const pdf = new TextEncoder().encode('%PDF-1.7\n% a tiny test file\n');

describe('mintGatewayTokens', () => {
  const now = new Date('2026-11-01T08:00:00.750Z');
  const minted = mintGatewayTokens({
    signerCertPem: read(pki.signCert), signerKeyPem: read(pki.signKey), audience: DEFAULT_AUDIENCE, lifetimeSeconds: 600, now, pdf,
    claims: { sub: 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO', action_id: 'CREATE', iss: 'ignored', jti: 'fixed' },
  });

  test('header is RS256/JWT with the signing certificate in x5c', async () => {
    const { authorization, signature } = await minted;
    for (const token of [authorization, signature]) {
      const header = decodeProtectedHeader(token);
      assert.equal(header.alg, 'RS256');
      assert.equal(header.typ, 'JWT');
      assert.deepEqual(header.x5c, [new X509Certificate(read(pki.signCert)).raw.toString('base64')]);
    }
  });

  test('iss carries the auth:/integrity: prefix and the CN; times are seconds', async () => {
    const { authorization, signature } = await minted;
    const auth = decodeJwt(authorization);
    const sig = decodeJwt(signature);
    assert.equal(auth.iss, `auth:${CN}`);
    assert.equal(sig.iss, `integrity:${CN}`);
    assert.equal(auth.iat, 1793520000);
    assert.equal(sig.exp, 1793520000 + 600);
    assert.equal(auth.aud, DEFAULT_AUDIENCE);
    assert.equal(auth.sub, 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO');
    assert.equal(auth.action_id, undefined, 'application claims stay out of the Bearer token');
    assert.equal(sig.action_id, 'CREATE');
  });

  test('jti is random per token, not taken from the caller', async () => {
    const { authorization, signature } = await minted;
    const a = decodeJwt(authorization).jti;
    const s = decodeJwt(signature).jti;
    assert.ok(a && s && a !== s && s !== 'fixed');
  });

  test('attachment_hash is the SHA-256 hex of the PDF', async () => {
    const { signature } = await minted;
    assert.equal(decodeJwt(signature).attachment_hash, sha256Hex(pdf));
    assert.match(sha256Hex(pdf), /^[0-9a-f]{64}$/);
  });
});

describe('fse-bridge jwt', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) } };
  };

  test('prints both tokens and the -H form; the tokens verify against the dev CA', async () => {
    const pdfFile = path.join(tmp, 'doc.pdf');
    const claimsFile = path.join(tmp, 'claims.json');
    writeFileSync(pdfFile, pdf);
    writeFileSync(claimsFile, JSON.stringify({ sub: 'RSSMRA80A01H501U', subject_role: 'AAS', action_id: 'UPDATE' }));
    const c = capture();
    const code = await run(['--cert', pki.signCert, '--key', pki.signKey, '--pdf', pdfFile, '--claims', claimsFile,
      '--claim', 'patient_consent=true', '--claim', 'subject_role=DRS', '--action', 'CREATE', '--aud', 'https://gw.test/v1'], c.io);
    assert.equal(code, 0, c.err.join('\n'));
    const text = c.out.join('\n');
    const bearer = /^Authorization: Bearer (\S+)$/m.exec(text)?.[1];
    const signature = /^FSE-JWT-Signature: (\S+)$/m.exec(text)?.[1];
    assert.ok(bearer && signature);
    assert.ok(text.includes(`-H "Authorization: Bearer ${bearer}" -H "FSE-JWT-Signature: ${signature}"`));
    const verified = await verifyGatewayTokens({ authorization: `Bearer ${bearer}`, signature },
      { trustAnchors: loadTrustAnchors(pki.caCert), clockSkewSeconds: 30, audience: ['https://gw.test/v1'] });
    assert.deepEqual(
      [verified.signature?.claims.subject_role, verified.signature?.claims.action_id, verified.signature?.claims.patient_consent],
      ['DRS', 'CREATE', true]);
    assert.equal(verified.signature?.claims.attachment_hash, sha256Hex(pdf));
  });

  test('usage errors exit 2, unreadable files exit 1', async () => {
    assert.equal(await run([], capture().io), 2);
    assert.equal(await run(['--cert', pki.signCert], capture().io), 2);
    assert.equal(await run(['--cert', pki.signCert, '--key', pki.signKey, '--claim', 'novalue'], capture().io), 2);
    assert.equal(await run(['--cert', pki.signCert, '--key', pki.signKey, '--lifetime', '0'], capture().io), 2);
    const c = capture();
    assert.equal(await run(['--cert', pki.signCert, '--key', path.join(tmp, 'missing.pem')], c.io), 1);
    assert.match(c.err.join('\n'), /jwt failed/);
  });
});

describe('loadTrustAnchors', () => {
  test('refuses a leaf certificate as anchor and a file without certificates', () => {
    assert.throws(() => loadTrustAnchors(pki.signCert), /is not a CA certificate/);
    const empty = path.join(tmp, 'empty.pem');
    writeFileSync(empty, '# nothing\n');
    assert.throws(() => loadTrustAnchors(empty), /contains no certificate/);
  });
  test('reads every certificate of a bundle', () => {
    const other = createDevPki(path.join(tmp, 'other'));
    const bundle = path.join(tmp, 'bundle.pem');
    writeFileSync(bundle, `# two anchors\n${read(pki.caCert)}\n${read(other.caCert)}`);
    assert.equal(loadTrustAnchors(bundle).length, 2);
  });
});

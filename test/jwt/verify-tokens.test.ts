import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { SignJWT, decodeJwt, type JWTPayload } from 'jose';
import forge from 'node-forge';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.ts';
import type { ErrorCode } from '../../src/errors/catalogue.ts';
import { FseError } from '../../src/errors/fse-error.ts';
import { mintGatewayTokens } from '../../src/jwt/mint-tokens.ts';
import { loadTrustAnchors } from '../../src/jwt/trust-store.ts';
import { verifyGatewayTokens, type GatewayTokenHeaders, type VerifyTokensOptions } from '../../src/jwt/verify-tokens.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'fse-jwt-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const pki = createDevPki(path.join(tmp, 'a'));
const other = createDevPki(path.join(tmp, 'b'));
const read = (file: string) => readFileSync(file, 'utf8');
const CN = 'S1#120201234567XX';
const AUD = 'https://modipa-val.fse.salute.gov.it/govway/rest/in/FSE/gateway/v1';
/** A fixed instant inside the validity of the freshly issued certificates. */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const claims = { sub: 'RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO', action_id: 'CREATE', patient_consent: true };
const options: VerifyTokensOptions = { trustAnchors: loadTrustAnchors(pki.caCert), now: NOW, clockSkewSeconds: 60, audience: [AUD] };

async function mint(from: DevPki = pki, extra: { now?: Date; lifetimeSeconds?: number } = {}) {
  return mintGatewayTokens({
    signerCertPem: read(from.signCert), signerKeyPem: read(from.signKey), claims, audience: AUD,
    lifetimeSeconds: extra.lifetimeSeconds ?? 3600, now: extra.now ?? NOW,
  });
}
const headers = (t: { authorization: string; signature: string }): GatewayTokenHeaders =>
  ({ authorization: `Bearer ${t.authorization}`, signature: t.signature });
const der = (pemFile: string) => new X509Certificate(read(pemFile)).raw.toString('base64');

/** Signs an arbitrary header and payload, for tokens the minter would never produce. */
function signRaw(header: Record<string, unknown>, payload: JWTPayload, keyPem = read(pki.signKey)): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', ...header }).sign(createPrivateKey(keyPem));
}
const t0 = Math.floor(NOW.getTime() / 1000);
const payloadFor = (prefix: string): JWTPayload =>
  ({ ...claims, iss: `${prefix}:${CN}`, aud: AUD, jti: 'j1', iat: t0, exp: t0 + 3600 });

/** Asserts rejection with the given code; for tokenAuthentication, also that the logged reason mentions `reason`. */
async function refused(h: GatewayTokenHeaders, code: ErrorCode, reason?: RegExp, opts = options): Promise<void> {
  await assert.rejects(verifyGatewayTokens(h, opts), (error: unknown) => {
    assert.ok(error instanceof FseError, String(error));
    assert.equal(error.code, code);
    if (code === 'tokenAuthentication') assert.equal(error.detail, 'Invalid token');
    if (reason) assert.match(String((error.cause as Error | undefined)?.message), reason);
    return true;
  });
}

describe('verifyGatewayTokens: good tokens', () => {
  test('minted tokens verify and expose the signer and the typed claims', async () => {
    const t = await mint();
    const v = await verifyGatewayTokens(headers(t), options);
    assert.equal(v.authorization.signerCn, CN);
    assert.equal(v.authorization.payload.iss, `auth:${CN}`);
    assert.equal(v.signature?.payload.iss, `integrity:${CN}`);
    assert.equal(v.signature?.claims.action_id, 'CREATE');
    assert.equal(v.signature?.claims.patient_consent, true);
  });

  test('the FSE-JWT-Signature header tolerates a Bearer prefix', async () => {
    const t = await mint();
    const v = await verifyGatewayTokens({ ...headers(t), signature: `Bearer ${t.signature}` }, options);
    assert.equal(v.signature?.signerCn, CN);
  });

  test('without an audience option any aud is accepted', async () => {
    const t = await mint();
    await verifyGatewayTokens(headers(t), { ...options, audience: undefined });
    await refused(headers(t), 'tokenAuthentication', /aud/, { ...options, audience: ['https://elsewhere/v1'] });
  });

  test('status GETs may omit the signature token when asked', async () => {
    const t = await mint();
    const v = await verifyGatewayTokens({ authorization: `Bearer ${t.authorization}` }, { ...options, requireSignature: false });
    assert.equal(v.signature, undefined);
  });

  test('a chain through an x5c intermediate CA verifies; without the intermediate it does not', async () => {
    const ca = { cert: forge.pki.certificateFromPem(read(pki.caCert)), key: forge.pki.privateKeyFromPem(read(pki.caKey)) as forge.pki.rsa.PrivateKey };
    const inter = issue('Intermediate CA', true, ca);
    const leaf = issue(CN, false, inter);
    writeFileSync(path.join(tmp, 'inter.pem'), forge.pki.certificateToPem(inter.cert));
    const t = await mintGatewayTokens({
      signerCertPem: forge.pki.certificateToPem(leaf.cert), signerKeyPem: forge.pki.privateKeyToPem(leaf.key),
      chainPem: [forge.pki.certificateToPem(inter.cert)], claims, audience: AUD, lifetimeSeconds: 600, now: NOW,
    });
    await verifyGatewayTokens(headers(t), options);
    const alone = await mintGatewayTokens({
      signerCertPem: forge.pki.certificateToPem(leaf.cert), signerKeyPem: forge.pki.privateKeyToPem(leaf.key),
      claims, audience: AUD, lifetimeSeconds: 600, now: NOW,
    });
    await refused(headers(alone), 'tokenAuthentication', /does not chain to a trust anchor/);
  });
});

describe('verifyGatewayTokens: refused tokens', () => {
  test('forged signature', async () => {
    const t = await mint();
    const [h, , s] = t.signature.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(t.signature), action_id: 'DELETE' })).toString('base64url');
    await refused({ ...headers(t), signature: `${h}.${forgedPayload}.${s}` }, 'tokenAuthentication', /FSE-JWT-Signature: verification failed/);
    const flipped = s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`;
    await refused({ ...headers(t), authorization: `Bearer ${t.authorization.split('.').slice(0, 2).join('.')}.${flipped}` },
      'tokenAuthentication', /Authorization: verification failed/);
  });

  test('alg none', async () => {
    const t = await mint();
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${enc({ alg: 'none', typ: 'JWT', x5c: [der(pki.signCert)] })}.${enc(payloadFor('integrity'))}.`;
    await refused({ ...headers(t), signature: none }, 'tokenAuthentication', /algorithm none is not allowed/);
  });

  test('HS256 keyed with the public key', async () => {
    const t = await mint();
    const secret = new X509Certificate(read(pki.signCert)).publicKey.export({ type: 'spki', format: 'pem' });
    const hs = await new SignJWT(payloadFor('integrity')).setProtectedHeader({ alg: 'HS256', typ: 'JWT', x5c: [der(pki.signCert)] })
      .sign(Buffer.from(secret));
    await refused({ ...headers(t), signature: hs }, 'tokenAuthentication', /algorithm HS256 is not allowed/);
  });

  test('ES256 is refused', async () => {
    const t = await mint();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const es = await new SignJWT(payloadFor('integrity')).setProtectedHeader({ alg: 'ES256', x5c: [der(pki.signCert)] }).sign(privateKey);
    await refused({ ...headers(t), signature: es }, 'tokenAuthentication', /algorithm ES256/);
  });

  test('expired, beyond the clock skew', async () => {
    const t = await mint(pki, { now: new Date(NOW.getTime() - 3600_000 - 61_000) });
    await refused(headers(t), 'tokenAuthentication', /Authorization: verification failed.*exp/);
    const withinSkew = await mint(pki, { now: new Date(NOW.getTime() - 3600_000 - 30_000) });
    await verifyGatewayTokens(headers(withinSkew), options);
  });

  test('not yet valid: iat in the future, or nbf in the future', async () => {
    const t = await mint(pki, { now: new Date(NOW.getTime() + 120_000) });
    await refused(headers(t), 'tokenAuthentication', /iat is in the future/);
    const good = await mint();
    const nbf = await signRaw({ typ: 'JWT', x5c: [der(pki.signCert)] }, { ...payloadFor('integrity'), nbf: t0 + 600 });
    await refused({ ...headers(good), signature: nbf }, 'tokenAuthentication', /nbf/);
  });

  test('signing certificate outside its validity period', async () => {
    const later = new Date(NOW.getTime() + 3 * 365 * 86_400_000);
    const t = await mint(pki, { now: later });
    await refused(headers(t), 'tokenAuthentication', /signing certificate .* outside its validity period/, { ...options, now: later });
  });

  test('signed by another CA (untrusted chain)', async () => {
    const t = await mint(other);
    await refused(headers(t), 'tokenAuthentication', /does not chain to a trust anchor/);
  });

  test('x5c missing', async () => {
    const good = await mint();
    const noX5c = await signRaw({ typ: 'JWT' }, payloadFor('integrity'));
    await refused({ ...headers(good), signature: noX5c }, 'tokenAuthentication', /x5c is missing/);
  });

  test('x5c certificate not matching the signing key', async () => {
    const good = await mint();
    const mismatched = await signRaw({ typ: 'JWT', x5c: [der(pki.signCert)] }, payloadFor('integrity'), read(other.signKey));
    await refused({ ...headers(good), signature: mismatched }, 'tokenAuthentication', /verification failed/);
  });

  test('wrong iss prefix or CN', async () => {
    const good = await mint();
    const swapped = await signRaw({ typ: 'JWT', x5c: [der(pki.signCert)] }, { ...payloadFor('integrity'), sub: claims.sub });
    await refused({ ...headers(good), authorization: `Bearer ${swapped}` }, 'tokenAuthentication', /iss integrity:.* is not auth:/);
    const otherCn = await signRaw({ typ: 'JWT', x5c: [der(pki.signCert)] }, { ...payloadFor('integrity'), iss: 'integrity:S1#999' });
    await refused({ ...headers(good), signature: otherCn }, 'tokenAuthentication', /iss integrity:S1#999/);
  });

  test('Authorization not in Bearer form', async () => {
    const t = await mint();
    await refused({ authorization: t.authorization, signature: t.signature }, 'tokenAuthentication', /Bearer/);
    await refused({ signature: t.signature }, 'tokenAuthentication', /Authorization header is missing/);
  });

  test('missing or empty FSE-JWT-Signature is /msg/missing-token', async () => {
    const t = await mint();
    for (const signature of [undefined, '', '  ', 'Bearer ']) {
      await assert.rejects(verifyGatewayTokens({ authorization: `Bearer ${t.authorization}`, signature }, options), (e: unknown) =>
        e instanceof FseError && e.code === 'missingToken' && e.detail === 'Attenzione il jwt fornito risulta essere vuoto');
    }
  });

  test('an undecodable FSE-JWT-Signature payload is /msg/mandatory-element-token', async () => {
    const t = await mint();
    await refused({ ...headers(t), signature: 'abc.%%%.def' }, 'mandatoryElementToken');
    const notJson = `${t.signature.split('.')[0]}.${Buffer.from('not json').toString('base64url')}.x`;
    await refused({ ...headers(t), signature: notJson }, 'mandatoryElementToken');
  });
});

/** Issues an RSA certificate with forge (for the intermediate-CA case the dev PKI does not produce). */
function issue(cn: string, isCa: boolean, issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = isCa ? '0a01' : '0a02';
  cert.validity.notBefore = new Date(NOW.getTime() - 86_400_000);
  cert.validity.notAfter = new Date(NOW.getTime() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer(issuer.cert.subject.attributes);
  cert.setExtensions([{ name: 'basicConstraints', cA: isCa }]);
  cert.sign(issuer.key, forge.md.sha256.create());
  return { cert, key };
}

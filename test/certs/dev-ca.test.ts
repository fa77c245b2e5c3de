import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import forge from 'node-forge';
import { createDevPki, defaultProducerCn, DEV_P12_PASSWORD, positiveSerial } from '../../src/certs/dev-ca.ts';
import { run } from '../../src/cli/commands/certs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'fse-dev-pki-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cert = (file: string) => new X509Certificate(readFileSync(file));

describe('createDevPki', () => {
  const pki = createDevPki(dir, { orgCode: '190' });

  test('writes every file of the PKI', () => {
    assert.equal(pki.created.length, 9);
    for (const file of pki.created) assert.ok(statSync(file).size > 0, file);
  });

  test('the CA is a CA and issued the three leaves, which are not CAs', () => {
    const ca = cert(pki.caCert);
    assert.equal(ca.ca, true);
    for (const file of [pki.authCert, pki.signCert, pki.serverCert]) {
      const leaf = cert(file);
      assert.equal(leaf.ca, false, file);
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), file);
    }
  });

  test('producer certificates carry the S1# CN of the organization', () => {
    assert.equal(defaultProducerCn('190'), 'S1#190201234567XX');
    assert.match(cert(pki.signCert).subject, /^CN=S1#190201234567XX$/m);
    assert.match(cert(pki.authCert).subject, /^CN=S1#190201234567XX$/m);
  });

  test('key usages follow the authentication/signature split', () => {
    const auth = forge.pki.certificateFromPem(readFileSync(pki.authCert, 'utf8'));
    const sign = forge.pki.certificateFromPem(readFileSync(pki.signCert, 'utf8'));
    assert.equal((auth.getExtension('extKeyUsage') as { clientAuth?: boolean }).clientAuth, true);
    const usage = sign.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean; keyCertSign?: boolean };
    assert.equal(usage.digitalSignature, true);
    assert.equal(usage.nonRepudiation, true);
    assert.ok(!usage.keyCertSign);
    assert.equal(sign.getExtension('extKeyUsage'), null);
    assert.equal(sign.siginfo.algorithmOid, forge.pki.oids.sha256WithRSAEncryption);
    assert.equal((sign.publicKey as forge.pki.rsa.PublicKey).n.bitLength(), 2048);
  });

  test('the server certificate is for localhost', () => {
    const server = cert(pki.serverCert);
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
  });

  test('sign.p12 opens with the documented password and holds the signature key', () => {
    const der = readFileSync(pki.signP12).toString('binary');
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), DEV_P12_PASSWORD);
    const bagType = forge.pki.oids.pkcs8ShroudedKeyBag as string;
    const key = p12.getBags({ bagType })[bagType]?.[0]?.key as forge.pki.rsa.PrivateKey | undefined;
    const signCert = forge.pki.certificateFromPem(readFileSync(pki.signCert, 'utf8'));
    assert.ok(key);
    assert.equal(key.n.toString(16), (signCert.publicKey as forge.pki.rsa.PublicKey).n.toString(16));
    assert.throws(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), 'wrong'));
  });

  test('is idempotent: a second run keeps every file', () => {
    const before = readFileSync(pki.signCert, 'utf8');
    const again = createDevPki(dir);
    assert.deepEqual(again.created, []);
    assert.equal(readFileSync(pki.signCert, 'utf8'), before);
  });

  test('reissues a missing leaf with the existing CA', () => {
    rmSync(pki.serverCert);
    const again = createDevPki(dir);
    assert.deepEqual(again.created, [pki.serverCert, pki.serverKey]);
    assert.ok(cert(pki.serverCert).verify(cert(pki.caCert).publicKey));
  });
});

describe('fse-bridge certs', () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) } };
  };

  test('init DIR writes the PKI and prints the p12 password', async () => {
    const c = capture();
    const target = path.join(dir, 'cli');
    assert.equal(await run(['init', target, '--cn', 'S1#111#TEST'], c.io), 0);
    assert.match(c.out.join('\n'), new RegExp(DEV_P12_PASSWORD));
    assert.match(cert(path.join(target, 'sign.pem')).subject, /^CN=S1#111#TEST$/m);
  });

  test('usage errors exit 2', async () => {
    assert.equal(await run([], capture().io), 2);
    assert.equal(await run(['create', dir], capture().io), 2);
    assert.equal(await run(['init', dir, '--org', '12'], capture().io), 2);
    assert.equal(await run(['init', dir, '--bogus'], capture().io), 2);
  });
});

test('serials are positive, minimal DER INTEGERs: 16 bytes, leading byte 0x01-0x7f (no 0x00 padding OpenSSL refuses)', () => {
  for (let i = 0; i < 5000; i += 1) {
    const serial = positiveSerial();
    assert.match(serial, /^[0-9a-f]{32}$/);
    const first = Number.parseInt(serial.slice(0, 2), 16);
    assert.ok(first >= 0x01 && first <= 0x7f, serial);
  }
});

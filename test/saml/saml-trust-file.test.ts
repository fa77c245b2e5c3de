import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createDevPki } from '../../src/certs/dev-ca.js';
import { loadSamlTrustFile, samlTrustFileJson } from '../../src/saml/saml-trust-file.js';

/**
 * FSE_SAML_TRUST, the binding file: each signer certificate with the Issuers it may sign for, paths relative to the
 * file. Anything else stops the boot with one line naming the file and the problem; the PEM bundle of before the
 * binding is refused with what the file must now be. See: xds-ini digest 7.6.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'fse-saml-trust-file-'));
const ini = createDevPki(path.join(dir, 'ini'), { cn: 'INI' });
const hospital = createDevPki(path.join(dir, 'hospital'));
const pem = (file: string) => readFileSync(file, 'utf8');

let n = 0;
/** Writes `text` as a binding file in its own folder beside the PKIs (so `../ini/...` paths resolve). */
function file(text: string): string {
  const folder = path.join(dir, `case-${(n += 1)}`);
  mkdirSync(folder);
  const name = path.join(folder, 'trust.json');
  writeFileSync(name, text);
  return name;
}

/** Asserts that loading fails with one line matching `message`. */
function refused(name: string, message: RegExp): void {
  assert.throws(() => loadSamlTrustFile(name), (err: Error) => {
    assert.match(err.message, message);
    assert.doesNotMatch(err.message, /\n/, 'one line');
    return true;
  });
}

describe('the SAML trust binding file', () => {
  test('each signer is bound to its issuers; paths are relative to the file, absolute ones too', () => {
    const signers = loadSamlTrustFile(file(samlTrustFileJson([
      { certificate: '../ini/sign.pem', issuers: ['000'] },
      { certificate: hospital.signCert, issuers: ['120', '120', '090'] },
    ], 'INI and a hospital')));
    assert.deepEqual(signers.map((s) => s.issuers), [['000'], ['120', '090']]);
    assert.ok(signers[0]?.certificate.raw.equals(new X509Certificate(pem(ini.signCert)).raw), 'the relative path is read from the file\'s folder');
    assert.ok(signers[1]?.certificate.raw.equals(new X509Certificate(pem(hospital.signCert)).raw));
  });

  test('a PEM bundle, the format before the binding, is refused saying what the file must now be', () => {
    refused(file(`${pem(ini.signCert)}\n${pem(hospital.signCert)}`), /is a PEM bundle, which binds no signer to an Issuer: it must now be a JSON file \{"signers": \[\{"certificate": "ini.pem", "issuers": \["000"\]\}/);
  });

  test('a signer with no issuers, or none at all, or an unknown field', () => {
    refused(file(samlTrustFileJson([{ certificate: '../ini/sign.pem', issuers: [] }])), /invalid: signers\.0\.issuers: every signer lists at least one issuer/);
    refused(file(JSON.stringify({ signers: [{ certificate: '../ini/sign.pem' }] })), /signers\.0\.issuers/);
    refused(file(JSON.stringify({ signers: [] })), /signers: at least one signer is required/);
    refused(file(JSON.stringify({ signers: [{ certificate: '../ini/sign.pem', issuers: ['000'], issuer: '000' }] })), /signers\.0: .*issuer/);
    refused(file('{"signers": '), /is not JSON .*it must be a JSON file/);
  });

  test('a certificate file missing, empty, holding two certificates, or listed twice', () => {
    refused(file(samlTrustFileJson([{ certificate: 'nowhere.pem', issuers: ['000'] }])), /signers\.0\.certificate nowhere\.pem cannot be read \(ENOENT\)/);
    const empty = file(samlTrustFileJson([{ certificate: 'empty.pem', issuers: ['000'] }]));
    writeFileSync(path.join(path.dirname(empty), 'empty.pem'), 'no certificate here');
    refused(empty, /empty\.pem contains no certificate/);
    const two = file(samlTrustFileJson([{ certificate: 'two.pem', issuers: ['000'] }]));
    writeFileSync(path.join(path.dirname(two), 'two.pem'), `${pem(ini.signCert)}\n${pem(ini.caCert)}`);
    refused(two, /two\.pem holds 2 certificates/);
    refused(file(samlTrustFileJson([
      { certificate: '../ini/sign.pem', issuers: ['000'] }, { certificate: ini.signCert, issuers: ['120'] },
    ])), /signers\.1\.certificate .* is listed twice: give it one entry with all its issuers/);
  });
});

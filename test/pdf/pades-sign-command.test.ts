import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEV_P12_PASSWORD } from '../../src/certs/dev-ca.ts';
import { main } from '../../src/cli/main.ts';
import { attachmentPdf } from '../support/pdf-builders.ts';
import { createTestPki, verdictOf } from './pades-support.ts';

/** `fse-bridge sign`: exit 0 written, 1 failure, 2 usage error. See: Gateway API digest, 6.4. */

const { pki } = createTestPki();
const dir = mkdtempSync(path.join(tmpdir(), 'fse-sign-cli-'));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['sign', ...argv], { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err };
}

async function samplePdf(name: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, await attachmentPdf());
  return file;
}

test('--cert/--key writes <name>.signed.pdf that passes the publication check', async () => {
  const pdf = await samplePdf('referto.pdf');
  const result = await cli('--pdf', pdf, '--cert', pki.signCert, '--key', pki.signKey);
  assert.equal(result.code, 0, result.err);
  assert.equal(await verdictOf(await readFile(path.join(dir, 'referto.signed.pdf'))), 'valid');
});

test('--p12/--password with --out', async () => {
  const out = path.join(dir, 'firmato.pdf');
  const result = await cli('--pdf', await samplePdf('p12.pdf'), '--p12', pki.signP12, '--password', DEV_P12_PASSWORD, '--out', out);
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /firmato\.pdf/);
  assert.equal(await verdictOf(await readFile(out)), 'valid');
});

test('failures exit 1: wrong password, key of another certificate, not a PDF', async () => {
  const pdf = await samplePdf('fail.pdf');
  assert.equal((await cli('--pdf', pdf, '--p12', pki.signP12, '--password', 'wrong')).code, 1);
  const mismatch = await cli('--pdf', pdf, '--cert', pki.authCert, '--key', pki.signKey);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.err, /does not belong/);
  const notPdf = await cli('--pdf', pki.caCert, '--cert', pki.signCert, '--key', pki.signKey, '--out', path.join(dir, 'x.pdf'));
  assert.equal(notPdf.code, 1);
  assert.match(notPdf.err, /documentType/);
});

test('usage errors exit 2', async () => {
  assert.equal((await cli()).code, 2);
  assert.equal((await cli('--pdf', 'a.pdf')).code, 2);
  assert.equal((await cli('--pdf', 'a.pdf', '--p12', 'k.p12')).code, 2);
  assert.equal((await cli('--pdf', 'a.pdf', '--p12', 'k.p12', '--password', 'p', '--cert', 'c.pem')).code, 2);
  assert.equal((await cli('--bogus')).code, 2);
  assert.equal((await cli('--help')).code, 0);
});

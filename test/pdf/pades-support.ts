import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.ts';
import type { SigningCredentials } from '../../src/pdf/cades-signer.ts';
import { FseError } from '../../src/errors/fse-error.ts';
import { verifyPdfSignatures } from '../../src/pdf/pades-verify.ts';

/** Shared fixtures of the PAdES tests: one development PKI per test file, and verdict helpers. See: digest 6.4. */

export interface TestPki {
  readonly pki: DevPki;
  /** the signature certificate with its own key */
  readonly signer: SigningCredentials;
  /** the authentication certificate with the signature key: a CMS whose certificate does not match the key */
  readonly mismatched: SigningCredentials;
}

export function createTestPki(): TestPki {
  const pki = createDevPki(mkdtempSync(path.join(tmpdir(), 'fse-pades-')));
  const read = (file: string) => readFileSync(file, 'utf8');
  return {
    pki,
    signer: { certPem: read(pki.signCert), keyPem: read(pki.signKey), chainPem: read(pki.caCert) },
    mismatched: { certPem: read(pki.authCert), keyPem: read(pki.signKey) },
  };
}

export type Verdict = 'valid' | 'not signed' | 'invalid' | 'unreadable';

/**
 * The publication verdict for a PDF: 'unreadable' when the extractor's checks refuse the bytes first (3.1), else the
 * `/msg/sign-error` detail. Any other exception fails the test.
 */
export async function verdictOf(pdf: Uint8Array): Promise<Verdict> {
  try {
    await verifyPdfSignatures(pdf);
    return 'valid';
  } catch (err) {
    assert.ok(err instanceof FseError, `unexpected ${String(err)}`);
    if (err.code === 'emptyFile' || err.code === 'documentType' || err.code === 'cdaElement') return 'unreadable';
    assert.equal(err.code, 'signError');
    if (err.detail === 'Il pdf non risulta firmato') return 'not signed';
    assert.equal(err.detail, 'La firma del pdf non risulta valida');
    return 'invalid';
  }
}

/** The internal reason of an invalid-signature verdict (the FseError's cause), for tests that pin the failing check. */
export async function invalidReason(pdf: Uint8Array): Promise<string> {
  const err: unknown = await verifyPdfSignatures(pdf).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof FseError && err.detail === 'La firma del pdf non risulta valida', `not invalid: ${String(err)}`);
  return err.cause instanceof Error ? err.cause.message : String(err.cause);
}

/** Where the last signature's /Contents hex string lies in a file signed here: between its two byte ranges. */
export function lastContentsGap(pdf: Uint8Array): { start: number; end: number } {
  const text = Buffer.from(pdf).toString('latin1');
  const at = text.lastIndexOf('/ByteRange [');
  const numbers = text.slice(at + '/ByteRange ['.length, text.indexOf(']', at)).trim().split(/\s+/).map(Number);
  const [, firstLength, secondStart] = numbers;
  assert.ok(firstLength !== undefined && secondStart !== undefined);
  return { start: firstLength, end: secondStart };
}

/** A copy of `pdf` with the byte at `index` replaced. */
export function withByte(pdf: Uint8Array, index: number, value: number): Uint8Array {
  const copy = Uint8Array.from(pdf);
  assert.notEqual(copy[index], value);
  copy[index] = value;
  return copy;
}

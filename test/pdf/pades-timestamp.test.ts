import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { addSignaturePlaceholder, signPdf } from '../../src/pdf/pades-sign.ts';
import { attachmentPdf } from '../support/pdf-builders.ts';
import { createTestPki, invalidReason, lastContentsGap, verdictOf, withByte } from './pades-support.ts';

/**
 * Document timestamps (SubFilter ETSI.RFC3161, PAdES-LTA) next to a signature: the token must cover the byte range
 * through its TSTInfo message imprint. OpenSSL plays the TSA. See: Gateway API digest, 6.4; ETSI EN 319 142-1, 5.4.
 */

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const needsOpenssl = { skip: openssl.status === 0 ? false : 'openssl is not installed' } as const;

/** A Signer whose "signature" is an RFC 3161 token from `openssl ts -reply`, over the bytes @signpdf hands it. */
class OpensslTsa extends Signer {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'fse-tsa-'));

  constructor() {
    super();
    const file = (name: string) => path.join(this.dir, name);
    this.run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=TSA di prova', '-days', '1',
      '-addext', 'extendedKeyUsage=critical,timeStamping', '-keyout', file('tsa-key.pem'), '-out', file('tsa.pem')]);
    writeFileSync(file('serial'), '01\n');
    writeFileSync(file('tsa.cnf'), `[ tsa ]\ndefault_tsa = t\n[ t ]\nserial = ${file('serial')}\nsigner_cert = ${file('tsa.pem')}
signer_key = ${file('tsa-key.pem')}\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\ness_cert_id_alg = sha256\n`);
  }

  override sign(pdfBuffer: Buffer): Promise<Buffer> {
    const file = (name: string) => path.join(this.dir, name);
    writeFileSync(file('data'), pdfBuffer);
    this.run(['ts', '-query', '-data', file('data'), '-sha256', '-cert', '-out', file('q.tsq')]);
    this.run(['ts', '-reply', '-config', file('tsa.cnf'), '-queryfile', file('q.tsq'), '-token_out', '-out', file('token.der')]);
    return Promise.resolve(readFileSync(file('token.der')));
  }

  private run(args: string[]): void {
    const result = spawnSync('openssl', args, { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  }
}

/** A signed PDF, then a document timestamp in a second incremental update. */
async function signedAndTimestamped(): Promise<Uint8Array> {
  const { signer } = createTestPki();
  const prepared = Buffer.from(await addSignaturePlaceholder(await signPdf(await attachmentPdf(), signer)));
  const at = prepared.lastIndexOf('/SubFilter /ETSI.CAdES.detached');
  assert.ok(at > 0);
  prepared.write('/SubFilter /ETSI.RFC3161'.padEnd('/SubFilter /ETSI.CAdES.detached'.length), at, 'latin1');
  return new SignPdf().sign(prepared, new OpensslTsa());
}

test('a valid document timestamp after a signature verifies; a change after the signature only breaks the timestamp', needsOpenssl, async () => {
  const stamped = await signedAndTimestamped();
  assert.equal(await verdictOf(stamped), 'valid');
  // The year of the timestamp dictionary's /M: after its /Contents, so inside its second range only.
  const year = Buffer.from(stamped).lastIndexOf('/M (D:') + '/M (D:'.length;
  assert.ok(year > lastContentsGap(stamped).end);
  assert.match(await invalidReason(withByte(stamped, year, 0x31)), /^Signature2: .*TSTInfo verification/);
});

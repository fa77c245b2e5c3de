import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { buildSampleCda } from '../../src/dev/sample-cda.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { samplePdf, startBridge, type Harness } from '../support/bridge-harness.js';
import { cxfEnvelope, cxfMtom } from '../support/cxf-messages.js';
import { faultOf, postRaw } from '../support/soap-calls.js';
import { docUniqueId } from '../support/xds-submissions.js';

/*
 * Hostile and broken input on the SOAP endpoints: each gets a SOAP Fault (or the transaction's Failure) and nothing
 * reaches the Gateway, the registry or the repository. See: developers' guide (bad input); xds-ini digest 2.5.
 */
describe('hostile input on the XDS.b endpoints', () => {
  let h: Harness;
  let pdf: Uint8Array;
  before(async () => {
    h = await startBridge({ FSE_SOAP_MAX_BYTES: String(2 * 1024 * 1024), FSE_SOAP_MAX_PARTS: '4' });
    pdf = await samplePdf(buildSampleCda({ docExtension: 'HOSTILE' }));
  });
  after(async () => h.stop());

  const repository = () => `${h.baseUrl}/xds/repository`;
  const gatewayCalls = () => h.simulator?.received.length ?? 0;
  const stored = async (ext: string) => (await h.app.resources().registry.getDocumentEntry({ uniqueId: docUniqueId(ext) })) !== undefined;

  test('an ITI-41 whose envelope declares an external entity is refused before parsing resolves it', async () => {
    const { xml } = cxfEnvelope('HOSTILE-XXE');
    const hostile = xml.replace('<soap:Envelope', '<!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><soap:Envelope')
      .replace('<Value>it-IT</Value>', '<Value>&xxe;</Value>');
    const before = gatewayCalls();
    const pkg = cxfMtom(hostile, pdf);
    const answer = await postRaw(repository(), pkg.contentType, pkg.body);
    assert.equal(answer.status, 400);
    assert.deepEqual(faultOf(answer)?.subcode, 'fse:MalformedMessage');
    assert.doesNotMatch(answer.raw.toString('utf8'), /root:x:0/);
    assert.equal(gatewayCalls(), before);
    assert.equal(await stored('HOSTILE-XXE'), false);
  });

  test('broken MTOM: a boundary that never occurs, a truncated package, a start naming no part, a cid naming no part', async () => {
    const { xml } = cxfEnvelope('HOSTILE-MTOM');
    const pkg = cxfMtom(xml, pdf);
    const before = gatewayCalls();
    const wrongBoundary = await postRaw(repository(), pkg.contentType.replace('boundary="uuid:', 'boundary="other:'), pkg.body);
    const truncated = await postRaw(repository(), pkg.contentType, pkg.body.subarray(0, pkg.body.length - 60));
    const noRoot = await postRaw(repository(), pkg.contentType.replace('start=<root.message@cxf.apache.org>', 'start=<nobody@x>'), pkg.body);
    for (const answer of [wrongBoundary, truncated, noRoot]) {
      assert.equal(answer.status, 400, answer.raw.toString('utf8').slice(0, 300));
      assert.equal(faultOf(answer)?.code, 'env:Sender');
    }
    const missingPart = cxfMtom(xml.replace('0f1e2d3c-4b5a', '00000000-0000'), pdf);
    const dangling = await postRaw(repository(), missingPart.contentType, missingPart.body);
    assert.equal(dangling.status, 200);
    assert.match(dangling.raw.toString('utf8'), /XDSMissingDocument/);
    assert.equal(gatewayCalls(), before);
    assert.equal(await stored('HOSTILE-MTOM'), false);
  });

  test('over the limits: a part larger than the package limit and too many parts get 413, before anything is stored', async () => {
    const { xml } = cxfEnvelope('HOSTILE-BIG');
    const big = cxfMtom(xml, new Uint8Array(3 * 1024 * 1024));
    const tooBig = await postRaw(repository(), big.contentType, big.body);
    assert.equal(tooBig.status, 413);
    assert.equal(faultOf(tooBig)?.subcode, 'fse:MessageTooLarge');
    const boundary = 'b';
    const part = (i: number) => `--${boundary}\r\nContent-ID: <p${i}@x>\r\n\r\nx\r\n`;
    const many = `${Array.from({ length: 6 }, (_, i) => part(i)).join('')}--${boundary}--\r\n`;
    const tooMany = await postRaw(repository(), `multipart/related; type="application/xop+xml"; boundary=${boundary}`, many);
    assert.equal(tooMany.status, 413);
    assert.equal(await stored('HOSTILE-BIG'), false);
  });

  test('a plain SOAP body larger than the limit is cut off while streaming, with 413', async () => {
    // The server answers while the client is still writing, then closes: a write error after the answer is expected.
    const status = await new Promise<number>((resolve, reject) => {
      let answered: number | undefined;
      const req = httpRequest(`${repository()}`, { method: 'POST', headers: { 'content-type': 'application/soap+xml' } }, (res) => {
        answered = res.statusCode;
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err) => (answered === undefined ? reject(err) : resolve(answered)));
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 12 * 1024 * 1024 && answered === undefined) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    assert.equal(status, 413);
  });

  test('unknown actions, SOAP 1.1, a wrong content type and an empty body are faults, not crashes', async () => {
    const { xml } = cxfEnvelope('HOSTILE-ACTION');
    const unknown = await postRaw(repository(), 'application/soap+xml; action="urn:evil"', xml.replace(SOAP_ACTION.iti41, 'urn:evil'));
    assert.equal(faultOf(unknown)?.subcode, 'wsa:ActionNotSupported');
    const soap11 = await postRaw(repository(), 'text/xml', '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><x/></e:Body></e:Envelope>');
    assert.equal(faultOf(soap11)?.code, 'env:VersionMismatch');
    const form = await postRaw(repository(), 'application/x-www-form-urlencoded', 'a=b');
    assert.equal(form.status, 400);
    const empty = await postRaw(repository(), 'application/soap+xml', '');
    assert.equal(faultOf(empty)?.code, 'env:Sender');
    assert.equal(await stored('HOSTILE-ACTION'), false);
    const alive = await fetch(`${h.baseUrl}/status`);
    assert.equal(alive.status, 200);
  });
});

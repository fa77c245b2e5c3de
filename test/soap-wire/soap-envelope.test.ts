import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEnvelope } from '../../src/soap-wire/soap-envelope.js';
import { SoapFault } from '../../src/soap-wire/soap-fault.js';
import { withXml } from '../../src/xml/xml-toolkit.js';

const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const WSA = 'http://www.w3.org/2005/08/addressing';

const decode = (xml: string) => withXml(xml, (doc) => {
  const e = decodeEnvelope(doc);
  return { action: e.action, messageId: e.messageId, to: e.to, body: `${e.body.namespaceUri} ${e.body.name}`, security: e.security !== undefined };
});

const faultWith = (code: string, subcode?: string) => (err: unknown) =>
  err instanceof SoapFault && err.code === code && (subcode === undefined || err.subcode === subcode);

test('reads wsa headers under any prefixes, with the body element', () => {
  const xml = `<soapenv:Envelope xmlns:soapenv="${S12}" xmlns:w="${WSA}"><soapenv:Header>
      <w:Action soapenv:mustUnderstand="1"> urn:ihe:iti:2007:RegistryStoredQuery </w:Action>
      <w:MessageID>urn:uuid:1a2b</w:MessageID><w:To>http://x/xds/registry</w:To>
      <w:ReplyTo><w:Address>http://www.w3.org/2005/08/addressing/anonymous</w:Address></w:ReplyTo>
    </soapenv:Header><soapenv:Body><q:AdhocQueryRequest xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"/></soapenv:Body></soapenv:Envelope>`;
  assert.deepEqual(decode(xml), {
    action: 'urn:ihe:iti:2007:RegistryStoredQuery', messageId: 'urn:uuid:1a2b', to: 'http://x/xds/registry',
    body: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0 AdhocQueryRequest', security: false,
  });
});

test('the Gateway\'s shape is accepted: Action and a bare-UUID MessageID only, a Security header without mustUnderstand', () => {
  const xml = `<S:Envelope xmlns:S="${S12}"><S:Header><Action xmlns="${WSA}">urn:ihe:iti:2007:RegisterDocumentSet-b</Action>
      <MessageID xmlns="${WSA}">6f1c1c8e-0d8a-4f42-9d0e-2f6f3b7a1c11</MessageID>
      <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"/>
    </S:Header><S:Body><x xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"/></S:Body></S:Envelope>`;
  const decoded = decode(xml);
  assert.equal(decoded.messageId, '6f1c1c8e-0d8a-4f42-9d0e-2f6f3b7a1c11');
  assert.equal(decoded.to, undefined);
  assert.equal(decoded.security, true);
});

test('an envelope without a Header is read (the router falls back to other action sources)', () => {
  assert.equal(decode(`<e:Envelope xmlns:e="${S12}"><e:Body><b xmlns="urn:x"/></e:Body></e:Envelope>`).action, undefined);
});

test('a SOAP 1.1 envelope gets VersionMismatch', () => {
  assert.throws(() => decode('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><b/></e:Body></e:Envelope>'),
    faultWith('VersionMismatch'));
  assert.throws(() => decode('<Envelope><Body/></Envelope>'), faultWith('VersionMismatch'));
});

test('an unknown header marked mustUnderstand gets MustUnderstand, naming it', () => {
  const xml = `<e:Envelope xmlns:e="${S12}"><e:Header><t:Trace xmlns:t="urn:vendor" e:mustUnderstand="true"/></e:Header>
    <e:Body><b xmlns="urn:x"/></e:Body></e:Envelope>`;
  assert.throws(() => decode(xml), (err: unknown) => faultWith('MustUnderstand')(err) && (err as SoapFault).notUnderstood?.localName === 'Trace');
  // Not marked: ignored.
  assert.equal(decode(xml.replace(' e:mustUnderstand="true"', '')).body, 'urn:x b');
});

test('a Body with two elements, or none, is a Sender fault', () => {
  assert.throws(() => decode(`<e:Envelope xmlns:e="${S12}"><e:Body><a/><b/></e:Body></e:Envelope>`), faultWith('Sender', 'fse:MalformedMessage'));
  assert.throws(() => decode(`<e:Envelope xmlns:e="${S12}"><e:Body>  </e:Body></e:Envelope>`), faultWith('Sender', 'fse:MalformedMessage'));
  assert.throws(() => decode(`<e:Envelope xmlns:e="${S12}"><e:Header/></e:Envelope>`), faultWith('Sender', 'fse:MalformedMessage'));
});

test('a non-anonymous ReplyTo is refused (replies are synchronous only), two Actions too', () => {
  const replyTo = `<e:Envelope xmlns:e="${S12}" xmlns:a="${WSA}"><e:Header><a:Action>x</a:Action>
    <a:ReplyTo><a:Address>http://client.example/callback</a:Address></a:ReplyTo></e:Header><e:Body><b/></e:Body></e:Envelope>`;
  assert.throws(() => decode(replyTo), faultWith('Sender', 'wsa:OnlyAnonymousAddressSupported'));
  const twice = `<e:Envelope xmlns:e="${S12}" xmlns:a="${WSA}"><e:Header><a:Action>x</a:Action><a:Action>y</a:Action></e:Header><e:Body><b/></e:Body></e:Envelope>`;
  assert.throws(() => decode(twice), faultWith('Sender', 'wsa:InvalidAddressingHeader'));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { XmlElement } from 'libxml2-wasm';
import { writeXml } from '../../src/xml/xml-writer.js';
import { withXml } from '../../src/xml/xml-toolkit.js';

const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
const RS = 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0';

test('namespaces are declared where a prefix first needs them, and read back by libxml2', () => {
  const xml = writeXml((doc) => {
    const root = doc.ele(RS, 'rs:RegistryResponse', { status: 'ok' });
    const list = root.ele(RIM, 'rim:RegistryObjectList');
    list.ele(RIM, 'rim:ObjectRef', { id: 'a' });
    list.ele(RIM, 'rim:ObjectRef', { id: 'b', home: undefined });
    root.ele('urn:other', 'Plain').txt('x');
  });
  assert.equal(xml, '<?xml version="1.0" encoding="UTF-8"?><rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="ok">'
    + '<rim:RegistryObjectList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:ObjectRef id="a"/><rim:ObjectRef id="b"/></rim:RegistryObjectList>'
    + '<Plain xmlns="urn:other">x</Plain></rs:RegistryResponse>');
  withXml(xml, (doc) => {
    const refs = doc.find('//rim:ObjectRef', { rim: RIM }) as XmlElement[];
    assert.deepEqual(refs.map((r) => r.attr('id')?.value), ['a', 'b']);
    assert.equal((doc.get('//o:Plain', { o: 'urn:other' }) as XmlElement).content, 'x');
  });
});

test('text and attribute values are escaped so that they read back unchanged; invalid XML characters are replaced', () => {
  const hostile = 'CF^^^&2.16.840&ISO <script>"quoted" \'single\'\ttab\nline\r\n]]>';
  const xml = writeXml((doc) => doc.ele(RIM, 'rim:Value', { value: hostile }).txt(hostile));
  withXml(xml, (doc) => {
    assert.equal(doc.root.attr('value')?.value, hostile);
    assert.equal(doc.root.content, hostile);
  });
  const control = writeXml((doc) => doc.ele(RIM, 'rim:Value').txt('a\u0001b\uFFFEc'));
  withXml(control, (doc) => assert.equal(doc.root.content, 'a\uFFFDb\uFFFDc'));
});

test('explicit xmlns attributes and prefixed attributes: declared prefixes only', () => {
  const S12 = 'http://www.w3.org/2003/05/soap-envelope';
  const xml = writeXml((doc) => {
    const env = doc.ele(S12, 'env:Envelope').att('xmlns:wsa', 'http://www.w3.org/2005/08/addressing');
    env.ele(S12, 'env:Header').ele('http://www.w3.org/2005/08/addressing', 'wsa:Action', { 'env:mustUnderstand': 'true' }).txt('urn:a');
    env.ele(S12, 'env:Body').ele(S12, 'env:Text', { 'xml:lang': 'en' }).txt('t');
  });
  assert.equal((xml.match(/xmlns:wsa=/g) ?? []).length, 1, 'the inherited declaration is not repeated');
  withXml(xml, (doc) => {
    const action = doc.get('//wsa:Action', { wsa: 'http://www.w3.org/2005/08/addressing' }) as XmlElement;
    assert.equal(action.attrs.find((a) => a.name === 'mustUnderstand')?.namespaceUri, S12);
  });
  assert.throws(() => writeXml((doc) => doc.ele(RIM, 'rim:X', { 'foo:bar': '1' })), /prefix foo is not declared/);
});

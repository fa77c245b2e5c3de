import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XdsError } from '../../src/errors/xds-codes.js';
import { decodeRegistryResponse } from '../../src/ebxml/registry-response.js';
import { newTraceContext } from '../../src/logging/context.js';
import { silentLogger } from '../../src/logging/logger.js';
import { SOAP_ACTION } from '../../src/metadata/vocabulary.js';
import { parseMultipartRelated } from '../../src/soap-wire/multipart-related.js';
import { NO_CLIENT_CERTIFICATES } from '../../src/soap/client-certificates.js';
import type { SoapTransaction } from '../../src/soap/soap-actions.js';
import { childElements } from '../../src/soap-wire/soap-envelope.js';
import { handleSoap, type SoapCall, type SoapHandler, type SoapHttpRequest, type SoapRouterDeps } from '../../src/soap/soap-router.js';
import type { SoapSecurityMode } from '../../src/soap/soap-security.js';
import { NS, withXml } from '../../src/xml/xml-toolkit.js';
import { writeXml, type XmlBuilder } from '../../src/xml/xml-writer.js';
import { requestEnvelope } from '../support/soap-calls.js';

/** Handlers that record the call and answer Success, or throw what the test asks. */
function recordingDeps(behaviour: (call: SoapCall) => void = () => undefined, mode: SoapSecurityMode = 'none') {
  const calls: { transaction: SoapTransaction; call: SoapCall }[] = [];
  const handler = (transaction: SoapTransaction): SoapHandler => async (call) => {
    calls.push({ transaction, call });
    behaviour(call);
    return { body: (parent) => parent.ele(NS.xdsb, 'xds:Ok').txt(transaction) };
  };
  const deps: SoapRouterDeps = {
    handlers: { iti18: handler('iti18'), iti41: handler('iti41'), iti42: handler('iti42'), iti43: handler('iti43'), iti57: handler('iti57'), iti62: handler('iti62'), iti86: handler('iti86') },
    limits: { maxBytes: 64 * 1024, maxParts: 8, maxPartBytes: 32 * 1024 },
    security: { mode, certificates: NO_CLIENT_CERTIFICATES },
    logger: silentLogger(),
  };
  return { deps, calls };
}

const bodyOf = (ns: string, name: string) => (parent: XmlBuilder) => { parent.ele(ns, `b:${name}`); };
const QUERY = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';
const LCM = 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0';

function request(endpoint: 'registry' | 'repository', contentType: string, body: string | Buffer): SoapHttpRequest {
  return { endpoint, contentType, body: (async function* () { yield Buffer.from(body); })() };
}

function answerOf(res: { body: Buffer }) {
  return withXml(res.body, (doc) => {
    const body = childElements(doc.root).find((e) => e.name === 'Body');
    const [el] = body ? childElements(body) : [];
    if (!el) throw new Error('no body element');
    const value = (xpath: string) => el.find(xpath, { env: NS.soap12 })[0]?.content.trim();
    return { name: el.name, text: el.content, subcode: value('env:Code/env:Subcode/env:Value'), code: value('env:Code/env:Value'), reason: value('env:Reason/env:Text') };
  });
}

test('dispatches on wsa:Action and answers with the response action', async () => {
  const { deps, calls } = recordingDeps();
  const { xml } = requestEnvelope(SOAP_ACTION.iti18, 'http://x/xds/registry', bodyOf(QUERY, 'AdhocQueryRequest'));
  const res = await handleSoap(request('registry', 'application/soap+xml; charset=UTF-8', xml), newTraceContext(), deps);
  assert.equal(res.status, 200);
  assert.equal(res.transaction, 'iti18');
  assert.match(res.contentType, new RegExp(`action="${SOAP_ACTION.iti18Response}"`));
  assert.deepEqual(calls.map((c) => c.transaction), ['iti18']);
  assert.equal(answerOf(res).name, 'Ok');
});

test('without wsa:Action: the Content-Type action, else the body element (not for the shared SubmitObjectsRequest)', async () => {
  const { deps, calls } = recordingDeps();
  const bare = (ns: string, name: string) => writeXml((d) => { d.ele(NS.soap12, 'e:Envelope').ele(NS.soap12, 'e:Body').ele(ns, `x:${name}`); });
  const viaType = await handleSoap(request('registry', `application/soap+xml; action="${SOAP_ACTION.iti57}"`, bare(LCM, 'SubmitObjectsRequest')), newTraceContext(), deps);
  assert.equal(viaType.transaction, 'iti57');
  const viaBody = await handleSoap(request('repository', 'application/soap+xml', bare(NS.xdsb, 'RetrieveDocumentSetRequest')), newTraceContext(), deps);
  assert.equal(viaBody.transaction, 'iti43');
  const ambiguous = await handleSoap(request('registry', 'application/soap+xml', bare(LCM, 'SubmitObjectsRequest')), newTraceContext(), deps);
  assert.equal(ambiguous.status, 400);
  assert.equal(answerOf(ambiguous).subcode, 'wsa:MessageAddressingHeaderRequired');
  assert.deepEqual(calls.map((c) => c.transaction), ['iti57', 'iti43']);
});

test('an unknown action, or one of the other endpoint, is wsa:ActionNotSupported; a mismatched body is a Sender fault', async () => {
  const { deps, calls } = recordingDeps();
  const unknown = requestEnvelope('urn:ihe:iti:2007:CrossGatewayQuery', 'x', bodyOf(QUERY, 'AdhocQueryRequest')).xml;
  const wrongEndpoint = requestEnvelope(SOAP_ACTION.iti41, 'x', bodyOf(NS.xdsb, 'ProvideAndRegisterDocumentSetRequest')).xml;
  const wrongBody = requestEnvelope(SOAP_ACTION.iti18, 'x', bodyOf(LCM, 'SubmitObjectsRequest')).xml;
  for (const [xml, subcode] of [[unknown, 'wsa:ActionNotSupported'], [wrongEndpoint, 'wsa:ActionNotSupported'], [wrongBody, 'fse:MalformedMessage']] as const) {
    const res = await handleSoap(request('registry', 'application/soap+xml', xml), newTraceContext(), deps);
    assert.equal(res.status, 400);
    assert.equal(answerOf(res).subcode, subcode);
  }
  assert.equal(calls.length, 0);
});

test('hostile XML never reaches a handler: DTDs, external entities, entity expansion, broken markup, SOAP 1.1', async () => {
  const { deps, calls } = recordingDeps();
  const inputs = [
    `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><e:Envelope xmlns:e="${NS.soap12}"><e:Body><b>&x;</b></e:Body></e:Envelope>`,
    `<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><e:Envelope xmlns:e="${NS.soap12}"><e:Body><b>&b;</b></e:Body></e:Envelope>`,
    `<e:Envelope xmlns:e="${NS.soap12}"><e:Body><b></e:Body>`,
    '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><b/></e:Body></e:Envelope>',
  ];
  const answers = [];
  for (const xml of inputs) answers.push(await handleSoap(request('registry', 'application/soap+xml', xml), newTraceContext(), deps));
  assert.deepEqual(answers.map((a) => a.status), [400, 400, 400, 500]);
  assert.deepEqual(answers.map((a) => answerOf(a).code), ['env:Sender', 'env:Sender', 'env:Sender', 'env:VersionMismatch']);
  assert.match(answerOf(answers[0] as { body: Buffer }).reason ?? '', /DTD/);
  assert.doesNotMatch(answers.map((a) => a.body.toString()).join(''), /root:/, 'no file content leaks');
  assert.equal(calls.length, 0);
});

test('a request over the size limit is refused with 413 before it is buffered', async () => {
  const { deps, calls } = recordingDeps();
  const huge = requestEnvelope(SOAP_ACTION.iti18, 'x', (p) => { p.ele(QUERY, 'q:AdhocQueryRequest').txt('x'.repeat(100 * 1024)); }).xml;
  const res = await handleSoap(request('registry', 'application/soap+xml', huge), newTraceContext(), deps);
  assert.equal(res.status, 413);
  assert.equal(answerOf(res).subcode, 'fse:MessageTooLarge');
  assert.equal(calls.length, 0);
});

test('an XDS error from the handler is a Failure in the transaction\'s response, an unexpected one too (default code)', async () => {
  let n = 0;
  const { deps } = recordingDeps(() => {
    n += 1;
    if (n === 1) throw new XdsError('XDSRegistryMetadataError', 'classCode missing');
    throw new TypeError('boom');
  });
  const xml = requestEnvelope(SOAP_ACTION.iti42, 'x', bodyOf(LCM, 'SubmitObjectsRequest')).xml;
  for (const expected of [{ code: 'XDSRegistryMetadataError', context: 'classCode missing' }, { code: 'XDSRegistryError', context: 'internal error' }]) {
    const res = await handleSoap(request('registry', 'application/soap+xml', xml), newTraceContext(), deps);
    assert.equal(res.status, 200);
    const response = withXml(res.body, (doc) => {
      const body = childElements(doc.root).find((e) => e.name === 'Body');
      return decodeRegistryResponse(childElements(body ?? doc.root)[0] ?? doc.root);
    });
    assert.equal(response.status, 'Failure');
    assert.equal(response.errors[0]?.code, expected.code);
    assert.match(response.errors[0]?.codeContext ?? '', new RegExp(expected.context));
  }
});

test('ITI-43 answers MTOM even to a plain request; ITI-41 mirrors the request\'s packaging', async () => {
  const { deps } = recordingDeps();
  const retrieve = requestEnvelope(SOAP_ACTION.iti43, 'x', bodyOf(NS.xdsb, 'RetrieveDocumentSetRequest')).xml;
  const res = await handleSoap(request('repository', 'application/soap+xml', retrieve), newTraceContext(), deps);
  assert.match(res.contentType, /^multipart\/related; type="application\/xop\+xml"/);
  const related = await parseMultipartRelated(res.contentType, (async function* () { yield res.body; })(), { maxBytes: 1e6, maxParts: 4, maxPartBytes: 1e6 });
  assert.match(related.root.body.toString(), /RetrieveDocumentSetResponse/);
  const pnr = requestEnvelope(SOAP_ACTION.iti41, 'x', bodyOf(NS.xdsb, 'ProvideAndRegisterDocumentSetRequest')).xml;
  const plain = await handleSoap(request('repository', 'application/soap+xml', pnr), newTraceContext(), deps);
  assert.match(plain.contentType, /^application\/soap\+xml/);
});

test('with FSE_SOAP_SECURITY=saml a request without an assertion is a wsse:InvalidSecurity fault; with one, the caller is read', async () => {
  const seen: SoapCall[] = [];
  const { deps } = recordingDeps((call) => seen.push(call), 'saml');
  const noAssertion = requestEnvelope(SOAP_ACTION.iti18, 'x', bodyOf(QUERY, 'AdhocQueryRequest')).xml;
  const refused = await handleSoap(request('registry', 'application/soap+xml', noAssertion), newTraceContext(), deps);
  assert.equal(refused.status, 400);
  assert.equal(answerOf(refused).subcode, 'wsse:InvalidSecurity');
  const withAssertion = requestEnvelope(SOAP_ACTION.iti18, 'x', bodyOf(QUERY, 'AdhocQueryRequest'), {
    header: (h) => {
      const a = h.ele(NS.wsse, 'wsse:Security').ele(NS.saml2, 'saml2:Assertion', { ID: '_a1', Version: '2.0' });
      a.ele(NS.saml2, 'saml2:Issuer').txt('120');
      a.ele(NS.saml2, 'saml2:Subject').ele(NS.saml2, 'saml2:NameID').txt('VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO');
      const attr = a.ele(NS.saml2, 'saml2:AttributeStatement').ele(NS.saml2, 'saml2:Attribute', { Name: 'urn:oasis:names:tc:xacml:2.0:subject:role' });
      attr.ele(NS.saml2, 'saml2:AttributeValue').txt('APR');
    },
  }).xml;
  const accepted = await handleSoap(request('registry', 'application/soap+xml', withAssertion), newTraceContext(), deps);
  assert.equal(accepted.status, 200);
  assert.deepEqual(seen[0]?.caller, { source: 'saml', subjectId: 'VRDGPP70A01H501S^^^&2.16.840.1.113883.2.9.4.3.2&ISO', role: 'APR', issuer: '120', credentialId: '_a1' });
});

test('with FSE_SOAP_SECURITY=certificate only a registered client certificate identifies; an assertion is refused, even beside one', async () => {
  const seen: SoapCall[] = [];
  const { deps: base } = recordingDeps((call) => seen.push(call), 'certificate');
  const fingerprint256 = Array.from({ length: 32 }, () => 'AB').join(':');
  const identity = { source: 'certificate' as const, credentialId: fingerprint256, issuer: 'HIS', role: 'APR' };
  const deps: SoapRouterDeps = { ...base, security: { ...base.security, certificates: { identityOf: (fp) => (fp === fingerprint256 ? identity : undefined), size: 1 } } };
  const peer = { fingerprint256, subject: 'CN=HIS', authorized: true };
  const query = requestEnvelope(SOAP_ACTION.iti18, 'x', bodyOf(QUERY, 'AdhocQueryRequest')).xml;
  const withAssertion = requestEnvelope(SOAP_ACTION.iti18, 'x', bodyOf(QUERY, 'AdhocQueryRequest'), {
    header: (h) => { h.ele(NS.wsse, 'wsse:Security').ele(NS.saml2, 'saml2:Assertion', { ID: '_a1', Version: '2.0' }).ele(NS.saml2, 'saml2:Issuer').txt('000'); },
  }).xml;
  for (const [body, tlsPeer] of [[query, undefined], [query, { ...peer, authorized: false }], [withAssertion, peer]] as const) {
    const refused = await handleSoap({ ...request('registry', 'application/soap+xml', body), tlsPeer }, newTraceContext(), deps);
    assert.equal(refused.status, 400);
    assert.equal(answerOf(refused).subcode, 'wsse:InvalidSecurity');
  }
  assert.match(answerOf(await handleSoap({ ...request('registry', 'application/soap+xml', withAssertion), tlsPeer: peer }, newTraceContext(), deps)).reason ?? '', /not accepted/);
  assert.equal(seen.length, 0, 'no handler ran');
  const accepted = await handleSoap({ ...request('registry', 'application/soap+xml', query), tlsPeer: peer }, newTraceContext(), deps);
  assert.equal(accepted.status, 200);
  assert.deepEqual(seen[0]?.caller, identity);
});

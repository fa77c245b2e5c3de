import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { XmlDocument } from 'libxml2-wasm';
import { parseXml } from '../../src/xml/xml-toolkit.js';
import { SCHEMA_DIR, schemaFiles, WSDL_DIR, XDS_NS } from './xds-schemas.js';

/*
 * The two WSDLs say what IHE says: operation names, the request/response wsa:Action of xds-ini digest 2.3 (plus INI's
 * delete, 4.6), SOAP 1.2 document/literal, soapAction equal to the request action, message elements that our own
 * schemas declare, MTOM only on the repository, placeholder addresses the bridge rewrites.
 */

const NS = {
  ...XDS_NS,
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  wsaw: 'http://www.w3.org/2006/05/addressing/wsdl',
  wsp: 'http://schemas.xmlsoap.org/ws/2004/09/policy',
  wsoma: 'http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
};

/** xds-ini digest 2.3, written out again here so that a typo in the WSDL cannot also be in the expectation. */
const EXPECTED = {
  'XDS.b_DocumentRegistry.wsdl': {
    address: 'http://localhost:8080/xds/registry',
    operations: {
      'DocumentRegistry_RegisterDocumentSet-b': ['urn:ihe:iti:2007:RegisterDocumentSet-b', 'urn:ihe:iti:2007:RegisterDocumentSet-bResponse', 'lcm:SubmitObjectsRequest', 'rs:RegistryResponse'],
      DocumentRegistry_RegistryStoredQuery: ['urn:ihe:iti:2007:RegistryStoredQuery', 'urn:ihe:iti:2007:RegistryStoredQueryResponse', 'query:AdhocQueryRequest', 'query:AdhocQueryResponse'],
      DocumentRegistry_UpdateDocumentSet: ['urn:ihe:iti:2010:UpdateDocumentSet', 'urn:ihe:iti:2010:UpdateDocumentSetResponse', 'lcm:SubmitObjectsRequest', 'rs:RegistryResponse'],
      DocumentRegistry_DeleteDocumentSet: ['urn:ihe:iti:2010:DeleteDocumentSet', 'urn:ihe:iti:2010:DeleteDocumentSetResponse', 'lcm:RemoveObjectsRequest', 'rs:RegistryResponse'],
      DocumentRegistry_DeleteDocumentSet_XDSDeletetWS: [
        'urn:ihe:iti:xds-b:2010:XDSDeletetWS:DocumentRegistry_DeleteDocumentSetRequest',
        'urn:ihe:iti:xds-b:2010:XDSDeletetWS:DocumentRegistry_DeleteDocumentSetResponse',
        'lcm:RemoveObjectsRequest', 'rs:RegistryResponse'],
    },
  },
  'XDS.b_DocumentRepository.wsdl': {
    address: 'http://localhost:8080/xds/repository',
    operations: {
      'DocumentRepository_ProvideAndRegisterDocumentSet-b': ['urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse', 'xds:ProvideAndRegisterDocumentSetRequest', 'rs:RegistryResponse'],
      DocumentRepository_RetrieveDocumentSet: ['urn:ihe:iti:2007:RetrieveDocumentSet', 'urn:ihe:iti:2007:RetrieveDocumentSetResponse', 'xds:RetrieveDocumentSetRequest', 'xds:RetrieveDocumentSetResponse'],
      DocumentRepository_RemoveDocuments: ['urn:ihe:iti:2017:RemoveDocuments', 'urn:ihe:iti:2017:RemoveDocumentsResponse', 'rmd:RemoveDocumentsRequest', 'rs:RegistryResponse'],
    },
  },
} as const;

const str = (doc: XmlDocument, xpath: string): string => String(doc.eval(`string(${xpath})`, NS));
const names = (doc: XmlDocument, xpath: string): string[] =>
  doc.find(xpath, NS).map((n) => String(n.eval('string(@name)', NS))).sort();

/** `{namespace}local` of a WSDL QName attribute, through the prefixes declared on the WSDL root. */
function expand(doc: XmlDocument, qname: string): string {
  const [prefix, local] = qname.split(':') as [string, string];
  return `{${str(doc, `/*/namespace::*[name()='${prefix}']`)}}${local}`;
}

/** `{namespace}local` of an expected QName, through this test's own prefix table. */
function expected(qname: string): string {
  const [prefix, local] = qname.split(':') as [keyof typeof XDS_NS, string];
  return `{${XDS_NS[prefix]}}${local}`;
}

/** `{namespace}local` of every global element our schemas declare. */
function declaredElements(): Set<string> {
  const declared = new Set<string>();
  for (const file of schemaFiles()) {
    const doc = parseXml(readFileSync(path.join(SCHEMA_DIR, file)), file);
    const tns = str(doc, '/xs:schema/@targetNamespace');
    for (const name of names(doc, '/xs:schema/xs:element')) declared.add(`{${tns}}${name}`);
    doc.dispose();
  }
  return declared;
}

for (const [file, wsdl] of Object.entries(EXPECTED)) {
  describe(file, () => {
    let doc: XmlDocument;
    before(() => {
      doc = parseXml(readFileSync(path.join(WSDL_DIR, file)), file);
    });
    after(() => doc.dispose());

    test('declares the IHE operations and no others, with their wsaw:Action pairs', () => {
      const actual = Object.fromEntries(doc.find('/wsdl:definitions/wsdl:portType/wsdl:operation', NS).map((op) => {
        const at = (xpath: string) => String(op.eval(`string(${xpath})`, NS));
        return [at('@name'), [at('wsdl:input/@wsaw:Action'), at('wsdl:output/@wsaw:Action')]];
      }));
      const wanted = Object.fromEntries(Object.entries(wsdl.operations).map(([op, [req, res]]) => [op, [req, res]]));
      assert.deepEqual(actual, wanted);
    });

    test('each operation carries the IHE body elements, declared by our schemas', () => {
      const declared = declaredElements();
      for (const [op, [, , input, output]] of Object.entries(wsdl.operations)) {
        for (const [io, element] of [['input', input], ['output', output]] as const) {
          const message = str(doc, `//wsdl:portType/wsdl:operation[@name='${op}']/wsdl:${io}/@message`).split(':')[1];
          const part = str(doc, `/wsdl:definitions/wsdl:message[@name='${message}']/wsdl:part/@element`);
          assert.equal(expand(doc, part), expected(element), `${op} ${io}`);
          assert.ok(declared.has(expand(doc, part)), `${part} is not declared by wsdl/schema`);
        }
      }
    });

    test('the binding is SOAP 1.2 document/literal over HTTP, soapAction = request action, WS-Addressing required', () => {
      assert.equal(str(doc, '//wsdl:binding/soap12:binding/@style'), 'document');
      assert.equal(str(doc, '//wsdl:binding/soap12:binding/@transport'), 'http://schemas.xmlsoap.org/soap/http');
      assert.equal(str(doc, '//wsdl:binding/wsaw:UsingAddressing/@wsdl:required'), 'true');
      assert.deepEqual(names(doc, '//wsdl:binding/wsdl:operation'), Object.keys(wsdl.operations).sort());
      for (const [op, [request]] of Object.entries(wsdl.operations)) {
        assert.equal(str(doc, `//wsdl:binding/wsdl:operation[@name='${op}']/soap12:operation/@soapAction`), request, op);
        assert.equal(doc.find(`//wsdl:binding/wsdl:operation[@name='${op}']/*/soap12:body[@use='literal']`, NS).length, 2, op);
      }
    });

    test('one SOAP 1.2 port with the placeholder address the bridge rewrites', () => {
      assert.equal(doc.find('//wsdl:service/wsdl:port', NS).length, 1);
      assert.equal(str(doc, '//wsdl:service/wsdl:port/soap12:address/@location'), wsdl.address);
    });

    test('every schemaLocation is one of our files in wsdl/schema', () => {
      const locations = doc.find('//xs:import/@schemaLocation', NS).map((a) => String(a.eval('string(.)', NS)));
      assert.ok(locations.length >= 3);
      for (const location of locations) {
        assert.match(location, /^schema\/[a-z-]+\.xsd$/);
        assert.ok(existsSync(path.join(WSDL_DIR, location)), location);
      }
    });
  });
}

test('MTOM is an endpoint policy of the repository binding only (wsoma:OptimizedMimeSerialization)', () => {
  const repository = parseXml(readFileSync(path.join(WSDL_DIR, 'XDS.b_DocumentRepository.wsdl')), 'repository.wsdl');
  const registry = parseXml(readFileSync(path.join(WSDL_DIR, 'XDS.b_DocumentRegistry.wsdl')), 'registry.wsdl');
  try {
    const reference = str(repository, '//wsdl:binding/wsp:PolicyReference/@URI');
    assert.equal(reference, '#DocumentRepository_Mtom_Policy');
    assert.equal(repository.find(`/wsdl:definitions/wsp:Policy[@wsu:Id='${reference.slice(1)}']/wsoma:OptimizedMimeSerialization`, NS).length, 1);
    assert.equal(registry.find('//wsoma:OptimizedMimeSerialization | //wsp:PolicyReference', NS).length, 0);
  } finally {
    repository.dispose();
    registry.dispose();
  }
});

test('schemas import each other only by sibling file name', () => {
  for (const file of schemaFiles()) {
    const doc = parseXml(readFileSync(path.join(SCHEMA_DIR, file)), file);
    for (const location of doc.find('//xs:import/@schemaLocation', NS).map((a) => String(a.eval('string(.)', NS)))) {
      assert.ok(schemaFiles().includes(location), `${file} imports ${location}`);
    }
    doc.dispose();
  }
});

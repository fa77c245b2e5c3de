import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XmlElement, type XmlDocument } from 'libxml2-wasm';
import { parseRepositoryUniqueId, parseUniqueId } from '../../src/domain/ids.js';
import { encodeRemoveDocumentsRequest } from '../../src/ebxml/remove-documents-request.js';
import { parseXml } from '../../src/xml/xml-toolkit.js';
import { writeXml } from '../../src/xml/xml-writer.js';
import { compileSchemas, FIXTURES, schemaFiles, XDS_NS, type SchemaSet } from './xds-schemas.js';

/*
 * Our XSDs (wsdl/schema/) compile with libxml2 and accept the messages of xds-ini digest 4.3 and 4.4 written by hand,
 * and they are strict where ebRIM/IHE are: namespaces, required attributes, element order, base64Binary documents.
 */

const fixture = (name: string): Buffer => readFileSync(path.join(FIXTURES, name));

function el(doc: XmlDocument, xpath: string): XmlElement {
  const node = doc.get(xpath, XDS_NS);
  if (!(node instanceof XmlElement)) throw new Error(`no element at ${xpath}`);
  return node;
}

/** Parses a fixture, applies `edit`, validates the element at `root` (the SOAP Body child, or the document). */
function check(schemas: SchemaSet, name: string, edit: (doc: XmlDocument) => void = () => {}, root?: string): string[] {
  const doc = parseXml(fixture(name), name);
  try {
    edit(doc);
    return schemas.validate(root === undefined ? doc : el(doc, root));
  } finally {
    doc.dispose();
  }
}

describe('the project schemas compile with libxml2', () => {
  for (const file of schemaFiles()) {
    test(`${file} compiles on its own (its imports resolve inside wsdl/schema)`, () => {
      compileSchemas(file).dispose();
    });
  }

  test('the six schema files are the ones the WSDLs import', () => {
    assert.deepEqual(schemaFiles(), ['lcm.xsd', 'query.xsd', 'rim.xsd', 'rmd.xsd', 'rs.xsd', 'xds-b.xsd']);
  });
});

describe('hand-written ITI-18 and ITI-43 requests (xds-ini digest 4.3, 4.4)', () => {
  let schemas: SchemaSet;
  before(() => {
    schemas = compileSchemas();
  });
  after(() => schemas.dispose());

  test('the ITI-18 FindDocuments request is valid', () => {
    assert.deepEqual(check(schemas, 'iti18-request.xml'), []);
  });

  test('the ITI-43 request with two DocumentRequests is valid', () => {
    assert.deepEqual(check(schemas, 'iti43-request.xml'), []);
  });

  test('the ITI-86 request the codec writes is valid; its DocumentRequests outside the xds-b namespace are not', () => {
    const requests = [{ repositoryUniqueId: parseRepositoryUniqueId('1.2.3.4'), documentUniqueId: parseUniqueId('1.2.3.4.5^X'), homeCommunityId: 'urn:oid:1.2.3' }];
    const xml = writeXml((d) => encodeRemoveDocumentsRequest(requests, d));
    const validate = (edit: (doc: XmlDocument) => void) => {
      const doc = parseXml(xml, 'iti86.xml');
      try {
        edit(doc);
        return schemas.validate(doc);
      } finally {
        doc.dispose();
      }
    };
    assert.deepEqual(validate(() => {}), []);
    assert.match(validate((doc) => { el(doc, '//xds:DocumentRequest').namespacePrefix = 'rmd'; }).join('\n'), /DocumentRequest': This element is not expected/);
  });

  test('an AdhocQuery in the query namespace instead of rim is rejected', () => {
    const errors = check(schemas, 'iti18-request.xml', (doc) => {
      el(doc, '//rim:AdhocQuery').namespacePrefix = 'query';
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /\{urn:oasis:names:tc:ebxml-regrep:xsd:query:3\.0\}AdhocQuery': This element is not expected/);
  });

  test('a Slot without its name is rejected', () => {
    const errors = check(schemas, 'iti18-request.xml', (doc) => el(doc, '//rim:Slot[1]').attr('name')?.remove());
    assert.match(errors.join('\n'), /Element '\{urn:oasis:names:tc:ebxml-regrep:xsd:rim:3\.0\}Slot': The attribute 'name' is required/);
  });

  test('a returnType outside ebRS is rejected', () => {
    const errors = check(schemas, 'iti18-request.xml', (doc) => {
      const attr = el(doc, '//query:ResponseOption').attr('returnType');
      if (attr) attr.value = 'EverythingPlease';
    });
    assert.match(errors.join('\n'), /returnType.*EverythingPlease/);
  });

  test('a DocumentRequest without DocumentUniqueId is rejected', () => {
    const errors = check(schemas, 'iti43-request.xml', (doc) => el(doc, '//xds:DocumentRequest[2]/xds:DocumentUniqueId').remove());
    assert.match(errors.join('\n'), /DocumentRequest': Missing child element\(s\)\. Expected is \( \{urn:ihe:iti:xds-b:2007\}DocumentUniqueId \)/);
  });

  test('DocumentRequest children out of IHE order are rejected', () => {
    const errors = check(schemas, 'iti43-request.xml', (doc) => {
      el(doc, '//xds:DocumentRequest[2]/xds:RepositoryUniqueId').remove();
      el(doc, '//xds:DocumentRequest[2]').addElement('RepositoryUniqueId', 'xds').addText('2.16.840.1.113883.2.9.2.120.4.5.1');
    });
    assert.match(errors.join('\n'), /\{urn:ihe:iti:xds-b:2007\}DocumentUniqueId': This element is not expected\. Expected is one of \(.*RepositoryUniqueId \)/);
  });

  test('a RetrieveDocumentSetRequest with no DocumentRequest is rejected', () => {
    const errors = check(schemas, 'iti43-request.xml', (doc) => {
      for (const node of doc.find('//xds:DocumentRequest', XDS_NS)) if (node instanceof XmlElement) node.remove();
    });
    assert.match(errors.join('\n'), /RetrieveDocumentSetRequest': Missing child element/);
  });
});

describe('the canned responses of the client test are valid XDS.b answers', () => {
  let schemas: SchemaSet;
  before(() => {
    schemas = compileSchemas();
  });
  after(() => schemas.dispose());

  const iti18Body = '/env:Envelope/env:Body/query:AdhocQueryResponse';
  const iti43Body = '/env:Envelope/env:Body/xds:RetrieveDocumentSetResponse';

  test('the AdhocQueryResponse with one ExtrinsicObject is valid', () => {
    assert.deepEqual(check(schemas, 'iti18-response.xml', () => {}, iti18Body), []);
  });

  test('RegistryObjectList accepts the ebRIM substitution group (RegistryPackage, Association, ObjectRef)', () => {
    const errors = check(schemas, 'iti18-response.xml', (doc) => {
      const list = el(doc, '//rim:RegistryObjectList');
      list.addElement('RegistryPackage', 'rim').setAttr('id', 'urn:uuid:aa3e4b1c-1111-4a3b-9b1e-2f6c8a1d3e51');
      const association = list.addElement('Association', 'rim');
      association.setAttr('id', 'urn:uuid:aa3e4b1c-2222-4a3b-9b1e-2f6c8a1d3e51');
      association.setAttr('associationType', 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember');
      association.setAttr('sourceObject', 'urn:uuid:aa3e4b1c-1111-4a3b-9b1e-2f6c8a1d3e51');
      association.setAttr('targetObject', 'urn:uuid:5d8a0f4c-7d9e-4a3b-9b1e-2f6c8a1d3e50');
      list.addElement('ObjectRef', 'rim').setAttr('id', 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d');
    }, iti18Body);
    assert.deepEqual(errors, []);
  });

  test('an Association without targetObject is rejected', () => {
    const errors = check(schemas, 'iti18-response.xml', (doc) => {
      const association = el(doc, '//rim:RegistryObjectList').addElement('Association', 'rim');
      association.setAttr('id', 'urn:uuid:aa3e4b1c-2222-4a3b-9b1e-2f6c8a1d3e51');
      association.setAttr('associationType', 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember');
      association.setAttr('sourceObject', 'SubmissionSet1');
    }, iti18Body);
    assert.match(errors.join('\n'), /The attribute 'targetObject' is required/);
  });

  test('ExtrinsicObject children out of ebRIM order (ExternalIdentifier before Classification) are rejected', () => {
    const errors = check(schemas, 'iti18-response.xml', (doc) => {
      const eo = el(doc, '//rim:ExtrinsicObject');
      el(doc, '//rim:ExtrinsicObject/rim:Classification').remove();
      eo.addElement('Classification', 'rim').setAttr('classifiedObject', 'x');
    }, iti18Body);
    assert.match(errors.join('\n'), /Classification': This element is not expected/);
  });

  test('the RetrieveDocumentSetResponse is valid once the XOP package is reconstituted (base64 in Document)', () => {
    const errors = check(schemas, 'iti43-response.xml', (doc) => {
      const document = el(doc, '//xds:Document');
      el(doc, '//xds:Document/xop:Include').remove();
      document.addText(Buffer.from('%PDF-1.7 sample').toString('base64'));
    }, iti43Body);
    assert.deepEqual(errors, []);
  });

  test('Document is xs:base64Binary: the raw xop:Include form is not its infoset', () => {
    const errors = check(schemas, 'iti43-response.xml', () => {}, iti43Body);
    assert.match(errors.join('\n'), /Document': Element content is not allowed, because the type definition is simple/);
  });

  test('a DocumentResponse without mimeType is rejected', () => {
    const errors = check(schemas, 'iti43-response.xml', (doc) => {
      el(doc, '//xds:mimeType').remove();
      el(doc, '//xds:Document/xop:Include').remove();
    }, iti43Body);
    assert.match(errors.join('\n'), /Document': This element is not expected\. Expected is one of \(.*\{urn:ihe:iti:xds-b:2007\}mimeType \)/);
  });
});

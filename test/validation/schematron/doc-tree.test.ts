import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XmlComment, XmlElement, XmlText, XmlCData, type XmlTreeNode } from 'libxml2-wasm';
import { ATTRIBUTE, COMMENT, docTree, ELEMENT, TEXT, type DocTree } from '../../../src/validation/schematron/native/doc-tree.ts';
import { parseXml, withXml } from '../../../src/xml/xml-toolkit.ts';

/**
 * The native engine reads libxml2's tree straight from the WebAssembly memory, with struct offsets of libxml2-wasm
 * 0.7.x. This test reads the same documents through libxml2-wasm's public API and requires the same nodes, names,
 * namespaces, values and order: an upgrade that moves a field fails here, not silently in a validation.
 */

const DOC = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">
  <!-- a comment -->
  <id root="2.16.840.1.113883.2.9.2.120.4.4" extension="àèìòù €"/>
  <code code="34105-7" codeSystem="2.16.840.1.113883.6.1"><originalText>Lettera <![CDATA[di <dimissione>]]> ospedaliera</originalText></code>
  <value xsi:type="CD" sdtc:valueSet="vs"/>
  <plain xmlns="">no namespace</plain>
  <id root="second"/>
</ClinicalDocument>`;

interface Seen { kind: number; local: string; uri: string; value: string }

/** Document order through the public API: element, its attributes, then its children; adjacent text merged. */
function publicOrder(el: XmlElement, out: Seen[]): void {
  out.push({ kind: ELEMENT, local: el.name, uri: el.namespaceUri, value: el.content });
  for (const a of el.attrs) out.push({ kind: ATTRIBUTE, local: a.name, uri: a.namespaceUri, value: a.value });
  let text: Seen | undefined;
  for (let n: XmlTreeNode | null = el.firstChild; n; n = n.next) {
    if (n instanceof XmlText || n instanceof XmlCData) {
      if (text) text.value += n.content;
      else { text = { kind: TEXT, local: '', uri: '', value: n.content }; out.push(text); }
      continue;
    }
    text = undefined;
    if (n instanceof XmlElement) publicOrder(n, out);
    else if (n instanceof XmlComment) out.push({ kind: COMMENT, local: '', uri: '', value: n.content });
  }
}

function treeOrder(tree: DocTree): Seen[] {
  const out: Seen[] = [];
  for (let id = 1; id < tree.count; id++) {
    out.push({ kind: tree.kind[id] as number, local: tree.localName(id), uri: tree.namespaceUri(id), value: tree.stringValue(id) });
  }
  return out;
}

describe('native engine: the document tree read from libxml2-wasm memory', () => {
  test('same nodes, names, namespaces, values and order as the public API', () => {
    withXml(DOC, (doc) => {
      const expected: Seen[] = [];
      publicOrder(doc.root, expected);
      assert.deepEqual(treeOrder(docTree(doc)), expected);
    });
  });

  test('structure: parents, siblings, subtree ranges, QNames and fn:path()', () => {
    withXml(DOC, (doc) => {
      const tree = docTree(doc);
      const root = tree.firstChild[0] as number;
      assert.equal(tree.qname(root), 'ClinicalDocument');
      const ids = [...Array(tree.count).keys()].filter((i) => tree.kind[i] === ELEMENT && tree.localName(i) === 'id');
      assert.deepEqual(ids.map((i) => tree.path(i)), ['/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}id[1]',
        '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}id[2]']);
      assert.ok(ids.every((i) => tree.parent[i] === root));
      const valueSet = [...Array(tree.count).keys()].find((i) => tree.kind[i] === ATTRIBUTE && tree.localName(i) === 'valueSet') as number;
      assert.equal(tree.qname(valueSet), 'sdtc:valueSet');
      assert.equal(tree.path(valueSet), '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}value[1]/@Q{urn:hl7-org:sdtc}valueSet');
      assert.equal(tree.end[0], tree.count - 1);
      assert.equal(tree.end[root], tree.count - 1);
    });
  });

  test('a disposed document lends its arrays to the next tree without leaking its nodes', () => {
    const first = parseXml('<a><b x="1"/><b x="2"/><c/></a>');
    const firstTree = docTree(first);
    const before = firstTree.count;
    first.dispose();
    withXml('<z y="only"/>', (doc) => {
      const tree = docTree(doc);
      assert.equal(tree.count, 3);
      assert.equal(tree.kind, firstTree.kind, 'the arrays are reused');
      assert.deepEqual(treeOrder(tree).map((s) => `${s.local}=${s.value}`), ['z=', 'y=only']);
    });
    assert.equal(before, 7);
  });
});

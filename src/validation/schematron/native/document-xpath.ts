import type { XmlDocument, XmlXPath } from 'libxml2-wasm';
import {
  XmlNamedNodeStruct, xmlNodeGetContent, XmlNodeSetStruct, XmlNodeType, XmlNsStruct, XmlTreeCommonStruct, xmlXPathCompiledEval,
  xmlXPathFreeContext, xmlXPathFreeObject, xmlXPathNewContext, XmlXPathObjectStruct, xmlXPathRegisterNs, xmlXPathSetContextNode,
} from 'libxml2-wasm/lib/libxml2.mjs';

/**
 * One libxml2 XPath context per document, reused for every evaluation of a schematron run. libxml2-wasm's public
 * `node.eval()` creates, fills (namespaces) and frees a context per call, which is about 80% of an evaluation's cost
 * (measured: 7.5 us per test through `eval`, 1.5 us with a reused context); an official file runs 150-400 tests per
 * document. This module is the only one that uses libxml2-wasm's internal bindings (`lib/libxml2.mjs`, 0.7.x): a
 * version that changes them fails the native engine's unit tests, not silently.
 * Nodes are libxml2 pointers: no JavaScript wrapper is made for a node unless a finding needs its text.
 */

/** A node of the document, as libxml2 addresses it. */
export type NodePtr = number;

/** An XPath result as XPath 1.0 types it. */
export type XPathValue = NodePtr[] | string | boolean | number;

export class DocumentXPath {
  private readonly context: number;

  constructor(doc: XmlDocument, namespaces: Readonly<Record<string, string>>) {
    this.context = xmlXPathNewContext((doc as unknown as { _ptr: number })._ptr);
    for (const [prefix, uri] of Object.entries(namespaces)) xmlXPathRegisterNs(this.context, prefix, uri);
  }

  /** The root element. */
  static root(doc: XmlDocument): NodePtr {
    return (doc.root as unknown as { _nodePtr: number })._nodePtr;
  }

  private run<T>(xp: XmlXPath, node: NodePtr, read: (obj: number) => T): T {
    xmlXPathSetContextNode(node, this.context);
    const obj = xmlXPathCompiledEval((xp as unknown as { _ptr: number })._ptr, this.context);
    if (obj === 0) throw new Error(`XPath evaluation failed: ${xp.toString()}`);
    try {
      return read(obj);
    } finally {
      xmlXPathFreeObject(obj);
    }
  }

  /** Evaluates an expression compiled as `boolean(...)`. */
  boolean(xp: XmlXPath, node: NodePtr): boolean {
    return this.run(xp, node, (obj) => XmlXPathObjectStruct.boolval(obj) !== 0);
  }

  /** Evaluates any expression. */
  value(xp: XmlXPath, node: NodePtr): XPathValue {
    return this.run(xp, node, (obj): XPathValue => {
      switch (XmlXPathObjectStruct.type(obj)) {
        case XmlXPathObjectStruct.Type.XPATH_NODESET: {
          const set = XmlXPathObjectStruct.nodesetval(obj);
          if (set === 0) return [];
          const count = XmlNodeSetStruct.nodeCount(set);
          return Array.from(XmlNodeSetStruct.nodeTable(set, count));
        }
        case XmlXPathObjectStruct.Type.XPATH_BOOLEAN: return XmlXPathObjectStruct.boolval(obj) !== 0;
        case XmlXPathObjectStruct.Type.XPATH_NUMBER: return XmlXPathObjectStruct.floatval(obj);
        case XmlXPathObjectStruct.Type.XPATH_STRING: return XmlXPathObjectStruct.stringval(obj);
        default: throw new Error(`unsupported XPath result type for ${xp.toString()}`);
      }
    });
  }

  /** Evaluates an expression that selects nodes. */
  nodes(xp: XmlXPath, node: NodePtr): NodePtr[] {
    const v = this.value(xp, node);
    return Array.isArray(v) ? v : [];
  }

  dispose(): void {
    xmlXPathFreeContext(this.context);
  }
}

/** The XPath string value of a node (XPath 1.0, 5). */
export function stringValue(node: NodePtr): string {
  return xmlNodeGetContent(node);
}

export const isElement = (node: NodePtr): boolean => XmlTreeCommonStruct.type(node) === XmlNodeType.XML_ELEMENT_NODE;
export const isAttribute = (node: NodePtr): boolean => XmlTreeCommonStruct.type(node) === XmlNodeType.XML_ATTRIBUTE_NODE;

/** Local name, namespace URI ('' for none) and parent of an element or attribute. */
export function nodeName(node: NodePtr): { local: string; uri: string } {
  const ns = XmlNamedNodeStruct.namespace(node);
  return { local: XmlTreeCommonStruct.name_(node), uri: ns === 0 ? '' : XmlNsStruct.href(ns) };
}

export const parentOf = (node: NodePtr): NodePtr => XmlTreeCommonStruct.parent(node);
export const previousOf = (node: NodePtr): NodePtr => XmlTreeCommonStruct.prev(node);

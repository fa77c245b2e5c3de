import { XmlAttribute, XmlElement, type XmlDocument, type XmlNode } from 'libxml2-wasm';
import type { Finding } from '../../findings.js';
import { findingOf } from '../finding-of.js';
import type { BoolExpr, ValueExpr } from './expressions.js';
import type { NativeRule, NativeSchema } from './native-schema.js';
import { nodePath } from './node-path.js';

/**
 * Runs a {@link NativeSchema} on a document parsed by libxml2, with the saxon-js translator's semantics and order
 * (sch-to-xslt.ts): pattern by pattern; within a pattern, nodes in document order (elements, then attributes, unless
 * every context is absolute); each node handled by the first rule of the pattern that matches it
 * (ISO/IEC 19757-3, 6.5); within a rule, asserts and reports in document order.
 */

type XPathResult = XmlNode[] | string | boolean | number;

/** libxml2-wasm creates a new wrapper per lookup: node identity is the libxml2 pointer. */
function identity(node: XmlNode): number {
  return (node as unknown as { _nodePtr: number })._nodePtr;
}

/** XPath 2.0 casts of a double to a string (F&O 17.1.2): no exponent between 1e-6 and 1e6. */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'INF' : '-INF';
  return String(n);
}

/** `xsl:value-of` of a sequence: the items' string values joined by one space (XSLT 2.0, 11.4.2). */
function stringOf(result: XPathResult): string {
  if (Array.isArray(result)) return result.map((n) => n.content).join(' ');
  if (typeof result === 'number') return formatNumber(result);
  return String(result);
}

/** General comparison with XPath 2.0 typing: untyped values compare as strings unless the other side is a number. */
function compare(op: string, left: XPathResult, right: XPathResult): boolean {
  const items = (r: XPathResult): (string | number)[] =>
    Array.isArray(r) ? r.map((n) => n.content) : typeof r === 'boolean' ? [r ? 1 : 0] : [r];
  const l = items(left);
  const r = items(right);
  const numeric = typeof left === 'number' || typeof right === 'number';
  const test = (a: string | number, b: string | number): boolean => {
    const x = numeric ? Number(a) : String(a);
    const y = numeric ? Number(b) : String(b);
    switch (op) {
      case '<': return x < y;
      case '<=': return x <= y;
      case '>': return x > y;
      default: return x >= y;
    }
  };
  return l.some((a) => r.some((b) => test(a, b)));
}

function evalBool(expr: BoolExpr, node: XmlNode): boolean {
  switch (expr.kind) {
    case 'xpath': return node.eval(expr.xp) === true;
    case 'and': return expr.items.every((e) => evalBool(e, node));
    case 'or': return expr.items.some((e) => evalBool(e, node));
    case 'not': return !evalBool(expr.item, node);
    case 'matches': return expr.re.test(String(node.eval(expr.arg)));
    case 'compare': return compare(expr.op, node.eval(expr.left), node.eval(expr.right));
  }
}

/** A rule's context node and its computed lets, evaluated at most once and only when a message needs one. */
interface RuleFrame {
  readonly rule: NativeRule;
  readonly node: XmlNode;
  readonly lets: Map<string, string>;
}

function letValue(frame: RuleFrame, name: string): string {
  let value = frame.lets.get(name);
  if (value === undefined) {
    const item = frame.rule.lets.find((l) => l.name === name);
    value = item ? evalValue(item.value, frame.node, frame) : '';
    frame.lets.set(name, value);
  }
  return value;
}

function evalValue(expr: ValueExpr, node: XmlNode, frame: RuleFrame): string {
  switch (expr.kind) {
    case 'xpath': return stringOf(node.eval(expr.xp));
    case 'let': return letValue(frame, expr.name);
    case 'substring-after': {
      const s = evalValue(expr.of, node, frame);
      const at = s.indexOf(expr.what);
      return at < 0 ? '' : s.slice(at + expr.what.length);
    }
    case 'substring-before': {
      const s = evalValue(expr.of, node, frame);
      const at = s.indexOf(expr.what);
      return at < 0 ? '' : s.slice(0, at);
    }
    case 'if': return evalValue(evalBool(expr.cond, node) ? expr.then : expr.else, node, frame);
    case 'for-each': {
      const nodes = node.eval(expr.select);
      return Array.isArray(nodes) ? nodes.map((n) => evalValue(expr.value, n, frame)).join('') : '';
    }
  }
}

function runRule(rule: NativeRule, node: XmlNode, out: Finding[]): void {
  const frame: RuleFrame = { rule, node, lets: new Map() };
  for (const check of rule.checks) {
    const holds = evalBool(check.test, node);
    if (check.kind === 'assert' ? holds : !holds) continue;
    const message = check.message.map((p) => (p.kind === 'text' ? p.text : evalValue(p.value, node, frame))).join('');
    out.push(findingOf({ kind: check.kind, location: nodePath(node), message, ...(check.id === undefined ? {} : { id: check.id }) }));
  }
}

const asNodes = (r: XPathResult): XmlNode[] => (Array.isArray(r) ? r : []);

/** Runs every pattern of the schema on the document. Throws (XmlXPathError) on a dynamic XPath error, as saxon-js does. */
export function runNativeSchematron(schema: NativeSchema, doc: XmlDocument): Finding[] {
  const root = doc.root;
  const out: Finding[] = [];
  for (const pattern of schema.patterns) {
    const matched = pattern.rules.map((r) => new Set(asNodes(root.eval(r.context)).map(identity)));
    let nodes = asNodes(root.eval(pattern.nodes));
    if (!pattern.absolute) {
      // The translator pushes `//*` then (when some context can match one) `//@*`: other nodes are never visited.
      nodes = [
        ...nodes.filter((n) => n instanceof XmlElement),
        ...(schema.withAttributes ? nodes.filter((n) => n instanceof XmlAttribute) : []),
      ];
    }
    for (const node of nodes) {
      const id = identity(node);
      const index = matched.findIndex((set) => set.has(id));
      const rule = pattern.rules[index];
      if (rule) runRule(rule, node, out);
    }
  }
  return out;
}

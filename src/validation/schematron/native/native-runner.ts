import type { XmlDocument } from 'libxml2-wasm';
import type { Finding } from '../../findings.js';
import { findingOf } from '../finding-of.js';
import { DocumentXPath, isAttribute, isElement, stringValue, type NodePtr, type XPathValue } from './document-xpath.js';
import type { BoolExpr, ValueExpr } from './expressions.js';
import type { NativeRule, NativeSchema } from './native-schema.js';
import { nodePath } from './node-path.js';

/**
 * Runs a {@link NativeSchema} on a document parsed by libxml2, with the saxon-js translator's semantics and order
 * (sch-to-xslt.ts): pattern by pattern; within a pattern, nodes in document order (elements, then attributes, unless
 * every context is absolute); each node handled by the first rule of the pattern that matches it
 * (ISO/IEC 19757-3, 6.5); within a rule, asserts and reports in document order.
 */

/** XPath 2.0 casts of a double to a string (F&O 17.1.2): no exponent between 1e-6 and 1e6. */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'INF' : '-INF';
  return String(n);
}

/** `xsl:value-of` of a sequence: the items' string values joined by one space (XSLT 2.0, 11.4.2). */
function stringOf(result: XPathValue): string {
  if (Array.isArray(result)) return result.map(stringValue).join(' ');
  if (typeof result === 'number') return formatNumber(result);
  return String(result);
}

/** General comparison with XPath 2.0 typing: untyped values compare as strings unless the other side is a number. */
function compare(op: string, left: XPathValue, right: XPathValue): boolean {
  const items = (r: XPathValue): (string | number)[] =>
    Array.isArray(r) ? r.map(stringValue) : typeof r === 'boolean' ? [r ? 1 : 0] : [r];
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

function evalBool(x: DocumentXPath, expr: BoolExpr, node: NodePtr): boolean {
  switch (expr.kind) {
    case 'xpath': return x.boolean(expr.xp, node);
    case 'and': return expr.items.every((e) => evalBool(x, e, node));
    case 'or': return expr.items.some((e) => evalBool(x, e, node));
    case 'not': return !evalBool(x, expr.item, node);
    case 'matches': return expr.re.test(String(x.value(expr.arg, node)));
    case 'compare': return compare(expr.op, x.value(expr.left, node), x.value(expr.right, node));
  }
}

/** A rule's context node and its computed lets, evaluated at most once and only when a message needs one. */
interface RuleFrame {
  readonly x: DocumentXPath;
  readonly rule: NativeRule;
  readonly node: NodePtr;
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

function evalValue(expr: ValueExpr, node: NodePtr, frame: RuleFrame): string {
  switch (expr.kind) {
    case 'xpath': return stringOf(frame.x.value(expr.xp, node));
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
    case 'if': return evalValue(evalBool(frame.x, expr.cond, node) ? expr.then : expr.else, node, frame);
    case 'for-each': {
      return frame.x.nodes(expr.select, node).map((n) => evalValue(expr.value, n, frame)).join('');
    }
  }
}

function runRule(x: DocumentXPath, rule: NativeRule, node: NodePtr, out: Finding[]): void {
  const frame: RuleFrame = { x, rule, node, lets: new Map() };
  for (const check of rule.checks) {
    const holds = evalBool(x, check.test, node);
    if (check.kind === 'assert' ? holds : !holds) continue;
    const message = check.message.map((p) => (p.kind === 'text' ? p.text : evalValue(p.value, node, frame))).join('');
    out.push(findingOf({ kind: check.kind, location: nodePath(node), message, ...(check.id === undefined ? {} : { id: check.id }) }));
  }
}

/** Below this many `N` elements, `c/rest` per element beats one more walk of the document for `//N/rest`. */
const FEW_HEADS = 4;

/** The nodes a rule context matches (see NativeRule.head). */
function contextNodes(x: DocumentXPath, rule: NativeRule, root: NodePtr, heads: Map<string, NodePtr[]>): NodePtr[] {
  const { head } = rule;
  if (!head) return x.nodes(rule.context, root);
  let all = heads.get(head.key);
  if (!all) {
    all = x.nodes(head.all, root);
    heads.set(head.key, all);
  }
  if (all.length > FEW_HEADS) return x.nodes(rule.context, root);
  return all.flatMap((c) => x.nodes(head.rest, c));
}

/**
 * The nodes the rules matched, once each, in document order; undefined when one of them is neither an element nor an
 * attribute (then the caller evaluates the pattern's union, which libxml2 returns in document order).
 */
function inDocumentOrder(matched: readonly Set<NodePtr>[], order: () => Map<NodePtr, number>): NodePtr[] | undefined {
  const all = new Set<NodePtr>();
  for (const set of matched) for (const n of set) all.add(n);
  if (all.size === 0) return [];
  const index = order();
  const nodes = [...all];
  if (!nodes.every((n) => index.has(n))) return undefined;
  return nodes.sort((a, b) => (index.get(a) as number) - (index.get(b) as number));
}

/** Runs every pattern of the schema on the document. Throws on a dynamic XPath error, as saxon-js does. */
export function runNativeSchematron(schema: NativeSchema, doc: XmlDocument): Finding[] {
  const x = new DocumentXPath(doc, schema.namespaces);
  try {
    const root = DocumentXPath.root(doc);
    const out: Finding[] = [];
    let order: Map<NodePtr, number> | undefined;
    const heads = new Map<string, NodePtr[]>();
    for (const pattern of schema.patterns) {
      const matched = pattern.rules.map((r) => new Set(contextNodes(x, r, root, heads)));
      let nodes = inDocumentOrder(matched, () => (order ??= new Map(x.nodes(schema.documentOrder, root).map((n, i) => [n, i]))))
        ?? x.nodes(pattern.nodes, root);
      if (!pattern.absolute) {
        // The translator pushes `//*` then (when some context can match one) `//@*`: other nodes are never visited.
        nodes = [...nodes.filter(isElement), ...(schema.withAttributes ? nodes.filter(isAttribute) : [])];
      }
      for (const node of nodes) {
        const rule = pattern.rules[matched.findIndex((set) => set.has(node))];
        if (rule) runRule(x, rule, node, out);
      }
    }
    return out;
  } finally {
    x.dispose();
  }
}

import type { XmlDocument } from 'libxml2-wasm';
import type { Finding } from '../../findings.js';
import { findingOf } from '../finding-of.js';
import { ATTRIBUTE, docTree, ELEMENT, type DocTree } from './doc-tree.js';
import type { NativePattern, NativeRule, NativeSchema } from './native-schema.js';
import { valueString } from './native-schema.js';
import { RunContext, type Focus } from './xpath-context.js';
import { evaluateSteppedPath } from './xpath-path.js';
import { ebv, Nodes, type Value } from './xpath-values.js';

/**
 * Runs a {@link NativeSchema} on a document parsed by libxml2, with the saxon-js translator's semantics and order
 * (sch-to-xslt.ts): pattern by pattern; within a pattern, nodes in document order (elements, then attributes, unless
 * every context is absolute); each node handled by the first rule of the pattern that matches it
 * (ISO/IEC 19757-3, 6.5); within a rule, asserts and reports in document order.
 */

function runRule(c: RunContext, rule: NativeRule, node: number, out: Finding[]): void {
  c.bindRule(rule.lets, node);
  const focus: Focus = { node, pos: 1, size: 1 };
  for (const check of rule.checks) {
    const holds = ebv(check.test(focus, c));
    if (check.kind === 'assert' ? holds : !holds) continue;
    const message = check.message.map((p) => (p.kind === 'text' ? p.text : valueString(p.value(focus, c), c.tree))).join('');
    out.push(findingOf({ kind: check.kind, location: c.tree.path(node), message, ...(check.id === undefined ? {} : { id: check.id }) }));
  }
}

/** The nodes a pattern visits, each with the first rule that matches it, in the translator's order. */
interface Visit { readonly owner: Int32Array; readonly stamp: Int32Array; readonly mark: number; readonly memo: Map<number, Value> }

function visits(tree: DocTree, c: RunContext, pattern: NativePattern, withAttributes: boolean, { owner, stamp, mark, memo }: Visit): number[] {
  const nodes: number[] = [];
  pattern.rules.forEach((rule, r) => {
    for (const context of rule.contexts) {
      const matched = evaluateSteppedPath(context, c, memo);
      if (!(matched instanceof Nodes)) continue;
      for (const id of matched.ids) {
        if (stamp[id] === mark) continue;
        stamp[id] = mark;
        owner[id] = r;
        nodes.push(id);
      }
    }
  });
  nodes.sort((a, b) => a - b);
  if (pattern.absolute) return nodes;
  // The translator pushes `//*` then (when some context can match one) `//@*`: other nodes are never visited.
  const elements = nodes.filter((id) => tree.kind[id] === ELEMENT);
  return withAttributes ? [...elements, ...nodes.filter((id) => tree.kind[id] === ATTRIBUTE)] : elements;
}

/** Runs every pattern of the schema on the document. Throws on a dynamic XPath error, as saxon-js does. */
export function runNativeSchematron(schema: NativeSchema, doc: XmlDocument): Finding[] {
  const tree = docTree(doc);
  const c = new RunContext(tree, schema.bindings);
  const owner = new Int32Array(tree.count);
  const stamp = new Int32Array(tree.count);
  const memo = new Map<number, Value>();
  const out: Finding[] = [];
  schema.patterns.forEach((pattern, p) => {
    for (const node of visits(tree, c, pattern, schema.withAttributes, { owner, stamp, mark: p + 1, memo })) {
      runRule(c, pattern.rules[owner[node] as number] as NativeRule, node, out);
    }
  });
  return out;
}

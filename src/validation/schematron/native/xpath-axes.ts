import { ATTRIBUTE, COMMENT, DOCUMENT, ELEMENT, PI, TEXT, type DocTree } from './doc-tree.js';
import { names } from './names.js';
import type { Axis, NodeTest } from './xpath-ast.js';

/**
 * Axes and node tests over a {@link DocTree} (XPath 2.0, 3.2.1). Each axis lists the nodes of one context node in
 * axis order: document order for forward axes, reverse document order for the reverse ones (ancestor, preceding...),
 * so that positional predicates count from the context node as XPath says.
 */

export type Test = (tree: DocTree, id: number) => boolean;

/** A node test for an axis whose principal node kind is element, or attribute on the attribute axis. */
export function compileTest(test: NodeTest, axis: Axis): Test {
  const principal = axis === 'attribute' ? ATTRIBUTE : ELEMENT;
  switch (test.k) {
    case 'name': {
      const id = names.intern(test.uri, test.local);
      return (t, n) => t.nameId[n] === id && t.kind[n] === principal;
    }
    case 'wild': {
      const { uri, local } = test;
      if (uri !== undefined) return (t, n) => t.kind[n] === principal && t.namespaceUri(n) === uri;
      if (local !== undefined) return (t, n) => t.kind[n] === principal && t.localName(n) === local;
      return (t, n) => t.kind[n] === principal;
    }
    case 'kind':
      switch (test.kind) {
        case 'node': return () => true;
        case 'text': return (t, n) => t.kind[n] === TEXT;
        case 'comment': return (t, n) => t.kind[n] === COMMENT;
        case 'processing-instruction': return (t, n) => t.kind[n] === PI;
      }
  }
}

/** The interned name of a name test, for the name index of the descendant axis. */
export function testNameId(test: NodeTest): number | undefined {
  return test.k === 'name' ? names.intern(test.uri, test.local) : undefined;
}

function children(t: DocTree, n: number, test: Test, out: number[]): void {
  for (let c = t.firstChild[n] as number; c >= 0; c = t.nextSibling[c] as number) if (test(t, c)) out.push(c);
}

function descendants(t: DocTree, n: number, test: Test, out: number[], self: boolean): void {
  if (self && test(t, n)) out.push(n);
  if (t.kind[n] === ATTRIBUTE) return;
  const last = t.end[n] as number;
  for (let i = n + 1; i <= last; i++) if (t.kind[i] !== ATTRIBUTE && test(t, i)) out.push(i);
}

/** First index in a sorted list whose value is greater than `n`. */
function firstAfter(list: readonly number[], n: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) <= n) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Descendant elements named `nameId`, from the tree's name index: no walk of the subtree. */
export function indexedDescendants(t: DocTree, n: number, nameId: number, out: number[]): void {
  const list = t.byName.get(nameId);
  if (!list) return;
  const last = t.end[n] as number;
  for (let i = n === 0 ? 0 : firstAfter(list, n); i < list.length; i++) {
    const id = list[i] as number;
    if (id > last) break;
    if (t.kind[id] === ELEMENT) out.push(id);
  }
}

/** Appends the nodes of `axis` from `n` that pass `test`, in axis order. */
export function axisNodes(t: DocTree, axis: Axis, n: number, test: Test, out: number[]): void {
  switch (axis) {
    case 'child': children(t, n, test, out); return;
    case 'attribute':
      for (let a = t.firstAttr[n] as number; a >= 0; a = t.nextSibling[a] as number) if (test(t, a)) out.push(a);
      return;
    case 'self': if (test(t, n)) out.push(n); return;
    case 'parent': { const p = t.parent[n] as number; if (p >= 0 && test(t, p)) out.push(p); return; }
    case 'descendant': descendants(t, n, test, out, false); return;
    case 'descendant-or-self': descendants(t, n, test, out, true); return;
    case 'ancestor': case 'ancestor-or-self':
      for (let p = axis === 'ancestor' ? t.parent[n] as number : n; p >= 0; p = t.parent[p] as number) if (test(t, p)) out.push(p);
      return;
    case 'following-sibling':
      if (t.kind[n] === ATTRIBUTE) return;
      for (let s = t.nextSibling[n] as number; s >= 0; s = t.nextSibling[s] as number) if (test(t, s)) out.push(s);
      return;
    case 'preceding-sibling':
      if (t.kind[n] === ATTRIBUTE) return;
      for (let s = t.prevSibling[n] as number; s >= 0; s = t.prevSibling[s] as number) if (test(t, s)) out.push(s);
      return;
    case 'following': {
      const from = t.kind[n] === ATTRIBUTE ? (t.end[t.parent[n] as number] as number) : (t.end[n] as number);
      const start = t.kind[n] === ATTRIBUTE ? firstChildOrAfter(t, n) : from + 1;
      for (let i = start; i < t.count; i++) if (t.kind[i] !== ATTRIBUTE && test(t, i)) out.push(i);
      return;
    }
    case 'preceding': {
      const el = t.kind[n] === ATTRIBUTE ? (t.parent[n] as number) : n;
      const ancestors = new Set<number>();
      for (let p = el; p >= 0; p = t.parent[p] as number) ancestors.add(p);
      for (let i = el - 1; i > 0; i--) if (t.kind[i] !== ATTRIBUTE && t.kind[i] !== DOCUMENT && !ancestors.has(i) && test(t, i)) out.push(i);
      return;
    }
  }
}

/** For an attribute: the following axis starts at its element's first child (attributes are not followed). */
function firstChildOrAfter(t: DocTree, attr: number): number {
  const el = t.parent[attr] as number;
  const child = t.firstChild[el] as number;
  return child >= 0 ? child : (t.end[el] as number) + 1;
}

export const REVERSE_AXES: ReadonlySet<Axis> = new Set(['parent', 'ancestor', 'ancestor-or-self', 'preceding-sibling', 'preceding']);

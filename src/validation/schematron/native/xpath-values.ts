import type { DocTree } from './doc-tree.js';

/**
 * XPath 2.0 values over a {@link DocTree}, for untyped documents (no schema-aware processing, as saxon-js runs the
 * rules): a node's typed value is xs:untypedAtomic. The rules below are the parts of XPath 2.0 that make results
 * differ from XPath 1.0: general comparisons cast untyped values to the other operand's type (3.5.2), the effective
 * boolean value refuses a sequence of several atomic values (2.4.3), and functions refuse several items where one is
 * expected (3.1.5). Dynamic and type errors throw {@link XPathDynamicError}, as saxon-js does.
 */

export class XPathDynamicError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
  }
}

/** A sequence of nodes, by id; in document order without duplicates unless built by the comma operator. */
export class Nodes {
  constructor(readonly ids: readonly number[]) {}
}

export type Atomic = string | number | boolean;

/** A sequence of atomic values (typed: literals and function results). */
export class Atomics {
  constructor(readonly items: readonly Atomic[]) {}
}

export type Value = Nodes | Atomics | Atomic;

/** An item of an atomized sequence: a typed value, or the untyped string value of a node. */
export type AtomizedItem = { readonly untyped: true; readonly v: string } | { readonly untyped: false; readonly v: Atomic };

export function atomize(tree: DocTree, v: Value): AtomizedItem[] {
  if (v instanceof Nodes) return v.ids.map((id) => ({ untyped: true, v: tree.stringValue(id) }));
  if (v instanceof Atomics) return v.items.map((x) => ({ untyped: false, v: x }));
  return [{ untyped: false, v }];
}

export function size(v: Value): number {
  if (v instanceof Nodes) return v.ids.length;
  if (v instanceof Atomics) return v.items.length;
  return 1;
}

/** Effective boolean value (XPath 2.0, 2.4.3). */
export function ebv(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (v instanceof Nodes) return v.ids.length > 0;
  if (v.items.length === 0) return false;
  if (v.items.length === 1) return ebv(v.items[0] as Atomic);
  throw new XPathDynamicError('FORG0006', 'effective boolean value of a sequence of several atomic values');
}

const DOUBLE = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** xs:double from a string (XML Schema lexical space, surrounding whitespace allowed); undefined when not one. */
export function parseDouble(s: string): number | undefined {
  if (DOUBLE.test(s)) return Number(s.trim());
  const t = s.trim();
  if (t === 'INF' || t === '+INF') return Infinity;
  if (t === '-INF') return -Infinity;
  if (t === 'NaN') return NaN;
  return undefined;
}

/** `fn:number()` semantics: NaN instead of an error. */
export function toNumber(s: string): number {
  return parseDouble(s) ?? NaN;
}

export function castToDouble(s: string): number {
  const n = parseDouble(s);
  if (n === undefined) throw new XPathDynamicError('FORG0001', `cannot cast '${s}' to xs:double`);
  return n;
}

/** The string of an atomic value (XPath 2.0 casts; doubles between 1e-6 and 1e6 have no exponent). */
export function atomicString(a: Atomic): string {
  if (typeof a === 'string') return a;
  if (typeof a === 'boolean') return a ? 'true' : 'false';
  if (Number.isNaN(a)) return 'NaN';
  if (!Number.isFinite(a)) return a > 0 ? 'INF' : '-INF';
  return String(a);
}

/** The zero-or-one item an argument must be (function conversion rules, 3.1.5); undefined for the empty sequence. */
export function singleItem(tree: DocTree, v: Value, what: string): AtomizedItem | undefined {
  if (typeof v !== 'object') return { untyped: false, v };
  const n = size(v);
  if (n === 0) return undefined;
  if (n > 1) throw new XPathDynamicError('XPTY0004', `${what}: a sequence of ${n} items where at most one is allowed`);
  return atomize(tree, v)[0];
}

/** An `xs:string?` argument: untyped values become strings, numbers and booleans are type errors. */
export function stringArg(tree: DocTree, v: Value, what: string): string {
  const item = singleItem(tree, v, what);
  if (!item) return '';
  if (item.untyped || typeof item.v === 'string') return item.v as string;
  throw new XPathDynamicError('XPTY0004', `${what}: expected a string, found ${typeof item.v}`);
}

function compareAtomic(op: string, a: Atomic, b: Atomic): boolean {
  switch (op) {
    case '=': case 'eq': return a === b;
    case '!=': case 'ne': return a !== b;
    case '<': case 'lt': return a < b;
    case '<=': case 'le': return a <= b;
    case '>': case 'gt': return a > b;
    default: return a >= b;
  }
}

function castUntypedTo(s: string, other: Atomic): Atomic {
  if (typeof other === 'number') return castToDouble(s);
  if (typeof other === 'boolean') {
    const t = s.trim();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    throw new XPathDynamicError('FORG0001', `cannot cast '${s}' to xs:boolean`);
  }
  return s;
}

function sameType(a: Atomic, b: Atomic): boolean {
  if (typeof a === typeof b) return true;
  throw new XPathDynamicError('XPTY0004', `cannot compare ${typeof a} with ${typeof b}`);
}

/** One pair of a general comparison (XPath 2.0, 3.5.2). */
function comparePair(op: string, a: AtomizedItem, b: AtomizedItem): boolean {
  if (a.untyped && b.untyped) return compareAtomic(op, a.v, b.v);
  if (a.untyped) return compareAtomic(op, castUntypedTo(a.v, b.v), b.v);
  if (b.untyped) return compareAtomic(op, a.v, castUntypedTo(b.v, a.v));
  return sameType(a.v, b.v) && compareAtomic(op, a.v, b.v);
}

/** A general comparison: true when some pair of items compares true. */
export function generalCompare(tree: DocTree, op: string, l: Value, r: Value): boolean {
  const left = atomize(tree, l);
  if (left.length === 0) return false;
  const right = atomize(tree, r);
  for (const a of left) for (const b of right) if (comparePair(op, a, b)) return true;
  return false;
}

/** A value comparison (3.5.1): one item each side, untyped compared as a string; undefined for an empty operand. */
export function valueCompare(tree: DocTree, op: string, l: Value, r: Value): boolean | undefined {
  const a = singleItem(tree, l, op);
  const b = singleItem(tree, r, op);
  if (!a || !b) return undefined;
  return sameType(a.v, b.v) && compareAtomic(op, a.v, b.v);
}

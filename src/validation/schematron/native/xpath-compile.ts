import type { Expr } from './xpath-ast.js';
import type { Compiled, Scope } from './xpath-context.js';
import { CASTABLE_TYPES, castable, compileCall } from './xpath-functions.js';
import { XPathUnsupported } from './xpath-parser.js';
import { compilePath, compilePredicates, mergeNodes } from './xpath-path.js';
import {
  atomize, Atomics, castToDouble, ebv, generalCompare, Nodes, size, valueCompare, XPathDynamicError, type Atomic, type Value,
} from './xpath-values.js';

/**
 * Compiles an XPath syntax tree to a JavaScript closure once, at schema load; evaluating it is then plain JavaScript
 * over the document's arrays (doc-tree.ts), with no parsing, allocation of evaluation contexts or calls into
 * WebAssembly. See: XPath 2.0, 3 "Expressions" for each construct's semantics.
 */

function arithmetic(op: string, l: Value, r: Value, c: Parameters<Compiled>[1]): Value {
  const num = (v: Value): number | undefined => {
    const items = atomize(c.tree, v);
    if (items.length === 0) return undefined;
    if (items.length > 1) throw new XPathDynamicError('XPTY0004', `arithmetic on a sequence of ${items.length} items`);
    const [item] = items as [{ untyped: boolean; v: Atomic }];
    if (item.untyped) return castToDouble(item.v as string);
    if (typeof item.v !== 'number') throw new XPathDynamicError('XPTY0004', `arithmetic on a ${typeof item.v}`);
    return item.v;
  };
  const a = num(l);
  const b = num(r);
  if (a === undefined || b === undefined) return new Atomics([]);
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case 'div': return a / b;
    case 'mod': return a % b;
    default:
      if (b === 0) throw new XPathDynamicError('FOAR0001', 'idiv by zero');
      return Math.trunc(a / b);
  }
}

/** A string literal argument, for functions that compile their pattern or picture once (matches, format-date). */
const literalOf = (e: Expr): string | undefined => (e.t === 'str' ? e.v : undefined);

/** Items of a sequence as values, for `some`/`every` (each item bound to the variable in turn). */
function itemsOf(v: Value): Value[] {
  if (v instanceof Nodes) return v.ids.map((id) => new Nodes([id]));
  if (v instanceof Atomics) return [...v.items];
  return [v];
}

function compileComparison(e: Extract<Expr, { t: 'cmp' }>, scope: Scope): Compiled {
  const l = compile(e.l, scope);
  const r = compile(e.r, scope);
  const { op } = e;
  if (e.r.t === 'str' && (op === '=' || op === '!=')) {
    // The most frequent test shape (`@code = 'X'`): nodes against a string literal compare string values directly.
    const lit = e.r.v;
    return (f, c) => {
      const v = l(f, c);
      if (!(v instanceof Nodes)) return generalCompare(c.tree, op, v, lit);
      for (const id of v.ids) if ((c.tree.stringValue(id) === lit) === (op === '=')) return true;
      return false;
    };
  }
  return (f, c) => {
    const a = l(f, c);
    const b = r(f, c);
    if (typeof a === 'number' && typeof b === 'number') {
      switch (op) {
        case '=': return a === b;
        case '!=': return a !== b;
        case '<': return a < b;
        case '<=': return a <= b;
        case '>': return a > b;
        case '>=': return a >= b;
      }
    }
    return generalCompare(c.tree, op, a, b);
  };
}

/**
 * Compiles sub-expressions. A function of its own on purpose: V8 keeps one context per call for every variable any
 * closure of that call reads, so an arrow `(i) => compile(i, scope)` inside `compile` would make every closure it
 * returns retain the scope and its tables (measured: tens of MB for the 22 official files).
 */
function compileEach(items: readonly Expr[], scope: Scope): Compiled[] {
  const out: Compiled[] = [];
  for (const item of items) out.push(compile(item, scope));
  return out;
}

/**
 * Compiles an expression, sharing the closure of an equal variable-free expression compiled earlier in the session
 * (a closure then depends only on the tree, the focus and the session's ids, never on its schema).
 */
export function compile(e: Expr, scope: Scope): Compiled {
  const key = JSON.stringify(e);
  if (/"t":"(var|quant)"/.test(key)) return compileNode(e, scope);
  const known = scope.session.compiled.get(key);
  if (known) return known;
  const compiled = compileNode(e, scope);
  scope.session.compiled.set(key, compiled);
  return compiled;
}

function compileNode(e: Expr, scope: Scope): Compiled {
  switch (e.t) {
    case 'str': { const v = e.v; return () => v; }
    case 'num': { const v = e.v; return () => v; }
    case 'var': {
      const slot = scope.slotOf(e.name);
      if (slot === undefined) throw new XPathUnsupported(`undefined variable $${e.name}`);
      return (_f, c) => c.variable(slot);
    }
    case 'seq': {
      const items = compileEach(e.items, scope);
      if (items.length === 0) return () => new Atomics([]);
      return (f, c) => {
        const values = items.map((i) => i(f, c));
        if (values.every((v) => v instanceof Nodes)) return new Nodes(values.flatMap((v) => (v as Nodes).ids));
        if (values.some((v) => v instanceof Nodes && v.ids.length > 0)) throw new XPathDynamicError('native', 'a sequence of nodes and atomic values');
        return new Atomics(values.flatMap((v) => (v instanceof Atomics ? v.items : v instanceof Nodes ? [] : [v])));
      };
    }
    case 'if': {
      const cond = compile(e.cond, scope);
      const then = compile(e.then, scope);
      const otherwise = compile(e.else, scope);
      return (f, c) => (ebv(cond(f, c)) ? then(f, c) : otherwise(f, c));
    }
    case 'quant': {
      const over = compile(e.in, scope);
      const { scope: inner, slot } = scope.declare(e.name);
      const sat = compile(e.sat, inner);
      const every = e.every;
      return (f, c) => {
        for (const item of itemsOf(over(f, c))) {
          c.vars[slot] = item;
          if (ebv(sat(f, c)) !== every) return !every;
        }
        return every;
      };
    }
    case 'or': { const items = compileEach(e.items, scope); return (f, c) => items.some((i) => ebv(i(f, c))); }
    case 'and': { const items = compileEach(e.items, scope); return (f, c) => items.every((i) => ebv(i(f, c))); }
    case 'cmp': return compileComparison(e, scope);
    case 'vcmp': {
      const l = compile(e.l, scope);
      const r = compile(e.r, scope);
      const op = e.op;
      return (f, c) => { const v = valueCompare(c.tree, op, l(f, c), r(f, c)); return v === undefined ? new Atomics([]) : v; };
    }
    case 'arith': {
      const l = compile(e.l, scope);
      const r = compile(e.r, scope);
      const op = e.op;
      return (f, c) => arithmetic(op, l(f, c), r(f, c), c);
    }
    case 'neg': { const inner = compile(e.e, scope); return (f, c) => arithmetic('-', 0, inner(f, c), c); }
    case 'union': {
      const items = compileEach(e.items, scope);
      return (f, c) => {
        const sets = items.map((i) => i(f, c));
        if (!sets.every((s) => s instanceof Nodes || size(s) === 0)) throw new XPathDynamicError('XPTY0004', 'union of atomic values');
        return mergeNodes(sets.flatMap((s) => (s instanceof Nodes ? s.ids : [])));
      };
    }
    case 'castable': {
      if (!CASTABLE_TYPES.has(e.type)) throw new XPathUnsupported(`castable as ${e.type}`);
      const inner = compile(e.e, scope);
      const { type, optional } = e;
      return (f, c) => castable(inner(f, c), type, optional, c);
    }
    case 'call': return compileCall(e.name, compileEach(e.args, scope), e.args.map(literalOf));
    case 'path': return compilePath(e, scope, compile);
    case 'filter': {
      const inner = compile(e.e, scope);
      const preds = compilePredicates(e.preds, scope, compile);
      return (f, c) => {
        const v = inner(f, c);
        if (!(v instanceof Nodes)) throw new XPathDynamicError('native', 'a predicate on atomic values');
        return new Nodes(preds(v.ids, c));
      };
    }
  }
}

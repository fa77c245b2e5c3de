import { toJsRegExp, UnsupportedRegex } from './regex.js';
import type { Compiled, Focus, RunContext } from './xpath-context.js';
import { XPathUnsupported } from './xpath-parser.js';
import {
  atomicString, Atomics, ebv, Nodes, parseDouble, singleItem, size, stringArg, toNumber, XPathDynamicError, type Value,
} from './xpath-values.js';

/**
 * The functions the schematron files call (XPath and XQuery Functions and Operators 2.0), with the 2.0 argument rules:
 * several items where one is expected is an error, a number where a string is expected is an error. A function or an
 * arity not listed here is refused at compile time, and the file runs on saxon-js.
 */

type Args = readonly Compiled[];
type Maker = (args: Args, literal: readonly (string | undefined)[]) => Compiled;

const ctxNode = (f: Focus): Value => new Nodes([f.node]);

/** The node a name function reads: the argument (empty -> undefined) or the context node. */
function nodeArg(args: Args, f: Focus, c: RunContext, what: string): number | undefined {
  if (args.length === 0) return f.node;
  const v = (args[0] as Compiled)(f, c);
  if (!(v instanceof Nodes)) {
    if (size(v) === 0) return undefined;
    throw new XPathDynamicError('XPTY0004', `${what}: expected a node`);
  }
  if (v.ids.length > 1) throw new XPathDynamicError('XPTY0004', `${what}: a sequence of ${v.ids.length} nodes`);
  return v.ids[0];
}

function str(args: Args, i: number, f: Focus, c: RunContext, what: string): string {
  const a = args[i];
  return a ? stringArg(c.tree, a(f, c), what) : stringArg(c.tree, ctxNode(f), what);
}

/** `fn:string()` of zero or one item. */
function stringOf(v: Value, c: RunContext): string {
  const item = singleItem(c.tree, v, 'string');
  return item ? (item.untyped ? item.v : atomicString(item.v)) : '';
}

function numberOf(v: Value, c: RunContext): number {
  const item = singleItem(c.tree, v, 'number');
  if (!item) return NaN;
  if (item.untyped || typeof item.v === 'string') return toNumber(item.v as string);
  return typeof item.v === 'boolean' ? (item.v ? 1 : 0) : item.v;
}

/** XPath 2.0 `round()`: halves round towards positive infinity. */
const round = (n: number): number => (Number.isFinite(n) ? Math.floor(n + 0.5) : n);

function substring(s: string, start: number, length?: number): string {
  const chars = [...s];
  const first = round(start);
  const last = length === undefined ? Infinity : first + round(length);
  return chars.filter((_, i) => i + 1 >= first && i + 1 < last).join('');
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `format-date` for the numeric pictures a rule may use on `current-date()`: [Y0001], [M01], [D01] and literals. */
function formatDate(d: Date, picture: string): string {
  return picture.replace(/\[([YMD])(0*1)\]/g, (_, part: string, digits: string) => {
    const n = part === 'Y' ? d.getFullYear() : part === 'M' ? d.getMonth() + 1 : d.getDate();
    return pad(n, digits.length);
  });
}

const FUNCTIONS: Record<string, { arity: readonly number[]; make: Maker }> = {
  count: { arity: [1], make: ([a]) => (f, c) => size((a as Compiled)(f, c)) },
  not: { arity: [1], make: ([a]) => (f, c) => !ebv((a as Compiled)(f, c)) },
  boolean: { arity: [1], make: ([a]) => (f, c) => ebv((a as Compiled)(f, c)) },
  true: { arity: [0], make: () => () => true },
  false: { arity: [0], make: () => () => false },
  exists: { arity: [1], make: ([a]) => (f, c) => size((a as Compiled)(f, c)) > 0 },
  empty: { arity: [1], make: ([a]) => (f, c) => size((a as Compiled)(f, c)) === 0 },
  position: { arity: [0], make: () => (f) => f.pos },
  last: { arity: [0], make: () => (f) => f.size },
  'local-name': { arity: [0, 1], make: (args) => (f, c) => { const n = nodeArg(args, f, c, 'local-name'); return n === undefined ? '' : c.tree.localName(n); } },
  name: { arity: [0, 1], make: (args) => (f, c) => { const n = nodeArg(args, f, c, 'name'); return n === undefined ? '' : c.tree.qname(n); } },
  'namespace-uri': { arity: [0, 1], make: (args) => (f, c) => { const n = nodeArg(args, f, c, 'namespace-uri'); return n === undefined ? '' : c.tree.namespaceUri(n); } },
  string: { arity: [0, 1], make: ([a]) => (f, c) => stringOf(a ? a(f, c) : ctxNode(f), c) },
  number: { arity: [0, 1], make: ([a]) => (f, c) => numberOf(a ? a(f, c) : ctxNode(f), c) },
  'string-length': { arity: [0, 1], make: (args) => (f, c) => [...(args[0] ? str(args, 0, f, c, 'string-length') : stringOf(ctxNode(f), c))].length },
  'normalize-space': {
    arity: [0, 1],
    make: (args) => (f, c) => (args[0] ? str(args, 0, f, c, 'normalize-space') : stringOf(ctxNode(f), c)).replace(/[ \t\n\r]+/g, ' ').trim(),
  },
  contains: { arity: [2], make: (a) => (f, c) => str(a, 0, f, c, 'contains').includes(str(a, 1, f, c, 'contains')) },
  'starts-with': { arity: [2], make: (a) => (f, c) => str(a, 0, f, c, 'starts-with').startsWith(str(a, 1, f, c, 'starts-with')) },
  'ends-with': { arity: [2], make: (a) => (f, c) => str(a, 0, f, c, 'ends-with').endsWith(str(a, 1, f, c, 'ends-with')) },
  'substring-after': {
    arity: [2],
    make: (a) => (f, c) => { const s = str(a, 0, f, c, 'substring-after'); const w = str(a, 1, f, c, 'substring-after'); const i = s.indexOf(w); return i < 0 ? '' : s.slice(i + w.length); },
  },
  'substring-before': {
    arity: [2],
    make: (a) => (f, c) => { const s = str(a, 0, f, c, 'substring-before'); const w = str(a, 1, f, c, 'substring-before'); const i = s.indexOf(w); return i < 0 ? '' : s.slice(0, i); },
  },
  substring: {
    arity: [2, 3],
    make: (a) => (f, c) => substring(str(a, 0, f, c, 'substring'), numberOf((a[1] as Compiled)(f, c), c), a[2] ? numberOf(a[2](f, c), c) : undefined),
  },
  translate: {
    arity: [3],
    make: (a) => (f, c) => {
      const from = [...str(a, 1, f, c, 'translate')];
      const to = [...str(a, 2, f, c, 'translate')];
      return [...str(a, 0, f, c, 'translate')].map((ch) => { const i = from.indexOf(ch); return i < 0 ? ch : (to[i] ?? ''); }).join('');
    },
  },
  'upper-case': { arity: [1], make: (a) => (f, c) => str(a, 0, f, c, 'upper-case').toUpperCase() },
  'lower-case': { arity: [1], make: (a) => (f, c) => str(a, 0, f, c, 'lower-case').toLowerCase() },
  concat: {
    arity: [2, 3, 4, 5, 6, 7, 8, 9, 10],
    make: (args) => (f, c) => args.map((a) => stringOf(a(f, c), c)).join(''),
  },
  matches: {
    arity: [2],
    make: (a, literal) => {
      const re = literal[1];
      if (re === undefined) {
        // A pattern held in a variable (the project's own rules): translated on first use, then cached.
        const cache = new Map<string, RegExp>();
        return (f, c) => {
          const pattern = str(a, 1, f, c, 'matches');
          let compiled = cache.get(pattern);
          if (!compiled) {
            try {
              compiled = toJsRegExp(pattern);
            } catch (err) {
              if (err instanceof UnsupportedRegex) throw new XPathDynamicError('native', err.message);
              throw err;
            }
            cache.set(pattern, compiled);
          }
          return compiled.test(str(a, 0, f, c, 'matches'));
        };
      }
      let compiled: RegExp;
      try {
        compiled = toJsRegExp(re);
      } catch (err) {
        if (err instanceof UnsupportedRegex) throw new XPathUnsupported(err.message);
        throw err;
      }
      return (f, c) => compiled.test(str(a, 0, f, c, 'matches'));
    },
  },
  'current-date': { arity: [0], make: () => (_f, c) => dateValue(c.today) },
  'format-date': {
    arity: [2],
    make: (a, literal) => {
      const picture = literal[1];
      if (picture === undefined || /\[[^\]]*[^YMD01\]][^\]]*\]/.test(picture)) throw new XPathUnsupported(`format-date picture ${picture ?? '(computed)'}`);
      return (f, c) => {
        const v = (a[0] as Compiled)(f, c);
        if (!(v instanceof DateValue)) throw new XPathDynamicError('XPTY0004', 'format-date: expected an xs:date');
        return formatDate(v.date, picture);
      };
    },
  },
  'xs:integer': {
    arity: [1],
    make: ([a]) => (f, c) => {
      const item = singleItem(c.tree, (a as Compiled)(f, c), 'xs:integer');
      if (!item) return new Atomics([]);
      if (typeof item.v === 'number') return Math.trunc(item.v);
      const s = atomicString(item.v).trim();
      if (!/^[+-]?\d+$/.test(s)) throw new XPathDynamicError('FORG0001', `cannot cast '${s}' to xs:integer`);
      return Number(s);
    },
  },
};

/** An xs:date (only `current-date()` makes one; `format-date` reads it). */
class DateValue extends Atomics {
  constructor(readonly date: Date) {
    super([`${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`]);
  }
}

const dateValue = (d: Date): Value => new DateValue(d);

/** Compiles a call, or throws XPathUnsupported for a function or arity this engine does not implement. */
export function compileCall(name: string, args: Args, literal: readonly (string | undefined)[]): Compiled {
  const fn = FUNCTIONS[name];
  if (!fn || !fn.arity.includes(args.length)) throw new XPathUnsupported(`function ${name}#${args.length}`);
  return fn.make(args, literal);
}

export const CASTABLE_TYPES: ReadonlySet<string> = new Set(['xs:integer', 'xs:decimal', 'xs:double', 'xs:string']);

/** `castable as` for the types a rule may test ({@link CASTABLE_TYPES}). */
export function castable(v: Value, type: string, optional: boolean, c: RunContext): boolean {
  const n = size(v);
  if (n === 0) return optional;
  if (n > 1) return false;
  const item = singleItem(c.tree, v, 'castable') as { v: string | number | boolean };
  const s = atomicString(item.v).trim();
  switch (type) {
    case 'xs:integer': return typeof item.v === 'number' ? Number.isFinite(item.v) : /^[+-]?\d+$/.test(s);
    case 'xs:decimal': return typeof item.v === 'number' ? Number.isFinite(item.v) : /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s);
    case 'xs:double': return parseDouble(s) !== undefined;
    case 'xs:string': return true;
    default: throw new XPathUnsupported(`castable as ${type}`);
  }
}

import type { ArithOp, Axis, Expr, GeneralOp, NodeTest, Step, ValueOp } from './xpath-ast.js';
import { tokenize, XPathSyntaxError, type Token } from './xpath-tokens.js';

/**
 * A recursive-descent parser for the XPath 2.0 grammar, restricted to what schematron rules need (XPath 2.0, A.1 "EBNF").
 * Written by hand because the engine needs the syntax tree itself, to compile it to JavaScript closures; the XPath
 * libraries on npm evaluate over a DOM and do not expose one. Whatever this parser does not know (a `for` expression,
 * `instance of`, a range, a chained comparison...) throws {@link XPathUnsupported}: the file then runs on saxon-js.
 */

export class XPathUnsupported extends Error {}

const AXES = new Set<Axis>(['child', 'attribute', 'self', 'parent', 'descendant', 'descendant-or-self', 'ancestor',
  'ancestor-or-self', 'following-sibling', 'preceding-sibling', 'following', 'preceding']);
const GENERAL = new Set(['=', '!=', '<', '<=', '>', '>=']);
const VALUE = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);
const KIND_TESTS = new Set(['node', 'text', 'comment', 'processing-instruction']);
const UNSUPPORTED_KEYWORDS = new Set(['for', 'to', 'instance', 'treat', 'cast', 'intersect', 'except', 'return']);

class Parser {
  private i = 0;

  constructor(private readonly tokens: readonly Token[], private readonly ns: Readonly<Record<string, string>>, private readonly src: string) {}

  private peek(k = 0): Token | undefined { return this.tokens[this.i + k]; }
  private isOp(text: string, k = 0): boolean { const t = this.peek(k); return t?.kind === 'op' && t.text === text; }
  private isWord(text: string, k = 0): boolean { const t = this.peek(k); return t?.kind === 'name' && t.text === text; }
  private fail(what: string): never { throw new XPathUnsupported(`${what} in: ${this.src}`); }

  private expect(text: string): void {
    if (!this.isOp(text)) this.fail(`expected '${text}' at token ${this.i}`);
    this.i++;
  }

  parse(): Expr {
    const e = this.expr();
    if (this.i < this.tokens.length) this.fail(`unexpected '${this.peek()?.text}'`);
    return e;
  }

  private expr(): Expr {
    const items = [this.single()];
    while (this.isOp(',')) { this.i++; items.push(this.single()); }
    return items.length === 1 ? items[0] as Expr : { t: 'seq', items };
  }

  private single(): Expr {
    if (this.isWord('if') && this.isOp('(', 1)) {
      this.i += 2;
      const cond = this.expr();
      this.expect(')');
      if (!this.isWord('then')) this.fail('if without then');
      this.i++;
      const then = this.single();
      if (!this.isWord('else')) this.fail('if without else');
      this.i++;
      return { t: 'if', cond, then, else: this.single() };
    }
    if ((this.isWord('some') || this.isWord('every')) && this.peek(1)?.kind === 'var') {
      const every = this.peek()?.text === 'every';
      const name = this.peek(1)?.text as string;
      this.i += 2;
      if (!this.isWord('in')) this.fail('quantifier without in');
      this.i++;
      const over = this.single();
      if (this.isOp(',')) this.fail('quantifier over several variables');
      if (!this.isWord('satisfies')) this.fail('quantifier without satisfies');
      this.i++;
      return { t: 'quant', every, name, in: over, sat: this.single() };
    }
    if (this.isWord('for') && this.peek(1)?.kind === 'var') this.fail('for expression');
    return this.or();
  }

  private or(): Expr {
    const items = [this.and()];
    while (this.isOp('or')) { this.i++; items.push(this.and()); }
    return items.length === 1 ? items[0] as Expr : { t: 'or', items };
  }

  private and(): Expr {
    const items = [this.comparison()];
    while (this.isOp('and')) { this.i++; items.push(this.comparison()); }
    return items.length === 1 ? items[0] as Expr : { t: 'and', items };
  }

  private comparison(): Expr {
    const l = this.additive();
    const t = this.peek();
    if (t?.kind === 'op' && GENERAL.has(t.text)) {
      this.i++;
      const r = this.additive();
      if (this.peek()?.kind === 'op' && GENERAL.has(this.peek()?.text ?? '')) this.fail('chained comparison');
      return { t: 'cmp', op: t.text as GeneralOp, l, r };
    }
    if (t?.kind === 'name' && VALUE.has(t.text)) {
      this.i++;
      return { t: 'vcmp', op: t.text as ValueOp, l, r: this.additive() };
    }
    return l;
  }

  private additive(): Expr {
    let e = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.peek()?.text as ArithOp;
      this.i++;
      e = { t: 'arith', op, l: e, r: this.multiplicative() };
    }
    return e;
  }

  private multiplicative(): Expr {
    let e = this.union();
    for (;;) {
      const t = this.peek();
      const op = t?.kind === 'op' && ['*', 'div', 'mod'].includes(t.text) ? t.text : t?.kind === 'name' && t.text === 'idiv' ? 'idiv' : undefined;
      if (!op) return e;
      this.i++;
      e = { t: 'arith', op: op as ArithOp, l: e, r: this.union() };
    }
  }

  private union(): Expr {
    const items = [this.castable()];
    while (this.isOp('|') || this.isWord('union')) { this.i++; items.push(this.castable()); }
    return items.length === 1 ? items[0] as Expr : { t: 'union', items };
  }

  private castable(): Expr {
    const e = this.unary();
    if (this.isWord('castable') && this.isWord('as', 1)) {
      this.i += 2;
      const type = this.peek();
      if (type?.kind !== 'name') this.fail('castable without a type');
      this.i++;
      const optional = this.isOp('?');
      if (optional) this.i++;
      return { t: 'castable', e, type: type.text, optional };
    }
    const t = this.peek();
    if (t?.kind === 'name' && UNSUPPORTED_KEYWORDS.has(t.text)) this.fail(`'${t.text}'`);
    return e;
  }

  private unary(): Expr {
    if (this.isOp('-')) { this.i++; return { t: 'neg', e: this.unary() }; }
    if (this.isOp('+')) { this.i++; return this.unary(); }
    return this.path();
  }

  private path(): Expr {
    if (this.isOp('/')) {
      this.i++;
      return { t: 'path', root: true, steps: this.startsStep() ? this.relative() : [] };
    }
    if (this.isOp('//')) {
      this.i++;
      return { t: 'path', root: true, steps: [DOS, ...this.relative()] };
    }
    const steps = this.relative();
    const [only] = steps;
    if (steps.length === 1 && only?.t === 'filter') return only.e;
    return { t: 'path', root: false, steps };
  }

  private startsStep(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.kind !== 'op') return true;
    return ['@', '.', '..', '('].includes(t.text);
  }

  private relative(): Step[] {
    const steps = [this.step()];
    for (;;) {
      if (this.isOp('/')) { this.i++; steps.push(this.step()); } else if (this.isOp('//')) { this.i++; steps.push(DOS, this.step()); } else return steps;
    }
  }

  private step(): Step {
    const t = this.peek();
    if (!t) this.fail('missing step');
    if (this.isOp('.')) { this.i++; return this.withPreds('self', { k: 'kind', kind: 'node' }); }
    if (this.isOp('..')) { this.i++; return this.withPreds('parent', { k: 'kind', kind: 'node' }); }
    if (this.isOp('@')) { this.i++; return this.withPreds('attribute', this.nodeTest()); }
    if (t.kind === 'name' && this.isOp('::', 1)) {
      if (!AXES.has(t.text as Axis)) this.fail(`axis ${t.text}`);
      this.i += 2;
      return this.withPreds(t.text as Axis, this.nodeTest());
    }
    if (t.kind === 'name' && (!this.isOp('(', 1) || KIND_TESTS.has(t.text))) return this.withPreds('child', this.nodeTest());
    const primary = this.primary();
    const preds = this.predicates();
    return { t: 'filter', e: preds.length === 0 ? primary : { t: 'filter', e: primary, preds } };
  }

  private withPreds(axis: Axis, test: NodeTest): Step {
    return { t: 'axis', axis, test, preds: this.predicates() };
  }

  private predicates(): Expr[] {
    const preds: Expr[] = [];
    while (this.isOp('[')) {
      this.i++;
      preds.push(this.expr());
      this.expect(']');
    }
    return preds;
  }

  private nodeTest(): NodeTest {
    const t = this.peek();
    if (t?.kind !== 'name') this.fail('missing node test');
    this.i++;
    if (KIND_TESTS.has(t.text) && this.isOp('(')) {
      this.i++;
      this.expect(')');
      return { k: 'kind', kind: t.text as 'node' };
    }
    if (t.text === '*') return { k: 'wild' };
    const colon = t.text.indexOf(':');
    if (colon < 0) return { k: 'name', uri: '', local: t.text };
    const uri = this.ns[t.text.slice(0, colon)];
    if (uri === undefined) this.fail(`undeclared prefix ${t.text}`);
    const local = t.text.slice(colon + 1);
    return local === '*' ? { k: 'wild', uri } : { k: 'name', uri, local };
  }

  private primary(): Expr {
    const t = this.peek() as Token;
    if (t.kind === 'str') {
      // XPath 2.0 escapes a quote inside a literal by doubling it; the tokenizer leaves two adjacent literals.
      let v = t.text.slice(1, -1);
      this.i++;
      while (this.peek()?.kind === 'str' && this.peek()?.text[0] === t.text[0]) { v += t.text[0] + (this.peek()?.text.slice(1, -1) ?? ''); this.i++; }
      return { t: 'str', v };
    }
    if (t.kind === 'num') { this.i++; return { t: 'num', v: Number(t.text) }; }
    if (t.kind === 'var') { this.i++; return { t: 'var', name: t.text }; }
    if (this.isOp('(')) {
      this.i++;
      if (this.isOp(')')) { this.i++; return { t: 'seq', items: [] }; }
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (t.kind === 'name' && this.isOp('(', 1)) {
      this.i += 2;
      const args: Expr[] = [];
      if (!this.isOp(')')) {
        args.push(this.single());
        while (this.isOp(',')) { this.i++; args.push(this.single()); }
      }
      this.expect(')');
      return { t: 'call', name: t.text.startsWith('fn:') ? t.text.slice(3) : t.text, args };
    }
    return this.fail(`unexpected '${t.text}'`);
  }
}

const DOS: Step = { t: 'axis', axis: 'descendant-or-self', test: { k: 'kind', kind: 'node' }, preds: [] };

/** Parses an expression; prefixes resolve against `namespaces`. */
export function parseXPath(src: string, namespaces: Readonly<Record<string, string>>): Expr {
  let tokens: Token[];
  try {
    tokens = tokenize(src);
  } catch (err) {
    if (err instanceof XPathSyntaxError) throw new XPathUnsupported(err.message);
    throw err;
  }
  return new Parser(tokens, namespaces, src).parse();
}

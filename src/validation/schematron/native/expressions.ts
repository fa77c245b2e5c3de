import { XmlXPath } from 'libxml2-wasm';
import { finiteLanguage, toJsRegExp } from './regex.js';
import { predicateDepths, splitTop, stripParens, tokenize, untokenize, type Token } from './xpath-tokens.js';

/**
 * Compiles the XPath 2.0 of schematron tests and messages into XPath 1.0 that libxml2 runs natively, plus a few
 * JavaScript nodes for what XPath 1.0 cannot say: `matches()` with a non-finite regex, `if ... then ... else`, and
 * relational comparisons of two strings (XPath 2.0 compares them as strings by codepoint, XPath 1.0 as numbers).
 * Anything else beyond XPath 1.0 throws {@link NativeUnsupported}: the file then runs on saxon-js.
 * See: XPath 2.0, 3.5.2 "General Comparisons"; XPath 1.0, 3.4 "Booleans".
 */

export class NativeUnsupported extends Error {}

/** A test, evaluated to a boolean on a context node. */
export type BoolExpr =
  | { readonly kind: 'xpath'; readonly xp: XmlXPath }
  | { readonly kind: 'and' | 'or'; readonly items: readonly BoolExpr[] }
  | { readonly kind: 'not'; readonly item: BoolExpr }
  | { readonly kind: 'matches'; readonly arg: XmlXPath; readonly re: RegExp }
  | { readonly kind: 'compare'; readonly op: string; readonly left: XmlXPath; readonly right: XmlXPath };

/** A value for a message or a `let`, evaluated to a string on a context node. */
export type ValueExpr =
  | { readonly kind: 'xpath'; readonly xp: XmlXPath }
  | { readonly kind: 'let'; readonly name: string }
  | { readonly kind: 'substring-after' | 'substring-before'; readonly of: ValueExpr; readonly what: string }
  | { readonly kind: 'if'; readonly cond: BoolExpr; readonly then: ValueExpr; readonly else: ValueExpr }
  | { readonly kind: 'for-each'; readonly select: XmlXPath; readonly value: ValueExpr };

/** A `let` as the compiler sees it: tokens to substitute, or a value computed in JavaScript. */
export type LetBinding =
  | { readonly kind: 'tokens'; readonly tokens: readonly Token[]; readonly contextFree: boolean }
  | { readonly kind: 'js' };

export interface Scope {
  readonly namespaces: Readonly<Record<string, string>>;
  readonly lets: ReadonlyMap<string, LetBinding>;
}

/** The XPath 1.0 core function library (XPath 1.0, section 4); any other function is XPath 2.0. */
const XPATH1_FUNCTIONS = new Set([
  'last', 'position', 'count', 'id', 'local-name', 'namespace-uri', 'name', 'string', 'concat', 'starts-with', 'contains',
  'substring-before', 'substring-after', 'substring', 'string-length', 'normalize-space', 'translate', 'boolean', 'not',
  'true', 'false', 'lang', 'number', 'sum', 'floor', 'ceiling', 'round', 'text', 'node', 'comment', 'processing-instruction',
]);
const NUMERIC_FUNCTIONS = new Set(['count', 'number', 'sum', 'string-length', 'floor', 'ceiling', 'round', 'position', 'last']);
const RELATIONAL = new Set(['<', '<=', '>', '>=']);
const XPATH2_KEYWORDS = new Set(['if', 'then', 'else', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'some', 'every', 'for', 'in',
  'satisfies', 'castable', 'cast', 'instance', 'treat', 'except', 'intersect', 'to', 'return', 'is']);

function compileXPath(tokens: readonly Token[], scope: Scope, wrap?: string): XmlXPath {
  const text = untokenize(tokens);
  const expr = wrap ? `${wrap}(${text})` : text;
  try {
    return XmlXPath.compile(expr, { ...scope.namespaces });
  } catch {
    throw new NativeUnsupported(`libxml2 cannot compile: ${expr}`);
  }
}

const isCall = (tokens: readonly Token[], i: number): boolean => tokens[i]?.kind === 'name' && tokens[i + 1]?.text === '(';

/** Replaces `$name` by its tokens (parenthesised) where that keeps the meaning; refuses the other places. */
export function substitute(tokens: readonly Token[], scope: Scope): Token[] {
  const depths = predicateDepths(tokens);
  const out: Token[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'var') { out.push(t); return; }
    const binding = scope.lets.get(t.text);
    if (!binding) throw new NativeUnsupported(`undefined variable $${t.text}`);
    if (binding.kind === 'js') throw new NativeUnsupported(`$${t.text} (computed let) used inside an expression`);
    const prev = tokens[i - 1]?.text;
    // Inside a predicate or after a step, the context is no longer the rule's: only a context-free value may go there.
    if (!binding.contextFree && ((depths[i] ?? 0) > 0 || prev === '/' || prev === '//')) {
      throw new NativeUnsupported(`$${t.text} used where the context node differs from the let's`);
    }
    out.push({ kind: 'op', text: '(' }, ...binding.tokens, { kind: 'op', text: ')' });
  });
  return out;
}

/** `matches(arg, 'finite regex')` becomes `(arg = 's1' or ...)`, which XPath 1.0 evaluates the same way. */
function expandFiniteMatches(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.text === 'matches' && isCall(tokens, i)) {
      const close = closing(tokens, i + 1);
      const args = splitTop(tokens.slice(i + 2, close), new Set([','])).parts;
      const re = args[1]?.length === 1 && args[1][0]?.kind === 'str' ? (args[1][0].text.slice(1, -1)) : undefined;
      const strings = args.length === 2 && re !== undefined ? finiteLanguage(re) : undefined;
      if (strings && args[0] && strings.every((s) => !s.includes("'"))) {
        out.push({ kind: 'op', text: '(' });
        strings.forEach((s, k) => {
          if (k > 0) out.push({ kind: 'op', text: 'or' });
          out.push(...(args[0] as Token[]), { kind: 'op', text: '=' }, { kind: 'str', text: `'${s}'` });
        });
        out.push({ kind: 'op', text: ')' });
        i = close;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const text = tokens[i]?.text;
    if (tokens[i]?.kind !== 'op') continue;
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') { depth--; if (depth === 0) return i; }
  }
  throw new NativeUnsupported(`unbalanced expression: ${untokenize(tokens)}`);
}

/** Statically numeric in XPath 2.0 (so a comparison with it is numeric in both XPath versions). */
function isNumeric(tokens: readonly Token[]): boolean {
  const t = stripParens(tokens);
  if (t.length === 0) return false;
  if (splitTop(t, new Set(['+', '-', '*', 'div', 'mod'])).parts.length > 1) return true;
  if (t.length === 1) return t[0]?.kind === 'num';
  return isCall(t, 0) && NUMERIC_FUNCTIONS.has(t[0]?.text ?? '') && closing(t, 1) === t.length - 1;
}

/** The reasons an expression cannot be a single XPath 1.0 call; empty when it can. */
function xpath2Features(tokens: readonly Token[]): string[] {
  const found: string[] = [];
  tokens.forEach((t, i) => {
    if (t.kind === 'name' && isCall(tokens, i) && !XPATH1_FUNCTIONS.has(t.text)) found.push(`${t.text}()`);
    if (t.kind === 'name' && XPATH2_KEYWORDS.has(t.text) && !isCall(tokens, i) && tokens[i - 1]?.text !== '/' && tokens[i - 1]?.text !== '@') {
      found.push(t.text);
    }
    if (t.kind === 'op' && t.text === '/' && isCall(tokens, i + 1) && !['text', 'node', 'comment'].includes(tokens[i + 1]?.text ?? '')) {
      found.push(`/${tokens[i + 1]?.text}()`);
    }
  });
  const { parts, separators } = splitTop(tokens, RELATIONAL);
  if (separators.length === 1 && !isNumeric(parts[0] ?? []) && !isNumeric(parts[1] ?? [])) found.push('string comparison');
  if (separators.length > 1) found.push('chained comparison');
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.text === '(' || tokens[i]?.text === '[') {
      const inner = tokens.slice(i + 1, closing(tokens, i));
      if (inner.length > 0) found.push(...xpath2Features(inner).filter((f) => f === 'string comparison'));
    }
  }
  return found;
}

/** `P/count(X) op N` (XPath 2.0: a step returning numbers) is `P[count(X) op N]` in a boolean context. */
function pathCountComparison(tokens: readonly Token[]): Token[] | undefined {
  const { parts, separators } = splitTop(tokens, new Set(['=', '!=', ...RELATIONAL]));
  const [left, right] = parts;
  if (separators.length !== 1 || !left || !right || !isNumeric(right)) return undefined;
  const slash = left.findIndex((t, i) => t.text === '/' && left[i + 1]?.text === 'count' && left[i + 2]?.text === '(');
  if (slash <= 0 || closing(left, slash + 2) !== left.length - 1) return undefined;
  if (splitTop(left.slice(0, slash), new Set(['|', '=', '!=', 'and', 'or'])).parts.length > 1) return undefined;
  return [...left.slice(0, slash), { kind: 'op', text: '[' }, ...left.slice(slash + 1), { kind: 'op', text: separators[0] as string }, ...right,
    { kind: 'op', text: ']' }];
}

/** Compiles a test (`assert/@test`, `report/@test`). */
export function compileTest(expr: string, scope: Scope): BoolExpr {
  return compileBool(expandFiniteMatches(substitute(tokenize(expr), scope)), scope);
}

function compileBool(input: readonly Token[], scope: Scope): BoolExpr {
  const tokens = stripParens(input);
  if (xpath2Features(tokens).length === 0) return { kind: 'xpath', xp: compileXPath(tokens, scope, 'boolean') };
  for (const op of ['or', 'and'] as const) {
    const { parts } = splitTop(tokens, new Set([op]));
    if (parts.length > 1) return { kind: op, items: parts.map((p) => compileBool(p, scope)) };
  }
  if (isCall(tokens, 0) && closing(tokens, 1) === tokens.length - 1) {
    const name = tokens[0]?.text;
    const args = splitTop(tokens.slice(2, -1), new Set([','])).parts;
    if (name === 'not' && args.length === 1) return { kind: 'not', item: compileBool(args[0] as Token[], scope) };
    const re = args[1];
    if (name === 'matches' && args.length === 2 && re?.length === 1 && re[0]?.kind === 'str' && xpath2Features(args[0] as Token[]).length === 0) {
      return { kind: 'matches', arg: compileXPath(args[0] as Token[], scope, 'string'), re: toJsRegExp(re[0].text.slice(1, -1)) };
    }
  }
  const rewritten = pathCountComparison(tokens);
  if (rewritten && xpath2Features(rewritten).length === 0) return { kind: 'xpath', xp: compileXPath(rewritten, scope, 'boolean') };
  const { parts, separators } = splitTop(tokens, RELATIONAL);
  const [left, right] = parts;
  if (separators.length === 1 && left && right && xpath2Features(left).length === 0 && xpath2Features(right).length === 0) {
    return { kind: 'compare', op: separators[0] as string, left: compileXPath(left, scope), right: compileXPath(right, scope) };
  }
  throw new NativeUnsupported(`beyond XPath 1.0 (${xpath2Features(tokens).join(', ')}): ${untokenize(tokens)}`);
}

/** Compiles a value (`value-of/@select`, `let/@value` computed in JavaScript). */
export function compileValue(expr: string, scope: Scope): ValueExpr {
  return compileValueTokens(tokenize(expr), scope);
}

function compileValueTokens(input: readonly Token[], scope: Scope): ValueExpr {
  const tokens = stripParens(input);
  const only = tokens[0];
  if (tokens.length === 1 && only?.kind === 'var' && scope.lets.get(only.text)?.kind === 'js') return { kind: 'let', name: only.text };
  if (tokens[0]?.text === 'if' && tokens[1]?.text === '(') {
    const close = closing(tokens, 1);
    if (tokens[close + 1]?.text !== 'then') throw new NativeUnsupported(`malformed if: ${untokenize(tokens)}`);
    const rest = tokens.slice(close + 2);
    const elseAt = rest.findIndex((t, i) => t.text === 'else' && predicateDepths(rest)[i] === 0);
    const thenPart = rest.slice(0, elseAt);
    if (elseAt < 0 || thenPart.some((t) => t.text === 'if')) throw new NativeUnsupported(`nested if in then: ${untokenize(tokens)}`);
    return {
      kind: 'if',
      cond: compileBool(expandFiniteMatches(substitute(tokens.slice(2, close), scope)), scope),
      then: compileValueTokens(thenPart, scope),
      else: compileValueTokens(rest.slice(elseAt + 1), scope),
    };
  }
  const name = tokens[0]?.text;
  if ((name === 'substring-after' || name === 'substring-before') && isCall(tokens, 0) && closing(tokens, 1) === tokens.length - 1) {
    const args = splitTop(tokens.slice(2, -1), new Set([','])).parts;
    const [of, what] = args;
    if (args.length === 2 && of?.length === 1 && of[0]?.kind === 'var' && scope.lets.get(of[0].text)?.kind === 'js' && what?.length === 1 && what[0]?.kind === 'str') {
      return { kind: name, of: { kind: 'let', name: of[0].text }, what: what[0].text.slice(1, -1) };
    }
  }
  const substituted = expandFiniteMatches(substitute(tokens, scope));
  const features = xpath2Features(substituted).filter((f) => f !== 'string comparison');
  if (features.length > 0) throw new NativeUnsupported(`value beyond XPath 1.0 (${features.join(', ')}): ${untokenize(tokens)}`);
  return { kind: 'xpath', xp: compileXPath(substituted, scope) };
}

const CONTEXT_FUNCTIONS = new Set(['name', 'local-name', 'namespace-uri', 'string', 'normalize-space', 'string-length',
  'number', 'position', 'last', 'lang']);

/** True when no part of the expression depends on the context node: every location path in it is absolute. */
function isContextFree(tokens: readonly Token[]): boolean {
  const depths = predicateDepths(tokens);
  return tokens.every((t, i) => {
    if ((depths[i] ?? 0) > 0) return true;
    const prev = tokens[i - 1]?.text ?? '';
    const afterStep = prev === '/' || prev === '//';
    if (t.kind === 'name' && isCall(tokens, i)) return !(CONTEXT_FUNCTIONS.has(t.text) && tokens[i + 2]?.text === ')');
    if (t.kind === 'name') return afterStep || prev === '::' || prev === '@';
    if (t.kind === 'op' && (t.text === '.' || t.text === '..' || t.text === '@')) return afterStep;
    return true;
  });
}

/** A `let` value's binding: its tokens when it can be substituted, else a JavaScript value. */
export function letBinding(expr: string, level: 'schema' | 'rule'): LetBinding {
  const tokens = tokenize(expr);
  const contextFree = isContextFree(tokens);
  if (level === 'schema' && !contextFree) throw new NativeUnsupported(`schema-level let relative to the document: ${expr}`);
  if (tokens[0]?.text === 'if' && tokens[1]?.text === '(') return { kind: 'js' };
  return { kind: 'tokens', tokens, contextFree };
}

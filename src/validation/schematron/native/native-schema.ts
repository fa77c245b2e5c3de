import { XmlXPath } from 'libxml2-wasm';
import { matchesAttributes, readSchema, type Content, type Let } from '../sch-to-xslt.js';
import {
  compileTest, compileValue, letBinding, NativeUnsupported, substitute, type BoolExpr, type LetBinding, type Scope, type ValueExpr,
} from './expressions.js';
import { splitTop, tokenize, untokenize } from './xpath-tokens.js';

/**
 * An ISO Schematron file compiled once for libxml2's native XPath: every rule context, test and message expression is
 * an {@link XmlXPath} (or a small JavaScript node, see expressions.ts). Evaluation (native-runner.ts) compiles nothing.
 * The model is the one the saxon-js translator reads (sch-to-xslt.ts), so both engines see the same rules.
 */

export type MessagePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value'; readonly value: ValueExpr };

export interface NativeCheck {
  readonly kind: 'assert' | 'report';
  readonly test: BoolExpr;
  readonly id?: string;
  readonly message: readonly MessagePart[];
}

/** A `let` computed in JavaScript (element content, if-then-else): evaluated only when a message needs it. */
export interface NativeLet { readonly name: string; readonly value: ValueExpr }

export interface NativeRule {
  /** The rule context read as an expression over the whole document (a match pattern `p` selects `//p`). */
  readonly context: XmlXPath;
  /**
   * For a context `N/rest` (N a plain name test): `//N` and `rest`. When a document has few N elements (typically
   * `hl7:ClinicalDocument`), the runner evaluates `rest` from each of them instead of walking the whole document again
   * for every rule: `//N/rest` is, by definition, the union of `c/rest` over the N elements c (XPath 1.0, 2).
   */
  readonly head?: { readonly key: string; readonly all: XmlXPath; readonly rest: XmlXPath };
  readonly lets: readonly NativeLet[];
  readonly checks: readonly NativeCheck[];
}

export interface NativePattern {
  readonly rules: readonly NativeRule[];
  /** Every node any rule of the pattern can match, in document order. */
  readonly nodes: XmlXPath;
  /** True when every context is an absolute path: the saxon translator then visits those nodes in document order. */
  readonly absolute: boolean;
}

export interface NativeSchema {
  /** Prefixes of the expressions, registered once per document on its XPath context. */
  readonly namespaces: Readonly<Record<string, string>>;
  readonly patterns: readonly NativePattern[];
  /** Whether attributes are visited by patterns with relative contexts (the translator's `//@*`). */
  readonly withAttributes: boolean;
  readonly withDocument: boolean;
  /** Every element and attribute in document order: one walk that orders the nodes of every pattern. */
  readonly documentOrder: XmlXPath;
}

export { NativeUnsupported };

/** A match pattern as an expression selecting all the nodes it matches (XSLT 2.0, 5.5.3): `//p` per alternative. */
function contextExpression(context: string): string {
  const { parts } = splitTop(tokenize(context), new Set(['|']));
  return parts.map((p) => {
    const text = untokenize(p);
    return p[0]?.text === '/' || p[0]?.text === '//' ? `(${text})` : `(//${text})`;
  }).join(' | ');
}

function compileXPath(expr: string, namespaces: Readonly<Record<string, string>>): XmlXPath {
  try {
    return XmlXPath.compile(expr, { ...namespaces });
  } catch {
    throw new NativeUnsupported(`libxml2 cannot compile: ${expr}`);
  }
}

function headOf(context: string, namespaces: Readonly<Record<string, string>>): NativeRule['head'] {
  const tokens = tokenize(context);
  const [first, slash] = tokens;
  const plain = first?.kind === 'name' && first.text !== '*' && !first.text.endsWith(':*') && slash?.text === '/';
  if (!plain || splitTop(tokens, new Set(['|'])).parts.length > 1 || tokens[2]?.text === '/') return undefined;
  return {
    key: first.text,
    all: compileXPath(`//${first.text}`, namespaces),
    rest: compileXPath(untokenize(tokens.slice(2)), namespaces),
  };
}

/** Element content of a let: only `xsl:for-each select` around one `xsl:value-of select`, the official files' shape. */
function contentLet(item: Let, scope: Scope): ValueExpr {
  const parts = item.content.filter((c) => !(c.kind === 'text' && c.text.trim() === ''));
  const [each] = parts;
  if (parts.length === 1 && each?.kind === 'xsl' && each.local === 'for-each' && each.attrs.select) {
    const inner = each.children.filter((c) => !(c.kind === 'text' && c.text.trim() === ''));
    const [valueOf] = inner;
    if (inner.length === 1 && valueOf?.kind === 'xsl' && valueOf.local === 'value-of' && valueOf.attrs.select) {
      const select = compileValue(each.attrs.select, scope);
      if (select.kind !== 'xpath') throw new NativeUnsupported(`let ${item.name}: for-each over a computed value`);
      return { kind: 'for-each', select: select.xp, value: compileValue(valueOf.attrs.select, scope) };
    }
  }
  throw new NativeUnsupported(`let ${item.name}: element content other than xsl:for-each/xsl:value-of`);
}

function compileMessage(content: readonly Content[], scope: Scope): MessagePart[] {
  return content.map((c): MessagePart => {
    switch (c.kind) {
      case 'text': return { kind: 'text', text: c.text };
      case 'value-of': return { kind: 'value', value: compileValue(c.select, scope) };
      case 'name': return { kind: 'value', value: compileValue(`name(${c.path ?? '.'})`, scope) };
      case 'xsl': throw new NativeUnsupported(`xsl:${c.local} inside a message`);
    }
  });
}

/** Adds a let to a scope; returns the JavaScript let to evaluate when it is not substituted. */
function bind(lets: Map<string, LetBinding>, item: Let, level: 'schema' | 'rule', scope: Scope): NativeLet | undefined {
  if (item.value === undefined) {
    const value = contentLet(item, scope);
    lets.set(item.name, { kind: 'js' });
    return { name: item.name, value };
  }
  const binding = letBinding(item.value, level);
  if (binding.kind === 'js') {
    const value = compileValue(item.value, scope);
    if (level === 'schema') throw new NativeUnsupported(`schema-level computed let ${item.name}`);
    lets.set(item.name, binding);
    return { name: item.name, value };
  }
  // The let's own variables are substituted now, so later references see a closed expression.
  const closed = substitute(tokenize(item.value), scope);
  lets.set(item.name, { ...binding, tokens: closed });
  return undefined;
}

/**
 * Compiles a schematron for the native engine, or throws {@link NativeUnsupported} naming the first construct it
 * cannot evaluate exactly (the caller then runs the file on saxon-js). Other errors mean an invalid schematron.
 */
export function compileNativeSchema(schText: string): NativeSchema {
  const schema = readSchema(schText);
  const { namespaces } = schema;
  const globals = new Map<string, LetBinding>();
  const globalScope: Scope = { namespaces, lets: globals };
  for (const item of [...schema.lets, ...schema.patterns.flatMap((p) => p.lets)]) bind(globals, item, 'schema', globalScope);

  const contexts = schema.patterns.flatMap((p) => p.rules.map((r) => r.context.trim()));
  if (contexts.includes('/')) throw new NativeUnsupported('a rule on the document node');
  const patterns = schema.patterns.map((pattern): NativePattern => {
    const rules = pattern.rules.map((rule): NativeRule => {
      const lets = new Map(globals);
      const scope: Scope = { namespaces, lets };
      const jsLets: NativeLet[] = [];
      const checks: NativeCheck[] = [];
      for (const item of rule.items) {
        if (item.kind === 'let') {
          const js = bind(lets, item, 'rule', scope);
          if (js) jsLets.push(js);
          continue;
        }
        const id = item.meta.id;
        checks.push({
          kind: item.kind, test: compileTest(item.test, scope), message: compileMessage(item.message, scope),
          ...(id === undefined ? {} : { id }),
        });
      }
      const context = compileXPath(contextExpression(rule.context.trim()), namespaces);
      const head = headOf(rule.context.trim(), namespaces);
      return { context, ...(head ? { head } : {}), lets: jsLets, checks };
    });
    const ruleContexts = pattern.rules.map((r) => r.context.trim());
    const absolute = ruleContexts.length > 0 && ruleContexts.every((c) => c.startsWith('/') && c !== '/');
    const union = ruleContexts.length === 0 ? '/..' : ruleContexts.map(contextExpression).join(' | ');
    return { rules, nodes: compileXPath(union, namespaces), absolute };
  });
  return { namespaces, patterns, documentOrder: compileXPath('//* | //@*', namespaces), withAttributes: contexts.some(matchesAttributes), withDocument: contexts.some((c) => c === '/') };
}

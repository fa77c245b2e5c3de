import { matchesAttributes, readSchema, type Content, type Let } from '../sch-to-xslt.js';
import type { Expr } from './xpath-ast.js';
import { compile } from './xpath-compile.js';
import { CompileSession, Scope, type Binding, type Compiled } from './xpath-context.js';
import { parseXPath, XPathUnsupported } from './xpath-parser.js';
import { compileSteppedPath, type SteppedPath } from './xpath-path.js';
import { atomicString, Atomics, Nodes, type Value } from './xpath-values.js';

/**
 * An ISO Schematron file compiled once to JavaScript closures (xpath-compile.ts): every rule context, let, test and
 * message expression is parsed and compiled here, so a run (native-runner.ts) compiles nothing. The model is the one the
 * saxon-js translator reads (sch-to-xslt.ts), so both engines see the same rules, with the translator's semantics:
 * schema and pattern lets are global variables evaluated at the document node, rule lets are template variables
 * evaluated at the rule's context node, both on first use.
 */

/** Thrown for a construct the engine cannot evaluate exactly: the caller then runs the file on saxon-js. */
export { XPathUnsupported as NativeUnsupported };
export { CompileSession };

export type MessagePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value'; readonly value: Compiled };

export interface NativeCheck {
  readonly kind: 'assert' | 'report';
  readonly test: Compiled;
  readonly id?: string;
  readonly message: readonly MessagePart[];
}

export interface NativeRule {
  /** The match pattern's alternatives, each a path selecting every node it matches (XSLT 2.0, 5.5.3). */
  readonly contexts: readonly SteppedPath[];
  /** Variable slots of the rule's lets, unbound before each firing. */
  readonly lets: readonly number[];
  readonly checks: readonly NativeCheck[];
}

export interface NativePattern {
  readonly rules: readonly NativeRule[];
  /** True when every context is an absolute path: the saxon translator then visits those nodes in document order. */
  readonly absolute: boolean;
}

export interface NativeSchema {
  readonly patterns: readonly NativePattern[];
  readonly bindings: readonly (Binding | undefined)[];
  /** Whether attributes are visited by patterns with relative contexts (the translator's `//@*`). */
  readonly withAttributes: boolean;
}

/** `xsl:value-of` of a value: its items' strings joined by one space (XSLT 2.0, 11.4.2). */
export function valueString(v: Value, tree: { stringValue(id: number): string }): string {
  if (v instanceof Nodes) return v.ids.map((id) => tree.stringValue(id)).join(' ');
  if (v instanceof Atomics) return v.items.map(atomicString).join(' ');
  return atomicString(v);
}

function expr(src: string, scope: Scope): Compiled {
  return compile(parseXPath(src, scope.namespaces), scope);
}

/** Element content of a let: only `xsl:for-each select` around one `xsl:value-of select`, the official files' shape. */
function contentLet(item: Let, scope: Scope): Compiled {
  const parts = item.content.filter((c) => !(c.kind === 'text' && c.text.trim() === ''));
  const [each] = parts;
  if (parts.length === 1 && each?.kind === 'xsl' && each.local === 'for-each' && each.attrs.select) {
    const inner = each.children.filter((c) => !(c.kind === 'text' && c.text.trim() === ''));
    const [valueOf] = inner;
    if (inner.length === 1 && valueOf?.kind === 'xsl' && valueOf.local === 'value-of' && valueOf.attrs.select) {
      const select = expr(each.attrs.select, scope);
      const value = expr(valueOf.attrs.select, scope);
      // The variable is a temporary tree of text nodes: its string value is their concatenation.
      return (f, c) => {
        const items = select(f, c);
        if (!(items instanceof Nodes)) throw new XPathUnsupported(`let ${item.name}: for-each over atomic values`);
        const size = items.ids.length;
        return items.ids.map((node, i) => valueString(value({ node, pos: i + 1, size }, c), c.tree)).join('');
      };
    }
  }
  throw new XPathUnsupported(`let ${item.name}: element content other than xsl:for-each/xsl:value-of`);
}

function declare(scope: Scope, item: Let, global: boolean): { scope: Scope; slot: number } {
  const value = item.value === undefined ? contentLet(item, scope) : expr(item.value, scope);
  const declared = scope.declare(item.name);
  declared.scope.bind(declared.slot, { value, global });
  return declared;
}

function compileMessage(content: readonly Content[], scope: Scope): MessagePart[] {
  return content.map((c): MessagePart => {
    switch (c.kind) {
      case 'text': return { kind: 'text', text: c.text };
      case 'value-of': return { kind: 'value', value: expr(c.select, scope) };
      case 'name': return { kind: 'value', value: expr(`name(${c.path ?? '.'})`, scope) };
      case 'xsl': throw new XPathUnsupported(`xsl:${c.local} inside a message`);
    }
  });
}

const DOS = { t: 'axis', axis: 'descendant-or-self', test: { k: 'kind', kind: 'node' }, preds: [] } as const;

/** A match pattern's alternatives as expressions over the whole document: a relative path `p` selects `//p`. */
function contextExpressions(context: string, scope: Scope): SteppedPath[] {
  const parsed = parseXPath(context, scope.namespaces);
  const alternatives: readonly Expr[] = parsed.t === 'union' ? parsed.items : [parsed];
  return alternatives.map((alt) => {
    if (alt.t !== 'path' || alt.steps.some((s) => s.t === 'filter')) throw new XPathUnsupported(`rule context ${context}`);
    return compileSteppedPath(alt.root ? alt : { t: 'path', root: true, steps: [DOS, ...alt.steps] }, scope, compile);
  });
}

/**
 * Compiles a schematron for the native engine, or throws {@link XPathUnsupported} naming the first construct it
 * cannot evaluate exactly (the caller then runs the file on saxon-js). Other errors mean an invalid schematron. Files
 * compiled with one {@link CompileSession} share the closures of their common expressions.
 */
export function compileNativeSchema(schText: string, session = new CompileSession()): NativeSchema {
  const schema = readSchema(schText);
  let scope = Scope.root(schema.namespaces, session);
  for (const item of [...schema.lets, ...schema.patterns.flatMap((p) => p.lets)]) scope = declare(scope, item, true).scope;
  const globals = scope;

  const contexts = schema.patterns.flatMap((p) => p.rules.map((r) => r.context.trim()));
  if (contexts.includes('/')) throw new XPathUnsupported('a rule on the document node');
  const patterns = schema.patterns.map((pattern): NativePattern => {
    const rules = pattern.rules.map((rule): NativeRule => {
      let ruleScope = globals;
      const lets: number[] = [];
      const checks: NativeCheck[] = [];
      for (const item of rule.items) {
        if (item.kind === 'let') {
          const declared = declare(ruleScope, item, false);
          ruleScope = declared.scope;
          lets.push(declared.slot);
          continue;
        }
        const id = item.meta.id;
        checks.push({
          kind: item.kind, test: expr(item.test, ruleScope), message: compileMessage(item.message, ruleScope),
          ...(id === undefined ? {} : { id }),
        });
      }
      return { contexts: contextExpressions(rule.context.trim(), globals), lets, checks };
    });
    const ruleContexts = pattern.rules.map((r) => r.context.trim());
    const absolute = ruleContexts.length > 0 && ruleContexts.every((c) => c.startsWith('/') && c !== '/');
    return { rules, absolute };
  });
  return { patterns, bindings: globals.bindings, withAttributes: contexts.some(matchesAttributes) };
}

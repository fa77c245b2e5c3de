import type { DocTree } from './doc-tree.js';
import type { Value } from './xpath-values.js';

/**
 * What a compiled expression runs with: the focus (context node, position, size: XPath 2.0, 2.1.2) and the run's
 * state: the tree, the variables of the run (schema lets, evaluated once, and rule lets, once per rule firing, both on
 * first use, as XSLT evaluates variables), and the date of the run for `current-date()` (stable within a run, F&O 16.3).
 */

export interface Focus {
  readonly node: number;
  readonly pos: number;
  readonly size: number;
}

export type Compiled = (f: Focus, c: RunContext) => Value;

/** A variable: its expression and whether it is evaluated at the document node (schema lets) or the rule's context. */
export interface Binding {
  readonly value: Compiled;
  readonly global: boolean;
}

export class RunContext {
  readonly vars: (Value | undefined)[];
  /** The context node of each rule let currently bound. */
  readonly letNode: number[];
  readonly today = new Date();
  /** Values of the paths that depend only on their start node, by path id and node (xpath-path.ts). */
  readonly paths = new Map<number, Value>();

  constructor(readonly tree: DocTree, private readonly bindings: readonly (Binding | undefined)[]) {
    this.vars = new Array<Value | undefined>(bindings.length);
    this.letNode = new Array<number>(bindings.length).fill(0);
  }

  variable(slot: number): Value {
    const v = this.vars[slot];
    if (v !== undefined) return v;
    const binding = this.bindings[slot];
    if (!binding) throw new Error(`variable slot ${slot} used before it is bound`);
    const node = binding.global ? 0 : (this.letNode[slot] as number);
    const value = binding.value({ node, pos: 1, size: 1 }, this);
    this.vars[slot] = value;
    return value;
  }

  /** Unbinds a rule's lets before the rule fires on another node. */
  bindRule(slots: readonly number[], node: number): void {
    for (const s of slots) { this.vars[s] = undefined; this.letNode[s] = node; }
  }
}

/**
 * What the compilation of several schemas shares: the ids of structural keys (path caches, context prefixes: one id
 * space, so that closures shared between schemas never mix their caches) and the closures of expressions that read no
 * variable. The 22 official files repeat each other (4,588 expressions, 2,052 distinct): compiled in one session, a
 * thread keeps one closure per distinct expression. Drop the session once the schemas are compiled: only the closures
 * stay.
 */
export class CompileSession {
  readonly compiled = new Map<string, Compiled>();
  private readonly keys = new Map<string, number>();

  /** A small integer for a structural key, the same for equal keys within the session. */
  idOf(key: string): number {
    let id = this.keys.get(key);
    if (id === undefined) { id = this.keys.size; this.keys.set(key, id); }
    return id;
  }
}

/** Compile-time scope: variable name -> slot, and the bindings of every slot of the schema. */
export class Scope {
  private constructor(
    readonly namespaces: Readonly<Record<string, string>>,
    private readonly names: ReadonlyMap<string, number>,
    readonly bindings: (Binding | undefined)[],
    readonly session: CompileSession,
  ) {}

  static root(namespaces: Readonly<Record<string, string>>, session: CompileSession): Scope {
    return new Scope(namespaces, new Map(), [], session);
  }

  idOf(key: string): number {
    return this.session.idOf(key);
  }

  slotOf(name: string): number | undefined {
    return this.names.get(name);
  }

  /** A new scope where `name` is a new slot (the binding is set later with {@link bind}). */
  declare(name: string): { scope: Scope; slot: number } {
    const slot = this.bindings.length;
    this.bindings.push(undefined);
    return { scope: new Scope(this.namespaces, new Map([...this.names, [name, slot]]), this.bindings, this.session), slot };
  }

  bind(slot: number, binding: Binding): void {
    this.bindings[slot] = binding;
  }
}

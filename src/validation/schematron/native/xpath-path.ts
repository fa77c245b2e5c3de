import type { Expr, Step } from './xpath-ast.js';
import { axisNodes, compileTest, indexedDescendants, REVERSE_AXES, testNameId } from './xpath-axes.js';
import { ELEMENT } from './doc-tree.js';
import type { Compiled, RunContext, Scope } from './xpath-context.js';
import { Atomics, ebv, Nodes, XPathDynamicError, type Atomic, type Value } from './xpath-values.js';

/**
 * Path expressions (XPath 2.0, 3.2): each step maps every node of its input to the nodes of an axis (or, for a last
 * step that is an expression such as `count(x)`, to atomic values), and the result is in document order without
 * duplicates. `//name[p]` with predicates that cannot be positional is evaluated as `descendant::name[p]`, from the
 * tree's name index: the same nodes (XPath 2.0, 3.2.4 notes this equivalence when predicates do not depend on
 * position), without walking the subtree.
 */

type CompileFn = (e: Expr, scope: Scope) => Compiled;
type StepFn = (input: readonly number[], c: RunContext) => Value;

/** Node ids in document order without duplicates (ids are document order). */
export function mergeNodes(ids: readonly number[]): Nodes {
  let sorted = true;
  for (let i = 1; i < ids.length; i++) if ((ids[i] as number) <= (ids[i - 1] as number)) { sorted = false; break; }
  if (sorted) return new Nodes(ids);
  const out = [...ids].sort((a, b) => a - b).filter((id, i, all) => i === 0 || id !== all[i - 1]);
  return new Nodes(out);
}

const BOOLEAN_FUNCTIONS = new Set(['not', 'boolean', 'true', 'false', 'exists', 'empty', 'contains', 'starts-with', 'ends-with', 'matches']);

/** True when a predicate's value can never be a number, so it never selects by position. */
function neverNumeric(e: Expr): boolean {
  switch (e.t) {
    case 'cmp': case 'vcmp': case 'and': case 'or': case 'quant': case 'castable': case 'path': case 'union': case 'str': return true;
    case 'call': return BOOLEAN_FUNCTIONS.has(e.name);
    case 'num': case 'var': case 'arith': case 'neg': case 'if': case 'seq': case 'filter': return false;
  }
}

/**
 * Predicates applied in turn to a list in axis order (XPath 2.0, 3.2.2): a numeric value selects by position, any
 * other value by its effective boolean value.
 */
export function compilePredicates(preds: readonly Expr[], scope: Scope, compile: CompileFn): (list: readonly number[], c: RunContext) => number[] {
  // A loop, not an arrow: the closure returned below must not retain the scope (see compileEach in xpath-compile.ts).
  const compiled: { ev: Compiled; position: number | undefined; boolean: boolean }[] = [];
  for (const p of preds) compiled.push({ ev: compile(p, scope), position: p.t === 'num' ? p.v : undefined, boolean: neverNumeric(p) });
  return (list, c) => {
    let current = list as number[];
    for (const p of compiled) {
      if (p.position !== undefined) {
        const id = current[p.position - 1];
        current = Number.isInteger(p.position) && id !== undefined ? [id] : [];
        continue;
      }
      const out: number[] = [];
      const size = current.length;
      for (let i = 0; i < size; i++) {
        const node = current[i] as number;
        const v = p.ev({ node, pos: i + 1, size }, c);
        if (p.boolean || typeof v !== 'number' ? ebv(v) : v === i + 1) out.push(node);
      }
      current = out;
    }
    return current;
  };
}

const isDos = (s: Step | undefined): boolean =>
  s?.t === 'axis' && s.axis === 'descendant-or-self' && s.test.k === 'kind' && s.test.kind === 'node' && s.preds.length === 0;

/** `descendant-or-self::node()/child::n[p]` -> `descendant::n[p]` (n a name or a wildcard) when no predicate can be positional. */
function rewrite(steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  for (let i = 0; i < steps.length; i++) {
    const next = steps[i + 1];
    if (isDos(steps[i]) && next?.t === 'axis' && next.axis === 'child' && next.test.k !== 'kind' && next.preds.every(neverNumeric)) {
      out.push({ ...next, axis: 'descendant' });
      i++;
    } else out.push(steps[i] as Step);
  }
  return out;
}

function axisStep(step: Extract<Step, { t: 'axis' }>, scope: Scope, compile: CompileFn): StepFn {
  const { axis } = step;
  const test = compileTest(step.test, axis);
  const nameId = axis === 'descendant' ? testNameId(step.test) : undefined;
  const preds = step.preds.length > 0 ? compilePredicates(step.preds, scope, compile) : undefined;
  const reverse = REVERSE_AXES.has(axis);
  const named = step.test.k === 'name' ? testNameId(step.test) as number : undefined;
  const one = (c: RunContext, n: number): number[] => {
    let out: number[] = [];
    const t = c.tree;
    if (named !== undefined && axis === 'child') {
      // The commonest step (`hl7:code`): one integer comparison per child, no call per node.
      for (let k = t.firstChild[n] as number; k >= 0; k = t.nextSibling[k] as number) if (t.nameId[k] === named && t.kind[k] === ELEMENT) out.push(k);
    } else if (named !== undefined && axis === 'attribute') {
      for (let a = t.firstAttr[n] as number; a >= 0; a = t.nextSibling[a] as number) if (t.nameId[a] === named) out.push(a);
    } else if (nameId !== undefined) indexedDescendants(t, n, nameId, out);
    else axisNodes(t, axis, n, test, out);
    if (preds) out = preds(out, c);
    return reverse ? out.reverse() : out;
  };
  return (input, c) => {
    if (input.length === 1) return new Nodes(one(c, input[0] as number));
    const all: number[] = [];
    for (const n of input) for (const id of one(c, n)) all.push(id);
    return mergeNodes(all);
  };
}

function filterStep(e: Expr, scope: Scope, compile: CompileFn): StepFn {
  const ev = compile(e, scope);
  return (input, c) => {
    const nodes: number[] = [];
    const atomics: Atomic[] = [];
    const size = input.length;
    for (let i = 0; i < size; i++) {
      const v = ev({ node: input[i] as number, pos: i + 1, size }, c);
      if (v instanceof Nodes) nodes.push(...v.ids);
      else if (v instanceof Atomics) atomics.push(...v.items);
      else atomics.push(v);
    }
    if (nodes.length > 0 && atomics.length > 0) throw new XPathDynamicError('XPTY0018', 'a path step returned both nodes and atomic values');
    return atomics.length > 0 ? new Atomics(atomics) : mergeNodes(nodes);
  };
}

function compileStep(s: Step, scope: Scope, compile: CompileFn): StepFn {
  return s.t === 'axis' ? axisStep(s, scope, compile) : filterStep(s.e, scope, compile);
}

/**
 * A path from the document node compiled step by step, each step with an id naming the path up to it: rule contexts
 * share long prefixes (`hl7:ClinicalDocument/hl7:component/hl7:structuredBody/...`), and a run evaluates each
 * distinct prefix once (native-runner.ts).
 */
export interface SteppedPath {
  readonly steps: readonly StepFn[];
  readonly ids: readonly number[];
}

export function compileSteppedPath(e: Extract<Expr, { t: 'path' }>, scope: Scope, compile: CompileFn): SteppedPath {
  if (!e.root) throw new Error('a stepped path starts at the document node');
  const steps = rewrite(e.steps);
  const ids: number[] = [];
  steps.forEach((step, i) => ids.push(scope.idOf(`prefix ${i === 0 ? '' : ids[i - 1]}/${JSON.stringify(step)}`)));
  return { steps: steps.map((s) => compileStep(s, scope, compile)), ids };
}

/** Evaluates a stepped path with a memo of the prefixes already evaluated in this run. */
export function evaluateSteppedPath(path: SteppedPath, c: RunContext, memo: Map<number, Value>): Value {
  let nodes: readonly number[] = [0];
  let v: Value = new Nodes(nodes);
  for (let i = 0; i < path.steps.length; i++) {
    const id = path.ids[i] as number;
    const known = memo.get(id);
    if (known) v = known;
    else {
      v = (path.steps[i] as StepFn)(nodes, c);
      memo.set(id, v);
    }
    if (!(v instanceof Nodes)) return v;
    nodes = v.ids;
  }
  return v;
}

/**
 * A path's value depends only on its start node when it reads no variable and no focus function: such a path is
 * evaluated once per start node and run (measured: the asserts of a rule repeat the same paths, 2.7x on VPS, 4.3x
 * on PSS). Equal paths of a schema share an id.
 */
function cacheId(e: Expr, scope: Scope): number | undefined {
  const key = JSON.stringify(e);
  if (/"t":"var"|"name":"(position|last|current-date)"/.test(key)) return undefined;
  return scope.idOf(`path ${key}`);
}

export function compilePath(e: Extract<Expr, { t: 'path' }>, scope: Scope, compile: CompileFn): Compiled {
  const evaluate = compileUncachedPath(e, scope, compile);
  const id = cacheId(e, scope);
  if (id === undefined) return evaluate;
  const { root } = e;
  return (f, c) => {
    const key = id * c.tree.count + (root ? 0 : f.node);
    const known = c.paths.get(key);
    if (known !== undefined) return known;
    const v = evaluate(f, c);
    c.paths.set(key, v);
    return v;
  };
}

function compileUncachedPath(e: Extract<Expr, { t: 'path' }>, scope: Scope, compile: CompileFn): Compiled {
  const steps: StepFn[] = [];
  for (const s of rewrite(e.steps)) steps.push(compileStep(s, scope, compile));
  const { root } = e;
  const last = steps.length - 1;
  return (f, c) => {
    let nodes: readonly number[] = root ? [0] : [f.node];
    for (let i = 0; i <= last; i++) {
      const v = (steps[i] as StepFn)(nodes, c);
      if (v instanceof Nodes) { nodes = v.ids; continue; }
      if (i < last) throw new XPathDynamicError('XPTY0019', 'a path step other than the last returned atomic values');
      return v;
    }
    return new Nodes(nodes);
  };
}

import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import madge from 'madge';
import { PROJECT_ROOT } from '../../src/config.ts';
import {
  COMPOSITION_LAYER, FOUNDATION_FILES, LAYERS, layerOf, SIMULATOR_MAX_LAYER, SIMULATOR_USERS, SIMULATORS,
} from '../../layers.js';

/**
 * The layering of docs/architecture.md, checked on the import graph madge reads from src/ (static and dynamic
 * imports, type-only ones included). eslint's no-restricted-imports says the same at edit time from the same table
 * (layers.js); this test also sees dynamic imports, refuses folders the table does not know, and finds cycles.
 */
type Graph = Record<string, string[]>;
let graph: Graph;

/** The unit a file belongs to: `simulators/<name>`, a folder of src/, or the file itself for files directly in src/. */
function unitOf(file: string): string {
  const [first, second] = file.split('/');
  if (first === SIMULATORS && second !== undefined && second.endsWith('.ts')) return SIMULATORS;
  if (first === SIMULATORS && second !== undefined) return `${SIMULATORS}/${second}`;
  return first ?? file;
}

function layerOfUnit(unit: string): number | undefined {
  if (unit.startsWith(SIMULATORS)) return undefined;
  if (unit.endsWith('.ts')) return FOUNDATION_FILES.includes(unit) ? 0 : COMPOSITION_LAYER;
  return layerOf(unit);
}

/** Why `from` may not import `to`, or undefined when it may. */
function violation(from: string, to: string): string | undefined {
  const a = unitOf(from);
  const b = unitOf(to);
  if (a === b) return undefined;
  const simulatorTarget = b.startsWith(SIMULATORS);
  if (a.startsWith(SIMULATORS)) {
    if (simulatorTarget) return undefined;
    const lb = layerOfUnit(b);
    return lb !== undefined && lb <= SIMULATOR_MAX_LAYER ? undefined : 'a simulator uses only foundation, codecs and engines';
  }
  if (simulatorTarget) return SIMULATOR_USERS.includes(a) ? undefined : 'only cli and demo start simulators';
  const la = layerOfUnit(a);
  const lb = layerOfUnit(b);
  if (la === undefined || lb === undefined) return `a folder missing from layers.js (${la === undefined ? a : b})`;
  return lb <= la ? undefined : `${LAYERS[la]?.name} may not import ${LAYERS[lb]?.name}`;
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        onStack.delete(w);
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

before(async () => {
  const src = path.join(PROJECT_ROOT, 'src');
  const result = await madge(src, { fileExtensions: ['ts'], tsConfig: path.join(PROJECT_ROOT, 'tsconfig.json') });
  graph = result.obj();
});

describe('layers of src/ (docs/architecture.md)', () => {
  test('the import graph covers every source file and names each folder in layers.js', () => {
    assert.ok(Object.keys(graph).length > 250, `madge read ${Object.keys(graph).length} files`);
    const unknown = Object.keys(graph).map(unitOf).filter((u) => !u.startsWith(SIMULATORS) && layerOfUnit(u) === undefined);
    assert.deepEqual([...new Set(unknown)], []);
  });

  test('no import points to a higher layer, into a simulator from the bridge, or out of a simulator into the bridge', () => {
    const wrong = Object.entries(graph).flatMap(([from, targets]) => targets.flatMap((to) => {
      const why = violation(from, to);
      return why ? [`${from} -> ${to}: ${why}`] : [];
    }));
    assert.deepEqual(wrong, []);
  });

  test('no cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const [from, targets] of Object.entries(graph)) {
      for (const to of targets) {
        const a = unitOf(from);
        const b = unitOf(to);
        if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
      }
    }
    assert.deepEqual(cycles(edges), []);
  });

  test('no cycle between files', () => {
    const edges = new Map(Object.entries(graph).map(([from, targets]) => [from, new Set(targets)]));
    assert.deepEqual(cycles(edges), []);
  });

  test('the checks see what they check: a front door importing a store passes, a store importing a front door does not', () => {
    assert.equal(violation('rest/server.ts', 'stores/operation-store.ts'), undefined);
    assert.match(violation('stores/operation-store.ts', 'rest/server.ts') ?? '', /may not import front doors/);
    assert.match(violation('app.ts', 'simulators/gateway/gateway-simulator.ts') ?? '', /only cli and demo/);
    assert.match(violation('simulators/ini/ini-index.ts', 'ini/ini-client.ts') ?? '', /simulator uses only/);
    assert.equal(violation('simulators/ini/ini-index.ts', 'ebxml/rim-read.ts'), undefined);
    assert.deepEqual(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]])), [['a', 'b', 'c']]);
  });
});

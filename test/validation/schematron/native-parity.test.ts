import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { nativeFallbacks } from '../../../src/validation/schematron/schematron-engines.ts';
import { mutateCda } from '../../support/cda-mutations.ts';
import { randomEdit, type EditKind } from '../../support/cda-random-edits.ts';
import { seededRandom } from '../../support/seeded-random.ts';
import { needsCatalog } from '../../support/shared.ts';
import { loadEnginePairs, nativeFindings, officialSchPaths, samples, saxonFindings, typeOf, type EnginePair } from './engine-pair.ts';

/**
 * The native engine against saxon-js, the reference: identical findings (ids, messages, severities, locations, order)
 * for every official file on every official example and "ok" corpus document (each file on each document, not only its
 * own type, so most rules fire), then on mutated variants of each document under its own type's file. The larger
 * generated run is native-differential.test.ts.
 */

/** One edit per variant: remove an element or an attribute, change an attribute's value, or add an empty namesake. */
const KINDS: readonly EditKind[] = ['remove-element', 'remove-attribute', 'change-attribute', 'add-empty-sibling'];

describe('native schematron engine: parity with saxon-js on the official catalog', needsCatalog, () => {
  let engines: EnginePair[] = [];
  let schPaths: string[] = [];

  before(async () => {
    schPaths = officialSchPaths();
    engines = await loadEnginePairs(schPaths);
  });

  test('every official file compiles natively (no saxon-js fallback)', () => {
    assert.deepEqual(nativeFallbacks(schPaths), {});
  });

  test('every file on every example and corpus document: identical findings', () => {
    let findings = 0;
    for (const { name, text } of samples()) {
      for (const e of engines) {
        const expected = saxonFindings(e, text);
        assert.deepEqual(nativeFindings(e, text), expected, `${e.file} on ${name}`);
        findings += expected.length;
      }
    }
    assert.ok(findings > 1000, `only ${findings} findings: the comparison would prove little`);
  });

  test('mutated variants (removed, duplicated and changed elements and attributes) under their own type', () => {
    const perDocument = 8;
    let compared = 0;
    samples().forEach(({ name, text }, d) => {
      const stem = typeOf(text)?.schematronStem;
      const e = engines.filter((x) => stem && x.file.startsWith(stem)).at(-1);
      assert.ok(e, `${name}: no schematron for its type`);
      for (let v = 0; v < perDocument; v++) {
        const seed = d * 1000 + v;
        let edit = '';
        const variant = mutateCda(text, (doc) => { edit = randomEdit(doc, seededRandom(seed), KINDS); });
        assert.deepEqual(nativeFindings(e, variant), saxonFindings(e, variant), `${name} seed ${seed} (${edit})`);
        compared++;
      }
    });
    assert.ok(compared >= 300);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Finding } from '../../../src/validation/findings.ts';
import { mutateCda, setAttribute } from '../../support/cda-mutations.ts';
import { randomEdits } from '../../support/cda-random-edits.ts';
import { seededRandom } from '../../support/seeded-random.ts';
import { needsCatalog, officialCatalogDir } from '../../support/shared.ts';
import {
  loadEnginePairs, nativeFindings, officialSchPaths, samples, saxonFindings, typeOf, typeOfFile, type EnginePair,
} from './engine-pair.ts';

/**
 * Issue 12's differential test: thousands of generated variants of the official examples and the "ok" corpus (elements
 * removed, duplicated, renamed or given other text; attributes removed, changed or added; 1-3 edits each), every one
 * of the 22 official files on its share, and identical findings (ids, messages, severities, locations, order) required
 * from the native engine and saxon-js. Documents of another type are retyped (templateId and code) to the file's type
 * for part of the share, so its type-specific rules apply. Seeded: a failure prints the seed, the base
 * document, the edits and the first differing finding, and `variantOf` rebuilds the variant from the first three.
 * See: docs/native-schematron.md, "Limits".
 */

const PER_FILE = 230;

/** A variant both engines refuse with a dynamic error (the same error code): they agree, it is listed. */
interface BothFailed { readonly variant: string; readonly error: string }

interface Sample { readonly name: string; readonly text: string }
interface Plan { readonly file: string; readonly seed: number; readonly base: Sample; readonly retype: boolean }
interface Variant extends Plan { readonly edits: string[]; readonly text: string }

/** Rebuilds one variant from its plan: the same seed on the same base document gives the same edits. */
function variantOf(plan: Plan): Variant {
  const type = typeOfFile(plan.file);
  const edits: string[] = [];
  const text = mutateCda(plan.base.text, (doc) => {
    if (plan.retype && type) {
      setAttribute(doc, '/hl7:ClinicalDocument/hl7:templateId[1]', 'root', type.templateRoot);
      setAttribute(doc, '/hl7:ClinicalDocument/hl7:code', 'code', type.loinc[0] ?? '');
      edits.push(`retype ${type.key}`);
    }
    edits.push(...randomEdits(doc, seededRandom(plan.seed)));
  });
  return { ...plan, edits, text };
}

/**
 * The file's share of variants: mostly its own type's documents in turn, every fourth one another type's document
 * retyped to it (so its rules meet missing sections); a file whose type has no sample takes every document, half of
 * them retyped.
 */
function plans(file: string, fileIndex: number, all: readonly Sample[]): Plan[] {
  const type = typeOfFile(file);
  const own = all.filter((s) => type && typeOf(s.text)?.key === type.key);
  const others = all.filter((s) => !own.includes(s));
  return Array.from({ length: PER_FILE }, (_, v) => {
    const useOwn = own.length > 0 && v % 4 !== 3;
    const base = (useOwn ? own[v % own.length] : others[v % others.length]) as Sample;
    return { file, seed: (fileIndex + 1) * 100_000 + v, base, retype: !useOwn && (own.length > 0 || v % 2 === 0) };
  });
}

function describeVariant(v: Variant): string {
  return `${v.file} seed ${v.seed} on ${v.base.name}${v.retype ? ' (retyped)' : ''}: ${v.edits.join('; ')}`;
}

function firstDifference(native: readonly Finding[], saxon: readonly Finding[]): string {
  let i = 0;
  while (i < Math.max(native.length, saxon.length) && isDeepStrictEqual(native[i], saxon[i])) i++;
  return `finding ${i + 1} of ${native.length} native / ${saxon.length} saxon-js:\n` +
    `  native:   ${JSON.stringify(native[i]) ?? '(none)'}\n  saxon-js: ${JSON.stringify(saxon[i]) ?? '(none)'}`;
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(e);
}

type Outcome = { readonly findings: Finding[] } | { readonly error: string; readonly code: string };

function outcomeOf(run: () => Finding[]): Outcome {
  try {
    return { findings: run() };
  } catch (e) {
    return { error: String(e), code: errorCode(e) };
  }
}

interface FileOutcome {
  readonly compared: number; readonly firing: number; readonly findings: number; readonly disagreements: string[]; readonly bothFailed: BothFailed[];
}

/**
 * Both engines on each variant: the same findings, or the same dynamic error (saxon-js raises XPTY0004 where XPath 2.0
 * wants one item and a duplicated element gives two; the native engine follows XPath 2.0 and raises it too).
 */
function runFile(pair: EnginePair, filePlans: readonly Plan[]): FileOutcome {
  let compared = 0;
  let firing = 0;
  let findings = 0;
  const disagreements: string[] = [];
  const bothFailed: BothFailed[] = [];
  for (const plan of filePlans) {
    const v = variantOf(plan);
    const native = outcomeOf(() => nativeFindings(pair, v.text));
    const saxon = outcomeOf(() => saxonFindings(pair, v.text));
    if ('error' in native || 'error' in saxon) {
      if ('error' in native && 'error' in saxon && native.code === saxon.code) bothFailed.push({ variant: describeVariant(v), error: saxon.error });
      else disagreements.push(`${describeVariant(v)}\n  native: ${'error' in native ? native.error : `${native.findings.length} findings`}` +
        `\n  saxon-js: ${'error' in saxon ? saxon.error.slice(0, 300) : `${saxon.findings.length} findings`}`);
      continue;
    }
    compared++;
    findings += saxon.findings.length;
    if (saxon.findings.length > 0) firing++;
    if (!isDeepStrictEqual(native.findings, saxon.findings)) disagreements.push(`${describeVariant(v)}\n  ${firstDifference(native.findings, saxon.findings)}`);
  }
  return { compared, firing, findings, disagreements, bothFailed };
}

describe('native schematron engine: differential test against saxon-js on generated variants', needsCatalog, () => {
  const schPaths = officialCatalogDir ? officialSchPaths() : [];
  const outcomes = new Map<string, FileOutcome & { readonly variants: number }>();
  let pairs: EnginePair[] = [];
  let all: Sample[] = [];

  before(async () => {
    pairs = await loadEnginePairs(schPaths);
    all = samples();
  });

  schPaths.forEach((schPath, fileIndex) => {
    const file = path.basename(schPath);
    test(`${file}: identical findings on every variant`, (t) => {
      const pair = pairs.find((p) => p.file === file);
      assert.ok(pair, `${file} not loaded`);
      const filePlans = plans(file, fileIndex, all);
      const outcome = runFile(pair, filePlans);
      outcomes.set(file, { ...outcome, variants: filePlans.length });
      t.diagnostic(`${file}: ${filePlans.length} variants, ${outcome.compared} compared, ${outcome.firing} with findings (${outcome.findings} in all), ` +
        `${outcome.bothFailed.length} refused by both with the same error, ${outcome.disagreements.length} disagreements`);
      const shown = outcome.disagreements.slice(0, 5).join('\n');
      assert.equal(outcome.disagreements.length, 0, `${outcome.disagreements.length} of ${filePlans.length} variants differ:\n${shown}`);
    });
  });

  test('variants cover all 22 files (>= 200 each, >= 5,000 in all)', (t) => {
    const rows = [...outcomes.entries()];
    const total = rows.reduce((n, [, o]) => n + o.variants, 0);
    const errors = rows.flatMap(([, o]) => o.bothFailed);
    t.diagnostic(`${total} variants over ${rows.length} files; ${errors.length} refused by both engines with the same error`);
    for (const e of errors) t.diagnostic(`${e.variant}: ${e.error.slice(0, 200)}`);
    assert.equal(schPaths.length, 22);
    assert.equal(rows.length, 22, 'a file did not run');
    for (const [file, o] of rows) assert.ok(o.variants >= 200 && o.compared >= 180, `${file}: ${o.variants} variants, ${o.compared} compared`);
    assert.ok(total >= 5000, `${total} variants`);
    assert.ok(rows.reduce((n, [, o]) => n + o.findings, 0) > 50_000, 'too few findings: the comparison would prove little');
  });
});

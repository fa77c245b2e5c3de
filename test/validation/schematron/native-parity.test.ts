import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { XmlAttribute, XmlElement, type XmlDocument } from 'libxml2-wasm';
import type { Finding } from '../../../src/validation/findings.ts';
import { runNativeSchematron } from '../../../src/validation/schematron/native/native-runner.ts';
import { compileNativeSchema, type NativeSchema } from '../../../src/validation/schematron/native/native-schema.ts';
import { nativeFallbacks } from '../../../src/validation/schematron/schematron-engines.ts';
import { compileAll } from '../../../src/validation/schematron/sef-compiler.ts';
import { loadSef, parseForSchematron, runSchematron, type LoadedSef } from '../../../src/validation/schematron/schematron-runner.ts';
import { NS, withXml } from '../../../src/xml/xml-toolkit.ts';
import { mutateCda } from '../../support/cda-mutations.ts';
import { corpusDir, needsCatalog, officialCatalogDir } from '../../support/shared.ts';
import { projectRoot, sharedCacheDir } from './helpers.ts';

/**
 * The native engine against saxon-js, the reference: identical findings (ids, messages, severities, locations, order)
 * for every official file on every official example and "ok" corpus document (each file on each document, not only its
 * own type, so most rules fire), then on mutated variants of each document under its own type's file.
 */

interface Engines { readonly file: string; readonly sef: LoadedSef; readonly native: NativeSchema }

const documentTypes = (JSON.parse(readFileSync(path.join(projectRoot, 'mappings', 'document-types.json'), 'utf8')) as {
  types: { templateRoot: string; schematronStem: string }[];
}).types;

function samples(): { name: string; text: string }[] {
  const dirs = [path.join(officialCatalogDir ?? '', 'examples', 'cda'), path.join(corpusDir ?? '', 'ok')];
  return dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()
    .map((f) => ({ name: path.join(path.basename(dir), f), text: readFileSync(path.join(dir, f), 'utf8') })));
}

function saxonFindings(engines: Engines, text: string): Finding[] {
  return runSchematron(engines.sef, parseForSchematron(text));
}

function nativeFindings(engines: Engines, text: string): Finding[] {
  return withXml(text, (doc) => runNativeSchematron(engines.native, doc));
}

/** A small deterministic generator (mulberry32), so a failing variant can be reproduced from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES = ['', 'X', '0', '1', '20240101', '2.16.840.1.113883.2.9.4.3.2', 'ABCDEF12G34H567I'];

/** One edit: remove an element or an attribute, change an attribute's value, or add an empty namesake sibling. */
function mutate(doc: XmlDocument, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const elements = doc.find('//*').filter((n): n is XmlElement => n instanceof XmlElement && n.parent !== null);
  const attributes = doc.find('//@*').filter((n): n is XmlAttribute => n instanceof XmlAttribute);
  const kind = pick(['remove-element', 'remove-attribute', 'change-attribute', 'duplicate-element'] as const);
  switch (kind) {
    case 'remove-element': { const el = pick(elements); const name = el.name; el.remove(); return `${kind} ${name}`; }
    case 'remove-attribute': { const a = pick(attributes); const name = a.name; a.remove(); return `${kind} @${name}`; }
    case 'change-attribute': {
      const a = pick(attributes);
      a.value = pick([...VALUES, pick(attributes).value]);
      return `${kind} @${a.name}=${a.value}`;
    }
    case 'duplicate-element': {
      const el = pick(elements);
      el.appendElement(el.name, el.namespaceUri === NS.hl7 ? undefined : el.namespacePrefix || undefined);
      return `${kind} ${el.name}`;
    }
  }
}

describe('native schematron engine: parity with saxon-js on the official catalog', needsCatalog, () => {
  const engines: Engines[] = [];
  let schPaths: string[] = [];

  before(async () => {
    const schDir = path.join(officialCatalogDir ?? '', 'schematron');
    schPaths = readdirSync(schDir).filter((f) => f.endsWith('.sch')).sort().map((f) => path.join(schDir, f));
    for (const c of await compileAll(schPaths, sharedCacheDir, 2)) {
      engines.push({ file: path.basename(c.schPath), sef: loadSef(c.sefPath), native: compileNativeSchema(readFileSync(c.schPath, 'utf8')) });
    }
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
      const root = withXml(text, (doc) => doc.get('/hl7:ClinicalDocument/hl7:templateId[1]/@root', { hl7: NS.hl7 })?.content);
      const stem = documentTypes.find((t) => t.templateRoot === root)?.schematronStem;
      const e = engines.filter((x) => stem && x.file.startsWith(stem)).at(-1);
      assert.ok(e, `${name}: no schematron for ${root}`);
      for (let v = 0; v < perDocument; v++) {
        const seed = d * 1000 + v;
        let edit = '';
        const variant = mutateCda(text, (doc) => { edit = mutate(doc, random(seed)); });
        assert.deepEqual(nativeFindings(e, variant), saxonFindings(e, variant), `${name} seed ${seed} (${edit})`);
        compared++;
      }
    });
    assert.ok(compared >= 300);
  });
});

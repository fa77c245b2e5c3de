import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { compileAll, type CompiledSchematron } from '../../../src/validation/schematron/sef-compiler.ts';
import { loadSef, runSchematron, type LoadedSef } from '../../../src/validation/schematron/schematron-runner.ts';
import { NS, withXml } from '../../../src/xml/xml-toolkit.ts';
import { corpusDir, needsCatalog, officialCatalogDir } from '../../support/shared.ts';
import { projectRoot, sharedCacheDir } from './helpers.ts';

/**
 * The catalog is the judge: these are the rule ids the official schematron files fail on the official examples and the
 * "ok" corpus, as observed with this engine (failed asserts that are errors, then warnings). The VPS samples fail
 * ERRORE-56 and ERRORE-46a (legalAuthenticator address), as the performance notes record; the PSS corpus samples fail
 * v4.0 rules on care-plan entries (manufacturedProduct templateId and related). Any sample not listed has no finding.
 */
const EXPECTED: Readonly<Record<string, { errors?: readonly string[]; warnings?: readonly string[] }>> = {
  'examples/VPS.xml': { errors: ['ERRORE-46a', 'ERRORE-56'] },
  'ok/VPS_CT1_OK.xml': { errors: ['ERRORE-46a', 'ERRORE-56'] },
  'ok/VPS_CT2_OK.xml': { errors: ['ERRORE-46a', 'ERRORE-56'] },
  'ok/VPS_CT3_OK.xml': { errors: ['ERRORE-46a', 'ERRORE-56'] },
  'ok/VPS_CT4_OK.xml': { errors: ['ERRORE-46a', 'ERRORE-56'] },
  'ok/PSS_CT1_OK.xml': {
    errors: ['ERRORE-b222', 'ERRORE-b223', 'ERRORE-b226', 'ERRORE-b244', 'ERRORE-b262', 'ERRORE-b264', 'ERRORE-b265', 'ERRORE-b267'],
  },
  'ok/PSS_CT2_OK.xml': {
    errors: [
      'ERRORE-b222', 'ERRORE-b223', 'ERRORE-b226', 'ERRORE-b244', 'ERRORE-b259', 'ERRORE-b262', 'ERRORE-b264', 'ERRORE-b265',
      'ERRORE-b267',
    ],
  },
  'ok/LAB_CT4_OK.xml': { warnings: ['W002'] },
  'ok/LAB_CT5_OK.xml': { warnings: ['W003'] },
  'ok/SING_VACC_CT1_OK.xml': { warnings: ['W003', 'W004', 'W005'] },
};

interface DocumentType { readonly key: string; readonly templateRoot: string; readonly schematronStem: string }

const documentTypes = (JSON.parse(readFileSync(path.join(projectRoot, 'mappings', 'document-types.json'), 'utf8')) as {
  types: DocumentType[];
}).types;

function samples(): { name: string; file: string }[] {
  const dirs = { examples: path.join(officialCatalogDir ?? '', 'examples', 'cda'), ok: path.join(corpusDir ?? '', 'ok') };
  return Object.entries(dirs).flatMap(([label, dir]) =>
    readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => ({ name: `${label}/${f}`, file: path.join(dir, f) })));
}

/** Selection as the Gateway does it: by the root of the first templateId. See: Gateway API 7.3. */
function firstTemplateRoot(cda: string): string {
  return withXml(cda, (doc) => doc.get('/hl7:ClinicalDocument/hl7:templateId[1]/@root', { hl7: NS.hl7 })?.content ?? '');
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

describe('official schematron catalog', needsCatalog, () => {
  const schDir = path.join(officialCatalogDir ?? '', 'schematron');
  let compiled: CompiledSchematron[] = [];
  const sefs = new Map<string, LoadedSef>();

  before(async () => {
    const files = readdirSync(schDir).filter((f) => f.endsWith('.sch')).sort().map((f) => path.join(schDir, f));
    compiled = await compileAll(files, sharedCacheDir, 2);
  });

  const sefFor = (type: DocumentType): LoadedSef => {
    const file = compiled.map((c) => c.schPath).filter((p) => path.basename(p).startsWith(type.schematronStem)).sort().at(-1);
    assert.ok(file, `no schematron for ${type.key}`);
    let sef = sefs.get(file);
    if (!sef) {
      sef = loadSef((compiled.find((c) => c.schPath === file) as CompiledSchematron).sefPath);
      sefs.set(file, sef);
    }
    return sef;
  };

  test('all 22 official files translate and compile, one per document type', () => {
    assert.equal(compiled.length, 22);
    for (const type of documentTypes) assert.ok(sefFor(type));
  });

  test('examples and the ok corpus fail exactly the expected rules', (t) => {
    const timings = new Map<string, number[]>();
    for (const { name, file } of samples()) {
      const cda = readFileSync(file, 'utf8');
      const type = documentTypes.find((d) => d.templateRoot === firstTemplateRoot(cda));
      assert.ok(type, `${name}: unknown templateId root`);
      const sef = sefFor(type);
      const findings = runSchematron(sef, cda);
      const expected = EXPECTED[name] ?? {};
      assert.deepEqual(sorted(findings.filter((f) => f.severity === 'error').map((f) => f.id)), sorted(expected.errors ?? []), name);
      assert.deepEqual(sorted(findings.filter((f) => f.severity === 'warning').map((f) => f.id)), sorted(expected.warnings ?? []), name);
      const started = performance.now();
      runSchematron(sef, cda);
      timings.set(type.key, [...(timings.get(type.key) ?? []), performance.now() - started]);
    }
    for (const [key, ms] of timings) t.diagnostic(`${key}: ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(1)} ms warm (n=${ms.length})`);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { XmlDocument } from 'libxml2-wasm';
import { checkTerminology, loadTerminology, type Terminology } from '../../src/validation/terminology.js';
import { parseXml } from '../../src/xml/xml-toolkit.js';
import { element, setAttribute as set } from '../support/cda-mutations.js';
import { corpusDir, needsCatalog, officialCatalogDir } from '../support/shared.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const projectTerminology = path.join(root, 'mappings', 'terminology');
const versionedTerminology = path.join(root, 'test', 'fixtures', 'terminology');
const sample = readFileSync(path.join(root, 'test', 'fixtures', 'cda', 'terminology-sample.xml'));

/** Parses the sample, applies `edit` in memory, runs the check and frees the document. */
function check(terminology: Terminology, edit: (doc: XmlDocument) => void = () => {}, source: Uint8Array = sample) {
  const doc = parseXml(source);
  try {
    edit(doc);
    return checkTerminology(doc, terminology);
  } finally {
    doc.dispose();
  }
}

const confidentiality = '/hl7:ClinicalDocument/hl7:confidentialityCode';

describe('terminology, project CSVs (mappings/terminology)', () => {
  const terminology = loadTerminology(projectTerminology);

  test('loads the three HL7 v3 code systems, unversioned', () => {
    assert.deepEqual([...terminology.codeSystems.keys()].sort(),
      ['2.16.840.1.113883.5.1', '2.16.840.1.113883.5.1008', '2.16.840.1.113883.5.25']);
    assert.deepEqual([...terminology.codeSystems.get('2.16.840.1.113883.5.25')?.get('') ?? []].sort(), ['N', 'R', 'V']);
    assert.deepEqual([...terminology.codeSystems.get('2.16.840.1.113883.5.1')?.get('') ?? []].sort(), ['F', 'M', 'UN']);
    assert.ok(terminology.codeSystems.get('2.16.840.1.113883.5.1008')?.get('')?.has('UNK'));
    assert.equal(terminology.highestVersion.get('2.16.840.1.113883.5.25'), '');
  });

  test('valid codes pass; allow-listed and unmanaged code systems are skipped', () => {
    // The sample carries a bogus LOINC code (LOINC is not in the project CSVs) and a bogus allow-listed code.
    assert.deepEqual(check(terminology), []);
  });

  test('an unknown code gives the Gateway message and the element XPath', () => {
    const findings = check(terminology, (doc) => set(doc, confidentiality, 'code', 'X'));
    assert.deepEqual(findings, [{
      id: 'VOCAB',
      severity: 'error',
      message: 'Almeno uno dei seguenti vocaboli non è censito: [CodeSystem: 2.16.840.1.113883.5.25, Codes: X]',
      location: '/hl7:ClinicalDocument[1]/hl7:confidentialityCode[1]',
    }]);
  });

  test('unknown codes are grouped per code system, in document order', () => {
    const findings = check(terminology, (doc) => {
      set(doc, confidentiality, 'code', 'X');
      set(doc, '//hl7:administrativeGenderCode', 'code', 'U');
    });
    assert.equal(findings[0]?.message, 'Almeno uno dei seguenti vocaboli non è censito: '
      + '[CodeSystem: 2.16.840.1.113883.5.25, Codes: X], [CodeSystem: 2.16.840.1.113883.5.1, Codes: U]');
  });

  test('a blocklisted code system is an error, checked before unknown codes', () => {
    const findings = check(terminology, (doc) => {
      set(doc, confidentiality, 'code', 'X');
      set(doc, '//hl7:section/hl7:code', 'codeSystem', '2.16.840.1.113883.2.9.999');
    });
    assert.deepEqual(findings, [{
      id: 'VOCAB',
      severity: 'error',
      message: 'È stato trovato almeno un dizionario presente in Blocklist: [2.16.840.1.113883.2.9.999]',
      location: '/hl7:ClinicalDocument[1]/hl7:component[1]/hl7:structuredBody[1]/hl7:component[1]/hl7:section[1]/hl7:code[1]',
    }]);
  });

  test('a 9999 segment is blocklisted too, a 99 segment is not', () => {
    const blocked = check(terminology, (doc) => set(doc, '//hl7:section/hl7:code', 'codeSystem', '1.2.9999.3'));
    assert.equal(blocked[0]?.message, 'È stato trovato almeno un dizionario presente in Blocklist: [1.2.9999.3]');
    assert.deepEqual(check(terminology, (doc) => set(doc, '//hl7:section/hl7:code', 'codeSystem', '1.2.99.3')), []);
  });

  test('an allow-listed code system is skipped whatever its code', () => {
    const findings = check(terminology, (doc) => {
      set(doc, confidentiality, 'codeSystem', '2.16.840.1.113883.2.9.1.11.1.2.13');
      set(doc, confidentiality, 'code', 'X');
    });
    assert.deepEqual(findings, []);
  });

  test('a version the dictionary does not have is an error', () => {
    const findings = check(terminology, (doc) => set(doc, confidentiality, 'codeSystemVersion', '9.9'));
    assert.deepEqual(findings, [{
      id: 'VOCAB',
      severity: 'error',
      message: 'È stata trovata almeno una versione non gestita di un dizionario: [2.16.840.1.113883.5.25 v9.9]',
      location: '/hl7:ClinicalDocument[1]/hl7:confidentialityCode[1]',
    }]);
  });

  test('the location XPath selects the offending element', () => {
    const doc = parseXml(sample);
    try {
      set(doc, '//hl7:administrativeGenderCode', 'code', 'Q');
      const [finding] = checkTerminology(doc, terminology);
      assert.ok(finding?.location);
      assert.equal(element(doc, finding.location).attr('code')?.value, 'Q');
    } finally {
      doc.dispose();
    }
  });
});

describe('terminology, versioned fixture CSVs (test/fixtures/terminology)', () => {
  const terminology = loadTerminology(versionedTerminology);

  test('the highest version is the latest released one', () => {
    assert.equal(terminology.highestVersion.get('2.16.840.1.113883.5.25'), '2.0');
  });

  test('a missing codeSystemVersion is checked against the highest version', () => {
    // R exists in 1.0 only.
    const findings = check(terminology, (doc) => set(doc, confidentiality, 'code', 'R'));
    assert.equal(findings[0]?.message,
      'Almeno uno dei seguenti vocaboli non è censito: [CodeSystem: 2.16.840.1.113883.5.25 v2.0, Codes: R]');
  });

  test('an explicit managed version is honoured', () => {
    assert.deepEqual(check(terminology, (doc) => {
      set(doc, confidentiality, 'code', 'R');
      set(doc, confidentiality, 'codeSystemVersion', '1.0');
    }), []);
  });

  test('an unmanaged version is an error', () => {
    const findings = check(terminology, (doc) => set(doc, confidentiality, 'codeSystemVersion', '3.0'));
    assert.equal(findings[0]?.message,
      'È stata trovata almeno una versione non gestita di un dizionario: [2.16.840.1.113883.5.25 v3.0]');
  });

  test('value/@codeSystem of a 89261-2 observation is rewritten to the ArtDecor OID, without touching the document', () => {
    const valuePath = "//hl7:observation[hl7:code/@code='89261-2']/hl7:value";
    assert.deepEqual(check(terminology), []);
    const doc = parseXml(sample);
    try {
      set(doc, valuePath, 'code', 'LA00000-0');
      const findings = checkTerminology(doc, terminology);
      assert.equal(findings[0]?.message, 'Almeno uno dei seguenti vocaboli non è censito: '
        + '[CodeSystem: 2.16.840.1.113883.2.9.10.1.4.3.4.5, Codes: LA00000-0]');
      assert.equal(element(doc, valuePath).attr('codeSystem')?.value, '2.16.840.1.113883.6.1');
    } finally {
      doc.dispose();
    }
  });
});

/**
 * The official samples' verdicts, observed against the catalog (the catalog is the judge). Every sample passes: the
 * answer-list rewrites make the LOINC-coded values of 89261-2/33999-4/75246-9 resolve in the ArtDecor value sets, and
 * LOINC itself has no CSV in the catalog, so it is skipped.
 */
const EXPECTED_VOCABULARY_FAILURES: Readonly<Record<string, string>> = {};

describe('terminology against the official catalog', needsCatalog, () => {
  const catalog = officialCatalogDir ?? '';
  const samples = [path.join(catalog, 'examples', 'cda'), path.join(corpusDir ?? '', 'ok')]
    .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f)));

  test('official samples give the recorded verdicts', (t) => {
    const started = performance.now();
    const terminology = loadTerminology(path.join(catalog, 'terminology'));
    t.diagnostic(`catalog terminology: ${terminology.codeSystems.size} code systems in ${(performance.now() - started).toFixed(0)} ms`);
    const failures: Record<string, string> = {};
    for (const file of samples) {
      const findings = check(terminology, () => {}, readFileSync(file));
      if (findings.length > 0) failures[path.basename(file)] = findings.map((f) => f.message).join(',');
    }
    assert.ok(samples.length >= 40, `only ${samples.length} samples found`);
    assert.deepEqual(failures, EXPECTED_VOCABULARY_FAILURES);
  });

  test('a changed confidentialityCode code is a vocabulary error', () => {
    const terminology = loadTerminology(path.join(catalog, 'terminology'));
    const version = terminology.highestVersion.get('2.16.840.1.113883.5.25');
    const ldo = readFileSync(path.join(catalog, 'examples', 'cda', 'LDO.xml'));
    const findings = check(terminology, (doc) => set(doc, confidentiality, 'code', 'ZZ'), ldo);
    assert.deepEqual(findings, [{
      id: 'VOCAB',
      severity: 'error',
      message: `Almeno uno dei seguenti vocaboli non è censito: [CodeSystem: 2.16.840.1.113883.5.25 v${version}, Codes: ZZ]`,
      location: '/hl7:ClinicalDocument[1]/hl7:confidentialityCode[1]',
    }]);
  });
});

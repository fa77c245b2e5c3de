import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { XmlDocument } from 'libxml2-wasm';
import { loadXsdSchemas, validateXsd, type XsdSchemas } from '../../src/validation/xsd-validator.js';
import { parseXml, XmlInputError } from '../../src/xml/xml-toolkit.js';
import { element, setAttribute as set } from '../support/cda-mutations.js';
import { corpusDir, needsCatalog, officialCatalogDir } from '../support/shared.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.join(root, 'test', 'fixtures');
const sample = readFileSync(path.join(fixtures, 'cda', 'xsd-sample.xml'));

/** Parses `source`, applies `edit` in memory, validates and frees the document. */
function validate(schemas: XsdSchemas, source: Uint8Array, edit: (doc: XmlDocument) => void = () => {}) {
  const doc = parseXml(source);
  try {
    edit(doc);
    return validateXsd(schemas, doc);
  } finally {
    doc.dispose();
  }
}

const XSD_ERROR = /^ERROR: \d+,\d+ Element '/;

describe('XSD validation with the project fixture schema', () => {
  let schemas: XsdSchemas;
  before(() => {
    schemas = loadXsdSchemas(path.join(fixtures, 'xsd', 'flat'));
  });
  after(() => schemas.dispose());

  test('CDA.xsd including ./coreschemas/core.xsd compiles from the flat folder', () => {
    assert.deepEqual(schemas.versions, ['TEST_CDA_V1']);
  });

  test('a valid document gives no finding', () => {
    assert.deepEqual(validate(schemas, sample), []);
  });

  test('a missing required element is an XSD error with the Gateway shape and a location', () => {
    const findings = validate(schemas, sample, (doc) => element(doc, '/hl7:ClinicalDocument/hl7:confidentialityCode').remove());
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.id, 'XSD');
    assert.equal(findings[0]?.severity, 'error');
    assert.match(findings[0]?.message ?? '', XSD_ERROR);
    assert.match(findings[0]?.message ?? '', /\{urn:hl7-org:v3\}title': This element is not expected/);
    assert.ok(findings[0]?.location?.startsWith('/'));
  });

  test('a missing required attribute reports the line of the element', () => {
    const findings = validate(schemas, sample, (doc) => element(doc, '/hl7:ClinicalDocument/hl7:id').attr('root')?.remove());
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /^ERROR: 5,\d+ Element '\{urn:hl7-org:v3\}id': The attribute 'root' is required/);
  });

  test('an unknown typeId extension selects no schema', () => {
    const findings = validate(schemas, sample, (doc) => set(doc, '//hl7:typeId', 'extension', 'POCD_XX'));
    assert.deepEqual(findings, [{ id: 'XSD', severity: 'error', message: 'Schema with version POCD_XX not found on database.' }]);
  });

  test('schema sets are reusable: many validations, one compilation', () => {
    for (let i = 0; i < 50; i++) assert.deepEqual(validate(schemas, sample), []);
  });

  test('a document with a DTD never reaches the XSD stage', () => {
    const hostile = '<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
      + '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>';
    assert.throws(() => parseXml(hostile), (err: unknown) => err instanceof XmlInputError && err.problem === 'dtd-forbidden');
  });
});

describe('XSD include resolution is confined to the schema folder', () => {
  test('an include outside the folder is refused', () => {
    assert.throws(() => loadXsdSchemas(path.join(fixtures, 'xsd', 'escape')), /Cannot compile XSD .*Failed to load the document/);
  });

  test('a network include is refused', () => {
    assert.throws(() => loadXsdSchemas(path.join(fixtures, 'xsd', 'network')), /Cannot compile XSD .*Failed to load the document/);
  });

  test('dispose is idempotent and a disposed set cannot be used', () => {
    const schemas = loadXsdSchemas(path.join(fixtures, 'xsd', 'flat'));
    schemas.dispose();
    schemas.dispose();
    assert.throws(() => schemas.get('TEST_CDA_V1'), /after dispose/);
  });
});

describe('XSD validation with the official catalog', needsCatalog, () => {
  const catalog = officialCatalogDir ?? '';
  const samples = [path.join(catalog, 'examples', 'cda'), path.join(corpusDir ?? '', 'ok')]
    .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f)));
  const ldo = () => readFileSync(path.join(catalog, 'examples', 'cda', 'LDO.xml'));
  let schemas: XsdSchemas;
  let compileMs = 0;
  before(() => {
    const started = performance.now();
    schemas = loadXsdSchemas(path.join(catalog, 'schema'));
    compileMs = performance.now() - started;
  });
  after(() => schemas.dispose());

  test('both schema sets of the catalog compile', (t) => {
    // Timings are reported, not asserted: they depend on the machine. See: performance notes, XSD.
    t.diagnostic(`XSD compile of ${schemas.versions.join(', ')}: ${compileMs.toFixed(0)} ms`);
    assert.deepEqual([...schemas.versions].sort(), ['POCD_HD000040', 'POCD_MT000040UV02']);
  });

  test('every official example and corpus document is XSD-valid', (t) => {
    assert.ok(samples.length >= 40, `only ${samples.length} samples found`);
    const invalid: Record<string, string> = {};
    let elapsed = 0;
    for (const file of samples) {
      const doc = parseXml(readFileSync(file));
      try {
        const started = performance.now();
        const findings = validateXsd(schemas, doc);
        elapsed += performance.now() - started;
        if (findings.length > 0) invalid[path.basename(file)] = findings.map((f) => f.message).join(',');
      } finally {
        doc.dispose();
      }
    }
    t.diagnostic(`XSD: ${samples.length} documents, ${(elapsed / samples.length).toFixed(2)} ms per document`);
    assert.deepEqual(invalid, {});
  });

  test('a removed required element (ClinicalDocument/id) is an XSD error', () => {
    const findings = validate(schemas, ldo(), (doc) => element(doc, '/hl7:ClinicalDocument/hl7:id').remove());
    assert.ok(findings.length > 0);
    assert.ok(findings.every((f) => f.id === 'XSD' && f.severity === 'error'));
    assert.match(findings[0]?.message ?? '', XSD_ERROR);
  });

  test('an unknown element is an XSD error', () => {
    const findings = validate(schemas, ldo(), (doc) => {
      element(doc, '/hl7:ClinicalDocument/hl7:code').prependElement('unexpected', doc.root.namespacePrefix);
    });
    assert.ok(findings.length > 0);
    assert.match(findings[0]?.message ?? '', /^ERROR: \d+,\d+ Element '.*unexpected': This element is not expected/);
  });

  test('a wrong typeId extension selects no schema', () => {
    const findings = validate(schemas, ldo(), (doc) => set(doc, '//hl7:typeId', 'extension', 'POCD_HD000041'));
    assert.deepEqual(findings, [{ id: 'XSD', severity: 'error', message: 'Schema with version POCD_HD000041 not found on database.' }]);
  });
});

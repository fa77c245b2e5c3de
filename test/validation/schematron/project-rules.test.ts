import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Finding } from '../../../src/validation/findings.ts';
import { runSchematron, type LoadedSef } from '../../../src/validation/schematron/schematron-runner.ts';
import { withXml } from '../../../src/xml/xml-toolkit.ts';
import { mutateCda, setAttribute } from '../../support/cda-mutations.ts';
import { compileFile, projectRoot } from './helpers.ts';

const rulesDir = path.join(projectRoot, 'schematron');
const fixture = (name: string): string => readFileSync(path.join(projectRoot, 'test', 'fixtures', 'cda', name), 'utf8');
const ids = (findings: readonly Finding[], severity: Finding['severity']): string[] =>
  [...new Set(findings.filter((f) => f.severity === severity).map((f) => f.id))].sort();

describe('project schematron rules', () => {
  const sefs: Record<string, LoadedSef> = {};
  before(async () => {
    for (const name of ['cda2-header', 'document-identity', 'regional']) {
      sefs[name] = await compileFile(path.join(rulesDir, `${name}.sch`));
    }
  });
  const runAll = (cda: string): Finding[] => Object.values(sefs).flatMap((sef) => runSchematron(sef, cda));

  test('a complete LDO header passes every rule with no warning', () => {
    assert.deepEqual(runAll(fixture('ldo-header-ok.xml')), []);
  });

  test('a header as the Italian guides write it (POCD_MT000040UV02, fiscal code plus a local id) passes every rule', () => {
    assert.deepEqual(runAll(fixture('ldo-header-it.xml')), []);
  });

  test('HDR-002 accepts the two typeId extensions the Gateway has an XSD for and refuses any other', () => {
    const it = fixture('ldo-header-it.xml');
    const typeId = '/hl7:ClinicalDocument/hl7:typeId';
    assert.deepEqual(runAll(mutateCda(it, (doc) => setAttribute(doc, typeId, 'extension', 'POCD_HD000040'))), []);
    const other = runAll(mutateCda(it, (doc) => setAttribute(doc, typeId, 'extension', 'POCD_MT000040')));
    assert.deepEqual(ids(other, 'error'), ['HDR-002']);
    assert.match(other[0]?.message ?? '', /trovato 'POCD_MT000040'/);
    const root = runAll(mutateCda(it, (doc) => setAttribute(doc, typeId, 'root', '2.16.840.1.113883.1.4')));
    assert.deepEqual(ids(root, 'error'), ['HDR-002']);
  });

  test('HDR-011 refuses two patients, a patient known only by local ids, and two ids of the same national root', () => {
    assert.deepEqual(ids(runAll(fixture('ldo-header-two-patients.xml')), 'error'), ['HDR-011']);
    const it = fixture('ldo-header-it.xml');
    const firstId = '/hl7:ClinicalDocument/hl7:recordTarget/hl7:patientRole/hl7:id[1]';
    const secondId = '/hl7:ClinicalDocument/hl7:recordTarget/hl7:patientRole/hl7:id[2]';
    const localOnly = mutateCda(it, (doc) => setAttribute(doc, firstId, 'root', '2.16.840.1.113883.2.9.2.999.4.8'));
    assert.deepEqual(ids(runAll(localOnly), 'error'), ['HDR-011']);
    const twoCf = mutateCda(it, (doc) => setAttribute(doc, secondId, 'root', '2.16.840.1.113883.2.9.4.3.2'));
    assert.deepEqual(ids(runAll(twoCf), 'error'), ['HDR-011']);
    // A regional patient id (region 120, Lazio) identifies the patient as the official rules allow.
    const regional = mutateCda(it, (doc) => setAttribute(doc, firstId, 'root', '2.16.840.1.113883.2.9.2.120.4.1.1'));
    assert.deepEqual(runAll(regional), []);
  });

  test('a broken header fails the expected header and identity rules', () => {
    const findings = runAll(fixture('ldo-header-broken.xml'));
    assert.deepEqual(ids(findings, 'error'), ['HDR-001', 'HDR-007', 'HDR-011', 'HDR-015', 'TYPE-001']);
    assert.deepEqual(ids(findings, 'warning'), ['W-REG-001', 'W-REG-002', 'W-REG-003']);
    const type = findings.find((f) => f.id === 'TYPE-001');
    assert.match(type?.message ?? '', /LDO.*34105-7.*trovato '11502-2'/);
    assert.equal(type?.location, '/Q{urn:hl7-org:v3}ClinicalDocument[1]');
  });

  test('version 2 without relatedDocument and an unversioned templateId', () => {
    const findings = runAll(fixture('ldo-header-version2.xml'));
    assert.deepEqual(ids(findings, 'error'), ['HDR-003', 'HDR-010', 'TYPE-002']);
    assert.deepEqual(ids(findings, 'warning'), []);
  });

  test('regional rules only ever produce warnings', () => {
    const regional = sefs.regional as LoadedSef;
    for (const name of ['ldo-header-ok.xml', 'ldo-header-it.xml', 'ldo-header-broken.xml', 'ldo-header-version2.xml']) {
      for (const f of runSchematron(regional, fixture(name))) {
        assert.equal(f.severity, 'warning');
        assert.ok(f.id.startsWith('W-REG-'), f.id);
      }
    }
  });

  test('document-identity has one rule per document type, asserting its LOINC codes', () => {
    const types = (JSON.parse(readFileSync(path.join(projectRoot, 'mappings', 'document-types.json'), 'utf8')) as {
      types: { templateRoot: string; loinc: string[] }[];
    }).types;
    const sch = readFileSync(path.join(rulesDir, 'document-identity.sch'), 'utf8');
    const ns = { s: 'http://purl.oclc.org/dsdl/schematron' };
    withXml(sch, (doc) => {
      for (const t of types) {
        const context = `/hl7:ClinicalDocument[hl7:templateId[1]/@root = '${t.templateRoot}']`;
        const asserts = doc.find(`//s:rule[@context = "${context}"]/s:assert/@test`, ns).map((a) => a.content);
        assert.equal(asserts.length, 1, t.templateRoot);
        for (const code of t.loinc) assert.ok(asserts[0]?.includes(`'${code}'`), `${t.templateRoot} ${code}`);
      }
    });
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveCatalog } from '../../src/catalog/catalog.ts';
import { buildSampleCda } from '../../src/dev/sample-cda.ts';
import { locateFindings } from '../../src/validation/finding-lines.ts';
import type { Finding } from '../../src/validation/findings.ts';
import { createInlineValidator, prepareEngineSetup, type CdaValidator } from '../../src/validation/validation-pool.ts';
import { EXPLAIN_RULES, lineOf, writeExplainCatalog } from '../support/explain-catalog.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'finding-lines-'));
after(() => rmSync(work, { recursive: true, force: true }));

// The explain catalog's one XSD set is POCD_MT000040UV02.
const sample = buildSampleCda().replaceAll('POCD_HD000040', 'POCD_MT000040UV02');
const finding = (location: string, id = 'T'): Finding => ({ id, severity: 'error', message: 'm', location });

/** A short document with the cases the location forms must tell apart: two templateIds, a multi-line start tag. */
const small = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc">
  <templateId root="1.1"/>
  <templateId root="1.2"/>
  <code
     code="34105-7"
     codeSystem="2.16.840.1.113883.6.1"/>
  <component><structuredBody><component/></structuredBody></component>
  <sdtc:raceCode code="x"/>
  <plain xmlns=""><!-- <fake/> --><![CDATA[<fake/>]]><inner a=">"/></plain>
</ClinicalDocument>
`;

describe('locateFindings: the location forms the stages write', () => {
  const lines = (locations: string[]) => locateFindings(small, locations.map((l) => finding(l))).map((f) => f.line);

  test('fn:path() of saxon-js and the native engine, elements and attributes', () => {
    assert.deepEqual(lines([
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]',
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}templateId[2]',
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}templateId[2]/@root',
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:sdtc}raceCode[1]',
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{}plain[1]/Q{}inner[1]',
    ]), [2, 4, 4, 9, 10]);
  });

  test('a multi-line start tag: the element where it begins, each attribute on its own line', () => {
    assert.deepEqual(lines([
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}code[1]',
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}code[1]/@code',
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}code[1]/@codeSystem',
    ]), [5, 6, 7]);
  });

  test('the ISO skeleton form, the prefixed form, libxml2 node paths and the Gateway plain form', () => {
    assert.deepEqual(lines([
      "/*:ClinicalDocument[namespace-uri()='urn:hl7-org:v3'][1]/*:component[namespace-uri()='urn:hl7-org:v3'][1]/*:structuredBody[namespace-uri()='urn:hl7-org:v3'][1]/*:component[namespace-uri()='urn:hl7-org:v3'][1]",
      "/*:ClinicalDocument[namespace-uri()='urn:hl7-org:v3'][1]/*:code[namespace-uri()='urn:hl7-org:v3'][1]/@codeSystem",
      '/hl7:ClinicalDocument[1]/hl7:templateId[2]',
      '/hl7:ClinicalDocument[1]/sdtc:raceCode[1]/@code',
      "/*[local-name()='ClinicalDocument' and namespace-uri()='urn:hl7-org:v3'][1]/*[local-name()='code' and namespace-uri()='urn:hl7-org:v3'][1]",
      '/*/*[3]',
      '/ClinicalDocument/templateId[1]',
    ]), [8, 7, 4, 9, 5, 5, 3]);
  });

  test('what does not select exactly one node gives no line, never a guess', () => {
    assert.deepEqual(lines([
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}templateId', // two of them
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}templateId[3]', // none
      '/Q{urn:hl7-org:other}ClinicalDocument[1]', // another namespace
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}code[1]/@displayName', // absent attribute
      '/nope:ClinicalDocument[1]', // unbound prefix
      '//Q{urn:hl7-org:v3}templateId', // not an absolute path of steps
      'Q{urn:hl7-org:v3}ClinicalDocument[1]', // relative
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/text()[1]', // a node kind the stages never point at
      "/*:ClinicalDocument[@moodCode='EVN']", // a predicate outside the understood forms
      '/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{}fake[1]', // the markup inside a comment or CDATA is not an element
    ]), [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  test('XSD and parse findings keep the line their stage reported; findings without location none', () => {
    const located = locateFindings(small, [
      { id: 'XSD', severity: 'error', message: "ERROR: 7,45 Element '{urn:hl7-org:v3}code': not expected." },
      { id: 'XML', severity: 'error', message: 'ERROR: Opening and ending tag mismatch: a line 1 and b (line 12, column 3)' },
      { id: 'VOCAB', severity: 'error', message: 'no location' },
    ]);
    assert.deepEqual(located.map((f) => f.line), [7, 12, undefined]);
  });

  test('a document with a DTD is never expanded: locations give no line', () => {
    const hostile = `<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument [<!ENTITY x "<templateId/>">]>\n<ClinicalDocument xmlns="urn:hl7-org:v3">&x;</ClinicalDocument>\n`;
    const [located] = locateFindings(hostile, [finding('/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}templateId[1]')]);
    assert.equal(located?.line, undefined);
  });

  test('CRLF line ends count as one line each', () => {
    const crlf = small.replaceAll('\n', '\r\n');
    assert.deepEqual(locateFindings(crlf, [finding('/hl7:ClinicalDocument[1]/hl7:templateId[2]')]).map((f) => f.line), [4]);
  });
});

for (const engine of ['native', 'saxon'] as const) {
  describe(`locateFindings on the real validator's findings (${engine} schematron)`, () => {
    let validator: CdaValidator;
    before(async () => {
      const catalog = resolveCatalog(writeExplainCatalog(path.join(work, `catalog-${engine}`)));
      validator = await createInlineValidator(await prepareEngineSetup(catalog, path.join(work, `cache-${engine}`), undefined, { engine }));
    });
    after(() => validator.close());

    test('an element rule: the finding is on the line of the broken birthTime', async () => {
      const broken = sample.replace('<birthTime value="19800101"/>', '<birthTime\n        value="1980"/>');
      assert.notEqual(broken, sample, 'precondition: the sample has the birthTime');
      const report = await validator.validate(broken);
      assert.deepEqual(report.errors.map((f) => f.id), [EXPLAIN_RULES.birthTime]);
      const [located] = locateFindings(broken, report.errors);
      assert.equal(located?.line, lineOf(broken, '<birthTime'));
      assert.ok((located?.line ?? 0) > 20, 'deep in the document, not the root');
    });

    test('an attribute rule: the finding is on the line of the broken attribute', async () => {
      const broken = sample.replace('<telecom value="tel:+39061234567"/>', '<telecom\n        use="WP"\n        value="mailto:a@b.it"/>');
      assert.notEqual(broken, sample, 'precondition: the sample has the telecom');
      const report = await validator.validate(broken);
      assert.deepEqual(report.errors.map((f) => f.id), [EXPLAIN_RULES.telecom]);
      assert.match(report.errors[0]?.location ?? '', /@value$/);
      const [located] = locateFindings(broken, report.errors);
      assert.equal(located?.line, lineOf(broken, 'value="mailto:'));
    });

    test('an XSD error: the line libxml2 reported, which is the broken title', async () => {
      const broken = sample.replace('<title>', '<title foo="bar">');
      const report = await validator.validate(broken);
      assert.equal(report.failedStage, 'syntax');
      assert.ok(report.errors.length > 0 && report.errors.every((f) => f.id === 'XSD'), JSON.stringify(report.errors));
      const located = locateFindings(broken, report.errors);
      assert.deepEqual(located.map((f) => f.line), report.errors.map(() => lineOf(broken, '<title foo')));
    });
  });
}

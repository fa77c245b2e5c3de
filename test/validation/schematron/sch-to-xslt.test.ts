import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { isFseError } from '../../../src/errors/fse-error.ts';
import { schematronToXslt } from '../../../src/validation/schematron/sch-to-xslt.ts';
import { runSchematron, type LoadedSef } from '../../../src/validation/schematron/schematron-runner.ts';
import { withXml } from '../../../src/xml/xml-toolkit.ts';
import { compileText } from './helpers.ts';

const XSL = { xsl: 'http://www.w3.org/1999/XSL/Transform' };

/** One schema exercising every construct the official catalog uses, so the suite pays for a single compile. */
const FEATURES = `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" queryBinding="xslt2">
  <title>translator features</title>
  <ns prefix="t" uri="urn:test"/>
  <let name="limit" value="2"/>
  <pattern id="first-rule-wins">
    <rule context="t:item[@special]">
      <report test="true()">R-SPECIAL | special <name/> <value-of select="@id"/></report>
    </rule>
    <rule context="t:item">
      <report test="true()">R-GENERIC | generic <value-of select="@id"/></report>
    </rule>
  </pattern>
  <pattern id="lets">
    <let name="total" value="count(//t:item)"/>
    <rule context="t:root">
      <let name="n" value="count(t:item)"/>
      <assert test="$n le $limit">E-COUNT | <name/> has <value-of select="$n"/> items,
        more than <value-of select="$limit"/> (total <value-of select="$total"/>)</assert>
      <let name="trail">
        <xsl:for-each select="t:item">
          <xsl:value-of select="concat('/', @id)"/>
        </xsl:for-each>
      </let>
      <assert test="false()">E-TRAIL| items: <value-of select="$trail"/></assert>
      <assert test="false()" id="A-NO-PREFIX" role="error" flag="f1">no prefix here</assert>
      <assert test="false()">no prefix nor id</assert>
      <assert test="false()">W042 | a recommendation written as an assert</assert>
      <report test="count(t:item) gt 100">R-NEVER | does not fire</report>
    </rule>
  </pattern>
  <pattern id="absolute">
    <rule context="/t:root/t:item[@code]">
      <report test="true()">R-ABS-FIRST | coded <value-of select="@id"/></report>
    </rule>
    <rule context="/t:root/t:item">
      <report test="true()">R-ABS-SECOND | plain <value-of select="@id"/></report>
    </rule>
  </pattern>
  <pattern id="attributes">
    <rule context="t:item/@code">
      <assert test=". = ('a', 'b')">E-CODE | bad code <value-of select="."/> on <name path=".."/></assert>
    </rule>
  </pattern>
</schema>`;

const DOC = '<root xmlns="urn:test"><item id="i1" special="y" code="a"/><item id="i2" code="z"/><item id="i3"/></root>';

describe('schematronToXslt: generated shape', () => {
  const xslt = schematronToXslt(FEATURES);
  const count = (xpath: string): number => withXml(xslt, (doc) => doc.find(xpath, XSL).length);

  test('one deep-skip mode per pattern and no next-match or fired-rule output', () => {
    assert.equal(count('/xsl:stylesheet/xsl:mode[@on-no-match="deep-skip"]'), 4);
    assert.equal(count('//xsl:next-match'), 0);
    assert.equal(count('//xsl:apply-templates[ancestor::xsl:template[@mode]]'), 0, 'rule templates never recurse');
  });

  test('a pattern of absolute contexts does not walk every element', () => {
    assert.equal(count("//xsl:apply-templates[@mode='sch-p2'][@select='(/t:root/t:item[@code]) | (/t:root/t:item)']"), 1);
    assert.equal(count("//xsl:apply-templates[@mode='sch-p0'][@select='$sch-nodes']"), 1);
  });

  test('earlier rules of a pattern get higher priorities', () => {
    const priorities = withXml(xslt, (doc) => doc.find('//xsl:template[@mode="sch-p0"]/@priority', XSL).map((a) => a.content));
    assert.deepEqual(priorities, ['2', '1']);
  });

  test('attributes are pushed only when a rule context can match one', () => {
    assert.equal(count('//xsl:variable[@name="sch-nodes"][contains(@select, "@*")]'), 1);
    const noAttributes = schematronToXslt(`<schema xmlns="http://purl.oclc.org/dsdl/schematron">
      <pattern><rule context="a[@x]"><assert test="@y">E | y</assert></rule></pattern></schema>`);
    withXml(noAttributes, (doc) => assert.equal(doc.get('//xsl:variable[@name="sch-nodes"]/@select', XSL)?.content, '//*'));
  });

  test('unsupported or malformed schemas are refused as invalid schematron', () => {
    const include = `<schema xmlns="http://purl.oclc.org/dsdl/schematron"><include href="x.sch"/><pattern/></schema>`;
    assert.throws(() => schematronToXslt(include), (err) => isFseError(err) && err.detail.startsWith('Invalid schematron'));
    assert.throws(() => schematronToXslt('<schema xmlns="urn:other"/>'), (err) => isFseError(err));
    assert.throws(() => schematronToXslt('<schema'));
  });
});

describe('schematronToXslt: semantics once compiled', () => {
  let sef: LoadedSef;
  before(async () => { sef = await compileText('translator-features', FEATURES); });

  const run = () => runSchematron(sef, DOC);
  const byId = (id: string) => run().filter((f) => f.id === id);

  test('absolute rule contexts select their nodes directly, first matching rule still wins', () => {
    assert.deepEqual(byId('R-ABS-FIRST').map((f) => f.message), ['R-ABS-FIRST | coded i1', 'R-ABS-FIRST | coded i2']);
    assert.deepEqual(byId('R-ABS-SECOND').map((f) => f.message), ['R-ABS-SECOND | plain i3']);
  });

  test('a node is handled by the first matching rule of a pattern only', () => {
    assert.deepEqual(byId('R-SPECIAL').map((f) => f.message), ['R-SPECIAL | special item i1']);
    assert.deepEqual(byId('R-GENERIC').map((f) => f.message), ['R-GENERIC | generic i2', 'R-GENERIC | generic i3']);
  });

  test('schema, pattern, rule and element-content lets; name and value-of; whitespace normalised', () => {
    assert.deepEqual(byId('E-COUNT').map((f) => f.message), ['E-COUNT | root has 3 items, more than 2 (total 3)']);
    assert.deepEqual(byId('E-TRAIL').map((f) => f.message), ['E-TRAIL| items: /i1/i2/i3']);
  });

  test('severity: failed assert is an error, W-prefixed assert and successful report are warnings', () => {
    const findings = run();
    assert.equal(findings.find((f) => f.id === 'E-COUNT')?.severity, 'error');
    assert.equal(findings.find((f) => f.id === 'W042')?.severity, 'warning');
    assert.ok(byId('R-GENERIC').every((f) => f.severity === 'warning'));
    assert.equal(byId('R-NEVER').length, 0);
  });

  test('ids: message prefix, else the assert @id, else SCH', () => {
    assert.deepEqual(byId('A-NO-PREFIX').map((f) => f.message), ['no prefix here']);
    assert.deepEqual(byId('SCH').map((f) => f.message), ['no prefix nor id']);
  });

  test('attribute contexts fire with the attribute path as location', () => {
    const [code, ...rest] = byId('E-CODE');
    assert.equal(rest.length, 0);
    assert.equal(code?.message, 'E-CODE | bad code z on item');
    assert.match(code?.location ?? '', /item\[2\]\/@code$/);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Finding } from '../../../src/validation/findings.ts';
import { compileNativeSchema, NativeUnsupported } from '../../../src/validation/schematron/native/native-schema.ts';
import { runNativeSchematron } from '../../../src/validation/schematron/native/native-runner.ts';
import { runSchematron, type LoadedSef } from '../../../src/validation/schematron/schematron-runner.ts';
import { withXml } from '../../../src/xml/xml-toolkit.ts';
import { compileText, projectRoot } from './helpers.ts';

const fixtures = path.join(projectRoot, 'test', 'fixtures', 'schematron');
const SCH = readFileSync(path.join(fixtures, 'native-features.sch'), 'utf8');
const DOC = readFileSync(path.join(fixtures, 'native-features.xml'), 'utf8');

const native = compileNativeSchema(SCH);
const run = (doc = DOC, schema = native): Finding[] => withXml(doc, (d) => runNativeSchematron(schema, d));
const messages = (id: string): string[] => run().filter((f) => f.id === id).map((f) => f.message);

describe('native schematron engine: semantics', () => {
  test('a node is handled by the first matching rule of a pattern only', () => {
    assert.deepEqual(messages('R-SPECIAL'), ['R-SPECIAL | special item i1']);
    assert.deepEqual(messages('R-GENERIC'), ['R-GENERIC | generic i2', 'R-GENERIC | generic i3']);
    assert.deepEqual(messages('R-ABS-FIRST'), ['R-ABS-FIRST | coded i1', 'R-ABS-FIRST | coded i2']);
    assert.deepEqual(messages('R-ABS-SECOND'), ['R-ABS-SECOND | plain i3']);
  });

  test('schema and rule lets, element-content lets, name and value-of (sequences joined by a space)', () => {
    assert.deepEqual(messages('E-COUNT'), ['E-COUNT | root has 3 items, more than 2 (total 3, first i1)']);
    assert.deepEqual(messages('E-TRAIL'), ['E-TRAIL| items: /i1/i2/i3 after i1: /i2/i3']);
    assert.deepEqual(messages('W042'), ['W042 | a recommendation written as an assert; all ids: i1 i2 i3']);
  });

  test('matches() with finite and open regexes, if-then-else, a step returning counts', () => {
    assert.deepEqual(messages('E-CODE'), ['E-CODE | bad code z (zulu)']);
    assert.deepEqual(messages('E-REF'), ['E-REF | bad ref 1x']);
    assert.deepEqual(messages('E-FINITE'), []);
    assert.deepEqual(messages('R-STEP-COUNT'), ['R-STEP-COUNT | an item has two tags']);
  });

  test('two strings compare as strings (XPath 2.0), not as numbers (XPath 1.0)', () => {
    assert.deepEqual(messages('E-PERIOD'), ['E-PERIOD | high 20231231120000+0100 before low 20240101120000+0100']);
  });

  test('severities, ids and locations', () => {
    const findings = run();
    assert.equal(findings.find((f) => f.id === 'E-COUNT')?.severity, 'error');
    assert.equal(findings.find((f) => f.id === 'W042')?.severity, 'warning');
    assert.equal(findings.find((f) => f.id === 'R-GENERIC')?.severity, 'warning');
    assert.deepEqual(messages('A-NO-PREFIX'), ['no prefix here']);
    assert.equal(findings.find((f) => f.id === 'R-ATTR')?.location, '/Q{urn:test}root[1]/Q{urn:test}item[2]/@code');
  });
});

describe('native schematron engine: what it refuses (the file then runs on saxon-js)', () => {
  const schema = (test: string, lets = ''): string => `<schema xmlns="http://purl.oclc.org/dsdl/schematron">
    <ns prefix="t" uri="urn:test"/><pattern><rule context="t:item">${lets}<assert test="${test}">E | x</assert></rule></pattern></schema>`;

  test('XPath 2.0 functions, expressions and casts it does not implement', () => {
    const refused = ["tokenize(@a, ' ')", 'for $x in t:b return $x', '@a instance of xs:string', "matches(t:b[1], '[a-', 'i')",
      '@a castable as xs:date', 'u:b', "format-date(current-date(), '[FNn]')"];
    for (const test of refused) assert.throws(() => compileNativeSchema(schema(test)), NativeUnsupported, test);
  });

  test('a rule context that is not a path', () => {
    assert.throws(() => compileNativeSchema(`<schema xmlns="http://purl.oclc.org/dsdl/schematron">
      <pattern><rule context="$nodes"><assert test="true()">E | x</assert></rule></pattern></schema>`), NativeUnsupported);
  });
});

describe('native schematron engine: XPath 2.0 beyond 1.0', () => {
  test('rule lets inside predicates, string order, quantifiers, value comparisons, sequences, castable, today', () => {
    assert.deepEqual(messages('X-LET-IN-PREDICATE'), ['X-LET-IN-PREDICATE | 1 item(s) share the first code']);
    assert.deepEqual(messages('X-STRING-ORDER'), ['X-STRING-ORDER | 1 period(s) in order as strings']);
    assert.deepEqual(messages('X-EVERY'), ['X-EVERY | every item has an id']);
    assert.deepEqual(messages('X-SOME-EQ'), ['X-SOME-EQ | an item is coded z']);
    assert.deepEqual(messages('X-SEQUENCE'), ['X-SEQUENCE | a code among z and q']);
    assert.deepEqual(messages('X-TODAY'), ['X-TODAY | the first period starts before today']);
    assert.deepEqual(messages('X-CASTABLE'), []);
    assert.deepEqual(messages('X-CASTABLE-PRED'), ['X-CASTABLE-PRED | 2 refs, none an integer']);
  });

  test('dynamic errors are raised as saxon-js raises them', () => {
    const strict = (test: string): string => `<schema xmlns="http://purl.oclc.org/dsdl/schematron">
      <ns prefix="t" uri="urn:test"/><pattern><rule context="t:root"><assert test="${test}">E | x</assert></rule></pattern></schema>`;
    assert.throws(() => run(DOC, compileNativeSchema(strict("contains(t:item/@id, 'i')"))), /XPTY0004/);
    assert.throws(() => run(DOC, compileNativeSchema(strict('t:item/@code &gt; 1'))), /FORG0001/);
    assert.throws(() => run(DOC, compileNativeSchema(strict("('a', 'b')"))), /FORG0006/);
  });
});

describe('native schematron engine: parity with saxon-js on the fixture', () => {
  let sef: LoadedSef;
  before(async () => { sef = await compileText('native-features', SCH); });

  test('identical findings, in the same order', () => {
    assert.deepEqual(run(), runSchematron(sef, DOC));
  });
});

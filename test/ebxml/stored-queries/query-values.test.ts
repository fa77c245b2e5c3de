import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listValue, parseQueryValues, quoteValue } from '../../../src/ebxml/stored-queries/query-values.js';
import { xdsError } from './support.js';

/** The parameter value scanner: IHE's quoting and lists, and the leniency real clients need. See: xds-ini digest 5.2. */

const parse = (...values: string[]) => parseQueryValues(values, '$p');

test('quoted single values and lists; a literal quote is doubled', () => {
  assert.deepEqual(parse("'a'"), ['a']);
  assert.deepEqual(parse("('a','b')"), ['a', 'b']);
  assert.deepEqual(parse("( 'a' ,\n 'b' )"), ['a', 'b']);
  assert.deepEqual(parse("('it''s', '''')"), ["it's", "'"]);
  assert.deepEqual(parse("('a,b', 'c)d')"), ['a,b', 'c)d']);
});

test('a list split over several rim:Value elements is concatenated in order', () => {
  assert.deepEqual(parse("('a')", "('b', 'c')", "'d'"), ['a', 'b', 'c', 'd']);
});

test('lenient: unquoted single values are taken whole, unquoted list items split on commas', () => {
  assert.deepEqual(parse(' 20240101 '), ['20240101']);
  assert.deepEqual(parse('RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO'), ['RSSMRA80A01H501U^^^&2.16.840.1.113883.2.9.4.3.2&ISO']);
  assert.deepEqual(parse('(2024, 2025)'), ['2024', '2025']);
  assert.deepEqual(parse("'a', 'b'"), ['a', 'b']);
  assert.deepEqual(parse('()'), []);
});

test('malformed values are XDSRegistryError naming the parameter', () => {
  for (const bad of ["('a'", "'a", "('a' 'b')", "('a',)", "(,'a')", "'a' x"]) {
    assert.throws(() => parse(bad), xdsError('XDSRegistryError', '$p'), bad);
  }
});

test('writing: quotes doubled, lists parenthesised, and what is written reads back', () => {
  assert.equal(quoteValue("D'Angelo"), "'D''Angelo'");
  assert.equal(listValue(['a', "b'c"]), "('a','b''c')");
  const values = ["%D'ANGELO%", 'x,y', "''", ' spaced '];
  assert.deepEqual(parse(listValue(values)), values);
});

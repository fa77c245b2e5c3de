import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isFseError } from '../../src/errors/fse-error.ts';
import { checkCorrelation, loincFromResourceHl7Type } from '../../src/metadata/correlation.ts';

const NULL = 'Uno tra tipo documento o tipo documento livello alto risulta essere null';
const NONE = "Non c'è correlazione tra tipo documento e tipo documento livello alto";

function fails(loinc: string | undefined, classCode: string | undefined, detail: string): void {
  assert.throws(() => checkCorrelation(loinc, classCode), (err: unknown) =>
    isFseError(err) && err.code === 'validator' && err.detail === detail && err.instance === '/msg/validator');
}

describe('classCode <-> typeCode correlation (Gateway API digest, 10.12)', () => {
  test('reads the LOINC code of resource_hl7_type', () => {
    assert.equal(loincFromResourceHl7Type("('34105-7^^2.16.840.1.113883.6.1')"), '34105-7');
    assert.equal(loincFromResourceHl7Type("('11502-2^^2.16.840.1.113883.6.1'),('x^^y')"), '11502-2');
    assert.equal(loincFromResourceHl7Type(undefined), undefined);
    assert.equal(loincFromResourceHl7Type("('')"), undefined);
  });

  test('accepts each LOINC with its classCode', () => {
    for (const [loinc, cls] of [['34105-7', 'LDO'], ['18842-5', 'LDO'], ['11502-2', 'REF'], ['60591-5', 'SUM'],
      ['104531-9', 'CRT'], ['103147-5', 'PRE'], ['53576-5', 'TAC'], ['108276-7', 'LET'], ['101134-5', 'PRO'], ['100971-1', 'COL']]) {
      assert.doesNotThrow(() => checkCorrelation(loinc, cls), `${loinc} ${cls}`);
    }
  });

  test('a known pair that does not correlate', () => {
    fails('34105-7', 'REF', NONE);
    fails('11502-2', 'LDO', NONE);
  });

  test('unknown LOINC (placeholders, 102033-8, main-only 28653-4) or missing classCode count as null', () => {
    fails('102033-8', 'REF', NULL);
    fails('28653-4', 'CRT', NULL);
    fails('LOINC_CODE_1', 'LET', NULL);
    fails(undefined, 'LDO', NULL);
    fails('34105-7', undefined, NULL);
    fails('34105-7', 'XXX', NULL);
  });
});

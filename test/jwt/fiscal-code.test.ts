import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fiscalCodeCheckLetter, isValidFiscalCode } from '../../src/jwt/fiscal-code.ts';

/**
 * An independent control-letter computation, written from the Agenzia delle Entrate tables (odd positions by
 * character, even positions = digit value or letter index), so the test does not reuse the implementation's table.
 */
const ODD: Record<string, number> = {
  0: 1, 1: 0, 2: 5, 3: 7, 4: 9, 5: 13, 6: 15, 7: 17, 8: 19, 9: 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18,
  N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};
const EVEN = (ch: string) => (/[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65);
function referenceCheck(first15: string): string {
  let sum = 0;
  [...first15].forEach((ch, i) => (sum += i % 2 === 0 ? (ODD[ch] ?? NaN) : EVEN(ch)));
  return String.fromCharCode(65 + (sum % 26));
}
const withCheck = (first15: string) => first15 + referenceCheck(first15);

describe('isValidFiscalCode', () => {
  test('accepts well-known public examples', () => {
    assert.equal(isValidFiscalCode('RSSMRA80A01H501U'), true);
    assert.equal(isValidFiscalCode('MRTMTT25D09F205Z'), true);
  });

  test('agrees with the reference computation on generated codes', () => {
    for (const stem of ['BNCGNN75C03F839', 'VRDLGU85T41L219', 'PLLFNC99E12A662', 'ZZZYYY00A41Z999']) {
      assert.equal(fiscalCodeCheckLetter(stem), referenceCheck(stem), stem);
      assert.equal(isValidFiscalCode(withCheck(stem)), true, stem);
    }
  });

  test('rejects a wrong control letter', () => {
    assert.equal(isValidFiscalCode('RSSMRA80A01H501V'), false);
    // The digest's own example person_id has a control letter that does not match (it is illustrative only).
    assert.equal(isValidFiscalCode('BNCGNN75C03F839K'), false);
  });

  test('accepts omocodia letters in the numeric positions', () => {
    // 80 -> UL, 01 -> LM, 501 -> RLM: every numeric position replaced.
    const omocode = withCheck('RSSMRAULALMHRLM');
    assert.equal(isValidFiscalCode(omocode), true);
    assert.equal(isValidFiscalCode(withCheck('RSSMRA80A01H50M')), true);
  });

  test('rejects letters outside the omocodia set and a bad month letter', () => {
    assert.equal(isValidFiscalCode(withCheck('RSSMRA8KA01H501')), false);
    assert.equal(isValidFiscalCode(withCheck('RSSMRA80F01H501')), false);
    assert.equal(isValidFiscalCode('RSSMRA80A01H501'), false);
    assert.equal(isValidFiscalCode(''), false);
  });

  test('is case-insensitive', () => {
    assert.equal(isValidFiscalCode('rssmra80a01h501u'), true);
  });

  test('accepts 11-digit and STP/ENI codes only with allowSpecial', () => {
    for (const special of ['12345678901', 'STP1201234567890', 'ENI1201234567890']) {
      assert.equal(isValidFiscalCode(special), false, special);
      assert.equal(isValidFiscalCode(special, { allowSpecial: true }), true, special);
    }
    assert.equal(isValidFiscalCode('1234567890', { allowSpecial: true }), false);
  });
});

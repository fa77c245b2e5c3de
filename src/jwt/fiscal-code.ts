/**
 * Italian codice fiscale check, as the Gateway applies it to the JWT `sub` and `person_id` claims.
 * See: Gateway API digest, sections 5.3 (`sub`, `person_id`) and 5.5.
 */

/** Options of {@link isValidFiscalCode}. */
export interface FiscalCodeOptions {
  /**
   * Accept the "special" codes too: 11-digit numeric codes (VAT numbers, temporary codes) and `STP`/`ENI` codes.
   * Mirrors the Gateway's `validation.allow-special-fiscal-code` switch. See: Gateway API digest, section 5.3.
   */
  readonly allowSpecial?: boolean;
}

/**
 * Positions 7-8, 10-11 and 13-15 are digits, or their omocodia replacement letters (L=0, M=1, N=2, P=3, Q=4, R=5,
 * S=6, T=7, U=8, V=9); the month letter is one of ABCDEHLMPRST.
 */
const PERSON_CODE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const NUMERIC_CODE = /^[0-9]{11}$/;
const FOREIGNER_CODE = /^(STP|ENI)[0-9]{13}$/;

/** Values of characters in odd (1-based) positions, indexed by digit value or by letter offset from A. */
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function charIndex(ch: string): number {
  const code = ch.charCodeAt(0);
  // Digits share the tables of A..J: '0' counts like 'A', '9' like 'J'.
  return code >= 48 && code <= 57 ? code - 48 : code - 65;
}

/** The control letter (16th character) for the first 15 characters of a personal fiscal code. */
export function fiscalCodeCheckLetter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const index = charIndex(first15.charAt(i));
    // Position i + 1 is odd when i is even.
    sum += i % 2 === 0 ? (ODD_VALUES[index] ?? 0) : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/**
 * Whether `value` is a valid fiscal code: a 16-character personal code (omocodia letters allowed) whose control
 * letter matches; with `allowSpecial`, also an 11-digit numeric code or an `STP`/`ENI` code. Case-insensitive,
 * since the comparison with the CDA is done elsewhere on the original string.
 */
export function isValidFiscalCode(value: string, options: FiscalCodeOptions = {}): boolean {
  const cf = value.toUpperCase();
  if (PERSON_CODE.test(cf)) {
    return fiscalCodeCheckLetter(cf.slice(0, 15)) === cf.charAt(15);
  }
  if (options.allowSpecial === true) {
    return NUMERIC_CODE.test(cf) || FOREIGNER_CODE.test(cf);
  }
  return false;
}

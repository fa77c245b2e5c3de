/**
 * The XPath 2.0 regular expressions of `matches()` as JavaScript RegExps with the same matches. Anything this module
 * does not understand is refused, and the whole file runs on saxon-js.
 * See: XPath and XQuery Functions and Operators 2.0, 7.6 "String Functions that Use Pattern Matching".
 */

export class UnsupportedRegex extends Error {}

/**
 * Translates an XPath regex (no flags) to a JavaScript RegExp with the same matches: `\d` is any Unicode decimal
 * digit in XPath (`\p{Nd}`); the XSD-only escapes and character-class subtraction are refused.
 */
export function toJsRegExp(re: string): RegExp {
  if (/\\[iIcC]|-\[|\(\?/.test(re)) throw new UnsupportedRegex(`regex construct not supported: ${re}`);
  const translated = re.replace(/\\\\|\\d|\\D/g, (m) => (m === '\\d' ? '\\p{Nd}' : m === '\\D' ? '\\P{Nd}' : m));
  try {
    return new RegExp(translated, 'u');
  } catch (err) {
    throw new UnsupportedRegex(`regex not translatable: ${re} (${(err as Error).message})`);
  }
}

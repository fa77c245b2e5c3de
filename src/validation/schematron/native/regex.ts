/**
 * The XPath 2.0 regular expressions of `matches()`, for an engine whose XPath is 1.0. Two ways, both exact:
 * - a finite language (`^2\.16\.(10|20)\.4$`) expands to the list of its strings, so `matches(@root, re)` becomes
 *   `(@root = 's1' or @root = 's2' ...)`, valid inside predicates;
 * - any other expression is translated to a JavaScript RegExp evaluated outside libxml2 (top-level tests only).
 * Anything this module does not understand is refused, and the whole file runs on saxon-js.
 * See: XPath and XQuery Functions and Operators 2.0, 7.6 "String Functions that Use Pattern Matching".
 */

export class UnsupportedRegex extends Error {}

const META = new Set([...'\\.^$|?*+()[]{}']);
const MAX_STRINGS = 1000;

/** The strings of an anchored regex made of literals and groups of alternatives, or undefined when it is not one. */
export function finiteLanguage(re: string): string[] | undefined {
  if (!re.startsWith('^') || !re.endsWith('$') || re.endsWith('\\$')) return undefined;
  const body = re.slice(1, -1);
  let i = 0;
  const literal = (stop: ReadonlySet<string>): string | undefined => {
    let out = '';
    while (i < body.length && !stop.has(body[i] as string)) {
      const ch = body[i] as string;
      if (ch === '\\') {
        const next = body[i + 1];
        if (next === undefined || !META.has(next)) return undefined;
        out += next;
        i += 2;
      } else if (META.has(ch)) return undefined;
      else { out += ch; i++; }
    }
    return out;
  };
  let strings = [''];
  while (i < body.length) {
    if (body[i] === '(') {
      i++;
      const alternatives: string[] = [];
      for (;;) {
        const alt = literal(new Set(['|', ')']));
        if (alt === undefined) return undefined;
        alternatives.push(alt);
        if (body[i] === '|') { i++; continue; }
        if (body[i] === ')') { i++; break; }
        return undefined;
      }
      strings = strings.flatMap((s) => alternatives.map((a) => s + a));
      if (strings.length > MAX_STRINGS) return undefined;
    } else {
      const lit = literal(new Set(['(']));
      if (lit === undefined) return undefined;
      strings = strings.map((s) => s + lit);
    }
  }
  return strings;
}

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

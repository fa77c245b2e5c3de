/**
 * A tokenizer for the XPath found in the schematron files, read by the parser (xpath-parser.ts).
 * See: XPath 1.0, 3.7 "Lexical Structure" (the disambiguation rules for `*` and operator names).
 */

export type TokenKind = 'str' | 'num' | 'name' | 'var' | 'op';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** Tokens after which `*` is a multiplication and `and`/`or`/`div`/`mod` are operators (XPath 1.0, 3.7). */
function endsOperand(prev: Token | undefined): boolean {
  if (!prev) return false;
  if (prev.kind === 'op') return [')', ']', '.', '..'].includes(prev.text);
  return true;
}

const OPERATOR_NAMES = new Set(['and', 'or', 'div', 'mod']);
const TWO_CHAR = new Set(['//', '::', '!=', '<=', '>=', '..']);
const NAME_START = /[A-Za-z_\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_.\u00B7\u00C0-\uFFFF-]/;

export class XPathSyntaxError extends Error {}

/** Splits an expression into tokens; whitespace is dropped (it is never significant outside literals). */
export function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const readName = (): string => {
    const start = i;
    while (i < expr.length && NAME_CHAR.test(expr[i] as string)) i++;
    return expr.slice(start, i);
  };
  while (i < expr.length) {
    const ch = expr[i] as string;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === "'" || ch === '"') {
      const end = expr.indexOf(ch, i + 1);
      if (end < 0) throw new XPathSyntaxError(`unterminated literal in ${expr}`);
      out.push({ kind: 'str', text: expr.slice(i, end + 1) });
      i = end + 1;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      const start = i;
      while (i < expr.length && /[0-9.]/.test(expr[i] as string)) i++;
      out.push({ kind: 'num', text: expr.slice(start, i) });
      continue;
    }
    if (ch === '$') {
      i++;
      out.push({ kind: 'var', text: readName() });
      continue;
    }
    const prev = out.at(-1);
    if (ch === '*' && !endsOperand(prev)) { i++; out.push({ kind: 'name', text: '*' }); continue; }
    if (NAME_START.test(ch)) {
      let name = readName();
      if (expr[i] === ':' && expr[i + 1] !== ':') {
        i++;
        name += `:${expr[i] === '*' ? (i++, '*') : readName()}`;
      }
      out.push({ kind: OPERATOR_NAMES.has(name) && endsOperand(prev) ? 'op' : 'name', text: name });
      continue;
    }
    const two = expr.slice(i, i + 2);
    if (TWO_CHAR.has(two)) { out.push({ kind: 'op', text: two }); i += 2; continue; }
    if ('()[],/@|=<>+-*.'.includes(ch)) { out.push({ kind: 'op', text: ch }); i++; continue; }
    throw new XPathSyntaxError(`unexpected '${ch}' in ${expr}`);
  }
  return out;
}

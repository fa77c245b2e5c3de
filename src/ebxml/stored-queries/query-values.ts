import { EbxmlError } from '../ebxml-error.js';

/**
 * The text of ITI-18 parameter values (`rim:Value` of an AdhocQuery slot), read and written. Strings are quoted
 * `'x'` with a literal quote doubled (`''`); a multi-valued parameter is a parenthesised list `('a','b')`, possibly
 * split over several `rim:Value` elements (CP 295), each a list of its own; numbers (DTM times) go unquoted. On input
 * the scanner is lenient as real clients are: a single value may come without parentheses or without quotes (an
 * unquoted patient id). A hand-written scanner rather than a regular expression, so commas and quotes inside quoted
 * strings are handled exactly. See: IHE ITI TF-2a 3.18.4.1.2.3; xds-ini digest 5.2, 10 item 6.
 */

const invalid = (param: string, detail: string): EbxmlError =>
  new EbxmlError('XDSRegistryError', `${param}: ${detail}`, { location: param });

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function skipSpaces(text: string, at: number): number {
  let i = at;
  while (isSpace(text[i])) i += 1;
  return i;
}

/** A quoted string starting at `text[at] === "'"`: its value and the index after the closing quote. */
function readQuoted(text: string, at: number, param: string): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) throw invalid(param, `unterminated quoted value in ${text}`);
    if (c === "'") {
      if (text[i + 1] !== "'") return { value, end: i + 1 };
      value += "'";
      i += 2;
    } else {
      value += c;
      i += 1;
    }
  }
}

/** The comma-separated items of a list body: quoted strings, or lenient unquoted tokens (numbers). */
function readItems(text: string, param: string): string[] {
  const items: string[] = [];
  let i = skipSpaces(text, 0);
  if (i === text.length) return items;
  for (;;) {
    if (text[i] === "'") {
      const quoted = readQuoted(text, i, param);
      items.push(quoted.value);
      i = skipSpaces(text, quoted.end);
    } else {
      const comma = text.indexOf(',', i);
      const token = text.slice(i, comma === -1 ? text.length : comma).trim();
      if (token === '') throw invalid(param, `empty value in ${text}`);
      items.push(token);
      i = comma === -1 ? text.length : comma;
    }
    if (i === text.length) return items;
    if (text[i] !== ',') throw invalid(param, `expected ',' after a value in ${text}`);
    i = skipSpaces(text, i + 1);
    if (i === text.length) throw invalid(param, `trailing ',' in ${text}`);
  }
}

/** The values of one `rim:Value`: a list `(...)`, quoted value(s), or one unquoted token taken whole. */
function readValue(raw: string, param: string): string[] {
  const text = raw.trim();
  if (text.startsWith('(')) {
    if (!text.endsWith(')')) throw invalid(param, `unbalanced parentheses in ${text}`);
    return readItems(text.slice(1, -1), param);
  }
  if (text.startsWith("'")) return readItems(text, param);
  return text === '' ? [] : [text];
}

/**
 * The values of one parameter slot: the values of each of its `rim:Value` elements, concatenated in order.
 * @throws EbxmlError `XDSRegistryError` naming the parameter when a value is malformed.
 */
export function parseQueryValues(rawValues: readonly string[], param: string): string[] {
  return rawValues.flatMap((raw) => readValue(raw, param));
}

/** A string as a quoted query value, quotes doubled. */
export function quoteValue(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Strings as one parenthesised list value. */
export function listValue(values: readonly string[]): string {
  return `(${values.map(quoteValue).join(',')})`;
}

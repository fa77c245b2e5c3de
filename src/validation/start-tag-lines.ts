/**
 * The lines of every start tag of a document, in document order: where each element begins and where its start tag
 * ends. libxml2 gives a node the line its start tag *ends* on (measured: `<a` on line 3, attributes down to line 5,
 * `line` is 5), and caps it at 65535 without XML_PARSE_BIG_LINES; a console shows an element where it begins.
 *
 * This is a lexical scan of positions, not a reading of values: in well-formed XML without a DTD (the toolkit refuses
 * DTDs) a start tag is `<` and a name start character, it holds no `<` (XML 1.0, 3.1: AttValue excludes `<`), and
 * comments, CDATA sections and processing instructions are skipped whole, so the k-th start tag found is the k-th
 * element in document order. Lines are counted on LF, as libxml2 does (a CRLF file counts the same).
 */
export interface StartTagLines {
  /** 1-based line of the `<` of the start tag. */
  readonly start: number;
  /** 1-based line of the `>` that ends the start tag (libxml2's node line). */
  readonly end: number;
  /** Offsets of the `<` and just after the `>`. */
  readonly from: number;
  readonly to: number;
}

const LF = 10;

function linesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === LF) n++;
  return n;
}

/** The start tags of `text`, or undefined when the text has a DOCTYPE or ends inside markup (not what was parsed). */
export function startTagLines(text: string): StartTagLines[] | undefined {
  const tags: StartTagLines[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    line += linesIn(text, i, lt);
    let close: number;
    if (text.startsWith('<!--', lt)) close = endOf(text, '-->', lt + 4);
    else if (text.startsWith('<![CDATA[', lt)) close = endOf(text, ']]>', lt + 9);
    else if (text.startsWith('<?', lt)) close = endOf(text, '?>', lt + 2);
    else if (text.startsWith('<!', lt)) return undefined;
    else if (text.startsWith('</', lt)) close = endOf(text, '>', lt + 2);
    else {
      close = startTagEnd(text, lt + 1);
      if (close >= 0) tags.push({ start: line, end: line + linesIn(text, lt, close), from: lt, to: close });
    }
    if (close < 0) return undefined;
    line += linesIn(text, lt, close);
    i = close;
  }
  return tags;
}

/** The index just after `terminator`, searching from `from`; -1 when absent. */
function endOf(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? -1 : at + terminator.length;
}

/** The index just after the `>` of a start tag, skipping quoted attribute values (which may hold `>`). */
function startTagEnd(text: string, from: number): number {
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return i + 1;
    }
  }
  return -1;
}

const isNameChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x3a || c === 0x5f || c > 0x7f;

/**
 * The line of the attribute `qname` (as written, `prefix:local` or `local`) inside a start tag: the name outside
 * quotes, followed by optional spaces and `=` (XML 1.0, 3.1 Attribute). Undefined when not found.
 */
export function attributeLine(text: string, tag: StartTagLines, qname: string): number | undefined {
  let quote = 0;
  let line = tag.start;
  for (let i = tag.from + 1; i < tag.to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) line++;
    if (quote !== 0) {
      if (c === quote) quote = 0;
      continue;
    }
    if (c === 0x22 || c === 0x27) {
      quote = c;
      continue;
    }
    if (isNameChar(text.charCodeAt(i - 1)) || !text.startsWith(qname, i)) continue;
    let j = i + qname.length;
    if (isNameChar(text.charCodeAt(j))) continue;
    while (/\s/.test(text.charAt(j))) j++;
    if (text.charAt(j) === '=') return line;
  }
  return undefined;
}

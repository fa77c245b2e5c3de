import { XmlElement, type XmlDocument } from 'libxml2-wasm';
import { NS, parseXml, XmlInputError } from '../xml/xml-toolkit.js';
import type { Finding } from './findings.js';
import { parseLocation, type LocationStep, type Predicate } from './location-path.js';
import { attributeLine, startTagLines, type StartTagLines } from './start-tag-lines.js';

/** A finding with the 1-based line of the CDA source its node begins on, when the location resolves to one node. */
export type LocatedFinding = Finding & { readonly line?: number };

interface TreeAttribute {
  readonly local: string;
  readonly uri: string;
  /** As written: `prefix:local` or `local`. */
  readonly qname: string;
}

interface TreeElement {
  readonly local: string;
  readonly uri: string;
  readonly attrs: readonly TreeAttribute[];
  readonly children: number[];
  /** libxml2's line: where the start tag ends. */
  readonly line: number;
}

/** libxml2 stores a line in 16 bits without XML_PARSE_BIG_LINES: 65535 means "65535 or later". */
const LINE_CAP = 65535;

/** The elements of a parsed document in document order (index 0 is the root element), with their children. */
function readTree(doc: XmlDocument): TreeElement[] {
  const elements: TreeElement[] = [];
  const visit = (el: XmlElement): number => {
    const index = elements.length;
    const attrs = el.attrs.map((a) => ({ local: a.name, uri: a.namespaceUri, qname: a.prefix ? `${a.prefix}:${a.name}` : a.name }));
    const node: TreeElement = { local: el.name, uri: el.namespaceUri, attrs, children: [], line: el.line };
    elements.push(node);
    for (let c = el.firstChild; c; c = c.next) if (c instanceof XmlElement) node.children.push(visit(c));
    return index;
  };
  visit(doc.root);
  return elements;
}

/** Element k of the tree is start tag k of the text; checked against libxml2's own lines, or nothing is trusted. */
function consistent(tree: readonly TreeElement[], tags: readonly StartTagLines[]): boolean {
  return tree.length === tags.length && tree.every((el, k) => el.line >= LINE_CAP || el.line === tags[k]?.end);
}

interface Resolver {
  readonly tree: readonly TreeElement[];
  readonly tags: readonly StartTagLines[];
  readonly text: string;
  readonly prefixes: Readonly<Record<string, string>>;
}

function nameMatches(step: LocationStep, node: { local: string; uri: string }, r: Resolver, lenient: boolean): boolean {
  if (step.local !== '*' && step.local !== node.local) return false;
  switch (step.ns.kind) {
    case 'any':
      return true;
    case 'prefix':
      return r.prefixes[step.ns.prefix] === node.uri;
    case 'uri':
      // An unqualified name means "no namespace" in XPath; the Gateway writes CDA paths unqualified. The lenient pass
      // reads them as the CDA namespace, and runs only when the strict reading found nothing.
      return node.uri === step.ns.uri || (lenient && step.unqualified && node.uri === NS.hl7);
  }
}

function applyPredicates<T extends { local: string; uri: string }>(nodes: readonly T[], predicates: readonly Predicate[]): T[] {
  let selected = [...nodes];
  for (const p of predicates) {
    if (p.kind === 'position') selected = p.n >= 1 ? selected.slice(p.n - 1, p.n) : [];
    else if (p.kind === 'namespace') selected = selected.filter((n) => n.uri === p.uri);
    else selected = selected.filter((n) => n.local === p.local);
  }
  return selected;
}

/** The line of the one node a location selects; undefined when it selects none or several. */
function walk(steps: readonly LocationStep[], r: Resolver, lenient: boolean): number | undefined {
  let current: number | undefined;
  for (const step of steps) {
    if (step.axis === 'attribute') {
      if (current === undefined) return undefined;
      const el = current;
      const attrs = applyPredicates((r.tree[el]?.attrs ?? []).filter((a) => nameMatches(step, a, r, lenient)), step.predicates);
      const [attr] = attrs;
      const tag = r.tags[el];
      return attrs.length === 1 && attr && tag ? attributeLine(r.text, tag, attr.qname) : undefined;
    }
    const candidates = current === undefined ? [0] : (r.tree[current]?.children ?? []);
    const named = candidates.map((i) => ({ i, ...(r.tree[i] as TreeElement) })).filter((n) => nameMatches(step, n, r, lenient));
    const selected = applyPredicates(named, step.predicates);
    if (selected.length !== 1) return undefined;
    current = selected[0]?.i;
  }
  return current === undefined ? undefined : r.tags[current]?.start;
}

function lineOfLocation(location: string, r: Resolver): number | undefined {
  const steps = parseLocation(location);
  if (!steps) return undefined;
  return walk(steps, r, false) ?? (steps.some((s) => s.unqualified) ? walk(steps, r, true) : undefined);
}

/**
 * The line a stage wrote into its message: the XSD stage's `ERROR: <line>,<col> ...` (libxml2's error line, which
 * is not capped) and the parser's `... (line N, column M)`. See: xsd-validator.ts toFinding, xml-toolkit.ts parseXml.
 */
function reportedLine(finding: Finding): number | undefined {
  const match = finding.id === 'XSD' ? /^(?:ERROR|WARNING|FATAL): (\d+),\d+ /.exec(finding.message)
    : finding.id === 'XML' ? /\(line (\d+), column \d+\)$/.exec(finding.message) : null;
  const line = match ? Number(match[1]) : 0;
  return line >= 1 ? line : undefined;
}

/** Parses once and reads the tree and the start tags; undefined when the text is not a CDA the toolkit accepts. */
function resolverOf(cdaXml: string): Resolver | undefined {
  let doc: XmlDocument;
  try {
    doc = parseXml(cdaXml, 'cda.xml');
  } catch (err) {
    if (err instanceof XmlInputError) return undefined;
    throw err;
  }
  try {
    const tree = readTree(doc);
    const tags = startTagLines(cdaXml);
    if (!tags || !consistent(tree, tags)) return undefined;
    return { tree, tags, text: cdaXml, prefixes: { ...doc.root.namespaces, ...NS } };
  } finally {
    doc.dispose();
  }
}

/**
 * Gives each finding the 1-based line of `cdaXml` its node begins on: the element's start tag, or the line of the
 * attribute inside it. XSD and parse findings keep the line their stage reported. A location that does not resolve to
 * exactly one node gives no line, never a guessed one. The document is parsed once (DTDs refused, as everywhere).
 */
export function locateFindings(cdaXml: string, findings: readonly Finding[]): LocatedFinding[] {
  let resolver: Resolver | undefined | null = null;
  return findings.map((finding) => {
    const reported = reportedLine(finding);
    if (reported !== undefined) return { ...finding, line: reported };
    if (finding.location === undefined) return finding;
    if (resolver === null) resolver = resolverOf(cdaXml);
    const line = resolver ? lineOfLocation(finding.location, resolver) : undefined;
    return line === undefined ? finding : { ...finding, line };
  });
}

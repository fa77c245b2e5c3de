/**
 * The absolute location paths the validation stages report, read into steps so they can be walked on a parsed CDA.
 * Only the forms the engines produce are understood; anything else is `undefined`, so a caller never guesses:
 * - `fn:path()` as saxon-js and the native engine write it (XPath 3.1, 14.5.1):
 *   `/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}id[2]/@root`, `Q{}` for no namespace;
 * - the ISO schematron skeleton's paths: `/*:ClinicalDocument[namespace-uri()='urn:hl7-org:v3'][1]/@code`;
 * - the terminology stage's prefixed paths: `/hl7:ClinicalDocument[1]/hl7:code[1]`, and
 *   `*[local-name()='x' and namespace-uri()='y'][1]` for namespaces without a prefix;
 * - libxml2's `xmlGetNodePath` (the XSD stage): `/*` + `[n]` for elements of a default namespace;
 * - the Gateway's plain `/ClinicalDocument/templateId[1]`.
 */

/** Which namespace a name test accepts: any (`*:x`, `*`), none (`Q{}x`, plain `x`) or one URI. */
export type NamespaceTest = { readonly kind: 'any' } | { readonly kind: 'uri'; readonly uri: string } | { readonly kind: 'prefix'; readonly prefix: string };

/** A filter on the nodes a step selects, applied in order as XPath predicates are (XPath 1.0, 2.4). */
export type Predicate =
  | { readonly kind: 'position'; readonly n: number }
  | { readonly kind: 'namespace'; readonly uri: string }
  | { readonly kind: 'local'; readonly local: string };

export interface LocationStep {
  readonly axis: 'child' | 'attribute';
  /** Local name, or `*` for any. */
  readonly local: string;
  readonly ns: NamespaceTest;
  /** True when the name was written without prefix nor `Q{}` (XPath: no namespace; the Gateway: the CDA's). */
  readonly unqualified: boolean;
  readonly predicates: readonly Predicate[];
}

/** Splits an absolute path at the `/` outside `{...}`, `[...]` and quotes; undefined for `//` or a relative path. */
function splitSteps(path: string): string[] | undefined {
  if (!path.startsWith('/') || path.length < 2) return undefined;
  const steps: string[] = [];
  let current = '';
  let depth = 0;
  let brace = false;
  let quote: string | undefined;
  for (const ch of path.slice(1)) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (brace) {
      if (ch === '}') brace = false;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '{') {
      brace = true;
    } else if (ch === '[') {
      depth++;
    } else if (ch === ']') {
      depth--;
    } else if (ch === '/' && depth === 0) {
      steps.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  steps.push(current);
  return quote === undefined && !brace && depth === 0 && steps.every((s) => s !== '') ? steps : undefined;
}

const NCNAME = '[A-Za-z_][\\w.\\-]*';
const NAME_TEST = new RegExp(`^(?:Q\\{([^}]*)\\}(${NCNAME})|\\*:(${NCNAME})|(${NCNAME}):(${NCNAME})|(${NCNAME})|(\\*))`);
const STRING = `(?:'([^']*)'|"([^"]*)")`;
const NAMESPACE_PREDICATE = new RegExp(`^namespace-uri\\(\\)\\s*=\\s*${STRING}$`);
const LOCAL_PREDICATE = new RegExp(`^local-name\\(\\)\\s*=\\s*${STRING}$`);

/** One predicate body; `a and b` of the two understood tests becomes two predicates (same nodes, same positions). */
function readPredicate(body: string): Predicate[] | undefined {
  const text = body.trim();
  if (/^\d+$/.test(text)) return [{ kind: 'position', n: Number(text) }];
  const ns = NAMESPACE_PREDICATE.exec(text);
  if (ns) return [{ kind: 'namespace', uri: ns[1] ?? ns[2] ?? '' }];
  const local = LOCAL_PREDICATE.exec(text);
  if (local) return [{ kind: 'local', local: local[1] ?? local[2] ?? '' }];
  const and = text.split(/\s+and\s+/);
  if (and.length !== 2) return undefined;
  const parts = and.map(readPredicate);
  if (parts.some((p) => p === undefined || p.length !== 1 || p[0]?.kind === 'position')) return undefined;
  return parts.flatMap((p) => p ?? []);
}

/** Reads the `[...]` groups after a name test; undefined if anything else follows it. */
function readPredicates(rest: string): Predicate[] | undefined {
  const predicates: Predicate[] = [];
  let i = 0;
  while (i < rest.length) {
    if (rest[i] !== '[') return undefined;
    let quote: string | undefined;
    let j = i + 1;
    for (; j < rest.length; j++) {
      const ch = rest[j];
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === ']') break;
    }
    if (j >= rest.length) return undefined;
    const read = readPredicate(rest.slice(i + 1, j));
    if (!read) return undefined;
    predicates.push(...read);
    i = j + 1;
  }
  return predicates;
}

function readStep(text: string): LocationStep | undefined {
  const axis = text.startsWith('@') ? 'attribute' : 'child';
  const body = axis === 'attribute' ? text.slice(1) : text;
  const m = NAME_TEST.exec(body);
  if (!m) return undefined;
  const predicates = readPredicates(body.slice(m[0].length));
  if (!predicates) return undefined;
  const [, qUri, qLocal, anyNsLocal, prefix, prefixedLocal, plain, star] = m;
  let step: Omit<LocationStep, 'predicates' | 'axis'>;
  if (qLocal !== undefined) step = { local: qLocal, ns: { kind: 'uri', uri: qUri ?? '' }, unqualified: false };
  else if (anyNsLocal !== undefined) step = { local: anyNsLocal, ns: { kind: 'any' }, unqualified: false };
  else if (prefixedLocal !== undefined && prefix !== undefined) step = { local: prefixedLocal, ns: { kind: 'prefix', prefix }, unqualified: false };
  else if (plain !== undefined) step = { local: plain, ns: { kind: 'uri', uri: '' }, unqualified: true };
  else if (star !== undefined) step = { local: '*', ns: { kind: 'any' }, unqualified: false };
  else return undefined;
  return { ...step, axis, predicates };
}

/**
 * Reads an absolute location into steps; undefined for any form outside the list above (relative paths, `//`,
 * `text()`, other functions or predicates). Attribute steps may only come last.
 */
export function parseLocation(location: string): LocationStep[] | undefined {
  const texts = splitSteps(location.trim());
  if (!texts) return undefined;
  const steps: LocationStep[] = [];
  for (const [i, text] of texts.entries()) {
    const step = readStep(text);
    if (!step || (step.axis === 'attribute' && i !== texts.length - 1)) return undefined;
    steps.push(step);
  }
  return steps;
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { XmlDocument } from 'libxml2-wasm';
import { NS } from '../xml/xml-toolkit.js';
import type { Finding } from './findings.js';
import { docTree, ELEMENT, type DocTree } from './schematron/native/doc-tree.js';

/**
 * Terminology stage of the Gateway's validator (VOCABULARY_ERROR). See: Gateway API digest, 7.1 (step 3) and 7.4.
 *
 * Policy on code systems the loaded terminology does not contain: they are **skipped**, as the Gateway does ("not
 * managed by the GTW are ignored, only logged", 7.4 step 3). A code is therefore only checked when its code system has
 * a `<oid>.csv` file; with the project's fallback set (`mappings/terminology/`) that means the HL7 v3 systems used by
 * the header rules, with the official catalog the Gateway's managed systems. See: docs/terminology-policy.md.
 */
export interface Terminology {
  /** Code system OID -> version (`''` for an unversioned dictionary) -> codes. */
  readonly codeSystems: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
  /** Code system OID -> the version assumed when a document gives no `codeSystemVersion`. */
  readonly highestVersion: ReadonlyMap<string, string>;
}

/**
 * Loads every `<oid>.csv` of `dir` (columns `version,code,description,release_date`; `version` may be empty).
 * Done once per thread at boot: the maps answer each lookup in constant time. Rows are read as arrays, not objects
 * keyed by the header: half the parse time of the official 46,000 rows (measured, 292 -> 150 ms warm), which every
 * worker pays at start.
 */
export function loadTerminology(dir: string): Terminology {
  const codeSystems = new Map<string, Map<string, Set<string>>>();
  const highestVersion = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const oid = file.slice(0, -'.csv'.length);
    const [header = [], ...rows] = parse(readFileSync(path.join(dir, file), 'utf8'), {
      bom: true, skip_empty_lines: true, trim: true,
    }) as string[][];
    const at = { version: header.indexOf('version'), code: header.indexOf('code'), releaseDate: header.indexOf('release_date') };
    if (at.version < 0 || at.code < 0) throw new Error(`${file}: missing version/code column`);
    const versions = new Map<string, Set<string>>();
    const released = new Map<string, string>();
    for (const row of rows) {
      const version = row[at.version] as string;
      let codes = versions.get(version);
      if (!codes) versions.set(version, (codes = new Set()));
      codes.add(row[at.code] as string);
      const date = row[at.releaseDate] ?? '';
      if (date > (released.get(version) ?? '')) released.set(version, date);
    }
    if (versions.size === 0) continue;
    codeSystems.set(oid, versions);
    highestVersion.set(oid, pickHighest([...versions.keys()], released));
  }
  return { codeSystems, highestVersion };
}

/**
 * The Gateway takes the version with the latest release date, falling back to the last one; we fall back to a
 * numeric-aware version order, which is deterministic for CSV files.
 */
function pickHighest(versions: string[], released: ReadonlyMap<string, string>): string {
  const numeric = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  const sorted = versions.sort((a, b) => (released.get(a) ?? '').localeCompare(released.get(b) ?? '') || numeric(a, b));
  return sorted.at(-1) ?? '';
}

/**
 * Observations whose `value/@codeSystem` the Gateway rewrites before checking, because producers send LOINC there but
 * the codes belong to an ArtDecor value set or a LOINC answer list. Order matters: a later rewrite wins, as in the
 * Gateway's enum. The target OIDs are the Gateway's (`CodeSystemChangeEnum` of it-fse-gtw-validator); they are also the
 * names of the catalog's terminology files. See: Gateway API digest, 7.4.
 */
const ANSWER_LIST_REWRITES: readonly (readonly [loincCode: string, codeSystem: string])[] = [
  ['89261-2', '2.16.840.1.113883.2.9.10.1.4.3.4.5'], // Cronicità del problema (ArtDecor)
  ['33999-4', '2.16.840.1.113883.2.9.77.22.11.7'], // Stato clinico del problema (ArtDecor)
  ['75246-9', '2.16.840.1.113883.2.9.77.22.11.15'], // Capacità motoria (ArtDecor)
  ['72166-2', '1.3.6.1.4.1.12009.10.1.1356'], // Fumo (LOINC answer list)
  ['74204-9', '1.3.6.1.4.1.12009.10.1.1694'], // Uso di droghe (LOINC answer list)
  ['45404-1', '1.3.6.1.4.1.12009.10.1.3342'], // Stato civile (LOINC answer list)
];
const REWRITE_RANK = new Map(ANSWER_LIST_REWRITES.map(([code, system], rank) => [code, { system, rank }]));

/** Code systems never checked. See: Gateway API digest, 7.4 step 1. */
const ALLOW_LIST: ReadonlySet<string> = new Set([
  '2.16.840.1.113883.2.9.1.11.1.2.10',
  '2.16.840.1.113883.2.9.1.11.1.2.11',
  '2.16.840.1.113883.2.9.1.11.1.2.13',
]);

/** A dot-segment equal to one of these marks a placeholder OID. See: Gateway API digest, 7.4 step 2. */
const BLOCKED_SEGMENTS: ReadonlySet<string> = new Set(['999', '9999']);

interface CodedElement {
  /** The element, as a node of the document's tree (doc-tree.ts). */
  readonly element: number;
  readonly code: string;
  readonly codeSystem: string;
  /** As written in the document; `undefined` when absent or empty (the Gateway treats both as missing). */
  readonly version: string | undefined;
}

/**
 * Checks every element carrying a `codeSystem` against the terminology, in the Gateway's order, and stops at the first
 * failing step as the Gateway does: blocklisted code systems, then unmanaged versions, then unknown codes. Returns at
 * most one `VOCAB` error whose message is the Gateway's, verbatim; its location is the XPath (prefix `hl7` =
 * `urn:hl7-org:v3`) of the first offending element. The document is not modified.
 */
export function checkTerminology(doc: XmlDocument, terminology: Terminology): Finding[] {
  const tree = docTree(doc);
  const coded = collectCodedElements(tree).filter((c) => !ALLOW_LIST.has(c.codeSystem));

  const blocked = coded.filter((c) => c.codeSystem.split('.').some((s) => BLOCKED_SEGMENTS.has(s)));
  if (blocked.length > 0) {
    const systems = distinct(blocked.map((c) => c.codeSystem));
    return [vocabError(tree, `È stato trovato almeno un dizionario presente in Blocklist: [${systems.join(', ')}]`, blocked)];
  }

  // Unmanaged code systems are skipped (Gateway: only logged). See: Gateway API digest, 7.4 step 3.
  const managed = coded
    .filter((c) => terminology.codeSystems.has(c.codeSystem))
    .map((c) => ({ ...c, version: c.version ?? terminology.highestVersion.get(c.codeSystem) ?? '' }));

  const badVersions = managed.filter((c) => !terminology.codeSystems.get(c.codeSystem)?.has(c.version));
  if (badVersions.length > 0) {
    const labels = distinct(badVersions.map((c) => systemLabel(c.codeSystem, c.version)));
    return [vocabError(tree, `È stata trovata almeno una versione non gestita di un dizionario: [${labels.join(', ')}]`, badVersions)];
  }

  const unknown = managed.filter((c) => !terminology.codeSystems.get(c.codeSystem)?.get(c.version)?.has(c.code));
  if (unknown.length === 0) return [];
  // Grouped per code system and version, groups in document order. See: Gateway API digest, 7.4 step 6.
  const groups = new Map<string, string[]>();
  for (const c of unknown) {
    const label = systemLabel(c.codeSystem, c.version);
    const codes = groups.get(label) ?? [];
    // The Gateway prints a missing @code as `null` (Java string conversion); we keep its text.
    const code = c.code === '' ? 'null' : c.code;
    if (!codes.includes(code)) codes.push(code);
    groups.set(label, codes);
  }
  const parts = [...groups].map(([label, codes]) => `[CodeSystem: ${label}, Codes: ${codes.join(', ')}]`);
  return [vocabError(tree, `Almeno uno dei seguenti vocaboli non è censito: ${parts.join(', ')}`, unknown)];
}

/** The value of an element's attribute without namespace, undefined when absent. */
function attr(tree: DocTree, el: number, name: string): string | undefined {
  for (let a = tree.firstAttr[el] as number; a >= 0; a = tree.nextSibling[a] as number) {
    if (tree.localName(a) === name && tree.namespaceUri(a) === '') return tree.stringValue(a);
  }
  return undefined;
}

const isHl7 = (tree: DocTree, el: number, local: string): boolean => tree.localName(el) === local && tree.namespaceUri(el) === NS.hl7;

/**
 * The coded elements in document order: every element with a `codeSystem` attribute, and every `hl7:value` inside an
 * observation the Gateway rewrites (the XPath `//*[@codeSystem] | //hl7:observation[hl7:code[@code=...]]//hl7:value`).
 * Read from the tree the schematron stage built for the same document: no libxml2 call and no node wrapper per element
 * (measured on RAP: wrappers were 70 % of a 1.1 ms stage).
 */
function collectCodedElements(tree: DocTree): CodedElement[] {
  const out: CodedElement[] = [];
  for (let el = 1; el < tree.count; el++) {
    if (tree.kind[el] !== ELEMENT) continue;
    const declared = attr(tree, el, 'codeSystem');
    const rewritten = isHl7(tree, el, 'value') ? rewrittenSystem(tree, el) : undefined;
    if (declared === undefined && rewritten === undefined) continue;
    const version = attr(tree, el, 'codeSystemVersion');
    out.push({ element: el, code: attr(tree, el, 'code') ?? '', codeSystem: rewritten ?? declared ?? '', version: version || undefined });
  }
  return out;
}

/** The rewritten code system of an `hl7:value`, from the highest-ranked rewrite among its ancestor observations. */
function rewrittenSystem(tree: DocTree, value: number): string | undefined {
  let best: { system: string; rank: number } | undefined;
  for (let obs = tree.parent[value] as number; obs > 0; obs = tree.parent[obs] as number) {
    if (tree.kind[obs] !== ELEMENT || !isHl7(tree, obs, 'observation')) continue;
    for (let child = tree.firstChild[obs] as number; child >= 0; child = tree.nextSibling[child] as number) {
      if (tree.kind[child] !== ELEMENT || !isHl7(tree, child, 'code')) continue;
      const rewrite = REWRITE_RANK.get(attr(tree, child, 'code') ?? '');
      if (rewrite && (!best || rewrite.rank > best.rank)) best = rewrite;
    }
  }
  return best?.system;
}

/** The Gateway prints `<oid> v<version>`, or the bare OID for an unversioned dictionary. */
function systemLabel(codeSystem: string, version: string): string {
  return version === '' ? codeSystem : `${codeSystem} v${version}`;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function vocabError(tree: DocTree, message: string, offending: readonly CodedElement[]): Finding {
  const first = offending[0];
  const finding: Finding = { id: 'VOCAB', severity: 'error', message };
  return first ? { ...finding, location: xpathOf(tree, first.element) } : finding;
}

const PREFIX_BY_NS = new Map<string, string>(Object.entries(NS).map(([prefix, uri]) => [uri, prefix]));

/** An absolute XPath with positional steps, built from the ancestry (prefixes as in the toolkit's `NS`). */
function xpathOf(tree: DocTree, element: number): string {
  const steps: string[] = [];
  for (let el = element; el > 0 && tree.kind[el] === ELEMENT; el = tree.parent[el] as number) {
    const local = tree.localName(el);
    const uri = tree.namespaceUri(el);
    const prefix = PREFIX_BY_NS.get(uri);
    const name = uri === '' ? local : prefix ? `${prefix}:${local}` : `*[local-name()='${local}' and namespace-uri()='${uri}']`;
    steps.push(`${name}[${tree.position(el)}]`);
  }
  return `/${steps.reverse().join('/')}`;
}

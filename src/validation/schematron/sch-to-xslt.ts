import { XmlElement, XmlText, XmlCData, type XmlTreeNode } from 'libxml2-wasm';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { FseError } from '../../errors/fse-error.js';
import { withXml } from '../../xml/xml-toolkit.js';

/**
 * A project-owned ISO Schematron -> XSLT 3.0 translator. No Schematron compiler is available from npm (the SchXslt and
 * skeleton implementations are XSLT meant for a JVM Saxon; `node-schematron` cannot evaluate the official files), and
 * the official catalog uses a small subset: schema, ns, title, pattern, rule, let, assert, report, name, value-of, and
 * xsl:for-each / xsl:value-of inside element-content lets. See: performance notes, "Schematron".
 *
 * The generated stylesheet is shaped for speed on saxon-js (the perf notes measured ~2x from shape alone): no
 * fired-rule or SVRL metadata, no next-match chains. Each pattern is one mode; every element (and every attribute, only
 * when some rule context can match one) is pushed once through each mode; each rule is a template whose priority makes
 * the first rule of the pattern win, which is the Schematron rule (ISO/IEC 19757-3, 6.5: a node is a context for at
 * most one rule per pattern). Modes use on-no-match="deep-skip" and rule templates never recurse.
 *
 * Output: one JSON array of `{kind, location, message[, id, role, flag]}` objects, read by the schematron runner.
 */

/** Bump whenever the generated XSLT changes shape: it is part of the SEF cache key. */
export const TRANSLATOR_VERSION = '2';

const SCH_NS = 'http://purl.oclc.org/dsdl/schematron';
const XSL_NS = 'http://www.w3.org/1999/XSL/Transform';
const XS_NS = 'http://www.w3.org/2001/XMLSchema';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Message or let content: literal text, sch:value-of, sch:name, or an XSLT instruction copied as is. */
export type Content =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value-of'; readonly select: string }
  | { readonly kind: 'name'; readonly path?: string }
  | { readonly kind: 'xsl'; readonly local: string; readonly attrs: Readonly<Record<string, string>>; readonly children: readonly Content[] };

export interface Let { readonly kind: 'let'; readonly name: string; readonly value?: string; readonly content: readonly Content[] }
export interface Check {
  readonly kind: 'assert' | 'report';
  readonly test: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly message: readonly Content[];
}
export interface Rule { readonly context: string; readonly items: readonly (Let | Check)[] }
export interface Pattern { readonly lets: readonly Let[]; readonly rules: readonly Rule[] }
export interface Schema { readonly namespaces: Readonly<Record<string, string>>; readonly lets: readonly Let[]; readonly patterns: readonly Pattern[] }

/** Schematron features whose semantics this translator does not implement: refusing beats silently mis-validating. */
const UNSUPPORTED = new Set(['include', 'extends', 'phase']);

function invalid(reason: string): FseError {
  return new FseError('validator', `Invalid schematron: ${reason}`);
}

function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = el.firstChild; n; n = n.next) if (n instanceof XmlElement) out.push(n);
  return out;
}

function required(el: XmlElement, name: string): string {
  const value = el.attr(name)?.value;
  if (value === undefined || value.trim() === '') throw invalid(`<${el.name}> without @${name} (line ${el.line})`);
  return value;
}

function readContent(el: XmlElement): Content[] {
  const out: Content[] = [];
  for (let n: XmlTreeNode | null = el.firstChild; n; n = n.next) {
    if (n instanceof XmlText || n instanceof XmlCData) out.push({ kind: 'text', text: n.content });
    else if (!(n instanceof XmlElement)) continue;
    else if (n.namespaceUri === SCH_NS && n.name === 'value-of') out.push({ kind: 'value-of', select: required(n, 'select') });
    else if (n.namespaceUri === SCH_NS && n.name === 'name') {
      const path = n.attr('path')?.value;
      out.push(path === undefined ? { kind: 'name' } : { kind: 'name', path });
    } else if (n.namespaceUri === XSL_NS) {
      const attrs = Object.fromEntries(n.attrs.filter((a) => a.namespaceUri === '').map((a) => [a.name, a.value]));
      out.push({ kind: 'xsl', local: n.name, attrs, children: readContent(n) });
    } else {
      // Rich-text markup in messages (sch:emph, sch:dir, foreign elements) only carries text for a plain-text finding.
      out.push(...readContent(n));
    }
  }
  return out;
}

function readLet(el: XmlElement): Let {
  const value = el.attr('value')?.value;
  const base = { kind: 'let' as const, name: required(el, 'name'), content: readContent(el) };
  return value === undefined ? base : { ...base, value };
}

function readRule(el: XmlElement): Rule {
  if (el.attr('abstract')?.value === 'true') throw invalid(`abstract rules are not supported (line ${el.line})`);
  const items: (Let | Check)[] = [];
  for (const child of childElements(el)) {
    if (child.namespaceUri !== SCH_NS) continue;
    if (child.name === 'let') items.push(readLet(child));
    else if (child.name === 'assert' || child.name === 'report') {
      const meta: Record<string, string> = {};
      for (const key of ['id', 'role', 'flag']) {
        const value = child.attr(key)?.value;
        if (value !== undefined) meta[key] = value;
      }
      items.push({ kind: child.name, test: required(child, 'test'), meta, message: readContent(child) });
    } else if (UNSUPPORTED.has(child.name)) throw invalid(`<${child.name}> is not supported (line ${child.line})`);
  }
  return { context: required(el, 'context'), items };
}

/** Reads an ISO Schematron schema into its model; shared with the native engine (native/native-schema.ts). */
export function readSchema(schText: string): Schema {
  return withXml(schText, (doc) => {
    const root = doc.root;
    if (root.namespaceUri !== SCH_NS || root.name !== 'schema') throw invalid('the root is not an ISO Schematron <schema>');
    // Prefixes declared on <schema> are in scope for expressions in the official files as well as those of <ns>.
    const namespaces: Record<string, string> = {};
    for (const [prefix, uri] of Object.entries(root.nsDeclarations)) if (prefix !== '') namespaces[prefix] = uri;
    const lets: Let[] = [];
    const patterns: Pattern[] = [];
    for (const el of childElements(root)) {
      if (el.namespaceUri !== SCH_NS) continue;
      if (el.name === 'ns') namespaces[required(el, 'prefix')] = required(el, 'uri');
      else if (el.name === 'let') lets.push(readLet(el));
      else if (el.name === 'pattern') {
        if (el.attr('abstract')?.value === 'true' || el.attr('is-a')) throw invalid(`abstract patterns are not supported (line ${el.line})`);
        const children = childElements(el).filter((c) => c.namespaceUri === SCH_NS);
        const bad = children.find((c) => UNSUPPORTED.has(c.name));
        if (bad) throw invalid(`<${bad.name}> is not supported (line ${bad.line})`);
        patterns.push({
          lets: children.filter((c) => c.name === 'let').map(readLet),
          rules: children.filter((c) => c.name === 'rule').map(readRule),
        });
      } else if (UNSUPPORTED.has(el.name)) throw invalid(`<${el.name}> is not supported (line ${el.line})`);
    }
    if (patterns.length === 0) throw invalid('no <pattern>');
    return { namespaces, lets, patterns };
  });
}

/** An XPath string literal (XPath 2.0 escapes a quote by doubling it). */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function xsl(parent: XMLBuilder, local: string, attrs: Record<string, string> = {}): XMLBuilder {
  return parent.ele(XSL_NS, `xsl:${local}`, attrs);
}

/**
 * In messages, xsl:text keeps whitespace-only runs between <name/> and <value-of/>, which XSLT would otherwise strip;
 * inside element-content lets such runs are layout and are dropped, as XSLT itself would.
 */
function emitContent(parent: XMLBuilder, content: readonly Content[], inMessage: boolean): void {
  for (const c of content) {
    switch (c.kind) {
      case 'text': if (inMessage ? c.text !== '' : c.text.trim() !== '') xsl(parent, 'text').txt(c.text); break;
      case 'value-of': xsl(parent, 'value-of', { select: c.select }); break;
      case 'name': xsl(parent, 'value-of', { select: `name(${c.path ?? ''})` }); break;
      case 'xsl': emitContent(xsl(parent, c.local, { ...c.attrs }), c.children, inMessage); break;
    }
  }
}

function emitLet(parent: XMLBuilder, item: Let): void {
  if (item.value !== undefined) xsl(parent, 'variable', { name: item.name, select: item.value });
  else emitContent(xsl(parent, 'variable', { name: item.name }), item.content, false);
}

function emitCheck(parent: XMLBuilder, check: Check): void {
  const test = check.kind === 'assert' ? `not(${check.test})` : check.test;
  const fire = xsl(parent, 'if', { test });
  // The message is a string built by xsl:value-of with a sequence constructor (zero-length separator), like SVRL text.
  emitContent(xsl(xsl(fire, 'variable', { name: 'sch-message', as: 'xs:string' }), 'value-of'), check.message, true);
  const entries = [`'kind':${literal(check.kind)}`, `'location':path()`, `'message':$sch-message`];
  for (const [key, value] of Object.entries(check.meta)) entries.push(`${literal(key)}:${literal(value)}`);
  xsl(fire, 'sequence', { select: `map{${entries.join(',')}}` });
}

/**
 * True when a rule context may select attributes: an `@` or `attribute::` outside predicates. Scanning the
 * expression text for brackets is enough here, since the question is only whether to also push attributes.
 */
export function matchesAttributes(context: string): boolean {
  let depth = 0;
  let outside = '';
  let quote = '';
  for (const ch of context) {
    if (quote) { if (ch === quote) quote = ''; continue; }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (depth === 0) outside += ch;
  }
  return outside.includes('@') || outside.includes('attribute::');
}

/**
 * The nodes a pattern's mode must visit. When every rule context is an absolute path, the union of those paths,
 * read as expressions, selects exactly the nodes the rules can match, so small rule sets (the regional rules) do not
 * walk the whole document; otherwise every element (and attribute) is pushed once.
 */
function nodesFor(contexts: readonly string[]): string {
  const absolute = contexts.length > 0 && contexts.every((c) => c.startsWith('/') && c !== '/');
  return absolute ? contexts.map((c) => `(${c})`).join(' | ') : '$sch-nodes';
}

/**
 * Translates an ISO Schematron schema (queryBinding xslt2/xslt3) into an XSLT 3.0 stylesheet whose output, serialised as
 * JSON, is the array of fired asserts and reports. Throws {@link FseError} (`Invalid schematron`) on unsupported input.
 */
export function schematronToXslt(schText: string): string {
  const schema = readSchema(schText);
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const sheet = doc.ele(XSL_NS, 'xsl:stylesheet', { version: '3.0', 'exclude-result-prefixes': '#all' });
  sheet.att(XMLNS_NS, 'xmlns:xs', XS_NS);
  for (const [prefix, uri] of Object.entries(schema.namespaces)) {
    if (prefix !== 'xsl' && prefix !== 'xs' && prefix !== 'xml') sheet.att(XMLNS_NS, `xmlns:${prefix}`, uri);
  }
  xsl(sheet, 'output', { method: 'json', indent: 'no' });
  // Schema- and pattern-level lets are global, evaluated with the document as context, as in the ISO skeleton.
  for (const item of [...schema.lets, ...schema.patterns.flatMap((p) => p.lets)]) emitLet(sheet, item);

  const contexts = schema.patterns.flatMap((p) => p.rules.map((r) => r.context.trim()));
  const withAttributes = contexts.some(matchesAttributes);
  const withDocument = contexts.some((c) => c === '/');

  const main = xsl(sheet, 'template', { match: '/' });
  xsl(main, 'variable', { name: 'sch-nodes', select: withAttributes ? '//*, //@*' : '//*' });
  const all = xsl(main, 'variable', { name: 'sch-findings', as: 'map(*)*' });
  schema.patterns.forEach((pattern, p) => {
    const mode = `sch-p${p}`;
    xsl(sheet, 'mode', { name: mode, 'on-no-match': 'deep-skip' });
    if (withDocument) xsl(all, 'apply-templates', { select: '.', mode });
    xsl(all, 'apply-templates', { select: nodesFor(pattern.rules.map((r) => r.context.trim())), mode });
    const count = pattern.rules.length;
    pattern.rules.forEach((rule, r) => {
      // Earlier rules get higher priorities, so the first matching rule of the pattern is the one that fires.
      const template = xsl(sheet, 'template', { match: rule.context, mode, priority: String(count - r) });
      for (const item of rule.items) {
        if (item.kind === 'let') emitLet(template, item);
        else emitCheck(template, item);
      }
    });
  });
  xsl(main, 'sequence', { select: 'array{$sch-findings}' });
  return doc.end({ prettyPrint: false });
}

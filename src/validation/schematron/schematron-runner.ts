import { readFileSync } from 'node:fs';
import SaxonJS from 'saxon-js';
import type { Finding } from '../findings.js';
import { findingOf, type FiredCheck } from './finding-of.js';

/**
 * A compiled schematron ready to run: the parsed SEF object. It is kept and passed as `stylesheetInternal` because
 * passing `stylesheetFileName` makes SaxonJS re-process the SEF on every call and doubles the run time.
 * See: performance notes, "Schematron".
 */
export interface LoadedSef {
  readonly sefPath: string;
  readonly stylesheetInternal: unknown;
}

/** A document parsed once by SaxonJS and shared by every schematron run on it. */
export interface SchematronSource {
  readonly node: unknown;
}

/**
 * Parses a CDA once for several schematron runs (type rules, common rules, regional rules): parsing is about a third
 * of a run's cost. `parse-xml` is SaxonJS's synchronous parser; the caller has already refused DTDs.
 */
export function parseForSchematron(xmlText: string): SchematronSource {
  return { node: SaxonJS.XPath.evaluate('parse-xml($x)', null, { params: { x: xmlText } }) };
}

/** Reads a SEF written by the compiler. Call once per thread: SaxonJS state is not shared between workers. */
export function loadSef(sefPath: string): LoadedSef {
  return { sefPath, stylesheetInternal: JSON.parse(readFileSync(sefPath, 'utf8')) as unknown };
}

/**
 * Runs one compiled schematron on a CDA, synchronously: a pure function of its inputs, safe in a worker thread.
 * Messages come back with whitespace normalised, as `normalize-space()` would. Throws (SaxonJS error) if the document
 * is not well-formed or a rule raises a dynamic XPath error: the caller decides how to report that.
 */
export function runSchematron(sef: LoadedSef, source: string | SchematronSource): Finding[] {
  const input = typeof source === 'string' ? { sourceText: source } : { sourceNode: source.node };
  const result = SaxonJS.transform(
    { stylesheetInternal: sef.stylesheetInternal, ...input, destination: 'serialized' },
    'sync',
  );
  return (JSON.parse(String(result.principalResult)) as FiredCheck[]).map(findingOf);
}

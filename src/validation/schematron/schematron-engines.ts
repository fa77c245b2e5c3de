import { readFileSync } from 'node:fs';
import type { XmlDocument } from 'libxml2-wasm';
import type { Finding } from '../findings.js';
import { NativeUnsupported } from './native/native-schema.js';
import { runNativeSchematron } from './native/native-runner.js';
import { compileNativeSchema } from './native/native-schema.js';
import { loadSef, runSchematron, type SchematronSource } from './schematron-runner.js';

/**
 * The two schematron engines behind one function per file. `saxon` runs the SEF on saxon-js (the reference); `native`
 * runs the rules compiled once to libxml2 XPath on the document the validator already parsed, and a file it cannot
 * evaluate exactly runs on saxon-js instead (decided once, at set-up: see {@link nativeFallbacks}).
 */
export type SchematronEngineName = 'native' | 'saxon';

/** The document in the forms the engines read: libxml2's tree, and saxon-js's, parsed only if some file needs it. */
export interface SchematronInput {
  readonly doc: XmlDocument;
  readonly saxon: () => SchematronSource;
}

export type SchematronRun = (input: SchematronInput) => Finding[];

/** The files the native engine refuses, with the reason: these run on saxon-js. */
export function nativeFallbacks(schPaths: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of schPaths) {
    try {
      compileNativeSchema(readFileSync(file, 'utf8'));
    } catch (err) {
      if (!(err instanceof NativeUnsupported)) throw err;
      out[file] = err.message;
    }
  }
  return out;
}

/** The run function of one file for the chosen engine. */
export function schematronRun(engine: SchematronEngineName, schPath: string, sefPath: string, fallback: boolean): SchematronRun {
  if (engine === 'native' && !fallback) {
    const schema = compileNativeSchema(readFileSync(schPath, 'utf8'));
    return (input) => runNativeSchematron(schema, input.doc);
  }
  const sef = loadSef(sefPath);
  return (input) => runSchematron(sef, input.saxon());
}

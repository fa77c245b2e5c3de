import { readFileSync } from 'node:fs';
import type { XmlDocument } from 'libxml2-wasm';
import type { Finding } from '../findings.js';
import { runNativeSchematron } from './native/native-runner.js';
import { CompileSession, compileNativeSchema, NativeUnsupported } from './native/native-schema.js';
import type { SchematronSource } from './schematron-runner.js';

/**
 * The two schematron engines behind one function per file. `saxon` runs the SEF on saxon-js (the reference); `native`
 * runs the rules compiled once to JavaScript closures on the document the validator already parsed, and a file it cannot
 * evaluate exactly runs on saxon-js instead (decided once, at set-up: see {@link nativeFallbacks}).
 */
export type SchematronEngineName = 'native' | 'saxon';

/** The document in the forms the engines read: libxml2's tree, and saxon-js's, parsed only if some file needs it. */
export interface SchematronInput {
  readonly doc: XmlDocument;
  readonly saxon: () => SchematronSource;
}

export type SchematronRun = (input: SchematronInput) => Finding[];

/** What a thread needs to run schematron: which files, on which engine, and the SEF of each file run on saxon-js. */
export interface SchematronSetup {
  /** Every schematron file the engine can run. */
  readonly files: readonly string[];
  /** Schematron path -> compiled SEF path, for the files that run on saxon-js only. */
  readonly sefByFile: Readonly<Partial<Record<string, string>>>;
  /** The schematron engine (`FSE_SCHEMATRON_ENGINE`); saxon-js when absent. */
  readonly schematronEngine?: SchematronEngineName;
  /** Files the native engine cannot evaluate exactly (path -> reason): they run on saxon-js. */
  readonly nativeFallbacks?: Readonly<Record<string, string>>;
}

/** The files the native engine refuses, with the reason: these run on saxon-js. */
export function nativeFallbacks(schPaths: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of schPaths) {
    try {
      // A session per file: the compiled rules are only a test here, so nothing is worth keeping between files, and
      // the main thread's peak heap stays that of the largest file.
      compileNativeSchema(readFileSync(file, 'utf8'));
    } catch (err) {
      if (!(err instanceof NativeUnsupported)) throw err;
      out[file] = err.message;
    }
  }
  return out;
}

/** The files of a set-up that run on saxon-js: all of them under `saxon`, the native engine's fallbacks otherwise. */
export function saxonFiles(engine: SchematronEngineName, files: readonly string[], fallbacks: Readonly<Record<string, string>>): string[] {
  return engine === 'saxon' ? [...files] : files.filter((f) => fallbacks[f] !== undefined);
}

/** The run function of every file of a set-up, and the input they share per document. */
export interface SchematronRuns {
  run(file: string): SchematronRun;
  /** The input of one document: saxon-js parses its own tree on first use, only when some file runs on it. */
  input(doc: XmlDocument, cdaText: string): SchematronInput;
  /** True when saxon-js was loaded (some file runs on it). */
  readonly usesSaxon: boolean;
}

/**
 * Builds the runs of a set-up on this thread. saxon-js and the SEFs are imported only when some file runs on saxon-js:
 * importing saxon-js alone takes a thread from 39 to 128 MB of RSS (measured, node 20), the 22 official SEFs most of
 * the rest of the 1.33 GB peak bench:validate measured with two workers (issue 12), and a deployment on the native
 * engine should not depend on saxon-js at run time (issue 12, licence).
 */
export async function loadSchematronRuns(setup: SchematronSetup): Promise<SchematronRuns> {
  const engine = setup.schematronEngine ?? 'saxon';
  const onSaxon = new Set(saxonFiles(engine, setup.files, setup.nativeFallbacks ?? {}));
  const saxon = onSaxon.size > 0 ? await import('./schematron-runner.js') : undefined;
  const runs = new Map<string, SchematronRun>();
  const session = new CompileSession();
  for (const file of setup.files) {
    if (!onSaxon.has(file)) {
      const schema = compileNativeSchema(readFileSync(file, 'utf8'), session);
      runs.set(file, (input) => runNativeSchematron(schema, input.doc));
      continue;
    }
    const sefPath = setup.sefByFile[file];
    if (!saxon || !sefPath) throw new Error(`no compiled SEF for ${file}, which runs on saxon-js`);
    const sef = saxon.loadSef(sefPath);
    runs.set(file, (input) => saxon.runSchematron(sef, input.saxon()));
  }
  return {
    run(file) {
      const run = runs.get(file);
      if (!run) throw new Error(`no compiled rules for ${file}`);
      return run;
    },
    input(doc, cdaText) {
      let source: SchematronSource | undefined;
      return {
        doc,
        saxon: () => {
          if (!saxon) throw new Error('saxon-js is not loaded: no schematron file of this set-up runs on it');
          return (source ??= saxon.parseForSchematron(cdaText));
        },
      };
    },
    usesSaxon: saxon !== undefined,
  };
}

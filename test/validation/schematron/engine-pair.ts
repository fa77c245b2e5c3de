import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../../src/validation/findings.ts';
import { runNativeSchematron } from '../../../src/validation/schematron/native/native-runner.ts';
import { CompileSession, compileNativeSchema, type NativeSchema } from '../../../src/validation/schematron/native/native-schema.ts';
import { compileAll } from '../../../src/validation/schematron/sef-compiler.ts';
import { loadSef, parseForSchematron, runSchematron, type LoadedSef } from '../../../src/validation/schematron/schematron-runner.ts';
import { NS, withXml } from '../../../src/xml/xml-toolkit.ts';
import { corpusDir, officialCatalogDir } from '../../support/shared.ts';
import { projectRoot, sharedCacheDir } from './helpers.ts';

/**
 * The two schematron engines side by side on one official file, for the parity and differential tests: saxon-js (the
 * reference, its SEF from the shared cache) and the native engine, both through their public entry points only.
 */
export interface EnginePair { readonly file: string; readonly sef: LoadedSef; readonly native: NativeSchema }

export interface DocumentType { readonly key: string; readonly templateRoot: string; readonly loinc: string[]; readonly schematronStem: string }

export const documentTypes = (JSON.parse(readFileSync(path.join(projectRoot, 'mappings', 'document-types.json'), 'utf8')) as {
  types: DocumentType[];
}).types;

/** The official schematron files, sorted by name. */
export function officialSchPaths(): string[] {
  const schDir = path.join(officialCatalogDir ?? '', 'schematron');
  return readdirSync(schDir).filter((f) => f.endsWith('.sch')).sort().map((f) => path.join(schDir, f));
}

/**
 * Compiles (or takes from the shared cache) every SEF, loads each once and compiles each file natively, all in one
 * compile session as a validation thread does, so the closures the files share are what the tests exercise.
 */
export async function loadEnginePairs(schPaths: readonly string[]): Promise<EnginePair[]> {
  const session = new CompileSession();
  return (await compileAll([...schPaths], sharedCacheDir, 2)).map((c) => ({
    file: path.basename(c.schPath), sef: loadSef(c.sefPath), native: compileNativeSchema(readFileSync(c.schPath, 'utf8'), session),
  }));
}

/** The official examples and the "ok" corpus documents, by name (`cda/LAB.xml`, `ok/LAB_CT1_OK.xml`). */
export function samples(): { name: string; text: string }[] {
  const dirs = [path.join(officialCatalogDir ?? '', 'examples', 'cda'), path.join(corpusDir ?? '', 'ok')];
  return dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()
    .map((f) => ({ name: path.join(path.basename(dir), f), text: readFileSync(path.join(dir, f), 'utf8') })));
}

/** The type of a CDA by its first templateId (See: Gateway API digest, 7.3), or undefined. */
export function typeOf(text: string): DocumentType | undefined {
  const root = withXml(text, (doc) => doc.get('/hl7:ClinicalDocument/hl7:templateId[1]/@root', { hl7: NS.hl7 })?.content);
  return documentTypes.find((t) => t.templateRoot === root);
}

/** The type whose schematron `file` is (file names start with the type's stem). */
export function typeOfFile(file: string): DocumentType | undefined {
  return documentTypes.find((t) => file.startsWith(t.schematronStem));
}

export function saxonFindings(pair: EnginePair, text: string): Finding[] {
  return runSchematron(pair.sef, parseForSchematron(text));
}

export function nativeFindings(pair: EnginePair, text: string): Finding[] {
  return withXml(text, (doc) => runNativeSchematron(pair.native, doc));
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveCatalog } from '../../src/catalog/catalog.ts';
import { PROJECT_ROOT } from '../../src/config.ts';
import { createInlineValidator, prepareEngineSetup, type CdaValidator } from '../../src/validation/validation-pool.ts';
import { corpusDir, officialCatalogDir } from './shared.ts';

/**
 * The full engine (XSD, schematron, terminology) on the official catalog, for the conformance tests. The SEF cache is
 * the server's (`var/sef-cache`), so the 22 official files compile once (minutes) and every later run loads them.
 */
let validator: Promise<CdaValidator> | undefined;

export function officialValidator(): Promise<CdaValidator> {
  if (!officialCatalogDir) throw new Error('officialValidator() needs FSE_CATALOG_DIR (guard the suite with needsCatalog)');
  const catalog = resolveCatalog(officialCatalogDir);
  validator ??= prepareEngineSetup(catalog, path.join(PROJECT_ROOT, 'var', 'sef-cache')).then(createInlineValidator);
  return validator;
}

/**
 * Where a sample name points: `examples/<file>` is the catalog's `examples/cda/`, `ok/<file>` the corpus's `ok/`.
 * The files are read at run time only and never copied into the project.
 */
const SAMPLE_FOLDERS = {
  examples: () => path.join(officialCatalogDir ?? '', 'examples', 'cda'),
  ok: () => path.join(corpusDir ?? '', 'ok'),
} as const;

/** Every official sample, as `examples/<file>` and `ok/<file>`, sorted. */
export function listSamples(): string[] {
  return Object.entries(SAMPLE_FOLDERS).flatMap(([label, dir]) =>
    readdirSync(dir()).filter((f) => f.endsWith('.xml')).sort().map((f) => `${label}/${f}`));
}

export function readSample(name: string): string {
  const [label, file] = name.split('/') as [string, string | undefined];
  const dir = SAMPLE_FOLDERS[label as keyof typeof SAMPLE_FOLDERS];
  if (!dir || !file) throw new Error(`unknown sample ${name}`);
  return readFileSync(path.join(dir(), file), 'utf8');
}

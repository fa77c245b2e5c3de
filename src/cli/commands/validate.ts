import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resolveCatalog } from '../../catalog/catalog.js';
import { loadConfig } from '../../config.js';
import { FseError } from '../../errors/fse-error.js';
import { extractCda } from '../../pdf/cda-extractor.js';
import type { Finding } from '../../validation/findings.js';
import { createInlineValidator, prepareEngineSetup } from '../../validation/validation-pool.js';
import type { CliIo } from '../io.js';

interface Line {
  file: string;
  docType: string | null;
  verdict: 'valid' | 'invalid';
  errors: Finding[];
  warnings: Finding[];
  ms: number;
}

/** `fse-bridge validate [--catalog DIR] FILE...`: one JSON line per file; exit 0 all valid, 1 any invalid, 2 usage. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { catalog: { type: 'string' } } });
  } catch (err) {
    io.stderr(`fse-bridge validate: ${(err as Error).message}`);
    return 2;
  }
  const files = parsed.positionals;
  if (files.length === 0) {
    io.stderr('usage: fse-bridge validate [--catalog DIR] FILE...');
    return 2;
  }
  const config = loadConfig();
  const catalog = resolveCatalog(parsed.values.catalog ?? config.catalogDir);
  const validator = createInlineValidator(await prepareEngineSetup(catalog, config.sefCacheDir, undefined, config.schematronEngine));
  let invalid = 0;
  try {
    for (const file of files) {
      const line = await validateFile(file, validator.validate);
      if (line.verdict === 'invalid') invalid += 1;
      io.stdout(JSON.stringify(line));
    }
  } finally {
    await validator.close();
  }
  return invalid > 0 ? 1 : 0;
}

async function validateFile(file: string, validate: (cda: string) => ReturnType<ReturnType<typeof createInlineValidator>['validate']>): Promise<Line> {
  const started = performance.now();
  const done = (l: Omit<Line, 'file' | 'ms'>): Line => ({ file, ...l, ms: Math.round((performance.now() - started) * 10) / 10 });
  try {
    const bytes = await readFile(file);
    const cdaText = isPdf(bytes) ? (await extractCda(bytes)).cdaText : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const report = await validate(cdaText);
    return done({
      docType: report.docType ?? null,
      verdict: report.valid ? 'valid' : 'invalid',
      errors: [...report.errors],
      warnings: [...report.warnings, ...report.regionalWarnings],
    });
  } catch (err) {
    const id = err instanceof FseError ? err.code : 'READ';
    const message = err instanceof FseError ? err.detail : (err as Error).message;
    return done({ docType: null, verdict: 'invalid', errors: [{ id, severity: 'error', message }], warnings: [] });
  }
}

function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === '%PDF';
}

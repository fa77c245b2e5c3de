import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resolveCatalog } from '../../catalog/catalog.js';
import { loadConfig } from '../../config.js';
import { FseError } from '../../errors/fse-error.js';
import { extractCda } from '../../pdf/cda-extractor.js';
import type { Finding } from '../../validation/findings.js';
import { schematronFilesFor } from '../../validation/rule-selection.js';
import { createInlineValidator, prepareEngineSetup, type CdaValidator } from '../../validation/validation-pool.js';
import type { CliIo } from '../io.js';

interface Line {
  file: string;
  docType: string | null;
  verdict: 'valid' | 'invalid';
  errors: Finding[];
  warnings: Finding[];
  ms: number;
}

/** A file as read: its CDA (from XML or from a PDF's attachment), or why it could not be read. */
type Input =
  | { readonly file: string; readonly readMs: number; readonly cdaText: string }
  | { readonly file: string; readonly readMs: number; readonly error: Finding };

/**
 * `fse-bridge validate [--catalog DIR] FILE...`: one JSON line per file on stdout; exit 0 all valid, 1 any invalid,
 * 2 usage. Only the schematron the given files need is compiled, and compile progress goes to stderr.
 */
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
  const inputs: Input[] = [];
  for (const file of files) inputs.push(await readInput(file));
  const needed = [...new Set(inputs.flatMap((i) => ('cdaText' in i ? schematronFilesFor(catalog, i.cdaText) : [])))];
  const setup = await prepareEngineSetup(catalog, config.sefCacheDir, undefined, { files: needed, onProgress: io.stderr, engine: config.schematronEngine });
  const validator = await createInlineValidator(setup);
  let invalid = 0;
  try {
    for (const input of inputs) {
      const line = await validateInput(input, validator);
      if (line.verdict === 'invalid') invalid += 1;
      io.stdout(JSON.stringify(line));
    }
  } finally {
    await validator.close();
  }
  return invalid > 0 ? 1 : 0;
}

function failure(err: unknown): Finding {
  if (err instanceof FseError) return { id: err.code, severity: 'error', message: err.detail };
  return { id: 'READ', severity: 'error', message: (err as Error).message };
}

async function readInput(file: string): Promise<Input> {
  const started = performance.now();
  try {
    const bytes = await readFile(file);
    const cdaText = isPdf(bytes) ? (await extractCda(bytes)).cdaText : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { file, cdaText, readMs: performance.now() - started };
  } catch (err) {
    return { file, error: failure(err), readMs: performance.now() - started };
  }
}

async function validateInput(input: Input, validator: CdaValidator): Promise<Line> {
  const started = performance.now() - input.readMs;
  const done = (l: Omit<Line, 'file' | 'ms'>): Line => ({ file: input.file, ...l, ms: Math.round((performance.now() - started) * 10) / 10 });
  if ('error' in input) return done({ docType: null, verdict: 'invalid', errors: [input.error], warnings: [] });
  try {
    const report = await validator.validate(input.cdaText);
    return done({
      docType: report.docType ?? null,
      verdict: report.valid ? 'valid' : 'invalid',
      errors: [...report.errors],
      warnings: [...report.warnings, ...report.regionalWarnings],
    });
  } catch (err) {
    return done({ docType: null, verdict: 'invalid', errors: [failure(err)], warnings: [] });
  }
}

function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === '%PDF';
}

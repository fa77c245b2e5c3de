import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { isFseError } from '../../errors/fse-error.js';
import { extractCda } from '../../pdf/cda-extractor.js';
import { createSamplePdf, injectCda } from '../../pdf/pdf-inject.js';
import { hasSignature } from '../../pdf/pdf-signature.js';
import { parseStringOptions, type CliIo } from '../io.js';

/**
 * `fse-bridge inject`: puts a CDA into a PDF in ATTACHMENT mode, like the official pdf-generator, so that producers
 * and tests can build what the Gateway expects. See: Gateway API digest, 6.1.
 */

const USAGE = `Usage: fse-bridge inject --cda FILE [--pdf FILE] [--out FILE]

Embeds FILE as cda.xml (ATTACHMENT mode) in the PDF.
  --cda FILE   the CDA XML to embed (required)
  --pdf FILE   the PDF to inject into; without it a one-page sample PDF is used
  --out FILE   where to write the result; default: <pdf name>.cda.pdf beside the PDF
               (or <cda name>.cda.pdf beside the CDA when no --pdf is given)
Sign the PDF after injecting: injection rewrites the file and breaks existing signatures.
`;

/**
 * Runs the command. Exit codes: 0 written, 1 failure (unreadable file, not a PDF, ...), 2 usage error.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const values = parseStringOptions(argv, ['cda', 'pdf', 'out'], USAGE, io);
  if (typeof values === 'number') return values;
  if (!values.cda) {
    io.stderr(`Missing --cda.\n${USAGE}`);
    return 2;
  }
  const out = values.out ?? defaultOut(values.pdf ?? values.cda);

  try {
    const cda = await readFile(values.cda);
    const pdf = values.pdf ? await readFile(values.pdf) : await createSamplePdf(path.basename(values.cda));
    if (values.pdf && await hasSignature(pdf)) {
      io.stderr('Warning: the PDF is signed; injecting rewrites it and its signature will no longer verify. Sign afterwards.\n');
    }
    const result = await injectCda(pdf, cda);
    // Self-check: read the CDA back the way the Gateway will, so a broken output never leaves this command.
    const extracted = await extractCda(result, 'ATTACHMENT');
    if (!Buffer.from(extracted.cdaBytes).equals(cda)) throw new Error('the injected CDA does not read back identically');
    await writeFile(out, result);
    io.stdout(`Wrote ${out} (${result.length} bytes, cda.xml ${cda.length} bytes, mode ATTACHMENT)\n`);
    return 0;
  } catch (err) {
    const message = isFseError(err) ? `${err.code}: ${err.detail}` : err instanceof Error ? err.message : String(err);
    io.stderr(`inject failed: ${message}\n`);
    return 1;
  }
}

function defaultOut(input: string): string {
  const parsed = path.parse(input);
  return path.join(parsed.dir, `${parsed.name}.cda.pdf`);
}

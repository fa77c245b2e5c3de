import { FseError } from '../errors/fse-error.js';
import { decodeCdaText, extractCda } from '../pdf/cda-extractor.js';
import type { ValidationRun, ValidationRunStore } from '../stores/validation-run-store.js';
import { locateFindings } from '../validation/finding-lines.js';
import type { CdaValidator } from '../validation/validation-pool.js';
import { withXml, XmlInputError } from '../xml/xml-toolkit.js';

/** An operator's upload in the console playground: a CDA, or a PDF with the CDA embedded. */
export interface ExplainValidationRequest {
  readonly bytes: Uint8Array;
  /** The console user, kept with the run. */
  readonly operator: string;
}

export interface ExplainValidationDeps {
  readonly validator: CdaValidator;
  readonly runs: ValidationRunStore;
  /** Largest upload accepted; default {@link MAX_PLAYGROUND_BYTES}. */
  readonly maxBytes?: number;
}

/** The Gateway takes at most 5 MB per document (See: Gateway API digest, 2.2); the playground judges the same files. */
export const MAX_PLAYGROUND_BYTES = 5 * 1024 * 1024;

const isPdf = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46;

/**
 * The CDA text of the upload: extracted from a PDF as the validation path does (RESOURCE then ATTACHMENT, See:
 * Gateway API digest, 6.3), or decoded with its own declared encoding. It must be well-formed XML without a DTD
 * (the toolkit refuses DTDs, so no entity is ever expanded): anything else is not a document to explain.
 */
async function cdaOf(bytes: Uint8Array, maxBytes: number): Promise<string> {
  if (bytes.length === 0) throw new FseError('emptyFile', 'Il file fornito è vuoto.');
  if (bytes.length > maxBytes) throw new FseError('payloadTooLarge', `The file is larger than ${maxBytes} bytes`);
  let text: string;
  if (isPdf(bytes)) {
    text = (await extractCda(bytes)).cdaText;
  } else {
    try {
      text = decodeCdaText(bytes);
    } catch {
      throw new FseError('documentType', 'The file is neither a PDF nor a CDA: its text cannot be decoded');
    }
    if (!text.trimStart().startsWith('<')) throw new FseError('documentType', 'The file is neither a PDF nor a CDA (XML)');
  }
  try {
    withXml(text, () => undefined);
  } catch (err) {
    if (err instanceof XmlInputError) throw new FseError('syntax', `The CDA is not readable XML: ${err.message}`);
    throw err;
  }
  return text;
}

/**
 * Validates an upload with the bridge's own validator, gives each finding its line in the CDA, and records the run
 * (origin `playground`) for the console's "validation explained" page. See: docs/console-api.md, validations.
 * @throws FseError for an upload that holds no readable CDA (empty, too big, neither XML nor PDF, a PDF without CDA,
 * XML that is not well-formed or carries a DTD).
 */
export async function explainValidation(request: ExplainValidationRequest, deps: ExplainValidationDeps): Promise<ValidationRun> {
  const source = await cdaOf(request.bytes, deps.maxBytes ?? MAX_PLAYGROUND_BYTES);
  const report = await deps.validator.validate(source);
  const findings = locateFindings(source, [...report.errors, ...report.warnings, ...report.regionalWarnings]);
  const run = { origin: 'playground', operator: request.operator, docType: report.docType, valid: report.valid, source, findings } as const;
  const { id, at } = await deps.runs.record(run);
  return {
    id, at, origin: run.origin, operator: run.operator, valid: run.valid, source, findings,
    ...(run.docType === undefined ? {} : { docType: run.docType }),
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  };
}

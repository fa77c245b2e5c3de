import { UNKNOWN_WORKFLOW_ID, workflowIdForCda, type WorkflowInstanceId } from '../../domain/workflow-instance-id.js';
import { FseError } from '../../errors/fse-error.js';
import { checkClaimsAgainstCda, type SignatureClaims } from '../../jwt/claims.js';
import { extractCda, loadPdf, type CdaMode, type ExtractedCda } from '../../pdf/cda-extractor.js';
import { hasSignature, SIGN_WARNING } from '../../pdf/pdf-signature.js';
import { readCdaHeader, type CdaHeader } from '../../validation/cda-header.js';
import type { Finding, ValidationReport } from '../../validation/findings.js';
import type { CdaValidator } from '../../validation/validation-pool.js';
import { withXml, XmlInputError } from '../../xml/xml-toolkit.js';

/**
 * The dispatcher's steps around the validator, shared by the validation endpoint and validate-and-*: the upload
 * (PDF check, extraction, signature presence), the workflowInstanceId, the JWT<->CDA coherence, the validator's
 * verdict and the warning. See: Gateway API digest, 3.1 steps 4-11, 3.7, 7.5 and 7.6.
 */

/** The CDA of an upload and what the next steps read of it. */
export interface UploadedCda {
  readonly extracted: ExtractedCda;
  /** The PDF already carries a signature field (the validation endpoint's SIGN_WARN). */
  readonly signed: boolean;
  readonly header: CdaHeader;
}

/**
 * Steps 4-6: empty file, `%PDF`, extraction with the declared mode (RESOURCE then ATTACHMENT without one), signature
 * presence. A CDA that does not parse is a syntax error before any id could be computed.
 */
export async function readUpload(pdf: Uint8Array, mode: CdaMode | undefined): Promise<UploadedCda> {
  const doc = await loadPdf(pdf);
  const extracted = await extractCda(doc, mode);
  const signed = await hasSignature(doc);
  try {
    return { extracted, signed, header: withXml(extracted.cdaText, readCdaHeader) };
  } catch (err) {
    if (err instanceof XmlInputError) throw new FseError('syntax', `ERROR: ${err.message}`, { workflowInstanceId: UNKNOWN_WORKFLOW_ID });
    throw err;
  }
}

/** Step 7: `<id@root>.<sha256(id@extension)>.<10 hex>^^^^...` of the CDA's first id. See: 7.6. */
export function workflowIdOfCda(header: CdaHeader): WorkflowInstanceId {
  const workflowInstanceId = workflowIdForCda(header.id);
  if (!workflowInstanceId) {
    throw new FseError('workflowIdExtraction', "Errore durante l'estrazione del workflow instance id ", { workflowInstanceId: UNKNOWN_WORKFLOW_ID });
  }
  return workflowInstanceId;
}

/** Step 8: `resource_hl7_type` and `person_id` against the CDA; the error carries the workflow id once known. */
export function checkJwtAgainstCda(claims: SignatureClaims, header: CdaHeader, workflowInstanceId?: string): void {
  try {
    checkClaimsAgainstCda(claims, { code: header.code?.code, codeSystem: header.code?.codeSystem, patientIds: header.patientIds });
  } catch (err) {
    if (err instanceof FseError && workflowInstanceId !== undefined) err.workflowInstanceId = workflowInstanceId;
    throw err;
  }
}

/**
 * Step 9: XSD, schematron, terminology, stopping at the first failing stage; its messages (errors first) joined by
 * `,` are the detail of `/msg/syntax`, `/msg/semantic` (422) or `/msg/vocabulary`. The region's own rules are not
 * the Gateway's and are ignored. See: 7.1 and 7.5.
 */
export async function runValidator(validator: CdaValidator, cdaText: string, workflowInstanceId: string): Promise<ValidationReport> {
  const report = await validator.validate(cdaText);
  if (report.failedStage) {
    const messages = [...report.errors, ...report.warnings].map((f) => f.message).join(',');
    throw new FseError(report.failedStage, messages, { workflowInstanceId });
  }
  return report;
}

const WARNING_EXTRACT = '[WARNING_EXTRACT]Attenzione, non è stata selezionata la modalità di estrazione del CDA';
const MAX_WARNING = 200_000;

/**
 * Step 11: `[SIGN_WARN ...]` when signed, then the schematron warnings in brackets, all wrapped with the extraction
 * warning when `mode` was omitted; undefined (field omitted) when empty; cut to 199997 characters plus `...`.
 * See: 2.3 and 7.5.
 */
export function validationWarning(parts: { readonly signed: boolean; readonly modeDeclared: boolean; readonly schematron: readonly Finding[] }): string | undefined {
  let warning = parts.signed ? SIGN_WARNING : '';
  if (parts.schematron.length > 0) warning += `[${parts.schematron.map((f) => f.message).join(',')}]`;
  if (!parts.modeDeclared) warning = `[${warning}${WARNING_EXTRACT}]`;
  if (!warning) return undefined;
  return warning.length > MAX_WARNING ? `${warning.slice(0, MAX_WARNING - 3)}...` : warning;
}

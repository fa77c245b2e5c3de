import { FseError } from '../errors/fse-error.js';
import type { SignatureClaims } from '../jwt/claims.js';
import { checkClaimsAgainstCda } from '../jwt/claims.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { currentContext } from '../logging/context.js';
import { extractCda, loadPdf } from '../pdf/cda-extractor.js';
import { cdaValidationKey } from '../pdf/hashes.js';
import { hasSignature } from '../pdf/pdf-signature.js';
import type { ValidationRecordStore } from '../stores/validation-record-store.js';
import { readCdaHeader, type CdaHeader } from '../validation/cda-header.js';
import type { ValidationReport } from '../validation/findings.js';
import type { CdaValidator } from '../validation/validation-pool.js';
import { withXml, XmlInputError } from '../xml/xml-toolkit.js';
import { composeWarning } from './warnings.js';
import { UNKNOWN_WORKFLOW_ID, workflowIdForCda, type WorkflowInstanceId } from '../domain/workflow-instance-id.js';

export type Activity = 'VALIDATION' | 'VERIFICA';
export type InjectionMode = 'ATTACHMENT' | 'RESOURCE';

/** A validation request, already authenticated and decoded by a front door. */
export interface ValidateRequest {
  readonly activity: Activity;
  readonly mode?: InjectionMode;
  readonly pdf: Uint8Array;
  /** Claims of the FSE-JWT-Signature token, already checked for the validation operation. */
  readonly claims: SignatureClaims;
}

export interface ValidateResult {
  /** `stored`: a VALIDATION left a record usable for one publication; `checked`: VERIFICA, nothing stored. */
  readonly outcome: 'stored' | 'checked';
  readonly workflowInstanceId: WorkflowInstanceId;
  readonly warning?: string;
  readonly report: ValidationReport;
  /** The bridge's key of the validated CDA (links a validation to a later publication). */
  readonly cdaKey: string;
}

export interface ValidateDeps {
  readonly validator: CdaValidator;
  readonly metrics?: Pick<Metrics, 'validations'>;
  readonly records: ValidationRecordStore;
  readonly logger: Logger;
}

/**
 * Validates a CDA2 injected in a PDF, step for step as the national Gateway.
 * See: Gateway API digest, 3.1 (processing order, steps 4-11) and 7.
 */
export async function validate(request: ValidateRequest, deps: ValidateDeps): Promise<ValidateResult> {
  const pdf = await loadPdf(request.pdf);
  const extracted = await extractCda(pdf, request.mode);
  const signed = await hasSignature(pdf);
  const header = readHeader(extracted.cdaText);
  const workflowInstanceId = workflowIdForCda(header.id);
  if (!workflowInstanceId) {
    throw new FseError('workflowIdExtraction', "Errore durante l'estrazione del workflow instance id ", {
      workflowInstanceId: UNKNOWN_WORKFLOW_ID,
    });
  }
  const ctx = currentContext();
  if (ctx) ctx.workflowInstanceId = workflowInstanceId;
  try {
    checkClaimsAgainstCda(request.claims, { code: header.code?.code, codeSystem: header.code?.codeSystem, patientIds: header.patientIds });
  } catch (err) {
    if (err instanceof FseError) err.workflowInstanceId = workflowInstanceId;
    throw err;
  }

  const report = await deps.validator.validate(extracted.cdaText);
  deps.logger.info('cda validated', {
    docType: report.docType, valid: report.valid, failedStage: report.failedStage,
    errors: report.errors.length, warnings: report.warnings.length, regional: report.regionalWarnings.length,
  });
  deps.metrics?.validations.inc({ doc_type: report.docType ?? 'unknown', outcome: report.failedStage ?? 'valid' });
  if (report.failedStage) {
    const code = report.failedStage === 'syntax' ? 'syntax' : report.failedStage === 'semantic' ? 'semantic' : 'vocabulary';
    const messages = [...report.errors, ...report.warnings].map((f) => f.message).join(',');
    throw new FseError(code, messages, { workflowInstanceId });
  }

  const cdaKey = cdaValidationKey(extracted.cdaText);
  if (request.activity === 'VALIDATION') {
    await deps.records.put({ cdaKey, workflowInstanceId, docType: report.docType, createdAt: new Date() });
  }
  const warning = composeWarning({
    signed,
    modeDeclared: extracted.modeDeclared,
    national: report.warnings,
    regional: report.regionalWarnings.map((f) => f.message),
  });
  return { outcome: request.activity === 'VALIDATION' ? 'stored' : 'checked', workflowInstanceId, warning, report, cdaKey };
}

/**
 * Reads the header the JWT checks and the workflow id need. A CDA that does not parse is a syntax error,
 * reported before an id could be computed (the Gateway's XSD stage would refuse it the same way).
 */
function readHeader(cdaText: string): CdaHeader {
  try {
    return withXml(cdaText, readCdaHeader);
  } catch (err) {
    if (err instanceof XmlInputError) {
      throw new FseError('syntax', `ERROR: ${err.message}`, { workflowInstanceId: UNKNOWN_WORKFLOW_ID });
    }
    throw err;
  }
}

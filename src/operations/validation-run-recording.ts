import type { Logger } from '../logging/logger.js';
import { currentContext } from '../logging/context.js';
import type { ValidationRunStore } from '../stores/validation-run-store.js';
import { locateFindings } from '../validation/finding-lines.js';
import type { Finding, ValidationReport } from '../validation/findings.js';
import type { CdaValidator } from '../validation/validation-pool.js';

/** The CDA the local validation judged and its report, as the validator saw them. */
export interface CheckedCda {
  readonly cdaText: string;
  readonly report: ValidationReport;
}

/**
 * A validator that remembers the last CDA it validated, so the REST path can keep a refused document for the console
 * without extracting or validating it a second time.
 */
export function capturingValidator(validator: CdaValidator): { readonly validator: CdaValidator; last(): CheckedCda | undefined } {
  let last: CheckedCda | undefined;
  return {
    validator: {
      async validate(cdaText) {
        const report = await validator.validate(cdaText);
        last = { cdaText, report };
        return report;
      },
      close: () => validator.close(),
    },
    last: () => last,
  };
}

/** The Gateway's refusal as one finding without location (its problem+json `type` and `detail`). See: 2.6. */
function gatewayFinding(status: number, json: unknown): Finding {
  const problem = json !== null && typeof json === 'object' ? (json as { type?: unknown; title?: unknown; detail?: unknown }) : {};
  const id = typeof problem.type === 'string' && problem.type !== '' ? problem.type : `GTW-${status}`;
  const text = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : '';
  return { id, severity: 'error', message: `GTW nazionale: ${status}${text === '' ? '' : ` ${text}`}` };
}

export interface FailedValidation {
  readonly checked: CheckedCda;
  readonly gateway: { readonly ok: boolean; readonly status: number; readonly json?: unknown };
}

/**
 * Keeps a REST validation that failed (the local verdict or the Gateway's) as a console run of origin `rest`, with
 * the request's trace id. One insert; a failure is logged and swallowed: the producer's answer never depends on it.
 */
export async function recordFailedValidation(failed: FailedValidation, deps: { runs?: ValidationRunStore; logger: Logger }): Promise<void> {
  const { runs, logger } = deps;
  if (!runs) return;
  const { cdaText, report } = failed.checked;
  try {
    const local = [...report.errors, ...report.warnings, ...report.regionalWarnings];
    const gateway = report.valid && !failed.gateway.ok ? [gatewayFinding(failed.gateway.status, failed.gateway.json)] : [];
    const traceId = currentContext()?.traceId;
    await runs.record({
      origin: 'rest', valid: report.valid && failed.gateway.ok, source: cdaText,
      findings: [...locateFindings(cdaText, local), ...gateway],
      ...(traceId === undefined ? {} : { traceId }),
      ...(report.docType === undefined ? {} : { docType: report.docType }),
    });
  } catch (err) {
    logger.error('validation run not recorded', { error: String(err) });
  }
}

import { checkJwtAgainstCda, readUpload, runValidator, validationWarning, workflowIdOfCda } from './cda-steps.js';
import { cdaValidationKey } from '../../pdf/hashes.js';
import { jsonAnswer, type SimResponse } from './sim-http.js';
import { partsOf, type SimInput, type SimOperationDeps } from './sim-operation.js';
import { addEvent } from './sim-state.js';
import { parseValidationBody } from './validation-body.js';

/** The event message of a `VERIFICA`. See: Gateway API digest, 3.1 step 10 and 7.8. */
const VERIFICA_MESSAGE = "Attenzione - è stato chiamato l'endpoint di validazione con VERIFICA";

/**
 * `POST /v1/documents/validation`, in the dispatcher's order: the two parts (Spring), the signature token and its
 * claims for validation, the body, the upload, the workflowInstanceId, JWT<->CDA, the validator; then a `VALIDATION`
 * stores its record, both activities leave a `VALIDATION`/`SUCCESS` event, and the answer is 201 (`VALIDATION`) or
 * 200 (`VERIFICA`). See: Gateway API digest, 3.1 steps 1-11, 7.7 and 7.8.
 */
export async function handleValidation(input: SimInput, deps: SimOperationDeps): Promise<SimResponse> {
  const { file, rawBody } = partsOf(input.multipart);
  const claims = await deps.tokens.verifyFor('validation', input.headers, file);
  const body = parseValidationBody(rawBody);
  const upload = await readUpload(file, body.mode);
  const workflowInstanceId = workflowIdOfCda(upload.header);
  checkJwtAgainstCda(claims, upload.header, workflowInstanceId);
  const report = await runValidator(deps.validator, upload.extracted.cdaText, workflowInstanceId);
  deps.logger.debug('gateway simulator: cda validated', { docType: report.docType, warnings: report.warnings.length });
  const verifica = body.activity === 'VERIFICA';
  if (!verifica) deps.state.records.put(cdaValidationKey(upload.extracted.cdaText), { workflowInstanceId, createdAt: new Date() });
  addEvent(deps.state, input.ctx, input.caller, {
    eventType: 'VALIDATION', eventStatus: 'SUCCESS', workflowInstanceId, message: verifica ? VERIFICA_MESSAGE : undefined,
  });
  const warning = validationWarning({ signed: upload.signed, modeDeclared: upload.extracted.modeDeclared, schematron: report.warnings });
  return jsonAnswer(verifica ? 200 : 201, {
    traceID: input.ctx.traceId, spanID: input.ctx.spanId, workflowInstanceId, ...(warning === undefined ? {} : { warning }),
  });
}

import { FseError } from '../../errors/fse-error.js';
import { workflowIdForDocument } from '../../domain/workflow-instance-id.js';
import { checkCorrelation, loincFromResourceHl7Type } from './class-type-correlation.js';
import { localIniOutcome } from './ini-dispatch.js';
import { isValidDocumentId, parsePublicationBody } from './publication-body.js';
import { jsonAnswer, type SimResponse } from './sim-http.js';
import type { SimInput, SimOperationDeps } from './sim-operation.js';
import { SimProblem } from './sim-errors.js';
import { addEvent, type SimDocument } from './sim-state.js';

/**
 * Delete and metadata update of a published document: the lookup is the simulator's index; with the `ini` option the
 * INI calls (references, delete, merge, ITI-57) and their events follow the answer (ini-leg.ts).
 * See: Gateway API digest, 3.5, 3.6 and 8.3 (events).
 */

function ok(input: SimInput, workflowInstanceId: string): SimResponse {
  return jsonAnswer(200, { traceID: input.ctx.traceId, spanID: input.ctx.spanId, workflowInstanceId });
}

/**
 * The INI references of a published document, or 404 `/msg/record-not-found` with a `RIFERIMENTI_INI` event. With the
 * `ini` option the success event is INI's own, recorded after the answer.
 */
function lookUp(input: SimInput, deps: SimOperationDeps, id: string, workflowInstanceId: string, found: string): SimDocument {
  const doc = deps.state.documents.get(id);
  if (!doc || doc.state !== 'published') {
    const message = `IniException: nessun documento con uniqueId ${id}`;
    addEvent(deps.state, input.ctx, input.caller, { eventType: 'RIFERIMENTI_INI', eventStatus: 'BLOCKING_ERROR', workflowInstanceId, identificativoDocumento: id, message });
    throw new SimProblem('recordNotFound', message, workflowInstanceId);
  }
  if (!deps.ini) addEvent(deps.state, input.ctx, input.caller, { eventType: 'RIFERIMENTI_INI', eventStatus: 'SUCCESS', workflowInstanceId, identificativoDocumento: id, message: found });
  return doc;
}

/** `DELETE /v1/documents/{id}`: id rule, JWT (DELETE), INI references, INI delete -> 200. See: Gateway API digest, 3.5. */
export async function handleDelete(input: SimInput, deps: SimOperationDeps): Promise<SimResponse> {
  const id = input.pathId ?? '';
  const workflowInstanceId = workflowIdForDocument(id);
  if (!isValidDocumentId(id)) throw new FseError('idDoc', "L'identificativo documento non è valido");
  const claims = await deps.tokens.verifyFor('delete', input.headers);
  const doc = lookUp(input, deps, id, workflowInstanceId, `Riferimenti trovati: [urn:uuid:${entryUuidOf(id)}]`);
  doc.state = 'deleted';
  if (deps.ini) deps.ini.remove({ ctx: input.ctx, caller: input.caller, claims, workflowInstanceId, documentId: id });
  else addEvent(deps.state, input.ctx, input.caller, { eventType: 'INI_DELETE', ...localIniOutcome(deps.iniFailure?.() ?? 'none'), workflowInstanceId, identificativoDocumento: id });
  return ok(input, workflowInstanceId);
}

/**
 * `PUT /v1/documents/{id}/metadata[-iti-57]`: JSON body, JWT (UPDATE), classCode<->typeCode correlation, merge, INI
 * update -> 200. See: Gateway API digest, 3.6 and 10.12.
 */
export async function handleMetadataUpdate(input: SimInput, deps: SimOperationDeps): Promise<SimResponse> {
  const id = input.pathId ?? '';
  if (!isValidDocumentId(id)) throw new FseError('idDoc', "L'identificativo documento fornito in richiesta non è valido", { instance: '/invalid-req-id' });
  const claims = await deps.tokens.verifyFor('update', input.headers);
  const body = parsePublicationBody(input.json, 'metadata');
  checkCorrelation(loincFromResourceHl7Type(claims.resource_hl7_type), body.tipoDocumentoLivAlto);
  const workflowInstanceId = workflowIdForDocument(id);
  const doc = lookUp(input, deps, id, workflowInstanceId, 'Merge metadati effettuato correttamente');
  doc.metadataUpdates += 1;
  if (deps.ini) deps.ini.update({ ctx: input.ctx, caller: input.caller, claims, workflowInstanceId, documentId: id, json: input.json ?? '' });
  else addEvent(deps.state, input.ctx, input.caller, { eventType: 'INI_UPDATE', ...localIniOutcome(deps.iniFailure?.() ?? 'none'), workflowInstanceId, identificativoDocumento: id });
  return ok(input, workflowInstanceId);
}

/** A stable fake entryUUID for a document id, for the `Riferimenti trovati` message. */
function entryUuidOf(id: string): string {
  const hex = Buffer.from(id, 'utf8').toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

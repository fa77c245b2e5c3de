import { UNKNOWN_WORKFLOW_ID } from '../../domain/workflow-instance-id.js';
import { jsonAnswer, type SimResponse } from './sim-http.js';
import type { SimInput } from './sim-operation.js';
import { SimProblem } from './sim-errors.js';
import { bearerIssuer, regionOf } from './sim-tokens.js';
import type { SimState, StatusEvent } from './sim-state.js';

/** The status store returns at most this many events. See: Gateway API digest, 9.1. */
const MAX_EVENTS = 100;

/**
 * `GET /v1/status/{workflowInstanceId}` (with the visibility cone) and `GET /v1/status/search/{traceId}` (without).
 * See: Gateway API digest, 9.1.
 */
export function handleStatus(input: SimInput, by: 'workflow' | 'trace', value: string, state: SimState): SimResponse {
  if (by === 'workflow' && value === UNKNOWN_WORKFLOW_ID) throw new SimProblem('wii', 'Il wii non è valido');
  const matches = (e: StatusEvent) => (by === 'workflow' ? e.workflowInstanceId === value : e.traceId === value);
  const events = state.events.filter(matches).sort((a, b) => a.eventDate.localeCompare(b.eventDate)).slice(0, MAX_EVENTS);
  if (by === 'workflow') {
    const region = regionOf(bearerIssuer(input.headers));
    if (region === undefined) throw new SimProblem('missingBearer', 'Token JWT non valido');
    if (events.length === 0) throw new SimProblem('statusNotFound', 'Record non trovato');
    if (!events.some((e) => regionOf(e.issuer) === region)) throw new SimProblem('unauthorized', 'Mismatch sub/issuer');
  }
  if (events.length === 0) throw new SimProblem('statusNotFound', 'Record non trovato');
  return jsonAnswer(200, { traceID: input.ctx.traceId, spanID: input.ctx.spanId, transactionData: events });
}

import type { ExchangeSummary } from '../../stores/exchange-store.js';
import type { TraceFacts } from '../../stores/journey-store.js';

export type JourneyStepKind = 'received' | 'validated' | 'queued' | 'sent' | 'answered' | 'indexed' | 'ini' | 'reconciled' | 'event';

export interface JourneyStep {
  readonly at: string;
  readonly step: JourneyStepKind;
  readonly status: 'ok' | 'error' | 'pending' | 'info';
  readonly label: string;
  readonly detail?: string;
}

const eventStep = (type: string): JourneyStepKind => {
  if (type.startsWith('VALIDATION')) return 'validated';
  if (type === 'INI_RECONCILE') return 'reconciled';
  if (type.includes('INI')) return 'ini';
  if (['PUBLICATION', 'REPLACE', 'UPDATE', 'DELETE'].includes(type)) return 'answered';
  return 'event';
};
const eventStatus = (status: string): JourneyStep['status'] =>
  status === 'SUCCESS' ? 'ok' : status === 'ASYNC_RETRY' ? 'pending' : status === 'NON_BLOCKING_ERROR' ? 'info' : 'error';

/**
 * A transaction's journey as the console draws it: the exchange at the door, then what the pipeline did for its
 * trace (the stored operation, each Gateway attempt and answer, local indexing, the status events of validation,
 * publication and INI, the INI reconciliation) and the access-log records, in time order. Built from what the
 * stores recorded, never inferred: a step that has not happened is absent, a step under way is `pending`.
 */
export function transactionJourney(exchange: ExchangeSummary, facts: TraceFacts): JourneyStep[] {
  const steps: JourneyStep[] = [{
    at: exchange.at.toISOString(), step: 'received', status: 'ok',
    label: `${exchange.door.toUpperCase()} ${exchange.action}${exchange.caller ? ` from ${exchange.caller}` : ''}`, detail: `${exchange.method} ${exchange.path}`,
  }];
  for (const op of facts.operations) {
    steps.push({ at: op.createdAt.toISOString(), step: 'queued', status: 'ok', label: `operation ${op.kind} of ${op.documentId} stored and queued`, detail: op.id });
    const at = op.updatedAt.toISOString();
    if (op.state === 'received' || op.state === 'sending') {
      steps.push({ at, step: 'sent', status: 'pending', label: `waiting for the Gateway (attempts so far: ${op.attempts})` });
    } else if (op.state === 'local') {
      steps.push({ at, step: 'sent', status: 'pending', label: `Gateway unreachable after ${op.attempts} attempt(s): replay pending` });
    } else {
      const ok = op.answerStatus !== undefined && op.answerStatus < 400;
      steps.push({ at, step: 'sent', status: ok ? 'ok' : 'error', label: `Gateway answered HTTP ${op.answerStatus ?? '?'} (attempts: ${op.attempts})`, detail: `state ${op.state}` });
    }
    if (op.localIndexed) steps.push({ at, step: 'indexed', status: 'ok', label: 'indexed in the regional registry' });
  }
  for (const e of facts.events) {
    steps.push({ at: e.at.toISOString(), step: eventStep(e.type), status: eventStatus(e.status), label: `${e.type}: ${e.status}`, detail: e.message });
  }
  for (const a of facts.accesses) {
    steps.push({
      at: a.at.toISOString(), step: a.direction === 'outbound' && a.counterpart === 'INI' ? 'ini' : 'event', status: a.outcome === 'Failure' ? 'error' : 'ok',
      label: `access log: ${a.direction} ${a.transaction} ${a.direction === 'outbound' ? 'to' : 'from'} ${a.counterpart}: ${a.outcome}`,
      detail: a.errorCodes.length ? a.errorCodes.join(', ') : undefined,
    });
  }
  steps.push({
    at: new Date(exchange.at.getTime() + exchange.ms).toISOString(), step: 'answered', status: exchange.outcome === 'success' ? 'ok' : 'error',
    label: `answered HTTP ${exchange.httpStatus} in ${exchange.ms} ms`,
  });
  // Stable by time; the door's own two steps keep their places among events of the same millisecond.
  return steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.at.localeCompare(b.s.at) || a.i - b.i).map(({ s }) => s);
}

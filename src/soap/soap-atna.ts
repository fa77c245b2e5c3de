import { requestSubjects } from '../atna-message/request-subjects.js';
import { TRANSACTION_EVENTS, type AuditedTransaction } from '../atna-message/transaction-events.js';
import type { AtnaRecorder } from '../atna/atna-recorder.js';
import type { CallerIdentity } from '../domain/caller.js';
import type { Logger } from '../logging/logger.js';
import { WSA_ANONYMOUS, type SoapEnvelope } from '../soap-wire/soap-envelope.js';
import type { AuditOutcome } from '../audit/audit-record.js';

/**
 * The SOAP door's half of ATNA: it translates one answered call (the request body, still alive, and the facts the
 * handler gave the access log) into the transaction facts of the audit message, one per patient concerned as the
 * access log does; a refused credential becomes a Security Alert. The message itself is built and sent by the
 * recorder, never awaited here. See: docs/atna.md; ITI TF-2 3.20.
 */
/** The router's access-log facts of one patient (its `AuditFacts`; restated here so the router imports this file, not the reverse). */
interface PatientFacts {
  readonly patientId?: string;
  readonly documentIds: readonly string[];
  readonly outcome: AuditOutcome;
  readonly errorCodes: readonly string[];
}

export interface SoapAtnaCall {
  /** The router's transaction (`iti41`, ...). */
  readonly transaction: string;
  readonly envelope: SoapEnvelope;
  readonly caller: CallerIdentity;
  /** What the handler told the access log; absent (ITI-41) means one message from the request alone. */
  readonly audit?: readonly PatientFacts[];
  /** Outcome of the response when the handler gave no audit facts. */
  readonly outcome: AuditOutcome;
  readonly endpoint: string;
  readonly remoteAddress?: string;
}

/** `iti41` -> `ITI-41`, when ATNA defines the transaction's event. */
function auditedTransaction(transaction: string): AuditedTransaction | undefined {
  const name = `ITI-${transaction.slice(3)}`;
  return Object.hasOwn(TRANSACTION_EVENTS, name) ? (name as AuditedTransaction) : undefined;
}

/** Never throws: a request the audit cannot read is logged, and the transaction keeps its answer. */
export function recordSoapTransaction(atna: AtnaRecorder | undefined, call: SoapAtnaCall, logger: Logger): void {
  const transaction = atna && auditedTransaction(call.transaction);
  if (!atna || !transaction) return;
  try {
    recordFacts(atna, transaction, call);
  } catch (err) {
    logger.error('atna facts not read', { transaction, error: String((err as Error)?.stack ?? err) });
  }
}

function recordFacts(atna: AtnaRecorder, transaction: AuditedTransaction, call: SoapAtnaCall): void {
  const subjects = requestSubjects(transaction, call.envelope.body);
  const time = new Date();
  const requester = { replyTo: WSA_ANONYMOUS, address: call.remoteAddress, userId: call.caller.subjectId };
  const perPatient = call.audit && call.audit.length > 0 ? call.audit : [undefined];
  for (const facts of perPatient) {
    const disclosed = facts && new Set(facts.documentIds);
    atna.transaction({
      ...subjects,
      transaction, time, requester, endpoint: call.endpoint,
      outcome: facts?.outcome ?? call.outcome,
      errorCodes: facts?.errorCodes,
      patientId: facts?.patientId ?? subjects.patientId,
      // ITI-43: the documents this patient's requester was given, not every one asked for. See: xds-ini digest 10 item 21.
      documents: transaction === 'ITI-43' && disclosed ? subjects.documents?.filter((d) => disclosed.has(d.uniqueId)) : subjects.documents,
    });
  }
}

/** Never throws, as {@link recordSoapTransaction}. */
export function recordSoapRefusal(atna: AtnaRecorder | undefined, refusal: { endpoint: string; remoteAddress?: string; subcode: string; reason: string }, logger: Logger): void {
  try {
    atna?.securityAlert({ time: new Date(), endpoint: refusal.endpoint, peer: { address: refusal.remoteAddress }, reason: `${refusal.subcode}: ${refusal.reason}` });
  } catch (err) {
    logger.error('atna security alert not recorded', { error: String(err) });
  }
}

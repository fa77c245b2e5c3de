import type { AuditLog } from '../audit/index.js';
import type { Logger } from '../logging/logger.js';
import type { Operator } from '../stores/operator-store.js';

/** Console actions as access-log transactions: `CONSOLE-sign-in`, `CONSOLE-dead-letter-retry`, ... */
export type ConsoleAction =
  | 'sign-in' | 'sign-out' | 'dead-letter-retry' | 'dead-letter-discard' | 'validation-playground' | 'access-log-verify'
  | 'access-log-export' | 'raw-view' | 'transaction-view';

export interface ActionRecord {
  readonly action: ConsoleAction;
  /** The operator, or the username a refused sign-in named. */
  readonly who: Operator | { readonly username: string };
  readonly outcome: 'Success' | 'Failure';
  readonly patientId?: string;
  readonly documentIds?: readonly string[];
  readonly errorCodes?: readonly string[];
  readonly traceId?: string;
}

/**
 * Every console action leaves one access-log record, in the same hash chain as the XDS and REST transactions: who
 * (the operator's username and console role), what, about which patient, and how it ended. The record is written
 * before the answer, like the other doors' (docs/audit-log.md).
 */
export async function recordAction(audit: AuditLog, logger: Logger, r: ActionRecord): Promise<void> {
  const role = 'role' in r.who ? r.who.role : undefined;
  try {
    await audit.record({
      direction: 'inbound', transaction: `CONSOLE-${r.action}`, counterpart: 'console', subjectId: r.who.username.slice(0, 64),
      subjectRole: role ? `console-${role}` : undefined, patientId: r.patientId, documentIds: r.documentIds, outcome: r.outcome,
      errorCodes: r.errorCodes, traceId: r.traceId,
    });
  } catch (err) {
    logger.error('console action not recorded in the access log', { action: r.action, error: String(err) });
    throw err;
  }
}

import os from 'node:os';
import { encodeAuditMessage, type AuditMessage } from '../atna-message/audit-message.js';
import { securityAlertMessage, type SecurityAlertFacts } from '../atna-message/security-alert.js';
import { transactionAuditMessage, type AuditSourceContext, type TransactionFacts } from '../atna-message/transaction-events.js';
import type { Logger } from '../logging/logger.js';
import { syslogMessage } from './syslog-message.js';
import type { SyslogSender } from './syslog-sender.js';

/**
 * What the doors call when a transaction is answered or a credential refused: it encodes the IHE audit message and
 * queues it on the syslog sender, synchronously and without ever throwing (an audit message that cannot be built
 * is logged and skipped; the transaction has its answer either way). Fed from the same points as the hash-chained
 * access log, which stays the system of record. See: docs/atna.md.
 */
export interface AtnaRecorder {
  transaction(facts: TransactionFacts): void;
  securityAlert(facts: SecurityAlertFacts): void;
}

export interface AtnaRecorderOptions {
  readonly sender: SyslogSender;
  readonly auditSourceId: string;
  readonly enterpriseSiteId?: string;
  /** RFC 5424 APP-NAME. */
  readonly appName: string;
  readonly logger: Logger;
}

export function createAtnaRecorder(options: AtnaRecorderOptions): AtnaRecorder {
  const context: AuditSourceContext = { auditSourceId: options.auditSourceId, enterpriseSiteId: options.enterpriseSiteId, processId: String(process.pid) };
  const hostname = os.hostname();
  const emit = (build: () => AuditMessage, what: string): void => {
    try {
      const message = build();
      const xml = encodeAuditMessage(message);
      options.sender.send(syslogMessage({ time: message.eventDateTime, hostname, appName: options.appName, procId: context.processId }, xml));
    } catch (err) {
      options.logger.error('atna message not built', { what, error: String((err as Error)?.stack ?? err) });
    }
  };
  return {
    transaction: (facts) => emit(() => transactionAuditMessage(facts, context), facts.transaction),
    securityAlert: (facts) => emit(() => securityAlertMessage(facts, context), 'security alert'),
  };
}

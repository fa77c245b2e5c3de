import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Logger } from '../logging/logger.js';
import { createAtnaRecorder, type AtnaRecorder } from './atna-recorder.js';
import { createSyslogSender, type SyslogSender } from './syslog-sender.js';

/** The ATNA recorder and its sender, from `config.atna` (ATNA_SYSLOG_URL and friends). */
export interface Atna {
  readonly recorder: AtnaRecorder;
  readonly sender: SyslogSender;
}

const pem = (file: string | undefined): string | undefined => (file ? readFileSync(file, 'utf8') : undefined);

export function createAtnaFromConfig(atna: NonNullable<Config['atna']>, logger: Logger, onDrop?: () => void): Atna {
  const sender = createSyslogSender({
    target: atna.target,
    tls: atna.tls && { cert: pem(atna.tls.certFile), key: pem(atna.tls.keyFile), ca: pem(atna.tls.caFile) },
    maxQueue: atna.queueMax,
    logger,
    onDrop,
  });
  return { sender, recorder: createAtnaRecorder({ sender, auditSourceId: atna.auditSourceId, appName: 'fse-bridge', logger }) };
}

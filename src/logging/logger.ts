import winston from 'winston';
import { currentContext } from './context.js';

/** Adds the correlation context (trace id, workflow instance id, caller) to every line. */
const withContext = winston.format((info) => {
  const ctx = currentContext();
  if (ctx) {
    info.traceId = ctx.traceId;
    info.spanId = ctx.spanId;
    if (ctx.workflowInstanceId) info.workflowInstanceId = ctx.workflowInstanceId;
    if (ctx.caller) info.caller = ctx.caller;
  }
  return info;
});

export type Logger = winston.Logger;

/** Structured JSON logs on stderr (stdout stays free for CLI output). */
export function createLogger(level: string, component = 'bridge'): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { component },
    format: winston.format.combine(withContext(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}

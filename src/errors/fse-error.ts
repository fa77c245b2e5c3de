import { ERRORS, type ErrorCode } from './catalogue.js';

/**
 * The one error value of the bridge: a catalogue code plus the case-specific detail. Transports map it
 * mechanically (problem+json today; RegistryErrorList and SOAP Fault in the SOAP adapter).
 */
export class FseError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly instance: string;
  /** Set on validation-family errors raised once the workflow instance id is known. See: Gateway API digest, 2.4. */
  workflowInstanceId?: string;

  constructor(code: ErrorCode, detail: string, options: { instance?: string; cause?: unknown; workflowInstanceId?: string } = {}) {
    super(`${ERRORS[code].type}: ${detail}`, { cause: options.cause });
    this.name = 'FseError';
    this.code = code;
    this.detail = detail;
    this.instance = options.instance ?? ERRORS[code].instance;
    this.workflowInstanceId = options.workflowInstanceId;
  }
}

export function isFseError(value: unknown): value is FseError {
  return value instanceof FseError;
}

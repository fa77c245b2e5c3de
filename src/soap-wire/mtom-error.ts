/**
 * Why an MTOM/XOP package was refused. Each reason is a Sender-side envelope problem, so the SOAP adapter maps an
 * {@link MtomError} to a SOAP Fault (env:Sender), never to a RegistryResponse. See: xds-ini digest 2.1, 2.5.
 */
export type MtomErrorReason = 'too-large' | 'too-many-parts' | 'malformed' | 'missing-root' | 'boundary';

/** The one error the MTOM layer throws: a reason the transport maps mechanically, plus a human-readable detail. */
export class MtomError extends Error {
  readonly reason: MtomErrorReason;

  constructor(reason: MtomErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(`mtom/${reason}: ${message}`, { cause: options.cause });
    this.name = 'MtomError';
    this.reason = reason;
  }
}

/** Type guard for {@link MtomError}. */
export function isMtomError(value: unknown): value is MtomError {
  return value instanceof MtomError;
}

import type { IniService } from '../metadata/ini-service-paths.js';

/**
 * The errors of the INI client, the only ones it throws for INI's part of a call: callers map them without knowing
 * SOAP or the codecs. A business answer (a RegistryResponse Failure, a RegistryErrorList) is never one of them: it
 * is returned. See: xds-ini digest 9; STYLE rule 9.
 */
export abstract class IniError extends Error {
  constructor(readonly service: IniService, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/**
 * INI could not be asked within the deadline: no answer, SOAP faults, HTTP error pages, until the retries or the
 * operation's budget ran out. See: xds-ini digest 9 (last paragraph).
 */
export class IniUnavailableError extends IniError {
  override name = 'IniUnavailableError';
}

/**
 * INI answered, but with no usable answer: not a SOAP envelope (with a status below 400, else it is a proxy's page and
 * counts as unavailability), or a body the ebRIM codecs cannot decode. Not retried: the same request would get the
 * same answer. See: xds-ini digest 9.
 */
export class IniBrokenAnswerError extends IniError {
  override name = 'IniBrokenAnswerError';
}

import type { RegistryError } from '../errors/xds-codes.js';
import type { ExtraSlots } from './xds.js';

/** The three outcomes of an XDS response. See: xds-ini digest 3.6. */
export type ResponseStatus = 'Success' | 'PartialSuccess' | 'Failure';

/**
 * The answer of ITI-41, ITI-42, ITI-57 and ITI-62 in the domain: an outcome and its errors. The optional slots carry
 * what the bridge adds for the caller (the national workflowInstanceId and traceId, so a SOAP producer can follow its
 * document in the REST status API). See: ebRS 3.0 RegistryResponseType; IHE ITI TF-3 4.2.4.
 */
export interface RegistryResponse {
  readonly status: ResponseStatus;
  readonly errors: readonly RegistryError[];
  readonly slots?: ExtraSlots;
}

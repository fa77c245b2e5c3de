import { GATEWAY_PATHS } from '../../gateway/gateway-paths.js';
import type { SubmitDeps, SubmitOutcome } from '../submit-operation.js';
import type { GatewayRoute } from './gateway-call.js';
import { publicationId, submitPublication, type PublicationCall, type PublicationKeyParts } from './publication.js';

/**
 * `POST /documents/validate-and-create`: the Gateway validates the CDA and publishes it in one call; the operation
 * ITI-41 becomes. See: Gateway API digest 3.7; xds-ini digest 8.3.
 */
export const VALIDATE_AND_CREATE = {
  kind: 'validate-and-create', method: 'POST', path: () => GATEWAY_PATHS.validateAndCreate(),
} as const satisfies GatewayRoute;

/** The operation id of a validate-and-create. */
export const validateAndCreateId = (call: PublicationKeyParts): string => publicationId(VALIDATE_AND_CREATE, call);

/** Validates and publishes a document: stored, forwarded, recorded by the registry once the Gateway takes it. */
export function validateAndCreate(call: PublicationCall, deps: SubmitDeps): Promise<SubmitOutcome> {
  return submitPublication(VALIDATE_AND_CREATE, call, deps);
}

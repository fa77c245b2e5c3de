import { GATEWAY_PATHS } from '../../gateway/gateway-paths.js';
import type { SubmitDeps, SubmitOutcome } from '../submit-operation.js';
import type { GatewayRoute } from './gateway-call.js';
import { publicationId, submitPublication, type PublicationKeyParts, type ReplacementCall } from './publication.js';

/**
 * `PUT /documents/validate-and-replace/{idDoc}`: validation and replacement in one call; the operation an ITI-41 with
 * an RPLC becomes. See: Gateway API digest 3.8; xds-ini digest 8.3.
 */
export const VALIDATE_AND_REPLACE = {
  kind: 'validate-and-replace', method: 'PUT', path: (id: string) => GATEWAY_PATHS.validateAndReplace(id),
} as const satisfies GatewayRoute;

/** The operation id of a validate-and-replace. */
export const validateAndReplaceId = (call: PublicationKeyParts & { readonly targetId: string }): string => publicationId(VALIDATE_AND_REPLACE, call);

/** Validates a document and replaces the path's with it: stored, forwarded, recorded once the Gateway takes it. */
export function validateAndReplace(call: ReplacementCall, deps: SubmitDeps): Promise<SubmitOutcome> {
  return submitPublication(VALIDATE_AND_REPLACE, call, deps);
}

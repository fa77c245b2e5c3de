import { GATEWAY_PATHS } from '../../gateway/gateway-paths.js';
import type { SubmitDeps, SubmitOutcome } from '../submit-operation.js';
import type { GatewayRoute } from './gateway-call.js';
import { publicationId, submitPublication, type PublicationKeyParts, type ReplacementCall } from './publication.js';

/**
 * `PUT /documents/{id}`: the document of the path is replaced by one validated beforehand; the registry deprecates it
 * (RPLC). See: Gateway API digest 3.4.
 */
export const REPLACE = { kind: 'replace', method: 'PUT', path: (id: string) => GATEWAY_PATHS.replace(id) } as const satisfies GatewayRoute;

/** The operation id of a replace. */
export const replaceId = (call: PublicationKeyParts & { readonly targetId: string }): string => publicationId(REPLACE, call);

/** Replaces a document: stored, forwarded, recorded by the registry once the Gateway takes it. */
export function replace(call: ReplacementCall, deps: SubmitDeps): Promise<SubmitOutcome> {
  return submitPublication(REPLACE, call, deps);
}

import { GATEWAY_PATHS } from '../../gateway/gateway-paths.js';
import type { SubmitDeps, SubmitOutcome } from '../submit-operation.js';
import type { GatewayRoute } from './gateway-call.js';
import { publicationId, submitPublication, type PublicationCall, type PublicationKeyParts } from './publication.js';

/** `POST /documents`: publication of a document validated beforehand. See: Gateway API digest 3.3. */
export const CREATE = { kind: 'create', method: 'POST', path: () => GATEWAY_PATHS.create() } as const satisfies GatewayRoute;

/** The operation id of a creation. */
export const createId = (call: PublicationKeyParts): string => publicationId(CREATE, call);

/** Publishes a document: stored, forwarded to the Gateway, recorded by the registry once the Gateway takes it. */
export function create(call: PublicationCall, deps: SubmitDeps): Promise<SubmitOutcome> {
  return submitPublication(CREATE, call, deps);
}

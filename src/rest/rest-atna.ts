import type { RestPublication } from '../atna-message/transaction-events.js';
import type { AtnaRecorder } from '../atna/atna-recorder.js';
import type { Logger } from '../logging/logger.js';
import type { GatewayCall } from '../operations/gateway/gateway-call.js';

/**
 * The REST door's half of ATNA for the publication family: one message per answered call, the producer's token
 * naming the operator (`sub`) and the patient (`person_id`), the document the call is about, the outcome from the
 * HTTP status (2xx, including 202 "sent later", is success; anything else a serious failure, the Gateway's answer
 * being the producer's). A call refused before it reaches its operation (a token that does not verify) is an
 * authentication failure the REST door answers with problem+json and is not audited here. Never throws.
 * See: docs/atna.md.
 */
export interface RestAtnaCall {
  readonly kind: RestPublication;
  readonly call: GatewayCall;
  readonly status: number;
  readonly url?: string;
  readonly remoteAddress?: string;
}

export function recordRestPublication(atna: AtnaRecorder | undefined, rest: RestAtnaCall, logger: Logger | undefined): void {
  if (!atna) return;
  try {
    const { claims } = rest.call;
    atna.transaction({
      transaction: rest.kind, time: new Date(),
      outcome: rest.status >= 200 && rest.status < 300 ? 'Success' : 'Failure',
      errorCodes: rest.status >= 300 ? [`HTTP ${rest.status}`] : undefined,
      endpoint: rest.url ?? `/v1/documents (${rest.kind})`,
      requester: { replyTo: claims.iss ?? 'unknown', address: rest.remoteAddress, userId: claims.sub },
      patientId: claims.person_id,
      documents: rest.call.documentId ? [{ uniqueId: rest.call.documentId }] : [],
    });
  } catch (err) {
    logger?.error('atna message not recorded', { kind: rest.kind, error: String(err) });
  }
}

import { registryError, type RegistryError, type XdsErrorCode } from '../errors/xds-codes.js';
import { gatewayXdsErrors } from '../mappings/gateway-xds-errors.js';
import type { Operation } from '../stores/operation-store.js';
import type { SubmitOutcome } from './submit-operation.js';
import type { RegistryResponse } from '../domain/registry-response.js';

/**
 * What a SOAP producer is told of its operation in the pipeline: the national Gateway's answer as a RegistryResponse.
 * Accepted: Success, its national warnings as Warnings, and the workflowInstanceId and traceId in the
 * ResponseSlotList so the producer can follow the document in the REST status API. Refused: Failure with the
 * Gateway's problem mapped to an XDS code (`mappings/gateway-errors-to-xds.json`), its detail as codeContext.
 * Unreachable: Success with a Warning, the document indexed locally and sent later (middleware rules).
 * See: xds-ini digest 1.2, 8.3, 9; Gateway API digest 1.4.
 */

const MAX_CONTEXT = 4000;

interface GatewayJson {
  readonly type?: unknown;
  readonly detail?: unknown;
  readonly warning?: unknown;
  readonly workflowInstanceId?: unknown;
}

function jsonOf(op: Operation): GatewayJson {
  try {
    const value: unknown = JSON.parse(op.answer?.body.toString('utf8') ?? '');
    return value && typeof value === 'object' ? (value as GatewayJson) : {};
  } catch {
    return {};
  }
}

const clip = (text: string) => (text.length > MAX_CONTEXT ? `${text.slice(0, MAX_CONTEXT - 3)}...` : text);

function slotsOf(op: Operation, json: GatewayJson): Record<string, string[]> {
  const wid = typeof json.workflowInstanceId === 'string' ? json.workflowInstanceId : op.workflowInstanceId;
  return { traceId: [op.traceId], ...(wid ? { workflowInstanceId: [wid] } : {}) };
}

/** The RegistryResponse of one document's operation; `location` names the document in every entry. */
export function registryResponseOf(outcome: SubmitOutcome, location: string, fallback: XdsErrorCode): RegistryResponse {
  const op = outcome.operation;
  const json = jsonOf(op);
  if (outcome.kind === 'local') {
    return {
      status: 'Success', slots: slotsOf(op, json),
      errors: [registryError('XDSRegistryNotAvailable', 'GTW nazionale non raggiungibile: documento registrato e indicizzato localmente, invio differito', location, 'Warning')],
    };
  }
  if (outcome.kind === 'pending' || !op.answer) {
    return {
      status: 'Success', slots: slotsOf(op, json),
      errors: [registryError('XDSRegistryBusy', 'operazione presa in carico, in attesa della risposta del GTW nazionale', location, 'Warning')],
    };
  }
  const status = op.answer.status;
  if (status >= 200 && status < 300) {
    const warning = typeof json.warning === 'string' && json.warning !== '' ? [registryError('InvalidDocumentContent', clip(`GTW nazionale: ${json.warning}`), location, 'Warning')] : [];
    return { status: 'Success', errors: warning, slots: slotsOf(op, json) };
  }
  const type = typeof json.type === 'string' ? json.type : undefined;
  const detail = typeof json.detail === 'string' ? json.detail : op.answer.body.toString('utf8').slice(0, 500);
  const code = gatewayXdsErrors().codeOf({ status, type }, fallback);
  return { status: 'Failure', errors: [registryError(code, clip(`GTW nazionale ${status}${type ? ` ${type}` : ''}: ${detail}`), location)], slots: slotsOf(op, json) };
}

/** Merges the responses of several operations (ITI-62 over many documents): PartialSuccess when some failed. */
export function mergeResponses(responses: readonly RegistryResponse[]): RegistryResponse {
  const errors: RegistryError[] = responses.flatMap((r) => r.errors);
  const failed = responses.filter((r) => r.status === 'Failure').length;
  const status = failed === 0 ? 'Success' : failed === responses.length ? 'Failure' : 'PartialSuccess';
  const slots: Record<string, string[]> = {};
  for (const r of responses) for (const [k, v] of Object.entries(r.slots ?? {})) slots[k] = [...(slots[k] ?? []), ...v];
  return { status, errors, slots };
}

/**
 * The Gateway refused because INI has no such document (404 `/msg/record-not-found`): for a delete or a metadata
 * update of an entry registered here by ITI-42 and never published nationally, the regional registry is the only
 * index, so the change is made there alone. See: xds-ini digest 1.2, 4.5, 4.6.
 */
export function unknownNationally(outcome: SubmitOutcome): boolean {
  return outcome.kind === 'answered' && recordNotFound(outcome.operation);
}

/** The operation's answer is the Gateway's 404 `/msg/record-not-found` (INI has no such document). */
export function recordNotFound(op: Operation): boolean {
  return op.answer?.status === 404 && jsonOf(op).type === '/msg/record-not-found';
}

/** What the Gateway said when it refused an operation: status, problem type and detail. */
export function refusalOf(op: Operation): string {
  const json = jsonOf(op);
  const type = typeof json.type === 'string' ? ` ${json.type}` : '';
  const detail = typeof json.detail === 'string' ? json.detail : op.answer?.body.toString('utf8').slice(0, 500) ?? '';
  return clip(`GTW nazionale ${op.answer?.status ?? '?'}${type}: ${detail}`);
}

/** The Warning that says so. */
export function regionalOnlyWarning(uniqueId: string, what: string): RegistryError {
  return registryError('XDSRegistryError', `document ${uniqueId} is unknown to the national infrastructure: ${what} in the regional registry only`, uniqueId, 'Warning');
}

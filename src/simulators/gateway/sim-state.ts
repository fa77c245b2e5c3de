import type { RequestContext } from '../../logging/context.js';
import { createSimValidationRecords, type SimValidationRecords } from './validation-records.js';

/**
 * The in-memory state of the Gateway simulator: validation records, published documents, status events and the log
 * of received requests. See: Gateway API digest, 7.7 (records), 8.3 and 9 (events).
 */

/** The operations of the national API, as the simulator's switches name them. See: Gateway API digest, 3.0. */
export type SimOperation =
  | 'validation' | 'create' | 'replace' | 'validate-and-create' | 'validate-and-replace' | 'delete' | 'metadata' | 'status';

/** One status event, shaped as `StatusCheckDTO` (null fields omitted). See: Gateway API digest, 9.1. */
export interface StatusEvent {
  readonly eventType: string;
  readonly eventDate: string;
  readonly eventStatus: 'SUCCESS' | 'BLOCKING_ERROR' | 'NON_BLOCKING_ERROR' | 'ASYNC_RETRY';
  readonly message?: string;
  readonly identificativoDocumento?: string;
  readonly subject?: string;
  readonly subjectRole?: string;
  readonly tipoAttivita?: string;
  readonly organizzazione?: string;
  readonly workflowInstanceId?: string;
  readonly traceId: string;
  readonly issuer: string;
  readonly expiringDate: string;
}

/** A document known to the simulated Gateway (and, behind it, to INI). */
export interface SimDocument {
  readonly id: string;
  state: 'published' | 'replaced' | 'deleted';
  workflowInstanceId: string;
  /** Accepted creations with this id: the Gateway does not detect duplicates synchronously (3.3), tests can. */
  publications: number;
  metadataUpdates: number;
  replaces?: string;
  replacedBy?: string;
}

/** One part of a received multipart body, as it arrived. */
export interface ReceivedPart {
  readonly name: string;
  /** Present when the part was sent as a file (Content-Disposition `filename`). */
  readonly fileName?: string;
  readonly contentType?: string;
  readonly size: number;
  readonly sha256: string;
  /** The text of a non-file part (e.g. the `requestBody` JSON), as received. */
  readonly text?: string;
}

/** One request received by the simulator (control calls excluded). */
export interface ReceivedRequest {
  readonly time: Date;
  readonly method: string;
  /** The path as received, percent-encoding included. */
  readonly path: string;
  readonly operation: SimOperation;
  /** Headers of interest, verbatim. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  parts?: readonly ReceivedPart[];
  json?: string;
  status?: number;
}

/** Identity of the caller, read from the signature token, that events carry. */
export interface Caller {
  readonly issuer: string;
  readonly subject?: string;
  readonly subjectRole?: string;
  readonly organizzazione?: string;
}

export interface SimState {
  records: SimValidationRecords;
  readonly documents: Map<string, SimDocument>;
  readonly events: StatusEvent[];
  readonly received: ReceivedRequest[];
  readonly ttlDays: number;
}

export function createSimState(ttlDays: number): SimState {
  return { records: createSimValidationRecords(ttlDays), documents: new Map(), events: [], received: [], ttlDays };
}

/** Empties the state in place, so references handed out (`received`, `documents`) stay valid. */
export function clearSimState(state: SimState): void {
  state.records = createSimValidationRecords(state.ttlDays);
  state.documents.clear();
  state.events.length = 0;
  state.received.length = 0;
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Appends a status event for the current call. See: Gateway API digest, 8.3 and 9.1. */
export function addEvent(
  state: SimState,
  ctx: RequestContext,
  caller: Caller,
  event: Pick<StatusEvent, 'eventType' | 'eventStatus' | 'message' | 'identificativoDocumento' | 'tipoAttivita' | 'workflowInstanceId'>,
): void {
  const now = new Date();
  state.events.push({
    ...event,
    eventDate: now.toISOString(),
    subject: caller.subject,
    subjectRole: caller.subjectRole,
    organizzazione: caller.organizzazione,
    traceId: ctx.traceId,
    issuer: caller.issuer,
    expiringDate: new Date(now.getTime() + YEAR_MS).toISOString(),
  });
}

import type { XmlDocument } from 'libxml2-wasm';
import type { XmlBuilder as XMLBuilder } from '../xml/xml-writer.js';
import { callerFields, type AuditLog } from '../audit/index.js';
import type { CallerIdentity } from '../domain/caller.js';
import { SOAP_ACTION } from '../metadata/vocabulary.js';
import { isXdsError, type RegistryError } from '../errors/xds-codes.js';
import type { RequestContext } from '../logging/context.js';
import type { Logger } from '../logging/logger.js';
import { parseXml, XmlInputError } from '../xml/xml-toolkit.js';
import { buildMtom, type MtomAttachment } from '../soap-wire/mtom-builder.js';
import type { MimePart } from '../soap-wire/multipart-related.js';
import { actionForBody, SOAP_ACTIONS, type SoapActionSpec, type SoapEndpoint, type SoapTransaction } from './soap-actions.js';
import { decodeEnvelope, type SoapEnvelope } from '../soap-wire/soap-envelope.js';
import { encodeFailure } from '../ebxml/failure-response.js';
import { isSoapFault, SoapFault } from '../soap-wire/soap-fault.js';
import { readSoapPayload, type SoapLimits } from '../soap-wire/soap-payload.js';
import { resolveCaller, type SoapSecurityPolicy, type TlsPeer } from './soap-security.js';
import type { AtnaRecorder } from '../atna/atna-recorder.js';
import { recordSoapRefusal, recordSoapTransaction } from './soap-atna.js';
import { encodeEnvelope, encodeFault } from '../soap-wire/soap-writer.js';

/**
 * The SOAP front door's router, transport-neutral (STYLE, Medplum): it takes the HTTP request's content type and
 * body stream and returns status, content type and bytes. It decodes the packaging (plain or MTOM), the envelope and
 * the caller, picks the handler from the action table, and encodes the reply (MTOM where the table says). Faults
 * only for envelope, addressing and security; everything else is the transaction's own response.
 * See: xds-ini digest 2.1-2.6.
 */

/** What a handler receives. */
export interface SoapCall {
  readonly action: string;
  readonly envelope: SoapEnvelope;
  /** MIME parts by Content-ID, for `xop:Include` (empty for plain SOAP). */
  readonly parts: ReadonlyMap<string, MimePart>;
  readonly caller: CallerIdentity;
  readonly ctx: RequestContext;
}

/** What the access log records of one answer: the patient, the documents it disclosed or changed, the outcome. */
export interface AuditFacts {
  readonly patientId?: string;
  readonly documentIds: readonly string[];
  readonly outcome: 'Success' | 'PartialSuccess' | 'Failure';
  readonly errorCodes: readonly string[];
}

/** What a handler answers: the body element, written after the request document is gone, and any MTOM parts. */
export interface SoapReply {
  readonly body: (parent: XMLBuilder) => void;
  readonly attachments?: readonly MtomAttachment[];
  /** One entry per patient concerned; absent for transactions the access log does not cover. */
  readonly audit?: readonly AuditFacts[];
  /** The response's status, for ATNA when `audit` is absent (ITI-41); default Success. */
  readonly outcome?: AuditFacts['outcome'];
}

export type SoapHandler = (call: SoapCall) => Promise<SoapReply>;

export interface SoapRouterDeps {
  readonly handlers: Readonly<Record<SoapTransaction, SoapHandler>>;
  readonly limits: SoapLimits;
  readonly security: SoapSecurityPolicy;
  readonly logger: Logger;
  /** The access log: every answered transaction, and every refused credential. */
  readonly audit?: AuditLog;
  /** IHE ATNA: the same two points as the access log, never awaited. See: docs/atna.md. */
  readonly atna?: AtnaRecorder;
}

export interface SoapHttpRequest {
  readonly endpoint: SoapEndpoint;
  readonly contentType?: string;
  readonly body: AsyncIterable<unknown>;
  readonly tlsPeer?: TlsPeer;
  /** The URL the request reached and the caller's address, for ATNA's participants. */
  readonly url?: string;
  readonly remoteAddress?: string;
}

export interface SoapHttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
  /** Which transaction answered (for logs and metrics); absent for faults before dispatch. */
  readonly transaction?: SoapTransaction;
}

const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=UTF-8';

/** Handles one SOAP request end to end; never throws (every failure is a fault or a Failure response). */
export async function handleSoap(request: SoapHttpRequest, ctx: RequestContext, deps: SoapRouterDeps): Promise<SoapHttpResponse> {
  let doc: XmlDocument | undefined;
  let messageId: string | undefined;
  try {
    const payload = await readSoapPayload(request.contentType, request.body, deps.limits);
    doc = parseEnvelopeXml(payload.envelope);
    const envelope = decodeEnvelope(doc);
    messageId = envelope.messageId;
    const action = envelope.action ?? payload.contentTypeAction ?? actionForBody(request.endpoint, envelope.body.namespaceUri, envelope.body.name);
    const spec = specFor(action, request.endpoint);
    if (envelope.body.namespaceUri !== spec.body.ns || envelope.body.name !== spec.body.localName) {
      throw new SoapFault('Sender', `action ${action} carries ${spec.body.localName}, not ${envelope.body.name}`, 'fse:MalformedMessage');
    }
    const caller = resolveCaller(envelope, request.tlsPeer, deps.security, spec.transaction);
    ctx.caller = caller.subjectId ?? caller.issuer ?? caller.source;
    const reply = await runHandler(spec, { action: action as string, envelope, parts: payload.parts, caller, ctx }, deps);
    for (const facts of reply.audit ?? []) {
      await deps.audit?.record({ direction: 'inbound', transaction: auditName(action as string), ...callerFields(caller), ...facts, traceId: ctx.traceId });
    }
    // After the access log, the system of record: a call whose record failed is answered a fault, not audited a success.
    recordSoapTransaction(deps.atna, {
      transaction: spec.transaction, envelope, caller, audit: reply.audit, outcome: reply.outcome ?? 'Success',
      endpoint: envelope.to ?? request.url ?? request.endpoint, remoteAddress: request.remoteAddress,
    }, deps.logger);
    const xml = encodeEnvelope({ action: spec.responseAction, relatesTo: messageId, body: reply.body });
    const mtom = spec.mtom === 'always' || (spec.mtom === 'mirror' && payload.mtom);
    if (!mtom) return { status: 200, contentType: `${SOAP_CONTENT_TYPE}; action="${spec.responseAction}"`, body: Buffer.from(xml, 'utf8'), transaction: spec.transaction };
    const pkg = buildMtom({ rootXml: xml, action: spec.responseAction, attachments: reply.attachments ?? [] });
    return { status: 200, contentType: pkg.contentType, body: pkg.body, transaction: spec.transaction };
  } catch (err) {
    const fault = isSoapFault(err) ? err : internalFault(err, ctx, deps);
    if (fault.code !== 'Receiver') deps.logger.info('soap fault', { code: fault.code, subcode: fault.subcode, reason: fault.reason }, deps.logger);
    if (fault.subcode?.startsWith('wsse:')) {
      // A refused credential is an attempt on health data: it goes in the access log too. See: federation issue 1.
      deps.logger.warn('soap security refused', { subcode: fault.subcode, reason: fault.reason, traceId: ctx.traceId });
      recordSoapRefusal(deps.atna, { endpoint: request.url ?? request.endpoint, remoteAddress: request.remoteAddress, subcode: fault.subcode, reason: fault.reason }, deps.logger);
      await deps.audit?.record({ direction: 'inbound', transaction: 'WS-Security', counterpart: 'unverified', outcome: 'Failure', errorCodes: [fault.subcode], traceId: ctx.traceId })
        .catch((e: unknown) => deps.logger.error('audit record failed', { error: String(e) }));
    }
    return { status: fault.httpStatus, contentType: SOAP_CONTENT_TYPE, body: Buffer.from(encodeFault(fault, messageId), 'utf8') };
  } finally {
    doc?.dispose();
  }
}

/** The access log's name of a transaction: IHE's, and INI's delete by its own action. */
function auditName(action: string): string {
  if (action === SOAP_ACTION.iniDelete) return 'INI-delete';
  const spec = SOAP_ACTIONS[action];
  return spec ? `ITI-${spec.transaction.slice(3)}` : action;
}

function parseEnvelopeXml(bytes: Buffer): XmlDocument {
  try {
    return parseXml(bytes, 'soap-envelope.xml');
  } catch (err) {
    if (err instanceof XmlInputError) {
      const what = err.problem === 'dtd-forbidden' ? 'DTDs and entity declarations are not allowed' : `not well-formed XML: ${err.message}`;
      throw new SoapFault('Sender', what, 'fse:MalformedMessage');
    }
    throw err;
  }
}

function specFor(action: string | undefined, endpoint: SoapEndpoint): SoapActionSpec {
  if (action === undefined) throw new SoapFault('Sender', 'no wsa:Action header and no action in the Content-Type', 'wsa:MessageAddressingHeaderRequired');
  const spec = SOAP_ACTIONS[action];
  if (spec === undefined || spec.endpoint !== endpoint) {
    throw new SoapFault('Sender', `action ${action} is not supported by the ${endpoint} endpoint`, 'wsa:ActionNotSupported');
  }
  return spec;
}

/**
 * Runs the handler; an XDS error that escapes it (a body that does not decode) or an unexpected exception becomes a
 * Failure in the transaction's response element, with the table's default code for the unexpected case.
 */
async function runHandler(spec: SoapActionSpec, call: SoapCall, deps: SoapRouterDeps): Promise<SoapReply> {
  try {
    return await deps.handlers[spec.transaction](call);
  } catch (err) {
    if (isSoapFault(err)) throw err;
    let error: RegistryError;
    if (isXdsError(err)) {
      error = err.toRegistryError();
    } else {
      deps.logger.error('soap handler failed', { transaction: spec.transaction, error: String((err as Error)?.stack ?? err) });
      error = { code: spec.defaultError, codeContext: `internal error (traceId ${call.ctx.traceId})`, severity: 'Error' };
    }
    return { body: (parent) => encodeFailure(spec.response, [error], parent), outcome: 'Failure' };
  }
}

function internalFault(err: unknown, ctx: RequestContext, deps: SoapRouterDeps): SoapFault {
  deps.logger.error('soap request failed', { error: String((err as Error)?.stack ?? err) });
  return new SoapFault('Receiver', `internal error (traceId ${ctx.traceId})`, 'fse:InternalError');
}

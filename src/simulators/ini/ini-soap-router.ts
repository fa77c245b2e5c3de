import type { XmlDocument } from 'libxml2-wasm';
import { isXdsError, type RegistryError } from '../../errors/xds-codes.js';
import type { Logger } from '../../logging/logger.js';
import { verifyAssertion, type VerifiedAssertion } from '../../saml/assertion-verifier.js';
import { isSamlError, SamlError } from '../../saml/saml-error.js';
import type { SamlTrustedSigner } from '../../saml/saml-trust-store.js';
import { singleAssertionOf } from '../../saml/security-header.js';
import { buildMtom, type MtomAttachment } from '../../soap-wire/mtom-builder.js';
import type { MimePart } from '../../soap-wire/multipart-related.js';
import { decodeEnvelope, type SoapEnvelope } from '../../soap-wire/soap-envelope.js';
import { encodeFailure } from '../../ebxml/failure-response.js';
import { isSoapFault, SoapFault } from '../../soap-wire/soap-fault.js';
import { readSoapPayload, type SoapLimits } from '../../soap-wire/soap-payload.js';
import { encodeEnvelope, encodeFault } from '../../soap-wire/soap-writer.js';
import { parseXml, XmlInputError } from '../../xml/xml-toolkit.js';
import type { XmlBuilder } from '../../xml/xml-writer.js';
import type { IniService } from '../../metadata/ini-service-paths.js';
import { actionForBody, INI_ACTIONS, type IniActionSpec, type IniOperation } from './ini-services.js';
import type { IniReceivedRequest } from './ini-sim-state.js';
import type { ResponseStatus } from '../../domain/registry-response.js';

/**
 * The simulated INI's SOAP handling, transport-neutral: packaging (plain or MTOM), envelope, action per service path,
 * then the WS-Security check every INI call passes (one signed assertion, from a pinned signer, an allowed Issuer,
 * in its validity window, with an action-id coherent with the operation), then the operation's handler. A refused
 * assertion is a Sender fault with the subcode of its reason. See: xds-ini digest 2.1-2.6, 7.6, 10 item 18.
 */

/** What a handler receives; the envelope's elements live until the handler's promise settles. */
export interface IniCall {
  readonly spec: IniActionSpec;
  readonly action: string;
  readonly envelope: SoapEnvelope;
  readonly parts: ReadonlyMap<string, MimePart>;
  readonly saml: VerifiedAssertion;
}

export interface IniReply {
  readonly status: ResponseStatus;
  readonly body: (parent: XmlBuilder) => void;
  readonly attachments?: readonly MtomAttachment[];
}

export type IniHandler = (call: IniCall) => Promise<IniReply>;

/** Who may call INI. */
export interface IniTrust {
  readonly trustedSigners: readonly SamlTrustedSigner[];
  readonly allowedIssuers: readonly string[];
  readonly clockSkewSeconds?: number;
}

export interface IniRouterDeps {
  readonly handlers: Readonly<Record<IniOperation, IniHandler>>;
  readonly trust: IniTrust;
  readonly limits: SoapLimits;
  readonly logger: Logger;
}

export interface IniHttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=UTF-8';

/** Handles one request; never throws. `entry` (the received log's) is filled in as the call progresses. */
export async function handleIniSoap(
  service: IniService, contentType: string | undefined, body: AsyncIterable<unknown>, entry: IniReceivedRequest, deps: IniRouterDeps,
): Promise<IniHttpResponse> {
  let doc: XmlDocument | undefined;
  let messageId: string | undefined;
  try {
    const payload = await readSoapPayload(contentType, body, deps.limits);
    doc = parseEnvelope(payload.envelope);
    const envelope = decodeEnvelope(doc);
    messageId = envelope.messageId;
    const action = envelope.action ?? payload.contentTypeAction ?? actionForBody(service, envelope.body.namespaceUri, envelope.body.name);
    if (action === undefined) throw new SoapFault('Sender', 'no wsa:Action header and no action in the Content-Type', 'wsa:MessageAddressingHeaderRequired');
    entry.action = action;
    const spec = INI_ACTIONS[service][action];
    if (spec === undefined) throw new SoapFault('Sender', `action ${action} is not served at ${entry.path}`, 'wsa:ActionNotSupported');
    entry.operation = spec.operation;
    if (envelope.body.namespaceUri !== spec.body.ns || envelope.body.name !== spec.body.localName) {
      throw new SoapFault('Sender', `action ${action} carries ${spec.body.localName}, not ${envelope.body.name}`, 'fse:MalformedMessage');
    }
    const saml = verifyInbound(envelope, spec, deps.trust);
    Object.assign(entry, {
      samlIssuer: saml.issuer, samlRole: saml.identity.role, samlPurpose: saml.identity.purposeOfUse,
      samlActionId: saml.identity.actionId, patientId: saml.identity.resourceId,
    });
    const reply = await run(spec, { spec, action, envelope, parts: payload.parts, saml }, deps);
    entry.status = reply.status;
    const xml = encodeEnvelope({ action: spec.responseAction, relatesTo: messageId, body: reply.body });
    if (!spec.mtom) return { status: 200, contentType: `${SOAP_CONTENT_TYPE}; action="${spec.responseAction}"`, body: Buffer.from(xml, 'utf8') };
    const pkg = buildMtom({ rootXml: xml, action: spec.responseAction, attachments: reply.attachments ?? [] });
    return { status: 200, contentType: pkg.contentType, body: pkg.body };
  } catch (err) {
    const fault = isSoapFault(err) ? err : new SoapFault('Receiver', 'internal error of the INI simulator', 'fse:InternalError');
    if (!isSoapFault(err)) deps.logger.error('ini simulator request failed', { error: String((err as Error)?.stack ?? err) });
    entry.status = 'Fault';
    entry.faultSubcode = fault.subcode;
    return { status: fault.httpStatus, contentType: SOAP_CONTENT_TYPE, body: Buffer.from(encodeFault(fault, messageId), 'utf8') };
  } finally {
    doc?.dispose();
  }
}

function parseEnvelope(bytes: Buffer): XmlDocument {
  try {
    return parseXml(bytes, 'ini-request.xml');
  } catch (err) {
    if (err instanceof XmlInputError) throw new SoapFault('Sender', `not a well-formed envelope: ${err.message}`, 'fse:MalformedMessage');
    throw err;
  }
}

/**
 * The assertion of the Security header, verified. The fault says which check failed (its subcode) but not the
 * details, which go to no caller. See: xds-ini digest 7.6; src/saml/saml-error.ts.
 */
function verifyInbound(envelope: SoapEnvelope, spec: IniActionSpec, trust: IniTrust): VerifiedAssertion {
  try {
    if (!envelope.security) throw new SamlError('unsigned', 'no wsse:Security header');
    return verifyAssertion(singleAssertionOf(envelope.security), {
      trustedSigners: trust.trustedSigners,
      allowedIssuers: trust.allowedIssuers,
      allowedActionIds: spec.actionIds,
      ...(trust.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: trust.clockSkewSeconds }),
    });
  } catch (err) {
    if (isSamlError(err)) throw new SoapFault('Sender', `the SAML assertion is refused (${err.reason})`, err.faultSubcode);
    throw err;
  }
}

/** Runs the handler; an XDS error it throws (a body that does not decode) or an unexpected one is a Failure response. */
async function run(spec: IniActionSpec, call: IniCall, deps: IniRouterDeps): Promise<IniReply> {
  try {
    return await deps.handlers[spec.operation](call);
  } catch (err) {
    if (isSoapFault(err)) throw err;
    let error: RegistryError;
    if (isXdsError(err)) {
      error = err.toRegistryError();
    } else {
      deps.logger.error('ini simulator handler failed', { operation: spec.operation, error: String((err as Error)?.stack ?? err) });
      error = { code: spec.operation === 'iti43' ? 'XDSRepositoryError' : 'XDSRegistryError', codeContext: 'internal error of the INI simulator', severity: 'Error' };
    }
    return { status: 'Failure', body: (parent) => encodeFailure(spec.response, [error], parent) };
  }
}

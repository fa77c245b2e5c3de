import { randomUUID } from 'node:crypto';
import { XmlDocumentWriter, type XmlBuilder as XMLBuilder } from '../xml/xml-writer.js';
import { NS } from '../xml/xml-toolkit.js';
import { WSA_ANONYMOUS } from './soap-envelope.js';
import { SUBCODE_NS, type SoapFault } from './soap-fault.js';

/**
 * Writes SOAP 1.2 response envelopes with their WS-Addressing headers, built with the project's XML writer (never template strings,
 * STYLE rule 15). See: xds-ini digest 2.1, 2.4 (response headers: Action, RelatesTo, own MessageID, To anonymous).
 */

/** WS-Addressing action of every fault. See: WS-Addressing 1.0 SOAP Binding 6. */
export const FAULT_ACTION = 'http://www.w3.org/2005/08/addressing/fault';

export interface EnvelopeInput {
  readonly action: string;
  /** The request's wsa:MessageID, echoed as wsa:RelatesTo. */
  readonly relatesTo?: string;
  /** Appends the one body element. */
  readonly body: (parent: XMLBuilder) => void;
}

function envelope(action: string, relatesTo: string | undefined): { doc: XmlDocumentWriter; header: XMLBuilder; body: XMLBuilder } {
  const doc = new XmlDocumentWriter();
  const env = doc.root().ele(NS.soap12, 'env:Envelope').att('xmlns:wsa', NS.wsa);
  const header = env.ele(NS.soap12, 'env:Header');
  header.ele(NS.wsa, 'wsa:Action', { 'env:mustUnderstand': 'true' }).txt(action);
  header.ele(NS.wsa, 'wsa:MessageID').txt(`urn:uuid:${randomUUID()}`);
  if (relatesTo !== undefined) header.ele(NS.wsa, 'wsa:RelatesTo').txt(relatesTo);
  header.ele(NS.wsa, 'wsa:To').txt(WSA_ANONYMOUS);
  return { doc, header, body: env.ele(NS.soap12, 'env:Body') };
}

/** A complete response envelope as UTF-8 text. */
export function encodeEnvelope(input: EnvelopeInput): string {
  const { doc, body } = envelope(input.action, input.relatesTo);
  input.body(body);
  return doc.end();
}

/** A complete fault envelope. See: SOAP 1.2 Part 1 5.4 (Code/Value, Subcode, Reason/Text, NotUnderstood). */
export function encodeFault(fault: SoapFault, relatesTo?: string): string {
  const { doc, header, body } = envelope(FAULT_ACTION, relatesTo);
  if (fault.notUnderstood) {
    header.ele(NS.soap12, 'env:NotUnderstood').att('xmlns:nu', fault.notUnderstood.namespace)
      .att('qname', `nu:${fault.notUnderstood.localName}`);
  }
  const el = body.ele(NS.soap12, 'env:Fault');
  const code = el.ele(NS.soap12, 'env:Code');
  code.ele(NS.soap12, 'env:Value').txt(`env:${fault.code}`);
  if (fault.subcode) {
    const [prefix] = fault.subcode.split(':') as [keyof typeof SUBCODE_NS];
    code.ele(NS.soap12, 'env:Subcode').att(`xmlns:${prefix}`, SUBCODE_NS[prefix]).ele(NS.soap12, 'env:Value').txt(fault.subcode);
  }
  el.ele(NS.soap12, 'env:Reason').ele(NS.soap12, 'env:Text', { 'xml:lang': 'en' }).txt(fault.reason);
  return doc.end();
}

import type { XmlDocument, XmlElement, XmlNode } from 'libxml2-wasm';
import { NS } from '../xml/xml-toolkit.js';
import { SoapFault } from './soap-fault.js';

/**
 * Reads a SOAP 1.2 envelope: the WS-Addressing headers, the WS-Security header and the one body element. Lenient
 * where real XDS senders differ (the Gateway sends only Action and a bare-UUID MessageID, no To or ReplyTo), strict
 * where the protocol is: SOAP 1.1 envelopes get VersionMismatch, unknown mustUnderstand headers MustUnderstand, a
 * non-anonymous ReplyTo OnlyAnonymousAddressSupported. See: xds-ini digest 2.1, 2.4, 10 item 18; SOAP 1.2 Part 1 5.
 */
export interface SoapEnvelope {
  /** `wsa:Action`, trimmed; absent when the sender did not put one (the router falls back, digest 2.3). */
  readonly action?: string;
  readonly messageId?: string;
  readonly to?: string;
  /** The single child of `env:Body`. Valid while the document lives. */
  readonly body: XmlElement;
  /** The `wsse:Security` header block, when present. */
  readonly security?: XmlElement;
}

/** The anonymous WS-Addressing endpoint: synchronous replies on the same HTTP exchange. See: xds-ini digest 2.4. */
export const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';

const NONE_ADDRESS = 'http://www.w3.org/2005/08/addressing/none';

const isElement = (n: XmlNode | null): n is XmlElement => n !== null && 'attrs' in n;

/** The element children of `el`, in document order (text, comments and processing instructions skipped). */
export function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = el.firstChild; n !== null; n = n.next) if (isElement(n)) out.push(n);
  return out;
}

function attrNs(el: XmlElement, namespace: string, localName: string): string | undefined {
  const found = el.attrs.find((a) => a.name === localName && a.namespaceUri === namespace);
  return found?.value;
}

function isMustUnderstand(el: XmlElement): boolean {
  const value = attrNs(el, NS.soap12, 'mustUnderstand');
  return value === 'true' || value === '1';
}

/** Header blocks the bridge processes: every WS-Addressing header and the WS-Security header. */
function understood(el: XmlElement): boolean {
  return el.namespaceUri === NS.wsa || (el.namespaceUri === NS.wsse && el.name === 'Security');
}

function text(el: XmlElement | undefined): string | undefined {
  const value = el?.content.trim();
  return value === '' ? undefined : value;
}

/**
 * Decodes the envelope of a parsed request.
 * @throws SoapFault VersionMismatch (SOAP 1.1 or no envelope namespace), MustUnderstand, Sender (structure, ReplyTo).
 */
export function decodeEnvelope(doc: XmlDocument): SoapEnvelope {
  const root = doc.root;
  if (root.name !== 'Envelope' || root.namespaceUri !== NS.soap12) {
    if (root.name === 'Envelope' && root.namespaceUri === NS.soap11) {
      throw new SoapFault('VersionMismatch', 'SOAP 1.1 envelopes are not accepted: XDS.b uses SOAP 1.2');
    }
    throw new SoapFault('VersionMismatch', `the root element is not a SOAP 1.2 Envelope (${root.namespaceUri} ${root.name})`);
  }
  const children = childElements(root);
  const header = children.find((c) => c.name === 'Header' && c.namespaceUri === NS.soap12);
  const bodies = children.filter((c) => c.name === 'Body' && c.namespaceUri === NS.soap12);
  const [bodyEl] = bodies;
  if (!bodyEl || bodies.length > 1) throw new SoapFault('Sender', 'the envelope must have exactly one Body', 'fse:MalformedMessage');
  const payload = childElements(bodyEl);
  const [body] = payload;
  if (!body || payload.length > 1) {
    throw new SoapFault('Sender', `the Body must contain exactly one element, found ${payload.length}`, 'fse:MalformedMessage');
  }
  const blocks = header ? childElements(header) : [];
  const unknown = blocks.find((b) => isMustUnderstand(b) && !understood(b));
  if (unknown) {
    throw new SoapFault('MustUnderstand', `header ${unknown.name} (${unknown.namespaceUri}) is not understood`, undefined,
      { namespace: unknown.namespaceUri, localName: unknown.name });
  }
  const wsa = (name: string) => blocks.filter((b) => b.namespaceUri === NS.wsa && b.name === name);
  const single = (name: string): XmlElement | undefined => {
    const found = wsa(name);
    if (found.length > 1) throw new SoapFault('Sender', `more than one wsa:${name} header`, 'wsa:InvalidAddressingHeader');
    return found[0];
  };
  const replyTo = single('ReplyTo');
  const replyAddress = replyTo ? text(childElements(replyTo).find((c) => c.name === 'Address' && c.namespaceUri === NS.wsa)) : undefined;
  if (replyAddress !== undefined && replyAddress !== WSA_ANONYMOUS && replyAddress !== NONE_ADDRESS) {
    throw new SoapFault('Sender', `only anonymous (synchronous) replies are supported, not ${replyAddress}`, 'wsa:OnlyAnonymousAddressSupported');
  }
  const securities = blocks.filter((b) => b.namespaceUri === NS.wsse && b.name === 'Security');
  if (securities.length > 1) throw new SoapFault('Sender', 'more than one wsse:Security header', 'wsse:InvalidSecurity');
  return {
    action: text(single('Action')),
    messageId: text(single('MessageID')),
    to: text(single('To')),
    body,
    security: securities[0],
  };
}

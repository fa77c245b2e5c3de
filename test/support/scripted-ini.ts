import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { createDevPki } from '../../src/certs/dev-ca.js';
import type { RegionAssertionDefaults } from '../../src/ini/ini-assertion.js';
import { createIniClient, type IniClient } from '../../src/ini/ini-client.js';
import { iniServiceUrls } from '../../src/ini/ini-services.js';
import { loadSamlSigner } from '../../src/saml/saml-signer.js';
import { createSoapCaller, type SoapCallOptions } from '../../src/soap-wire/soap-client.js';
import { SoapFault } from '../../src/soap-wire/soap-fault.js';
import { encodeEnvelope, encodeFault } from '../../src/soap-wire/soap-writer.js';
import { NS, withXml } from '../../src/xml/xml-toolkit.js';
import type { XmlBuilder } from '../../src/xml/xml-writer.js';

/**
 * A real HTTP(S) server playing INI for the INI client's tests and its callers': it answers each request with the
 * next scripted answer (a proxy's 503 page once the script is spent) and records what came. Every service path is
 * the same to it. See: src/ini/ini-call.ts; xds-ini digest 2.7, 2.8, 9.
 */

/** The region's PKI: its SAML signer, its TLS client certificate, and a server certificate for INI. */
export const regionPki = createDevPki(mkdtempSync(path.join(os.tmpdir(), 'scripted-ini-')));
const read = (file: string) => readFileSync(file, 'utf8');

/** What region 120 puts in its assertions to INI. */
export const region: RegionAssertionDefaults = {
  code: '120', name: 'Regione Lazio', repositoryUniqueId: '2.16.840.1.113883.2.9.2.120.4.5.1', defaultApplication: 'FSEBRIDGE^FSE BRIDGE^1.0',
  locality: 'REGIONE LAZIO^^^^^&2.16.840.1.113883.2.9.4.1.2&ISO^^^^120', systemSubject: 'FSEBRIDGE120^^^&2.16.840.1.113883.2.9.4.3.2&ISO',
  signer: loadSamlSigner({ certificatePem: read(regionPki.signCert), privateKeyPem: read(regionPki.signKey) }),
};

/** Region 120's INI client with every service under `url`. */
export function iniClientOf(url: string, options: { retries: number; budgetMs: number; caller?: Partial<SoapCallOptions> }): IniClient {
  return createIniClient({
    urls: iniServiceUrls(url), caller: createSoapCaller({ timeoutMs: 30_000, ...options.caller }), region, retries: options.retries, budgetMs: options.budgetMs,
  });
}

/** One scripted answer, or no answer at all. */
export type ScriptedAnswer = { status: number; contentType: string; body: string } | 'hang';

/** A SOAP 1.2 answer. */
export const soap = (body: string, status = 200): ScriptedAnswer => ({ status, contentType: 'application/soap+xml; charset=UTF-8', body });

/** An envelope with `action` whose body `body` writes. */
export const envelope = (action: string, body: (parent: XmlBuilder) => void): ScriptedAnswer => soap(encodeEnvelope({ action, body }));

/** A SOAP fault of either code, with the HTTP status SOAP 1.2 gives it. */
export const fault = (code: 'Sender' | 'Receiver'): ScriptedAnswer =>
  soap(encodeFault(new SoapFault(code, `${code} says no`, code === 'Sender' ? 'wsse:FailedAuthentication' : 'fse:InternalError')), code === 'Sender' ? 400 : 500);

/** A proxy's error page: no envelope, HTTP 503. */
export const proxyPage: ScriptedAnswer = { status: 503, contentType: 'text/html', body: '<html><body>Service Unavailable</body></html>' };

/** An answer of 200 that is no SOAP envelope. */
export const notXml: ScriptedAnswer = { status: 200, contentType: 'text/plain', body: 'not xml' };

export interface ScriptedReceived { readonly messageId: string; readonly assertionId: string; readonly clientCn?: string }

export class ScriptedIni {
  readonly received: ScriptedReceived[] = [];
  private script: ScriptedAnswer[] = [];
  private readonly hanging: ServerResponse[] = [];
  constructor(private readonly server: ReturnType<typeof createHttpServer> = createHttpServer()) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.answer(req, res));
  }

  play(...answers: ScriptedAnswer[]): void {
    this.script = answers;
    this.received.length = 0;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const scheme = 'setSecureContext' in this.server ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const peer = (req.socket as Partial<TLSSocket>).getPeerCertificate?.();
    this.received.push({ ...heldIn(Buffer.concat(chunks)), ...(peer?.subject ? { clientCn: String(peer.subject.CN) } : {}) });
    const next = this.script.shift() ?? proxyPage;
    if (next === 'hang') {
      this.hanging.push(res);
      return;
    }
    res.writeHead(next.status, { 'content-type': next.contentType }).end(next.body);
  }
}

/** The request's wsa:MessageID and the ID of the signed assertion in its wsse:Security header. */
function heldIn(request: Buffer): { messageId: string; assertionId: string } {
  return withXml(request, (doc) => {
    const ns = { env: NS.soap12, wsa: NS.wsa, wsse: NS.wsse, saml2: NS.saml2, ds: NS.ds };
    const messageId = doc.find('/env:Envelope/env:Header/wsa:MessageID', ns)[0]?.content ?? '';
    const assertionId = doc.find('/env:Envelope/env:Header/wsse:Security/saml2:Assertion[ds:Signature]/@ID', ns)[0]?.content ?? '';
    return { messageId, assertionId };
  });
}

import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import { RelaxNGValidator, XmlDocument } from 'libxml2-wasm';
import { OctetCountingDecoder } from '../../src/atna/octet-counting.js';
import type { DevPki } from '../../src/certs/dev-ca.js';
import { parseXml } from '../../src/xml/xml-toolkit.js';

/**
 * A local syslog receiver for the ATNA tests: a real TLS server (mutual TLS with the development CA, RFC 5425 octet
 * counting) or a real UDP socket (RFC 5426), which splits each RFC 5424 message into its header fields and XML.
 */
export interface ReceivedSyslog {
  readonly pri: string;
  readonly version: string;
  readonly timestamp: string;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
  readonly structuredData: string;
  readonly bom: boolean;
  readonly xml: string;
  /** The TLS client certificate's subject CN (TLS only). */
  readonly peerCn?: string;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Splits an RFC 5424 message: seven space-separated header fields, then MSG (BOM + UTF-8). */
export function parseSyslog(message: Buffer): ReceivedSyslog {
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < 7; i++) {
    const space = message.indexOf(0x20, at);
    if (space < 0) throw new Error(`syslog header has ${i} fields`);
    fields.push(message.subarray(at, space).toString('ascii'));
    at = space + 1;
  }
  const [priVersion = '', timestamp = '', hostname = '', appName = '', procId = '', msgId = '', structuredData = ''] = fields;
  const close = priVersion.indexOf('>');
  const rest = message.subarray(at);
  const bom = rest.subarray(0, 3).equals(BOM);
  return {
    pri: priVersion.slice(1, close), version: priVersion.slice(close + 1), timestamp, hostname, appName, procId, msgId, structuredData,
    bom, xml: (bom ? rest.subarray(3) : rest).toString('utf8'),
  };
}

export interface AtnaReceiver {
  readonly port: number;
  readonly url: string;
  readonly messages: ReceivedSyslog[];
  /** Resolves when at least `count` messages have arrived (the test's own timeout bounds it). */
  waitFor(count: number): Promise<ReceivedSyslog[]>;
  close(): Promise<void>;
}

function collector() {
  const messages: ReceivedSyslog[] = [];
  const waiters: { count: number; resolve: (m: ReceivedSyslog[]) => void }[] = [];
  return {
    messages,
    add(m: ReceivedSyslog) {
      messages.push(m);
      for (const w of waiters.filter((x) => messages.length >= x.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(messages);
      }
    },
    waitFor(count: number): Promise<ReceivedSyslog[]> {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

/** TLS receiver with the PKI's localhost server certificate, requiring a client certificate of the same CA. */
export async function startTlsReceiver(pki: DevPki, port = 0): Promise<AtnaReceiver> {
  const c = collector();
  const sockets = new Set<Socket>();
  const server = tls.createServer({
    cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.caCert),
    requestCert: true, rejectUnauthorized: true,
  }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const decoder = new OctetCountingDecoder();
    const cn = socket.getPeerCertificate().subject?.CN;
    socket.on('data', (chunk: Buffer) => {
      for (const m of decoder.push(chunk)) c.add({ ...parseSyslog(m), peerCn: Array.isArray(cn) ? cn[0] : cn });
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound, url: `tls://127.0.0.1:${bound}`, messages: c.messages, waitFor: c.waitFor,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startUdpReceiver(): Promise<AtnaReceiver & { datagrams: Buffer[] }> {
  const c = collector();
  const datagrams: Buffer[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (m) => {
    datagrams.push(m);
    c.add(parseSyslog(m));
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    port, url: `udp://127.0.0.1:${port}`, messages: c.messages, waitFor: c.waitFor, datagrams,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

const SCHEMA = path.join(import.meta.dirname, '..', 'fixtures', 'atna', 'dicom-audit-message.rng');
let validator: RelaxNGValidator | undefined;

/** Validates an AuditMessage against the DICOM PS3.15 A.5.1 schema; throws with libxml2's messages. */
export function assertDicomAuditMessage(xml: string): void {
  if (!validator) {
    const schemaDoc = XmlDocument.fromBuffer(readFileSync(SCHEMA));
    validator = RelaxNGValidator.fromDoc(schemaDoc);
  }
  const doc = parseXml(xml, 'audit-message.xml');
  try {
    validator.validate(doc);
  } finally {
    doc.dispose();
  }
}

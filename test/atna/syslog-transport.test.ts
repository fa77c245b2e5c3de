import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { octetFrame, OctetCountingDecoder, OctetFramingError } from '../../src/atna/octet-counting.js';
import { syslogMessage } from '../../src/atna/syslog-message.js';
import { createSyslogSender, type SyslogSender } from '../../src/atna/syslog-sender.js';
import { createDevPki, type DevPki } from '../../src/certs/dev-ca.js';
import { silentLogger } from '../../src/logging/logger.js';
import { parseSyslog, startTlsReceiver, startUdpReceiver } from '../support/atna-receiver.js';

const HEADER = { time: new Date('2026-01-09T08:00:00.123Z'), hostname: 'bridge-1', appName: 'fse-bridge', procId: '4242' };
const message = (n: number, body = `<AuditMessage n="${n}"/>`) => syslogMessage(HEADER, body);

/** Polls until `check` holds; the test's timeout bounds the wait (no timing assertion). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(10);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('RFC 5424 message and RFC 5425 octet counting', () => {
  test('the header is PRI 85, version 1, timestamp, host, app, procid, MSGID IHE+RFC-3881, no SD; MSG is BOM + XML', () => {
    const parsed = parseSyslog(syslogMessage({ ...HEADER, hostname: 'host with spaces' }, '<AuditMessage é="1"/>'));
    assert.deepEqual(
      [parsed.pri, parsed.version, parsed.timestamp, parsed.hostname, parsed.appName, parsed.procId, parsed.msgId, parsed.structuredData, parsed.bom, parsed.xml],
      ['85', '1', '2026-01-09T08:00:00.123Z', 'hostwithspaces', 'fse-bridge', '4242', 'IHE+RFC-3881', '-', true, '<AuditMessage é="1"/>']);
    assert.equal(parseSyslog(syslogMessage({ ...HEADER, hostname: '' }, '<a/>')).hostname, '-', 'an empty field is NILVALUE');
  });

  test('a frame is the byte length, a space and the message (UTF-8 counted in octets)', () => {
    const m = Buffer.from('héllo', 'utf8');
    assert.equal(octetFrame(m).toString('utf8'), '6 héllo');
  });

  test('the decoder joins a frame split across reads, byte by byte', () => {
    const frames = Buffer.concat([octetFrame(message(1)), octetFrame(message(2))]);
    const decoder = new OctetCountingDecoder();
    const out: Buffer[] = [];
    for (const byte of frames) out.push(...decoder.push(Buffer.from([byte])));
    assert.deepEqual(out.map((b) => parseSyslog(b).xml), ['<AuditMessage n="1"/>', '<AuditMessage n="2"/>']);
    assert.equal(decoder.pending, 0);
  });

  test('the decoder answers several messages of one read, and keeps a partial one for the next', () => {
    const frames = Buffer.concat([octetFrame(message(1)), octetFrame(message(2)), octetFrame(message(3))]);
    const decoder = new OctetCountingDecoder();
    const cut = frames.length - 5;
    assert.equal(decoder.push(frames.subarray(0, cut)).length, 2);
    assert.equal(decoder.pending > 0, true);
    assert.deepEqual(decoder.push(frames.subarray(cut)).map((b) => parseSyslog(b).xml), ['<AuditMessage n="3"/>']);
  });

  test('a bad MSG-LEN is a framing error, not a silent resynchronisation', () => {
    assert.throws(() => new OctetCountingDecoder().push(Buffer.from('012 abc')), OctetFramingError);
    assert.throws(() => new OctetCountingDecoder().push(Buffer.from('<85>1 2026-01-09T08:00:00Z')), OctetFramingError);
    assert.throws(() => new OctetCountingDecoder().push(Buffer.from('1234567890')), OctetFramingError);
  });
});

describe('the syslog sender', () => {
  let pki: DevPki;
  let clientTls: { cert: string; key: string; ca: string };
  const senders: SyslogSender[] = [];
  before(() => {
    pki = createDevPki(path.join(mkdtempSync(path.join(os.tmpdir(), 'atna-pki-')), 'pki'));
    clientTls = { cert: readFileSync(pki.authCert, 'utf8'), key: readFileSync(pki.authKey, 'utf8'), ca: readFileSync(pki.caCert, 'utf8') };
  });
  after(async () => {
    for (const s of senders) await s.close(100);
  });
  const sender = (options: Partial<Parameters<typeof createSyslogSender>[0]> & Pick<Parameters<typeof createSyslogSender>[0], 'target'>) => {
    const s = createSyslogSender({ maxQueue: 1000, logger: silentLogger(), tls: clientTls, backoff: { initialMs: 20, maxMs: 200 }, ...options });
    senders.push(s);
    return s;
  };

  test('TLS (mutual, the development CA): every message arrives once, in order, framed by octet counting', async () => {
    const receiver = await startTlsReceiver(pki);
    try {
      const s = sender({ target: { transport: 'tls', host: '127.0.0.1', port: receiver.port } });
      for (let i = 0; i < 50; i++) s.send(message(i));
      const got = await receiver.waitFor(50);
      assert.deepEqual(got.map((m) => m.xml), Array.from({ length: 50 }, (_, i) => `<AuditMessage n="${i}"/>`));
      assert.ok(got[0]?.peerCn, 'the receiver authenticated the client certificate');
      assert.deepEqual(s.stats(), { sent: 50, dropped: 0, queued: 0 });
    } finally {
      await receiver.close();
    }
  });

  test('a TLS receiver that refuses the client (no certificate) gets nothing, and the sender does not throw', async () => {
    const receiver = await startTlsReceiver(pki);
    try {
      const s = sender({ target: { transport: 'tls', host: '127.0.0.1', port: receiver.port }, tls: { ca: clientTls.ca }, maxQueue: 2 });
      for (let i = 0; i < 5; i++) s.send(message(i));
      await until(() => s.stats().dropped === 3);
      assert.equal(receiver.messages.length, 0);
    } finally {
      await receiver.close();
    }
  });

  test('a receiver that is down: send returns at once, the oldest are dropped and counted; once it is up the rest arrive', async () => {
    const port = await freePort();
    const drops: number[] = [];
    const s = sender({ target: { transport: 'tls', host: '127.0.0.1', port }, maxQueue: 3, onDrop: () => drops.push(1) });
    for (let i = 0; i < 10; i++) assert.doesNotThrow(() => s.send(message(i)));
    assert.deepEqual([s.stats().dropped, drops.length, s.stats().queued], [7, 7, 3]);
    const receiver = await startTlsReceiver(pki, port);
    try {
      const got = await receiver.waitFor(3);
      assert.deepEqual(got.map((m) => m.xml), [7, 8, 9].map((i) => `<AuditMessage n="${i}"/>`), 'the newest survive');
    } finally {
      await receiver.close();
    }
  });

  test('a slow receiver (it stops reading) never blocks the sender: the queue stays bounded and drops', async () => {
    const sockets: tls.TLSSocket[] = [];
    const server = tls.createServer({ cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.caCert), requestCert: true }, (socket) => {
      sockets.push(socket);
      socket.pause();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    let s: SyslogSender | undefined;
    try {
      s = sender({ target: { transport: 'tls', host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, maxQueue: 5 });
      const big = message(0, `<AuditMessage pad="${'x'.repeat(64 * 1024)}"/>`);
      s.send(big);
      await until(() => sockets.length > 0 && s?.stats().sent === 1);
      while (s.stats().dropped === 0) {
        for (let i = 0; i < 20; i++) s.send(big);
        assert.ok(s.stats().queued <= 5);
        await sleep(5);
      }
      assert.ok(s.stats().dropped > 0);
    } finally {
      await s?.close(50);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('UDP: one message per datagram (RFC 5426), no framing', async () => {
    const receiver = await startUdpReceiver();
    try {
      const s = sender({ target: { transport: 'udp', host: '127.0.0.1', port: receiver.port } });
      for (let i = 0; i < 5; i++) s.send(message(i));
      await receiver.waitFor(5);
      assert.deepEqual(receiver.datagrams.map((d) => parseSyslog(d).xml).sort(), [0, 1, 2, 3, 4].map((i) => `<AuditMessage n="${i}"/>`));
      assert.ok(receiver.datagrams.every((d) => d.toString('ascii', 0, 4) === '<85>'), 'no octet count before the PRI');
    } finally {
      await receiver.close();
    }
  });
});

import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../logging/logger.js';
import { octetFrame } from './octet-counting.js';

/**
 * The ATNA transport: syslog messages to one receiver, over TLS with octet counting (RFC 5425, mutual TLS with the
 * configured certificate) or UDP, one message per datagram (RFC 5426). A transaction hands a message to `send` and
 * goes on: nothing here is awaited by it, nothing throws into it. Messages wait in a bounded queue; when it is full
 * the oldest is dropped, counted and logged once per episode (the access log, not ATNA, is the system of record). The
 * queue is written in batches: every message queued while a write is in flight goes in the next write. A lost
 * connection is retried with exponential backoff; the batch in flight when it broke is queued again (a receiver may
 * then see it twice: syslog has no acknowledgement). See: RFC 5425 4.3, 5426 3.1; ITI TF-2 3.20.6 (ATNA transports).
 */
export interface SyslogTarget {
  readonly transport: 'tls' | 'udp';
  readonly host: string;
  readonly port: number;
}

export interface SyslogSenderOptions {
  readonly target: SyslogTarget;
  /** PEM: the client certificate and key the receiver authenticates, and the CA the receiver's certificate chains to. */
  readonly tls?: { readonly cert?: string; readonly key?: string; readonly ca?: string };
  /** Most messages waiting; the oldest goes when a new one arrives. */
  readonly maxQueue: number;
  /** Most messages in one write. */
  readonly maxBatch?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly logger: Logger;
  /** Called once per dropped message (a metric). */
  readonly onDrop?: () => void;
}

export interface SyslogSender {
  /** Queues one RFC 5424 message; never throws, never waits. */
  send(message: Buffer): void;
  /** Messages written to the socket, and dropped (queue full, or a datagram the system refused). */
  stats(): { readonly sent: number; readonly dropped: number; readonly queued: number };
  /** Writes what is queued if connected (at most `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

export function createSyslogSender(options: SyslogSenderOptions): SyslogSender {
  return options.target.transport === 'udp' ? udpSender(options) : tlsSender(options);
}

/** The queue both transports share: bounded, drop oldest, one log line per overflow episode. */
function boundedQueue(options: SyslogSenderOptions) {
  const items: Buffer[] = [];
  let dropped = 0;
  let overflowing = false;
  const drop = (n: number, why: string): void => {
    dropped += n;
    for (let i = 0; i < n; i++) options.onDrop?.();
    if (!overflowing) options.logger.warn('atna messages dropped', { why, target: `${options.target.transport}://${options.target.host}:${options.target.port}`, dropped });
    overflowing = true;
  };
  return {
    items,
    push(message: Buffer): void {
      if (items.length >= options.maxQueue) {
        items.shift();
        drop(1, 'queue full');
      }
      items.push(message);
    },
    /** Puts an unsent batch back in front, keeping the bound. */
    unshift(batch: Buffer[]): void {
      items.unshift(...batch);
      if (items.length > options.maxQueue) drop(items.splice(0, items.length - options.maxQueue).length, 'queue full');
    },
    drop,
    drained(): void {
      overflowing = false;
    },
    dropped: () => dropped,
  };
}

function tlsSender(options: SyslogSenderOptions): SyslogSender {
  const queue = boundedQueue(options);
  const maxBatch = options.maxBatch ?? 100;
  const backoff = options.backoff ?? { initialMs: 200, maxMs: 30_000 };
  let socket: tls.TLSSocket | undefined;
  let connected = false;
  let writing = false;
  let closed = false;
  let attempts = 0;
  let retry: NodeJS.Timeout | undefined;
  let sent = 0;

  const connect = (): void => {
    if (closed || socket || retry) return;
    const s = tls.connect({ host: options.target.host, port: options.target.port, ...options.tls });
    socket = s;
    s.on('secureConnect', () => {
      connected = true;
      attempts = 0;
      options.logger.info('atna syslog connected', { host: options.target.host, port: options.target.port });
      flush();
    });
    s.on('data', () => undefined); // a receiver sends nothing back; read and discard whatever it does.
    s.on('error', (err) => options.logger.debug('atna syslog connection failed', { error: err.message }));
    s.on('close', () => {
      socket = undefined;
      connected = false;
      writing = false;
      if (closed) return;
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempts);
      attempts++;
      retry = setTimeout(() => {
        retry = undefined;
        if (queue.items.length > 0) connect();
      }, delay);
      retry.unref();
    });
  };

  const flush = (): void => {
    if (writing || closed) return;
    if (!connected || !socket) {
      connect();
      return;
    }
    const batch = queue.items.splice(0, maxBatch);
    if (batch.length === 0) {
      queue.drained();
      return;
    }
    writing = true;
    const s = socket;
    s.write(Buffer.concat(batch.map(octetFrame)), (err) => {
      if (s !== socket) {
        queue.unshift(batch);
        return;
      }
      writing = false;
      if (err) {
        queue.unshift(batch);
        s.destroy();
        return;
      }
      sent += batch.length;
      flush();
    });
  };

  return {
    send(message) {
      if (closed) return;
      try {
        queue.push(message);
        if (!writing) setImmediate(flush);
      } catch (err) {
        options.logger.error('atna send failed', { error: String(err) });
      }
    },
    stats: () => ({ sent, dropped: queue.dropped(), queued: queue.items.length }),
    async close(graceMs = 1000) {
      if (connected && socket && (queue.items.length > 0 || writing)) {
        const deadline = Date.now() + graceMs;
        while ((queue.items.length > 0 || writing) && connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      }
      closed = true;
      if (retry) clearTimeout(retry);
      const s = socket;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.end();
        setTimeout(() => s.destroy(), graceMs).unref();
      });
    },
  };
}

function udpSender(options: SyslogSenderOptions): SyslogSender {
  const queue = boundedQueue(options);
  const socket = dgram.createSocket(isIPv6(options.target.host) ? 'udp6' : 'udp4');
  socket.on('error', (err) => options.logger.debug('atna syslog udp error', { error: err.message }));
  socket.unref();
  let sending = false;
  let closed = false;
  let sent = 0;

  const flush = (): void => {
    const message = queue.items.shift();
    if (message === undefined || closed) {
      sending = false;
      queue.drained();
      return;
    }
    sending = true;
    socket.send(message, options.target.port, options.target.host, (err) => {
      if (err) queue.drop(1, err.message);
      else sent++;
      flush();
    });
  };

  return {
    send(message) {
      if (closed) return;
      try {
        queue.push(message);
        if (!sending) {
          sending = true;
          setImmediate(flush);
        }
      } catch (err) {
        options.logger.error('atna send failed', { error: String(err) });
      }
    },
    stats: () => ({ sent, dropped: queue.dropped(), queued: queue.items.length }),
    async close(graceMs = 1000) {
      const deadline = Date.now() + graceMs;
      while ((queue.items.length > 0 || sending) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      closed = true;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

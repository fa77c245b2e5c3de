import http from 'node:http';
import https from 'node:https';

/**
 * The server lifecycle both simulators share: listen on HTTP or HTTPS (client certificates required unless told
 * otherwise), close with every connection, and the `refuse` outage that closes the port and opens it again.
 */

/** Serve HTTPS; `ca` verifies client certificates, required unless `requireClientCert` is false. */
export interface SimServerTls {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
  readonly requireClientCert?: boolean;
}

/** Options of {@link startSimServer}. */
export interface SimServerOptions {
  /** 0 (default) picks a free port, kept across outages. */
  readonly port?: number;
  readonly host: string;
  readonly tls?: SimServerTls;
}

/** A simulator's switch holder: `refuse` is the outage that closes the port, other modes leave it open. */
export interface OutageSwitch<M extends string> {
  outage: M | false;
}

/** A listening simulator server. */
export interface SimServer {
  /** `http(s)://host:port`, without a path. */
  readonly origin: string;
  readonly port: number;
  /**
   * Sets the outage switch: `refuse` closes the port, and pooled keep-alive connections with it, or a client would
   * not notice; any other mode, or `false`, opens it again. `durationMs` ends the outage (`false`) automatically.
   */
  setOutage<M extends string>(switches: OutageSwitch<M>, mode: M | false, durationMs?: number): Promise<void>;
  /** Cancels a pending outage end and closes the port and every connection. */
  stop(): Promise<void>;
}

/** Starts `handler` on a real HTTP(S) server; resolves once it listens. */
export async function startSimServer(handler: http.RequestListener, options: SimServerOptions): Promise<SimServer> {
  const tls = options.tls;
  const requireClientCert = tls?.requireClientCert ?? true;
  const server: http.Server = tls
    ? https.createServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: requireClientCert, rejectUnauthorized: requireClientCert }, handler)
    : http.createServer(handler);
  let port = options.port ?? 0;
  let restoreTimer: NodeJS.Timeout | undefined;

  const close = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  const listen = () => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  await listen();
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : port;

  const sim: SimServer = {
    origin: `${tls ? 'https' : 'http'}://${options.host}:${port}`,
    port,
    async setOutage(switches, mode, durationMs) {
      clearTimeout(restoreTimer);
      switches.outage = mode;
      if (mode === 'refuse') await close();
      else if (!server.listening) await listen();
      if (mode !== false && durationMs !== undefined) {
        restoreTimer = setTimeout(() => void sim.setOutage(switches, false), durationMs);
        restoreTimer.unref();
      }
    },
    async stop() {
      clearTimeout(restoreTimer);
      await close();
    },
  };
  return sim;
}

import type { TLSSocket } from 'node:tls';
import type express from 'express';
import type { Request, Response } from 'express';
import { requestContext, runWithContext } from '../logging/context.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SoapEndpoint } from './soap-actions.js';
import { handleSoap, type SoapRouterDeps } from './soap-router.js';
import type { TlsPeer } from './soap-security.js';
import { schemaRoute, serveSchema, serveWsdl, type WsdlFiles } from './wsdl-files.js';

/**
 * The express shim of the SOAP front door: it streams the request body to the transport-neutral router and writes
 * back what it answers; `GET <endpoint>?wsdl` serves the team's WSDL with this server's address. No XDS logic here.
 * See: xds-ini digest 2.1.
 */
export interface SoapRouteDeps {
  readonly router: SoapRouterDeps;
  readonly paths: Readonly<Record<SoapEndpoint, string>>;
  readonly wsdl: WsdlFiles;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

function tlsPeerOf(req: Request): TlsPeer | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.fingerprint256) return undefined;
  return { fingerprint256: cert.fingerprint256, subject: JSON.stringify(cert.subject ?? {}), authorized: socket.authorized === true };
}

export function mountSoapRoutes(app: express.Express, deps: SoapRouteDeps): void {
  for (const endpoint of ['repository', 'registry'] as const) {
    const path = deps.paths[endpoint];
    app.post(path, async (req: Request, res: Response) => {
      const ctx = requestContext(req, req.header('traceparent'));
      await runWithContext(ctx, async () => {
        const started = Date.now();
        const answer = await handleSoap({
          endpoint, contentType: req.header('content-type'), body: req, tlsPeer: tlsPeerOf(req),
          url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`, remoteAddress: req.socket.remoteAddress,
        }, ctx, deps.router);
        ctx.action = answer.transaction ?? 'SOAP fault';
        deps.logger.info('soap request', { endpoint, transaction: answer.transaction, status: answer.status, ms: Date.now() - started });
        deps.metrics.soapRequests.inc({ transaction: answer.transaction ?? 'fault', status: String(answer.status) });
        if (res.headersSent) return;
        res.status(answer.status).setHeader('content-type', answer.contentType);
        // A refused request may not have been read to its end: close the connection rather than reuse it.
        if (answer.status >= 400 && !req.complete) res.setHeader('connection', 'close');
        res.end(answer.body);
      });
    });
    app.get(path, (req: Request, res: Response) => serveWsdl(req, res, endpoint, deps.wsdl));
  }
  for (const route of new Set(Object.values(deps.paths).map(schemaRoute))) {
    app.get(route, (req: Request, res: Response) => serveSchema(req, res, deps.wsdl));
  }
}

import type { Express, Request, Response } from 'express';
import { OPERATION_CHANNEL } from '../stores/operation-store.js';
import { EXCHANGE_CHANNEL } from '../stores/exchange-store.js';
import type { ConsoleDeps } from './console-deps.js';
import { guard } from './console-guard.js';
import { safely } from './console-http.js';

/** Keep-alive comment interval: under the 30-60 s idle timeouts of common proxies. */
const PING_MS = 15_000;

/**
 * Live updates as Server-Sent Events (HTML Living Standard, 9.2): `transaction` when the journal records an
 * exchange, `operation` when a publication's state changes. Both come from PostgreSQL notifications, so a page
 * served by one bridge process sees what every process recorded. One LISTEN connection per process serves every
 * open page: subscribers are fanned out here.
 */
export function mountEventsRoute(app: Express, deps: ConsoleDeps): () => Promise<void> {
  const subscribers = new Set<(event: string, data: unknown) => void>();
  const streams = new Set<Response>();
  let stops: Promise<(() => Promise<void>)[]> | undefined;
  const publish = (event: string, data: unknown) => {
    for (const s of subscribers) s(event, data);
  };
  const start = () => {
    stops ??= Promise.all([
      deps.listen(EXCHANGE_CHANNEL, (payload) => {
        const ids = payload.split(',').map(Number).filter(Number.isSafeInteger);
        deps.exchanges.byIds(ids).then((rows) => rows.forEach((row) => publish('transaction', row)), (err: unknown) => deps.logger.warn('console events: journal read failed', { error: String(err) }));
      }),
      deps.listen(OPERATION_CHANNEL, (payload) => publish('operation', { operation: payload })),
    ]);
    return stops;
  };

  app.get('/console/api/events', safely(deps.logger, guard(deps.sessions, 'viewer', async (req: Request, res: Response) => {
    await start();
    res.status(200).set({ 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    subscribers.add(send);
    streams.add(res);
    const ping = setInterval(() => send('ping', { at: new Date().toISOString() }), PING_MS);
    req.on('close', () => {
      clearInterval(ping);
      subscribers.delete(send);
      streams.delete(res);
    });
  })));

  return async () => {
    for (const res of streams) res.end();
    streams.clear();
    for (const stop of stops ? await stops : []) await stop();
  };
}

import type { Express } from 'express';
import { mountActionRoutes } from './action-routes.js';
import type { ConsoleDeps } from './console-deps.js';
import { mountEventsRoute } from './events-route.js';
import { problem } from './console-http.js';
import { mountOidcRoutes } from './oidc-routes.js';
import { mountReadRoutes } from './read-routes.js';
import { mountSessionRoutes } from './session-routes.js';
import { mountStaticRoute } from './static-route.js';

/**
 * The operator console door (docs/console-api.md): its pages and JSON API on the bridge's own port. Like the REST
 * and SOAP doors it translates only: reads go to stores, actions to the queue and the operations.
 * Resolves the mount function and the function that closes its live-update listeners.
 */
export function consoleDoor(deps: ConsoleDeps): { mount: (app: Express) => void; close: () => Promise<void> } {
  let close: () => Promise<void> = async () => undefined;
  return {
    mount(app) {
      mountSessionRoutes(app, deps);
      if (deps.oidc) mountOidcRoutes(app, deps, deps.oidc);
      mountReadRoutes(app, deps);
      mountActionRoutes(app, deps);
      close = mountEventsRoute(app, deps);
      app.use('/console/api', (req, res) => problem(res, 404, 'No such console endpoint', `${req.method} ${req.originalUrl}`));
      mountStaticRoute(app, deps.assetsDir);
    },
    close: () => close(),
  };
}

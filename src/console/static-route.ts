import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

/**
 * The console's pages: the files `npm install` built into `dist/console` (scripts/build-console.mjs), under a strict
 * Content-Security-Policy (no inline script, no other origin: the pages only talk to this bridge).
 */
export const CONSOLE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function mountStaticRoute(app: Express, assetsDir: string): void {
  const security = (res: express.Response) => {
    res.setHeader('content-security-policy', CONSOLE_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
  };
  app.get('/console', (_req, res) => res.redirect(302, '/console/'));
  app.use('/console', (req, res, next) => {
    if (req.path.startsWith('/api/')) return next();
    if (!existsSync(path.join(assetsDir, 'index.html'))) {
      res.status(503).type('text/plain').send('The console pages are not built: run `npm install` (or `npm run build:console`).\n');
      return;
    }
    security(res);
    next();
  }, express.static(assetsDir, {
    index: 'index.html', fallthrough: true, redirect: false,
    // index.html is small and names the current bundle: never cached; the bundle may be, briefly.
    setHeaders: (res, file) => res.setHeader('cache-control', file.endsWith('.html') ? 'no-store' : 'public, max-age=300'),
  }));
}

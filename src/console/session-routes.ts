import express, { type Express, type Request, type Response } from 'express';
import type { ConsoleSession } from '../stores/console-session-store.js';
import { recordAction } from './console-audit.js';
import type { ConsoleDeps } from './console-deps.js';
import { SESSION_COOKIE } from './console-guard.js';
import { cookie, json, problem, safely } from './console-http.js';
import { createSignInThrottle } from './sign-in-throttle.js';

export function sessionBody(session: ConsoleSession) {
  return { operator: session.operator, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
}

/** Sets the session cookie: HttpOnly (no script reads it), SameSite=Strict, Path=/console, Secure over TLS. */
export function setSessionCookie(req: Request, res: Response, token: string, absoluteSeconds: number): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/console', secure: req.secure, maxAge: absoluteSeconds * 1000 });
}

/** Sign-in with a password, the current session, sign-out, and what the sign-in page needs to know. */
export function mountSessionRoutes(app: Express, deps: ConsoleDeps): void {
  const throttle = createSignInThrottle();
  const body = express.json({ limit: '4kb' });
  app.get('/console/api/config', (_req, res) => json(res, { oidc: Boolean(deps.oidc), version: deps.version }));

  app.post('/console/api/session', body, safely(deps.logger, async (req, res) => {
    const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string' || username.length > 64 || password.length > 1024) {
      return problem(res, 400, 'Bad sign-in', 'send { "username": string, "password": string }');
    }
    const address = `ip:${req.socket.remoteAddress ?? ''}`;
    const wait = throttle.blockedFor(`user:${username}`, address);
    if (wait > 0) {
      res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
      return problem(res, 429, 'Too many failed sign-ins', 'wait before trying again');
    }
    const operator = await deps.operators.checkPassword(username, password);
    if (!operator) {
      throttle.failed(`user:${username}`, address);
      await recordAction(deps.audit, deps.logger, { action: 'sign-in', who: { username }, outcome: 'Failure', errorCodes: ['bad-credentials'] });
      return problem(res, 401, 'Wrong username or password');
    }
    throttle.succeeded(`user:${username}`);
    const { token, session } = await deps.sessions.open(operator.username, 'password');
    await recordAction(deps.audit, deps.logger, { action: 'sign-in', who: operator, outcome: 'Success' });
    setSessionCookie(req, res, token, deps.times.absoluteSeconds);
    json(res, sessionBody(session));
  }));

  app.get('/console/api/session', safely(deps.logger, async (req, res) => {
    const token = cookie(req, SESSION_COOKIE);
    const session = token ? await deps.sessions.touch(token) : undefined;
    if (!session) return problem(res, 401, 'Not signed in');
    json(res, sessionBody(session));
  }));

  app.delete('/console/api/session', safely(deps.logger, async (req, res) => {
    const token = cookie(req, SESSION_COOKIE);
    const session = token ? await deps.sessions.touch(token) : undefined;
    if (!session || !token) return problem(res, 401, 'Not signed in');
    if (req.header('x-csrf-token') !== session.csrfToken) return problem(res, 403, 'CSRF token missing or wrong');
    await deps.sessions.close(token);
    await recordAction(deps.audit, deps.logger, { action: 'sign-out', who: session.operator, outcome: 'Success' });
    res.clearCookie(SESSION_COOKIE, { path: '/console' });
    res.status(204).end();
  }));
}

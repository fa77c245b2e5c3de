import type { NextFunction, Request, Response } from 'express';
import type { ConsoleSession, ConsoleSessionStore } from '../stores/console-session-store.js';
import { OPERATOR_ROLES, type OperatorRole } from '../stores/operator-store.js';
import { BadParam, cookie, problem, type ConsoleHandler } from './console-http.js';

export const SESSION_COOKIE = 'fse_console';

const rank = (role: OperatorRole) => OPERATOR_ROLES.indexOf(role);

/** Whether the session's role includes `needed` (viewer < operator < admin). */
export function allows(session: ConsoleSession, needed: OperatorRole): boolean {
  return rank(session.operator.role) >= rank(needed);
}

/**
 * Every console API call but sign-in passes here: a live session (401 otherwise), the role the call needs (403),
 * and for anything but GET/HEAD the CSRF synchronizer token in `x-csrf-token` plus, when the browser sends one, an
 * Origin equal to the bridge's own (403). SameSite=Strict on the cookie is the first barrier; the token is the
 * second, as OWASP's CSRF cheat sheet recommends both.
 */
export function guard(sessions: ConsoleSessionStore, needed: OperatorRole, handler: ConsoleHandler) {
  return async (req: Request, res: Response, _next: NextFunction): Promise<void> => {
    const token = cookie(req, SESSION_COOKIE);
    const session = token ? await sessions.touch(token) : undefined;
    if (!session) return problem(res, 401, 'Not signed in', 'sign in to the console (the session may have expired)');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = req.header('origin');
      if (origin && origin !== `${req.protocol}://${req.get('host') ?? ''}`) return problem(res, 403, 'Cross-origin request refused');
      if (req.header('x-csrf-token') !== session.csrfToken) return problem(res, 403, 'CSRF token missing or wrong', 'send the csrfToken of the session as x-csrf-token');
    }
    if (!allows(session, needed)) return problem(res, 403, 'Not allowed', `this needs the ${needed} role; you are ${session.operator.role}`);
    try {
      await handler(req, res, session);
    } catch (err) {
      if (err instanceof BadParam) return problem(res, 400, 'Bad parameter', err.message);
      throw err;
    }
  };
}

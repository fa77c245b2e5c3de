import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { recordAction } from './console-audit.js';
import type { ConsoleDeps } from './console-deps.js';
import { cookie, problem, safely } from './console-http.js';
import type { OidcSignIn, PendingSignIn } from './oidc-sign-in.js';
import { setSessionCookie } from './session-routes.js';

const PENDING_COOKIE = 'fse_console_oidc';
const PENDING_MS = 10 * 60_000;

/**
 * OpenID Connect sign-in: `/login` sends the browser to the identity provider; `/callback` redeems the code and opens
 * a console session. The account is found by the token's issuer and subject, or created on first sign-in; its role
 * is the identity provider's every time (the region manages roles there). A token naming no console role is refused.
 * The pending state lives in this process for ten minutes, bound to the browser by a cookie: with several bridge
 * processes behind a balancer, the callback must reach the same one (sticky sessions).
 */
export function mountOidcRoutes(app: Express, deps: ConsoleDeps, signIn: OidcSignIn): void {
  const pending = new Map<string, { value: PendingSignIn; until: number }>();
  app.get('/console/api/oidc/login', safely(deps.logger, async (req, res) => {
    for (const [k, p] of pending) if (p.until < Date.now()) pending.delete(k);
    const { url, pending: value } = await signIn.begin();
    const key = randomBytes(18).toString('base64url');
    pending.set(key, { value, until: Date.now() + PENDING_MS });
    // Lax, not Strict: the identity provider's redirect back is a cross-site navigation.
    res.cookie(PENDING_COOKIE, key, { httpOnly: true, sameSite: 'lax', path: '/console/api/oidc', secure: req.secure, maxAge: PENDING_MS });
    res.redirect(302, url);
  }));

  app.get('/console/api/oidc/callback', safely(deps.logger, async (req, res) => {
    const key = cookie(req, PENDING_COOKIE);
    const entry = key ? pending.get(key) : undefined;
    if (key) pending.delete(key);
    res.clearCookie(PENDING_COOKIE, { path: '/console/api/oidc' });
    if (!entry || entry.until < Date.now()) return problem(res, 400, 'No sign-in under way', 'start again from the sign-in page');
    let identity;
    try {
      identity = await signIn.finish(new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`), entry.value);
    } catch (err) {
      deps.logger.warn('console OIDC sign-in refused', { error: String(err) });
      await recordAction(deps.audit, deps.logger, { action: 'sign-in', who: { username: 'oidc' }, outcome: 'Failure', errorCodes: ['oidc-refused'] });
      return problem(res, 401, 'The identity provider\'s answer did not verify');
    }
    if (!identity.role) {
      await recordAction(deps.audit, deps.logger, { action: 'sign-in', who: { username: identity.username }, outcome: 'Failure', errorCodes: ['no-console-role'] });
      return problem(res, 403, 'No console role', 'the identity provider gives this account no viewer, operator or admin role');
    }
    const existing = await deps.operators.bySubject(identity.subject);
    const username = existing?.username ?? identity.username;
    await deps.operators.put({ username, displayName: identity.displayName, role: identity.role, oidcSubject: identity.subject });
    const { token, session } = await deps.sessions.open(username, 'oidc');
    await recordAction(deps.audit, deps.logger, { action: 'sign-in', who: session.operator, outcome: 'Success' });
    setSessionCookie(req, res, token, deps.times.absoluteSeconds);
    res.redirect(302, '/console/');
  }));
}

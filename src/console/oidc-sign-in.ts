import * as oidc from 'openid-client';
import { OPERATOR_ROLES, type OperatorRole } from '../stores/operator-store.js';

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly redirectUrl: string;
  /** The ID token claim naming the operator's console role(s): a string or an array holding viewer/operator/admin. */
  readonly roleClaim: string;
}

export interface OidcIdentity {
  readonly subject: string;
  readonly username: string;
  readonly displayName: string;
  readonly role?: OperatorRole;
}

/** The region's identity provider, through `openid-client` (authorization code flow with PKCE, state and nonce). */
export interface OidcSignIn {
  /** Where to send the browser, and the values to keep until it comes back (bound to it by a cookie). */
  begin(): Promise<{ url: string; pending: PendingSignIn }>;
  /** Redeems the code of the callback URL; throws when state, nonce, PKCE or the ID token do not verify. */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<OidcIdentity>;
}

export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

/** Plain HTTP only to this machine (tests, development); production identity providers are https, as OIDC requires. */
const isLoopback = (url: URL) => url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export async function createOidcSignIn(settings: OidcSettings): Promise<OidcSignIn> {
  const issuer = new URL(settings.issuer);
  const config = await oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined,
    isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined);
  return {
    async begin() {
      const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl, scope: 'openid profile email', response_type: 'code', state: pending.state, nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier), code_challenge_method: 'S256',
      });
      return { url: url.href, pending };
    },
    async finish(callbackUrl, pending) {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
      }, { redirect_uri: settings.redirectUrl });
      const claims = tokens.claims();
      if (!claims) throw new Error('the identity provider returned no ID token');
      const named = claims[settings.roleClaim];
      const roles = (Array.isArray(named) ? named : [named]).filter((r): r is OperatorRole => OPERATOR_ROLES.includes(r as OperatorRole));
      const role = [...OPERATOR_ROLES].reverse().find((r) => roles.includes(r));
      const preferred = typeof claims.preferred_username === 'string' ? claims.preferred_username : claims.sub;
      return {
        subject: `${claims.iss}|${claims.sub}`,
        username: `oidc.${preferred}`.replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 64),
        displayName: typeof claims.name === 'string' ? claims.name : preferred,
        ...(role ? { role } : {}),
      };
    },
  };
}

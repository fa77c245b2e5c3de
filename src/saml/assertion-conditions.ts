import { SamlError } from './saml-error.js';
import type { SamlTrustedSigner } from './saml-trust-store.js';
import type { SignedAssertionContent } from './signed-assertion-reader.js';

/**
 * The checks on who issued a signed assertion, for whom and when, all against a `now` the caller passes, so that they
 * are deterministic. See: xds-ini digest 7.1 (Conditions), 7.6 (clock skew, allowed issuers); SAML 2.0 Core 2.5.1.
 */

/**
 * NotBefore/NotOnOrAfter with the skew, and an IssueInstant not in the future. An assertion without NotOnOrAfter would
 * never expire: INI's always carry one, so one is required.
 * @throws SamlError `expired`, `not-yet-valid` or `malformed`.
 */
export function checkValidity(content: SignedAssertionContent, now: Date, clockSkewSeconds: number): void {
  const skew = clockSkewSeconds * 1000;
  const { notBefore, notOnOrAfter, issueInstant } = content;
  if (notOnOrAfter === undefined) throw new SamlError('malformed', 'Conditions NotOnOrAfter is required');
  if (notBefore !== undefined && notBefore.getTime() >= notOnOrAfter.getTime()) {
    throw new SamlError('malformed', 'Conditions NotBefore is not before NotOnOrAfter');
  }
  const t = now.getTime();
  if (notBefore !== undefined && t < notBefore.getTime() - skew) {
    throw new SamlError('not-yet-valid', `the assertion is valid from ${notBefore.toISOString()} (now ${now.toISOString()}, skew ${clockSkewSeconds} s)`);
  }
  if (t >= notOnOrAfter.getTime() + skew) {
    throw new SamlError('expired', `the assertion expired at ${notOnOrAfter.toISOString()} (now ${now.toISOString()}, skew ${clockSkewSeconds} s)`);
  }
  if (issueInstant.getTime() > t + skew) {
    throw new SamlError('not-yet-valid', `the assertion is issued in the future (${issueInstant.toISOString()})`);
  }
}

/**
 * With an expected audience, every AudienceRestriction must name it, and there must be at least one (SAML 2.0 Core
 * 2.5.1.4: each restriction must be satisfied). Without one, restrictions are not evaluated.
 * @throws SamlError `audience`.
 */
export function checkAudience(content: SignedAssertionContent, audience: string | undefined): void {
  if (audience === undefined) return;
  const restrictions = content.audienceRestrictions;
  if (restrictions.length === 0) throw new SamlError('audience', `the assertion has no AudienceRestriction for ${audience}`);
  if (!restrictions.every((audiences) => audiences.includes(audience))) {
    throw new SamlError('audience', `the assertion is not addressed to ${audience}`);
  }
}

/**
 * The Issuer must be allowed, and allowed for the certificate that signed (a region's key cannot speak for INI).
 * @throws SamlError `issuer`.
 */
export function checkIssuer(content: SignedAssertionContent, allowedIssuers: readonly string[], signer: SamlTrustedSigner): void {
  if (!allowedIssuers.includes(content.issuer)) throw new SamlError('issuer', `issuer ${content.issuer} is not allowed`);
  if (!signer.issuers.includes(content.issuer)) {
    throw new SamlError('issuer', `issuer ${content.issuer} is not allowed for the certificate that signed the assertion`);
  }
}

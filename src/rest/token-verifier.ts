import type { X509Certificate } from 'node:crypto';
import { checkAttachmentHash, checkClaims, type ClaimsOperation, type SignatureClaims } from '../jwt/claims.js';
import { verifyGatewayTokens } from '../jwt/verify-tokens.js';
import { sha256Hex } from '../pdf/hashes.js';
import type { Headers } from './rest-types.js';

export interface TokenVerifierOptions {
  readonly trustAnchors: readonly X509Certificate[];
  readonly audience?: readonly string[];
  readonly clockSkewSeconds: number;
  readonly allowSpecialFiscalCodes: boolean;
}

export interface BearerIdentity {
  readonly sub?: string;
  readonly iss?: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Authenticates a REST call: both JWTs, then the claims the operation requires. */
export interface TokenVerifier {
  verifyFor(operation: ClaimsOperation, headers: Headers, file?: Uint8Array): Promise<SignatureClaims>;
  /**
   * The region's own authentication only (signatures, chain, times): used when forwarding, where the claim rules
   * are the national Gateway's to apply (middleware rules: no blocking regional checks).
   */
  authenticate(headers: Headers): Promise<SignatureClaims>;
  /**
   * The Bearer token alone (status queries and the citizen API carry no signature token): its `sub`, `iss` and every
   * claim, for the routes that read more (the citizen API's `subject_role`, `person_id`). See: 2.1, 9.1.
   */
  authenticateBearer(headers: Headers): Promise<BearerIdentity>;
}

/**
 * Token checks in the Gateway's order: GovWay's signature checks, then the dispatcher's claim rules, then (for
 * publication-family operations) `attachment_hash` against the uploaded bytes. See: Gateway API digest, 5.4 and 5.5.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const authenticate = async (headers: Headers): Promise<SignatureClaims> => {
    const verified = await verifyGatewayTokens(
      { authorization: headers.authorization, signature: headers['fse-jwt-signature'] },
      { trustAnchors: options.trustAnchors, audience: options.audience, clockSkewSeconds: options.clockSkewSeconds },
    );
    return verified.signature?.claims ?? {};
  };
  return {
    authenticate,
    async authenticateBearer(headers) {
      const verified = await verifyGatewayTokens(
        { authorization: headers.authorization },
        { trustAnchors: options.trustAnchors, audience: options.audience, clockSkewSeconds: options.clockSkewSeconds, requireSignature: false },
      );
      const payload = verified.authorization.payload;
      return { sub: typeof payload.sub === 'string' ? payload.sub : undefined, iss: typeof payload.iss === 'string' ? payload.iss : undefined, claims: payload };
    },
    async verifyFor(operation, headers, file) {
      const claims = await authenticate(headers);
      checkClaims(claims, operation, { allowSpecialFiscalCode: options.allowSpecialFiscalCodes });
      if (file && (operation === 'create' || operation === 'replace')) checkAttachmentHash(claims, sha256Hex(file));
      return claims;
    },
  };
}

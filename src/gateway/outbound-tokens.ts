import { mintGatewayTokens } from '../jwt/mint-tokens.js';
import type { GatewayClientOptions, GatewayRequest } from './gateway-types.js';

/** The two token headers as they leave for the Gateway. */
export interface OutboundTokenHeaders {
  readonly authorization: string;
  /** Absent when the call carries no signature token (status GETs). See: Gateway API digest, 2.1. */
  readonly signature?: string;
}

const DEFAULT_LIFETIME_SECONDS = 300;

/**
 * The tokens to send for one call.
 * Case 1 (`forward`): the producer's `Authorization` and `FSE-JWT-Signature` byte-for-byte, never decoded nor
 * re-encoded. Case 2 (`region`): both tokens minted afresh with the region's signature certificate, copying the
 * producer's application claims (only `iss`, `iat`, `exp`, `jti`, `aud` change). See: Gateway API digest, 1.4, 5.6.
 */
export async function outboundTokens(request: GatewayRequest, options: GatewayClientOptions): Promise<OutboundTokenHeaders> {
  const regionSigned = request.signing === 'region';
  const signature = request.tokens.signature === '' ? undefined : request.tokens.signature;
  if (options.jwtMode === 'forward' && !regionSigned) return { authorization: request.tokens.authorization, signature };

  const signer = options.regionSigner;
  if (!signer) throw new Error("signing as the region needs the region's signature certificate and key (FSE_REGION_SIGN_CERT, FSE_REGION_SIGN_KEY)");
  // Transparency (1.4): the producer's own attachment_hash is copied; it is computed from the PDF only when the
  // producer's token has none (the bridge has already compared it with the uploaded bytes for create/replace).
  const producerHash = request.claims.attachment_hash;
  const minted = await mintGatewayTokens({
    signerCertPem: signer.certPem,
    signerKeyPem: signer.keyPem,
    claims: { ...request.claims },
    pdf: producerHash === undefined ? request.pdf : undefined,
    audience: options.audience,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS,
  });
  // Region-signed operations always carry the signature token, except status reads (GET), which take none.
  const withSignature = regionSigned ? request.method !== 'GET' : signature !== undefined;
  return { authorization: `Bearer ${minted.authorization}`, signature: withSignature ? minted.signature : undefined };
}

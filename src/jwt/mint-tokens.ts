import { createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { sha256Hex } from '../pdf/hashes.js';
import { parsePemBundle } from './trust-store.js';
import { commonName } from './verify-tokens.js';

/**
 * Minting of the two Gateway JWTs with a signature certificate, as the Ministry's `jwt-generator` tool does and as a
 * case-2 middleware must (fresh `iat`/`exp`/`jti`, `iss` from its own CN). See: Gateway API digest, 1.5, 5.2, 5.3, 5.6.
 */

/** Input of {@link mintGatewayTokens}. */
export interface MintTokensInput {
  /** PEM of the signature certificate; its CN becomes the `iss` suffix. */
  readonly signerCertPem: string;
  /** PEM (PKCS#8 or PKCS#1) of the signature certificate's RSA key. */
  readonly signerKeyPem: string;
  /** PEM of intermediate certificates to append to `x5c`, signer first then up. */
  readonly chainPem?: readonly string[];
  /** Application claims of the FSE-JWT-Signature token (`sub`, `subject_role`, `person_id`, ...). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The exact PDF bytes: `attachment_hash` is their SHA-256 (hex). See: Gateway API digest, 1.5. */
  readonly pdf?: Uint8Array;
  /** The national base URL including the version, e.g. `.../govway/rest/in/FSE/gateway/v1`. */
  readonly audience: string;
  readonly lifetimeSeconds: number;
  /** Defaults to the current time. */
  readonly now?: Date;
}

/** The two minted tokens. */
export interface MintedTokens {
  /** The Bearer token (without the `Bearer ` prefix). */
  readonly authorization: string;
  /** The FSE-JWT-Signature token. */
  readonly signature: string;
}

/** Claims set by the minter; a caller's value for them is replaced. See: Gateway API digest, 5.6. */
const REGISTERED = new Set(['iss', 'aud', 'iat', 'exp', 'nbf', 'jti']);

function x5cOf(certPem: string, chainPem: readonly string[]): string[] {
  const certs = [certPem, ...chainPem].flatMap((pem) => parsePemBundle(pem));
  return certs.map((cert) => cert.raw.toString('base64'));
}

/**
 * Signs the Bearer token (`iss` `auth:<CN>`, `sub`, `aud`, `jti`, `iat`, `exp`) and the FSE-JWT-Signature token
 * (the application claims plus `iss` `integrity:<CN>` and, when a PDF is given, `attachment_hash`), both RS256 with
 * header `{ alg, typ: 'JWT', x5c }`. Times are in seconds. See: Gateway API digest, 5.2 and 5.3.
 */
export async function mintGatewayTokens(input: MintTokensInput): Promise<MintedTokens> {
  const sign = signerOf(input);
  const application = Object.fromEntries(Object.entries(input.claims).filter(([name]) => !REGISTERED.has(name)));
  if (input.pdf !== undefined) application.attachment_hash = sha256Hex(input.pdf);
  const sub = typeof input.claims.sub === 'string' ? { sub: input.claims.sub } : {};
  return {
    authorization: await sign(sub, 'auth'),
    signature: await sign(application, 'integrity'),
  };
}

/** Signs payloads with the certificate's key: `iss` `<prefix>:<CN>`, `aud`, fresh `jti`, `iat`/`exp` from one clock. */
function signerOf(input: Omit<MintTokensInput, 'pdf' | 'claims'>): (payload: JWTPayload, prefix: 'auth' | 'integrity') => Promise<string> {
  const cn = commonName(new X509Certificate(input.signerCertPem));
  if (cn === undefined) throw new Error('The signature certificate has no Common Name');
  const key = createPrivateKey(input.signerKeyPem);
  const header = { alg: 'RS256', typ: 'JWT', x5c: x5cOf(input.signerCertPem, input.chainPem ?? []) };
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return (payload, prefix) => new SignJWT(payload)
    .setProtectedHeader(header).setIssuer(`${prefix}:${cn}`).setAudience(input.audience).setJti(randomUUID())
    .setIssuedAt(iat).setExpirationTime(iat + input.lifetimeSeconds).sign(key);
}

/**
 * One Bearer token (`iss` `auth:<CN>`) carrying the given claims: what the region's portal sends to the citizen API
 * and its consent desk to the rights operators' API (`sub`, `subject_role`, `person_id`, `purpose_of_use`). Used by
 * tests and the demo; the Gateway's two-token pair is {@link mintGatewayTokens}.
 */
export async function mintBearerToken(input: Omit<MintTokensInput, 'pdf'>): Promise<string> {
  const claims = Object.fromEntries(Object.entries(input.claims).filter(([name]) => !REGISTERED.has(name)));
  return signerOf(input)(claims as JWTPayload, 'auth');
}

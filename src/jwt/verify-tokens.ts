import { X509Certificate } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { FseError } from '../errors/fse-error.js';
import { toSignatureClaims, type SignatureClaims } from './claims.js';

/**
 * Verification of the two Gateway JWTs as GovWay does it in front of the national Gateway: RSA signature with the
 * `x5c` certificate, certificate chained to a trusted CA, `exp`/`iat`/`nbf`, `iss` and optionally `aud`.
 * The dispatcher's own header checks (missing or undecodable FSE-JWT-Signature) come with their Gateway errors.
 * See: Gateway API digest, 2.1, 5.1, 5.2 and 5.5.
 */

/** The two token headers as received. */
export interface GatewayTokenHeaders {
  /** `Authorization` header: `Bearer <jwt>`. */
  readonly authorization?: string;
  /** `FSE-JWT-Signature` header: `<jwt>` (a `Bearer ` prefix is tolerated, as by the dispatcher). */
  readonly signature?: string;
}

/** Options of {@link verifyGatewayTokens}. */
export interface VerifyTokensOptions {
  /** CA certificates the signature certificates must chain to (see `trust-store.ts`). */
  readonly trustAnchors: readonly X509[];
  readonly now?: Date;
  /** Tolerance for `exp`, `iat` and `nbf`, in seconds. */
  readonly clockSkewSeconds: number;
  /** Accepted `aud` values; when absent, `aud` must only be present. */
  readonly audience?: readonly string[];
  /** False for the status GETs, which carry only the Bearer token. See: Gateway API digest, 2.1. Default true. */
  readonly requireSignature?: boolean;
}

/** One verified token. */
export interface VerifiedToken {
  readonly token: string;
  readonly payload: JWTPayload;
  /** The signing certificate (first `x5c` element). */
  readonly signer: X509;
  /** Common Name of the signing certificate, as found in `iss` after the prefix. */
  readonly signerCn: string;
}

/** Both tokens, verified. */
export interface VerifiedTokens {
  readonly authorization: VerifiedToken;
  readonly signature?: VerifiedToken & { readonly claims: SignatureClaims };
}

/**
 * Only RSA signatures: the spec allows RS256, RS384, RS512 ("RS383" in the spec is a typo). `none`, HMAC (which would
 * let anyone holding the public certificate forge tokens) and ECDSA/EdDSA are refused. See: Gateway API digest, 5.1.
 */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;

/** Longest accepted `x5c` (signer plus intermediates): bounds the work an attacker can cause per request. */
export const MAX_CHAIN_LENGTH = 5;

type TokenKind = 'auth' | 'integrity';
type X509 = X509Certificate;

/** GovWay answers every token failure with the same 401 "Invalid token"; the precise reason goes in `cause` for logs. */
function rejected(kind: TokenKind, reason: string, cause?: unknown): FseError {
  const which = kind === 'auth' ? 'Authorization' : 'FSE-JWT-Signature';
  return new FseError('tokenAuthentication', 'Invalid token', { cause: new Error(`${which}: ${reason}`, { cause }) });
}

/** Common Name of a certificate subject (Node renders it one `KEY=value` per line). */
export function commonName(cert: X509): string | undefined {
  const line = cert.subject.split('\n').find((l) => l.startsWith('CN='));
  return line?.slice(3);
}

function checkPeriod(kind: TokenKind, cert: X509, now: Date, role: string): void {
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
    throw rejected(kind, `${role} certificate ${commonName(cert) ?? cert.subject} is outside its validity period`);
  }
}

function issuedBy(child: X509, parent: X509): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

/**
 * Walks from the signer up through the `x5c` intermediates (CA certificates only) to one of the anchors, checking
 * each link's signature and validity period.
 */
function checkChain(kind: TokenKind, chain: readonly X509[], anchors: readonly X509[], now: Date): void {
  const [signer, ...intermediates] = chain;
  let current = signer as X509;
  const used = new Set<X509>();
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    checkPeriod(kind, current, now, depth === 0 ? 'signing' : 'intermediate');
    const anchor = anchors.find((a) => a.fingerprint256 === current.fingerprint256 || issuedBy(current, a));
    if (anchor !== undefined) {
      checkPeriod(kind, anchor, now, 'trust anchor');
      return;
    }
    const next = intermediates.find((c) => !used.has(c) && c.ca && issuedBy(current, c));
    if (next === undefined) {
      throw rejected(kind, `certificate ${commonName(current) ?? current.subject} does not chain to a trust anchor`);
    }
    used.add(next);
    current = next;
  }
  throw rejected(kind, `certificate chain longer than ${MAX_CHAIN_LENGTH}`);
}

function parseX5c(kind: TokenKind, x5c: unknown): X509[] {
  if (!Array.isArray(x5c) || x5c.length === 0) throw rejected(kind, 'header x5c is missing or empty');
  if (x5c.length > MAX_CHAIN_LENGTH) throw rejected(kind, `header x5c has more than ${MAX_CHAIN_LENGTH} certificates`);
  return x5c.map((entry, i) => {
    if (typeof entry !== 'string') throw rejected(kind, `x5c[${i}] is not a string`);
    try {
      return new X509Certificate(Buffer.from(entry, 'base64'));
    } catch (error) {
      throw rejected(kind, `x5c[${i}] is not a DER certificate`, error);
    }
  });
}

async function verifyOne(kind: TokenKind, token: string, options: VerifyTokensOptions): Promise<VerifiedToken> {
  const now = options.now ?? new Date();
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw rejected(kind, 'header is not decodable', error);
  }
  if (!(ALLOWED_ALGORITHMS as readonly string[]).includes(header.alg ?? '')) {
    throw rejected(kind, `algorithm ${String(header.alg)} is not allowed`);
  }
  if (header.typ !== undefined && header.typ.toUpperCase() !== 'JWT') {
    throw rejected(kind, `typ ${header.typ} is not JWT`);
  }
  const chain = parseX5c(kind, header.x5c);
  const signer = chain[0] as X509;
  if (signer.publicKey.asymmetricKeyType !== 'rsa') throw rejected(kind, 'signing certificate has no RSA key');
  checkChain(kind, chain, options.trustAnchors, now);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, signer.publicKey, {
      algorithms: [...ALLOWED_ALGORITHMS],
      clockTolerance: options.clockSkewSeconds,
      currentDate: now,
      ...(options.audience ? { audience: [...options.audience] } : {}),
      requiredClaims: kind === 'auth' ? ['iss', 'sub', 'aud', 'jti', 'iat', 'exp'] : ['iss', 'aud', 'jti', 'iat', 'exp'],
    }));
  } catch (error) {
    throw rejected(kind, `verification failed: ${(error as Error).message}`, error);
  }
  // jose accepts any numeric iat; GovWay refuses tokens issued in the future.
  if ((payload.iat ?? 0) > now.getTime() / 1000 + options.clockSkewSeconds) {
    throw rejected(kind, 'iat is in the future');
  }
  const signerCn = commonName(signer);
  if (signerCn === undefined || payload.iss !== `${kind}:${signerCn}`) {
    throw rejected(kind, `iss ${String(payload.iss)} is not ${kind}:<CN of the signing certificate ${String(signerCn)}>`);
  }
  return { token, payload, signer, signerCn };
}

function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) throw rejected('auth', 'Authorization header is missing or not "Bearer <jwt>"');
  return match[1];
}

/**
 * Verifies the Bearer token and the FSE-JWT-Signature token. Throws `FseError`:
 * `tokenAuthentication` ("Invalid token", reason in `cause`) for any signature, certificate, time, `iss` or `aud`
 * failure; `missingToken` when FSE-JWT-Signature is absent or empty; `mandatoryElementToken` when its payload cannot
 * be decoded. See: Gateway API digest, 5.5.
 */
export async function verifyGatewayTokens(headers: GatewayTokenHeaders, options: VerifyTokensOptions): Promise<VerifiedTokens> {
  const authToken = bearerToken(headers.authorization);
  const signatureToken = (headers.signature ?? '').trim().replace(/^Bearer(\s+|$)/i, '');
  if (signatureToken === '' && options.requireSignature === false) {
    return { authorization: await verifyOne('auth', authToken, options) };
  }
  if (signatureToken === '') {
    throw new FseError('missingToken', 'Attenzione il jwt fornito risulta essere vuoto');
  }
  let claims: SignatureClaims;
  try {
    claims = toSignatureClaims(decodeJwt(signatureToken));
  } catch (error) {
    if (error instanceof FseError) throw error;
    throw new FseError('mandatoryElementToken', 'Il token JWT non è decodificabile', { cause: error });
  }
  const authorization = await verifyOne('auth', authToken, options);
  const signature = await verifyOne('integrity', signatureToken, options);
  return { authorization, signature: { ...signature, claims } };
}

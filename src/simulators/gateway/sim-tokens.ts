import type { X509Certificate } from 'node:crypto';
import { decodeJwt } from 'jose';
import { FseError } from '../../errors/fse-error.js';
import { checkAttachmentHash, checkClaims, toSignatureClaims } from '../../jwt/claims.js';
import { sha256Hex } from '../../pdf/hashes.js';
import { createTokenVerifier, type TokenVerifier } from '../../rest/token-verifier.js';
import type { Headers } from '../../rest/rest-types.js';
import type { Caller } from './sim-state.js';

/** Options of {@link createSimTokenVerifier}. */
export interface SimTokenOptions {
  /** CAs the signature certificates must chain to; without them the simulator only decodes, like the dispatcher. */
  readonly trustAnchors?: readonly X509Certificate[];
  readonly audience?: readonly string[];
  readonly allowSpecialFiscalCodes?: boolean;
}

/**
 * The simulator's token checks: GovWay's signature verification when trust anchors are given, then the dispatcher's
 * claim rules (always). See: Gateway API digest, 5.4 and 5.5.
 */
export function createSimTokenVerifier(options: SimTokenOptions): TokenVerifier {
  const allowSpecialFiscalCodes = options.allowSpecialFiscalCodes ?? false;
  if (options.trustAnchors && options.trustAnchors.length > 0) {
    return createTokenVerifier({ trustAnchors: options.trustAnchors, audience: options.audience, clockSkewSeconds: 60, allowSpecialFiscalCodes });
  }
  const decode = (headers: Headers) => {
    const token = (headers['fse-jwt-signature'] ?? '').trim().replace(/^Bearer(\s+|$)/i, '');
    if (token === '') throw new FseError('missingToken', 'Attenzione il jwt fornito risulta essere vuoto');
    return toSignatureClaims(decodePayload(token, 'mandatoryElementToken'));
  };
  return {
    authenticate: async (headers) => decode(headers),
    authenticateBearer: async (headers) => {
      const payload = tryDecode(headers.authorization) ?? {};
      return { sub: str(payload.sub), iss: str(payload.iss) };
    },
    async verifyFor(operation, headers, file) {
      const claims = decode(headers);
      checkClaims(claims, operation, { allowSpecialFiscalCode: allowSpecialFiscalCodes });
      if (file && (operation === 'create' || operation === 'replace')) checkAttachmentHash(claims, sha256Hex(file));
      return claims;
    },
  };
}

function decodePayload(token: string, code: 'mandatoryElementToken'): Record<string, unknown> {
  try {
    return decodeJwt(token);
  } catch (err) {
    throw new FseError(code, 'Il token JWT non è decodificabile', { cause: err });
  }
}

function tryDecode(token: string | undefined): Record<string, unknown> | undefined {
  if (!token) return undefined;
  try {
    return decodeJwt(token.trim().replace(/^Bearer\s+/i, ''));
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Who is calling, from the signature token (issuer `UNDEFINED_JWT_ISSUER` without one). See: Gateway API digest, 9.1. */
export function callerOf(headers: Headers): Caller {
  const payload = tryDecode(headers['fse-jwt-signature']) ?? tryDecode(headers.authorization) ?? {};
  return {
    issuer: str(payload.iss) ?? 'UNDEFINED_JWT_ISSUER',
    subject: str(payload.sub),
    subjectRole: str(payload.subject_role),
    organizzazione: str(payload.subject_organization_id),
  };
}

/**
 * The 3-character region of the visibility cone: the second `#` segment of the Bearer token's issuer (the dev-profile
 * rule), first 3 characters, e.g. `auth:S1#120201234567XX` -> `120`. See: Gateway API digest, 9.1.
 */
export function regionOf(issuerOrSub: string | undefined): string | undefined {
  const segment = issuerOrSub?.split('#')[1];
  return segment && segment.length >= 3 ? segment.slice(0, 3) : undefined;
}

/** The Bearer token's `iss`, decoded without verification (status GETs carry no signature token). */
export function bearerIssuer(headers: Headers): string | undefined {
  return str(tryDecode(headers.authorization)?.iss);
}

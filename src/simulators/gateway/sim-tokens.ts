import type { X509Certificate } from 'node:crypto';
import { decodeJwt } from 'jose';
import { FseError } from '../../errors/fse-error.js';
import { checkAttachmentHash, checkClaims, toSignatureClaims, type ClaimsOperation, type SignatureClaims } from '../../jwt/claims.js';
import { verifyGatewayTokens } from '../../jwt/verify-tokens.js';
import { sha256Hex } from '../../pdf/hashes.js';
import type { SimHeaders } from './sim-http.js';
import type { Caller } from './sim-state.js';

/** Options of {@link createSimTokens}. */
export interface SimTokenOptions {
  /** CAs the signature certificates must chain to; without them the simulator only decodes, like the dispatcher. */
  readonly trustAnchors?: readonly X509Certificate[];
  readonly audience?: readonly string[];
  readonly allowSpecialFiscalCodes?: boolean;
}

/** The token checks of one call: GovWay's, then the dispatcher's claim rules for the operation. */
export interface SimTokens {
  /** The signature token's claims, checked for `operation`; with `file`, create and replace compare `attachment_hash`. */
  verifyFor(operation: ClaimsOperation, headers: SimHeaders, file?: Uint8Array): Promise<SignatureClaims>;
}

/** GovWay's clock tolerance on `exp`/`iat`/`nbf` (an assumption: the digest leaves it open, 13). */
const GOVWAY_CLOCK_SKEW_SECONDS = 60;

/**
 * The simulator's token checks: GovWay's signature verification of both tokens when trust anchors are given (without
 * them the simulator only decodes, like the dispatcher behind GovWay), then the dispatcher's claim rules (always).
 * See: Gateway API digest, 5.4 and 5.5.
 */
export function createSimTokens(options: SimTokenOptions): SimTokens {
  const allowSpecialFiscalCode = options.allowSpecialFiscalCodes ?? false;
  const anchors = options.trustAnchors && options.trustAnchors.length > 0 ? options.trustAnchors : undefined;
  const claimsOf = async (headers: SimHeaders): Promise<SignatureClaims> => {
    if (!anchors) return decode(headers);
    const verified = await verifyGatewayTokens(
      { authorization: headers.authorization, signature: headers['fse-jwt-signature'] },
      { trustAnchors: anchors, audience: options.audience, clockSkewSeconds: GOVWAY_CLOCK_SKEW_SECONDS },
    );
    return verified.signature?.claims ?? {};
  };
  return {
    async verifyFor(operation, headers, file) {
      const claims = await claimsOf(headers);
      checkClaims(claims, operation, { allowSpecialFiscalCode });
      if (file && (operation === 'create' || operation === 'replace')) checkAttachmentHash(claims, sha256Hex(file));
      return claims;
    },
  };
}

/** The dispatcher's own reading of `FSE-JWT-Signature`: empty is `/msg/missing-token`, undecodable the next. See: 5.5. */
function decode(headers: SimHeaders): SignatureClaims {
  const token = (headers['fse-jwt-signature'] ?? '').trim().replace(/^Bearer(\s+|$)/i, '');
  if (token === '') throw new FseError('missingToken', 'Attenzione il jwt fornito risulta essere vuoto');
  return toSignatureClaims(decodePayload(token, 'mandatoryElementToken'));
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
export function callerOf(headers: SimHeaders): Caller {
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
export function bearerIssuer(headers: SimHeaders): string | undefined {
  return str(tryDecode(headers.authorization)?.iss);
}

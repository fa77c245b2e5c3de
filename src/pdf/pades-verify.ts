import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString } from '@cantoo/pdf-lib';
import { FseError } from '../errors/fse-error.js';
import { loadPdf } from './cda-extractor.js';
import { findSignatureDictionaries } from './signature-dictionaries.js';

/**
 * The Gateway's publication rule for signed PDFs: the PDF must be signed, and every signature must verify
 * cryptographically over the bytes its /ByteRange names. See: Gateway API digest, 6.4 and 11.1 (`/msg/sign-error`).
 *
 * Deliberately NOT checked, because the Gateway checks none of it (6.4): trust chain to a qualified CA, revocation
 * (CRL/OCSP), certificate validity at signing time, key usage, and whether the byte ranges cover the whole document
 * (an incremental update appended after the signature is accepted). A bridge stricter than the Gateway would refuse
 * documents the Gateway publishes.
 */

/** The two details of `/msg/sign-error`. See: Gateway API digest, 6.4 and 11.1. */
export const NOT_SIGNED = 'Il pdf non risulta firmato';
export const INVALID_SIGNATURE = 'La firma del pdf non risulta valida';

/** Bounds on the work one upload can cause (the Gateway takes at most 5 MB, 2.2). */
export const SIGNATURE_LIMITS = {
  maxSignatures: 16,
  /** decoded /Contents; real CAdES with a chain and a timestamp stays well below 64 KiB */
  maxContentsBytes: 256 * 1024,
  /** /ByteRange pairs; signers write two */
  maxByteRangePairs: 4,
} as const;

const SUBFILTER_DETACHED = new Set(['adbe.pkcs7.detached', 'ETSI.CAdES.detached']);
const SUBFILTER_TIMESTAMP = 'ETSI.RFC3161';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';

/** Why one signature failed; kept as the error's cause for logs, never shown to the producer (the Gateway is terse). */
export class SignatureCheckError extends Error {
  constructor(message: string, readonly fieldName?: string) {
    super(fieldName === undefined ? message : `${fieldName}: ${message}`);
    this.name = 'SignatureCheckError';
  }
}

/**
 * Verifies the signatures of a PDF for publication. Reads the bytes only: nothing is re-serialised.
 * @throws FseError `signError` "Il pdf non risulta firmato" when no signature is found, "La firma del pdf non risulta
 *   valida" when any signature fails (cause: a {@link SignatureCheckError}); `emptyFile`, `documentType` or
 *   `cdaElement` from `loadPdf` for bytes that are not a readable PDF.
 */
export async function verifyPdfSignatures(pdf: Uint8Array): Promise<void> {
  const doc = await loadPdf(pdf);
  const signatures = findSignatureDictionaries(doc);
  if (signatures.length === 0) throw new FseError('signError', NOT_SIGNED);
  try {
    if (signatures.length > SIGNATURE_LIMITS.maxSignatures) {
      throw new SignatureCheckError(`more than ${SIGNATURE_LIMITS.maxSignatures} signatures`);
    }
    for (const { fieldName, dict } of signatures) {
      try {
        await verifyOne(pdf, dict);
      } catch (err) {
        throw err instanceof SignatureCheckError ? new SignatureCheckError(err.message, fieldName) : err;
      }
    }
  } catch (err) {
    throw new FseError('signError', INVALID_SIGNATURE, { cause: err });
  }
}

async function verifyOne(pdf: Uint8Array, sig: PDFDict): Promise<void> {
  const subFilter = sig.lookup(PDFName.of('SubFilter'));
  const kind = subFilter instanceof PDFName ? subFilter.decodeText() : undefined;
  const signedBytes = byteRangeBytes(pdf, sig.lookup(PDFName.of('ByteRange')));
  const signedData = parseSignedData(contentsBytes(sig.lookup(PDFName.of('Contents'))));
  if (kind === SUBFILTER_TIMESTAMP) return verifyDocumentTimestamp(signedData, signedBytes);
  // adbe.pkcs7.sha1 and adbe.x509.rsa_sha1 sign something other than the byte range itself: the Gateway's check
  // over the byte range cannot succeed on them, so they are refused here too.
  if (kind === undefined || !SUBFILTER_DETACHED.has(kind)) throw new SignatureCheckError(`unsupported /SubFilter ${kind ?? '(none)'}`);
  // A detached signature must not carry content: with its own eContent a CMS would verify whatever the PDF says.
  if (signedData.encapContentInfo.eContent) throw new SignatureCheckError('the CMS of a detached signature carries content');
  await verifySigner(signedData, signedBytes);
}

/**
 * An RFC 3161 document timestamp (PAdES-LTA, ETSI EN 319 142-1, 5.4): the token signs its TSTInfo, whose message
 * imprint must be the digest of the byte range. Given the byte range as detached data, pkijs checks that imprint
 * before verifying the token's signature over the TSTInfo.
 */
async function verifyDocumentTimestamp(signedData: pkijs.SignedData, signedBytes: Uint8Array): Promise<void> {
  if (signedData.encapContentInfo.eContentType !== TST_INFO || !signedData.encapContentInfo.eContent) {
    throw new SignatureCheckError('the timestamp token carries no TSTInfo');
  }
  await verifySigner(signedData, signedBytes);
}

/**
 * The first SignerInfo with its certificate taken from the CMS (6.4): pkijs checks the messageDigest signed
 * attribute (which CMS requires next to content-type) against the digest of `data`, and the signature with the
 * certificate's key (RSA PKCS#1 v1.5, RSA-PSS or ECDSA; SHA-1/256/384/512, whichever the signer declared: the
 * Gateway sets no algorithm policy). Beware: pkijs digests the eContent instead of `data` when there is one.
 */
async function verifySigner(signedData: pkijs.SignedData, data: Uint8Array): Promise<void> {
  if (signedData.signerInfos.length === 0) throw new SignatureCheckError('the CMS has no SignerInfo');
  let result: pkijs.SignedDataVerifyResult;
  try {
    result = await signedData.verify({
      signer: 0, data: toArrayBuffer(data), checkChain: false, extendedMode: true,
    });
  } catch (err) {
    // pkijs rejects with a SignedDataVerifyError (not an Error) for a missing certificate or messageDigest mismatch.
    const message = err instanceof Error ? err.message : (err as { message?: unknown } | undefined)?.message;
    throw new SignatureCheckError(`CMS verification failed: ${String(message ?? err)}`);
  }
  if (!result.signatureVerified) {
    throw new SignatureCheckError(`CMS verification failed: ${result.message || 'the signature does not verify with the certificate key'}`);
  }
}

/** The bytes named by /ByteRange, concatenated; every pair must lie inside the file, in order, without overlap. */
function byteRangeBytes(pdf: Uint8Array, value: unknown): Uint8Array {
  if (!(value instanceof PDFArray)) throw new SignatureCheckError('/ByteRange is missing');
  const size = value.size();
  if (size === 0 || size % 2 !== 0 || size > 2 * SIGNATURE_LIMITS.maxByteRangePairs) {
    throw new SignatureCheckError(`/ByteRange has ${size} numbers`);
  }
  const parts: Uint8Array[] = [];
  let end = 0;
  for (let i = 0; i < size; i += 2) {
    const start = integerAt(value, i);
    const length = integerAt(value, i + 1);
    if (start < end || start + length > pdf.length) throw new SignatureCheckError('/ByteRange lies outside the file or overlaps');
    parts.push(pdf.subarray(start, start + length));
    end = start + length;
  }
  return Buffer.concat(parts);
}

function integerAt(array: PDFArray, index: number): number {
  const item = array.lookup(index);
  const n = item instanceof PDFNumber ? item.asNumber() : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new SignatureCheckError('/ByteRange holds a value that is not a non-negative integer');
  return n;
}

function contentsBytes(value: unknown): Uint8Array {
  const bytes = value instanceof PDFHexString || value instanceof PDFString ? value.asBytes() : undefined;
  if (!bytes || bytes.length === 0) throw new SignatureCheckError('/Contents is missing or empty');
  if (bytes.length > SIGNATURE_LIMITS.maxContentsBytes) throw new SignatureCheckError('/Contents is too large');
  return bytes;
}

/** /Contents as a CMS ContentInfo of type SignedData; the zero padding after the DER is ignored. */
function parseSignedData(contents: Uint8Array): pkijs.SignedData {
  const asn = asn1js.fromBER(toArrayBuffer(contents));
  if (asn.offset === -1) throw new SignatureCheckError(`/Contents is not DER: ${asn.result.error}`);
  try {
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new SignatureCheckError(`/Contents is a CMS ${info.contentType}, not SignedData`);
    return new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    if (err instanceof SignatureCheckError) throw err;
    throw new SignatureCheckError(`/Contents is not a CMS SignedData: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

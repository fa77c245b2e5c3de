import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Trust anchors for the JWT signature certificates: the CA(s) that issue the actors' signature certificates
 * (the Ministry of Health CA in production, the development CA locally). See: Gateway API digest, 5.1 and 5.5.
 */

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Parses every certificate of a PEM bundle (text outside the blocks, such as comments, is ignored). */
export function parsePemBundle(pem: string, source = 'PEM bundle'): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new Error(`${source} contains no certificate`);
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new Error(`${source}: certificate #${i + 1} cannot be parsed`, { cause: error });
    }
  });
}

/**
 * Loads the trust anchors from a PEM bundle file. Only CA certificates are accepted, so that a leaf pasted into the
 * bundle by mistake cannot make its own tokens trusted.
 */
export function loadTrustAnchors(file: string): X509Certificate[] {
  const anchors = parsePemBundle(readFileSync(file, 'utf8'), file);
  const notCa = anchors.find((cert) => !cert.ca);
  if (notCa !== undefined) {
    throw new Error(`${file}: ${notCa.subject.replaceAll('\n', ', ')} is not a CA certificate`);
  }
  return anchors;
}
